import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  EntityCapacity,
  THANOS_COMPONENT_ANNOTATION,
  thanosInstanceFromEntity,
} from '@fleet-monitoring/plugin-monitoring-common';
import { clusterQuestion, thanosQuestion } from '../core/entityQuestions';
import type { CapacityService } from './CapacityService';

/**
 * An entity's capacity question, for the route and the action alike: a Thanos Receive component
 * entity gets its receivers, any other entity its cluster's tenant (`fleet-monitoring.io/cluster`,
 * checked by clusterQuestion); a Query component is a 400 that says so.
 */
export async function entityCapacity(
  capacity: CapacityService,
  entity: Entity,
): Promise<EntityCapacity> {
  if (entity.metadata.annotations?.[THANOS_COMPONENT_ANNOTATION]) {
    const { instance, component, selector } = thanosQuestion(entity);
    if (component !== 'receive')
      throw new InputError(
        `Capacity is shown for Thanos Receive components and clusters; ${THANOS_COMPONENT_ANNOTATION} is "${component}"`,
      );
    return capacity.receiveCapacity(instance, selector);
  }
  return capacity.clusterCapacity(
    thanosInstanceFromEntity(entity),
    clusterQuestion(entity),
  );
}

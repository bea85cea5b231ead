import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  THANOS_COMPONENT_ANNOTATION,
  thanosInstanceFromEntity,
  TopSeries,
} from '@fleet-monitoring/plugin-monitoring-common';
import { clusterQuestion } from '../core/entityQuestions';
import type { CapacityService } from './CapacityService';

/**
 * A cluster entity's top series, for the route and the action alike (`fleet-monitoring.io/cluster`,
 * checked by clusterQuestion); a Thanos component is a 400 that says so.
 */
export async function entityTopSeries(
  capacity: CapacityService,
  entity: Entity,
): Promise<TopSeries> {
  if (entity.metadata.annotations?.[THANOS_COMPONENT_ANNOTATION])
    throw new InputError(
      `Top series are shown for clusters (fleet-monitoring.io/cluster), not Thanos components (${THANOS_COMPONENT_ANNOTATION})`,
    );
  return capacity.topSeries(
    thanosInstanceFromEntity(entity),
    clusterQuestion(entity),
  );
}

import type { Entity } from '@backstage/catalog-model';
import {
  clusterFromEntity,
  thanosComponentFromEntity,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * Whether the capacity card applies: a Thanos Receive component, or a cluster that is not a Thanos
 * component itself (its tenant on the receivers).
 *
 * @public
 */
export const isCapacityAvailable = (entity: Entity): boolean => {
  const component = thanosComponentFromEntity(entity);
  if (component) return component === 'receive';
  return Boolean(clusterFromEntity(entity));
};

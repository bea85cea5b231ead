import type { Entity } from '@backstage/catalog-model';
import {
  clusterFromEntity,
  thanosComponentFromEntity,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * Whether the reconciliation card applies: a cluster (`fleet-monitoring.io/cluster`) that is not a
 * Thanos component itself (a Receive component names the cluster it runs in, not itself).
 *
 * @public
 */
export const isReconcileAvailable = (entity: Entity): boolean =>
  Boolean(clusterFromEntity(entity)) && !thanosComponentFromEntity(entity);

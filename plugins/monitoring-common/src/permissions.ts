import {
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';

/** Same value as `RESOURCE_TYPE_CATALOG_ENTITY` of `@backstage/plugin-catalog-common/alpha`. */
export const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/**
 * Read the monitoring data of one catalog entity (remote-write, Thanos, metrics arriving, ArgoCD,
 * Kubernetes). A resource permission, so policies can decide per entity (owner, kind, ...).
 *
 * @public
 */
export const fleetMonitoringEntityReadPermission = createPermission({
  name: 'fleet-monitoring.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read fleet-wide views: the fleet summary and the health of Thanos instances.
 *
 * @public
 */
export const fleetMonitoringFleetReadPermission = createPermission({
  name: 'fleet-monitoring.fleet.read',
  attributes: { action: 'read' },
});

/**
 * Run arbitrary read-only PromQL through the restricted pass-through.
 *
 * @public
 */
export const fleetMonitoringQueryPermission = createPermission({
  name: 'fleet-monitoring.query',
  attributes: { action: 'read' },
});

/**
 * Every permission of the plugins, for `permissionsRegistry.addPermissions`.
 *
 * @public
 */
export const fleetMonitoringPermissions: Permission[] = [
  fleetMonitoringEntityReadPermission,
  fleetMonitoringFleetReadPermission,
  fleetMonitoringQueryPermission,
];

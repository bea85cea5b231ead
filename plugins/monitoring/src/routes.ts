import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * Where the fleet page is mounted, in both frontend systems: core-plugin-api's route refs are also
 * route refs of the new frontend system, so the legacy plugin and the new one share this one.
 *
 * @public
 */
export const fleetPageRouteRef = createRouteRef({
  id: 'fleet-monitoring:fleet',
});

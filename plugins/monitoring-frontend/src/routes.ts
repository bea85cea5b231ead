import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the fleet page is mounted (legacy frontend system). */
export const fleetPageRouteRef = createRouteRef({
  id: 'fleet-monitoring:fleet',
});

import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { fleetMonitoringPermissions } from '@fleet-monitoring/plugin-monitoring-common';
import { readFleetMonitoringConfig } from './config';
import { createRouter } from './router';
import { EntityAccess } from './service/entityAccess';
import { FleetHealthService } from './service/FleetHealthService';

/** The Fleet Monitoring backend plugin, served under /api/fleet-monitoring. */
export const fleetMonitoringPlugin = createBackendPlugin({
  pluginId: 'fleet-monitoring',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, httpRouter, httpAuth, permissions, permissionsRegistry, cache, catalog }) {
        const settings = readFleetMonitoringConfig(config);
        permissionsRegistry.addPermissions(fleetMonitoringPermissions);
        const health = new FleetHealthService(settings, logger, cache);
        const access = new EntityAccess(httpAuth, permissions, catalog);
        httpRouter.use(await createRouter({ logger, access, health }));
        logger.info(`Fleet Monitoring: ${settings.thanos.length} Thanos instance(s) configured`);
      },
    });
  },
});

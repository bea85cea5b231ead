import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { fleetMonitoringPermissions } from '@fleet-monitoring/plugin-monitoring-common';
import { ArgocdService } from './argocd/ArgocdService';
import { readArgocdSettings } from './argocd/config';
import { createArgocdRouter } from './argocd/router';
import { readFleetMonitoringConfig } from './config';
import { readKubernetesSettings } from './kubernetes/config';
import { KubernetesService } from './kubernetes/KubernetesService';
import { createKubernetesRouter } from './kubernetes/router';
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
        const argocd = new ArgocdService(readArgocdSettings(config), logger, cache);
        const kubernetes = new KubernetesService(readKubernetesSettings(config), logger, cache);
        httpRouter.use(
          await createRouter({
            logger,
            access,
            health,
            argocdInstances: argocd.instanceNames().map(name => ({ name, title: argocd.instanceTitle(name) })),
            kubernetesClusters: kubernetes.clusterNames().map(name => ({ name })),
            extraRouters: [createArgocdRouter({ access, argocd }), createKubernetesRouter({ access, kubernetes })],
          }),
        );
        logger.info(
          `Fleet Monitoring: ${argocd.instanceNames().length} ArgoCD instance(s), ${kubernetes.clusterNames().length} Kubernetes cluster(s) configured`,
        );
        logger.info(`Fleet Monitoring: ${settings.thanos.length} Thanos instance(s) configured`);
      },
    });
  },
});

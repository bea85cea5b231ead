import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  fleetMonitoringPermissions,
  parseSelector,
} from '@fleet-monitoring/plugin-monitoring-common';
import { registerFleetMonitoringActions } from './actions';
import { ArgocdService } from './argocd/ArgocdService';
import { addArgocdRoutes } from './argocd/router';
import { PluginConfig, readPluginConfig } from './config';
import { CachedLoader } from './core/CachedLoader';
import { catalogClusters } from './core/catalogClusters';
import { EntityAccess } from './core/entityAccess';
import { GitopsService } from './gitops/GitopsService';
import { addGitopsRoutes } from './gitops/router';
import { KubernetesService } from './kubernetes/KubernetesService';
import { addKubernetesRoutes } from './kubernetes/router';
import { MetricsArrivingService } from './metricsArriving/MetricsArrivingService';
import { addMetricsArrivingRoutes } from './metricsArriving/routes';
import { RemoteWriteService } from './remoteWrite/RemoteWriteService';
import { addRemoteWriteRoutes } from './remoteWrite/routes';
import { startSummaryRefresh } from './remoteWrite/summaryRefresh';
import { createRouter } from './router';
import { ThanosComponentService } from './thanosComponents/ThanosComponentService';
import { addThanosComponentRoutes } from './thanosComponents/routes';
import { CapacityService } from './capacity/CapacityService';
import { addCapacityRoutes } from './capacity/routes';
import {
  FLEET_JUDGE_DAYS,
  judgeTenantForecast,
} from './capacity/fleetCapacity';
import { DEFAULT_THANOS_SELECTOR } from './core/entityQuestions';
import { ThanosInstances } from './thanos/ThanosInstances';
import { ReconcileService } from './reconcile/ReconcileService';
import { addReconcileRoutes } from './reconcile/routes';
import { reconcileSources } from './reconcile/wireSources';

type Deps = {
  logger: typeof coreServices.logger.T;
  cache: typeof coreServices.cache.T;
  httpAuth: typeof coreServices.httpAuth.T;
  permissions: typeof coreServices.permissions.T;
  catalog: typeof catalogServiceRef.T;
  auth: typeof coreServices.auth.T;
  urlReader: typeof coreServices.urlReader.T;
};

/** One service per question, sharing the Thanos clients and one answer cache. */
function createServices(settings: PluginConfig, d: Deps) {
  const { logger, cache } = d;
  const instances = new ThanosInstances(settings.health.thanos);
  const loader = new CachedLoader(cache, settings.health.cacheTtlSeconds);
  const config = settings.health;
  const receiveSelector = parseSelector(DEFAULT_THANOS_SELECTOR.receive);
  const services = {
    instances,
    access: new EntityAccess(d.httpAuth, d.permissions, d.catalog, {
      ttlSeconds: settings.accessTtlSeconds,
    }),
    remoteWrite: new RemoteWriteService({
      config,
      logger,
      instances,
      loader,
      cache,
      catalog: catalogClusters(d.catalog, d.auth),
    }),
    thanosComponents: new ThanosComponentService(
      config,
      logger,
      loader,
      instances,
    ),
    capacity: new CapacityService(
      config,
      logger,
      loader,
      instances,
      parseSelector(DEFAULT_THANOS_SELECTOR.receive),
    ),
    metricsArriving: new MetricsArrivingService(
      config,
      logger,
      loader,
      instances,
    ),
    argocd: new ArgocdService(
      settings.argocd,
      settings.cacheTtlSeconds,
      logger,
      cache,
    ),
    gitops: new GitopsService(settings.gitops, d.urlReader, loader, logger),
    kubernetes: new KubernetesService(
      settings.kubernetes,
      settings.cacheTtlSeconds,
      logger,
      cache,
    ),
  };
  return {
    ...services,
    reconcile: new ReconcileService({
      sources: reconcileSources({
        ...services,
        catalog: d.catalog,
        auth: d.auth,
        receiveSelector,
        capacityJudge: { days: FLEET_JUDGE_DAYS, reasons: judgeTenantForecast },
      }),
      loader,
      logger,
      instances,
      clusterLabel: config.clusterLabel,
      receiveSelector,
    }),
  };
}

/**
 * The Fleet Monitoring backend plugin, served under /api/fleet-monitoring.
 *
 * @public
 */
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
        rootLifecycle: coreServices.rootLifecycle,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        urlReader: coreServices.urlReader,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { logger, rootLifecycle } = deps;
        const settings = readPluginConfig(deps.config);
        deps.permissionsRegistry.addPermissions(fleetMonitoringPermissions);
        const s = createServices(settings, deps);
        // Keep-alive pools to the upstreams would otherwise outlive the backend.
        rootLifecycle.addShutdownHook(async () => {
          await Promise.all([s.instances.close(), s.argocd.close()]);
        });
        await startSummaryRefresh({
          config: settings.health,
          instances: s.instances,
          remoteWrite: s.remoteWrite,
          scheduler: deps.scheduler,
          rootLifecycle,
          logger,
        });
        registerFleetMonitoringActions(deps.actionsRegistry, s);
        deps.httpRouter.use(
          await createRouter({
            logger,
            access: s.access,
            instances: s.instances,
            argocdInstances: s.argocd
              .instanceNames()
              .map(name => ({ name, title: s.argocd.instanceTitle(name) })),
            kubernetesClusters: s.kubernetes
              .clusterNames()
              .map(name => ({ name })),
            addRoutes: [
              (router, send) => addRemoteWriteRoutes(router, { ...s, send }),
              (router, send) =>
                addThanosComponentRoutes(router, { ...s, send }),
              (router, send) =>
                addMetricsArrivingRoutes(router, { ...s, send }),
              router => addArgocdRoutes(router, s),
              router => addKubernetesRoutes(router, s),
              router => addGitopsRoutes(router, s),
              (router, send) => addCapacityRoutes(router, { ...s, send }),
              (router, send) => addReconcileRoutes(router, { ...s, send }),
            ],
            validateResponses: settings.validateResponses,
          }),
        );
        logger.info(
          `Fleet Monitoring: ${settings.health.thanos.length} Thanos instance(s), ${s.argocd.instanceNames().length} ArgoCD instance(s), ${s.kubernetes.clusterNames().length} Kubernetes cluster(s) configured`,
        );
      },
    });
  },
});

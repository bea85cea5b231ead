import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  ActionsService,
  actionsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  centralConfig,
  FleetSimulator,
  PrometheusProcess,
  type SimulatorOptions,
  ThanosQueryFake,
} from '@fleet-monitoring/local-fleet';
import { fleetMonitoringPlugin } from '../plugin';

type JsonObject = NonNullable<Parameters<ActionsService['invoke']>[0]['input']>;
type JsonValue = Awaited<ReturnType<ActionsService['invoke']>>['output'];

/**
 * The plugin's actions through Backstage's own actions service and registry (backend-defaults), over
 * HTTP between them, as the MCP actions backend and the scaffolder use them. Each action's test
 * starts one with the upstreams its action reads.
 */
export interface ActionsBackend {
  actions: ActionsService;
  credentials: ReturnType<typeof mockCredentials.user>;
  /** The permission decision every check gets until the next `allow()`. */
  deny(): void;
  allow(): void;
  invoke(id: string, input: JsonObject): Promise<JsonValue>;
  /** Status and message of the error the actions service received from our plugin. */
  failure(
    id: string,
    input: JsonObject,
  ): Promise<{ status?: number; message: string }>;
  stop(): Promise<void>;
}

/** A Component or Resource entity with the given annotations. */
export function entity(
  kind: 'Component' | 'Resource',
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

export async function startActionsBackend(options: {
  /** The `fleetMonitoring` config section. */
  fleetMonitoring: JsonObject;
  entities: Entity[];
  /** More root config, e.g. `integrations` for the UrlReader. */
  rootConfig?: JsonObject;
}): Promise<ActionsBackend> {
  let actions: ActionsService | undefined;
  let decision: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;
  // A module that hands us the actions service other plugins (MCP, scaffolder) use.
  const capture = createBackendModule({
    pluginId: 'fleet-monitoring',
    moduleId: 'test-actions-client',
    register(env) {
      env.registerInit({
        deps: { actionsService: actionsServiceRef },
        async init({ actionsService }) {
          actions = actionsService;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      fleetMonitoringPlugin,
      capture,
      actionsRegistryServiceFactory,
      actionsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          ...options.rootConfig,
          backend: { actions: { pluginSources: ['fleet-monitoring'] } },
          fleetMonitoring: {
            cache: { ttlSeconds: 0, accessTtlSeconds: 0 },
            ...options.fleetMonitoring,
          },
        },
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.permissions.mock({
        authorize: async reqs => reqs.map(() => ({ result: decision })),
      }).factory,
    ],
  });
  const service = actions!;
  const credentials = mockCredentials.user();
  const invoke = async (id: string, input: JsonObject) =>
    (await service.invoke({ id, input, credentials })).output;
  return {
    actions: service,
    credentials,
    deny: () => {
      decision = AuthorizeResult.DENY;
    },
    allow: () => {
      decision = AuthorizeResult.ALLOW;
    },
    invoke,
    async failure(id, input) {
      try {
        await invoke(id, input);
      } catch (e) {
        const err = e as {
          statusCode?: number;
          body?: { error?: { message?: string } };
        };
        return {
          status: err.statusCode,
          message: err.body?.error?.message ?? '',
        };
      }
      throw new Error(`${id} answered ${JSON.stringify(input)}`);
    },
    stop: () => backend.stop(),
  };
}

/**
 * A real central Prometheus filled by the fleet simulator, behind the Thanos Query facade (the
 * `/api/v1/stores` and partial-response behaviour no local binary serves).
 */
export async function startThanosFleet(
  simulator: Omit<SimulatorOptions, 'writeUrl' | 'sink'>,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const central = new PrometheusProcess({
    name: 'central',
    mode: 'central',
    config: centralConfig('15s'),
  });
  await central.start();
  try {
    await new FleetSimulator({
      writeUrl: `${central.url}/api/v1/write`,
      ...simulator,
    }).writeUntilNow();
    const thanos = new ThanosQueryFake({ prometheusUrl: central.url });
    await thanos.start();
    return {
      url: thanos.url,
      stop: async () => {
        await thanos.stop();
        await central.destroy();
      },
    };
  } catch (e) {
    await central.destroy();
    throw e;
  }
}

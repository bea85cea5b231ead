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
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ArgocdFake } from '@fleet-monitoring/local-fleet';
import { fleetMonitoringPlugin } from './plugin';

/**
 * The actions through Backstage's own actions service and registry (backend-defaults), over HTTP
 * between them, as the MCP actions backend and the scaffolder use them.
 */

const component = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

describe('fleet-monitoring actions', () => {
  const argo = new ArgocdFake({
    apps: [
      { name: 'checkout', sync: 'OutOfSync', health: 'Degraded' },
      { name: 'unrelated', sync: 'Synced', health: 'Healthy' },
    ],
    tokens: ['argo-token'],
  });
  let actions: ActionsService;
  let decision: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;

  beforeAll(async () => {
    await argo.start();
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
    await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        capture,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { actions: { pluginSources: ['fleet-monitoring'] } },
            fleetMonitoring: {
              cache: { ttlSeconds: 0, accessTtlSeconds: 0 },
              argocd: [{ name: 'main', url: argo.url, token: 'argo-token' }],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            component('checkout', { 'argocd/app-name': 'checkout' }),
            component('plain', {}),
          ],
        }),
        mockServices.permissions.mock({
          authorize: async reqs => reqs.map(() => ({ result: decision })),
        }).factory,
      ],
    });
  });
  afterAll(() => argo.stop());
  afterEach(() => {
    decision = AuthorizeResult.ALLOW;
  });

  const credentials = mockCredentials.user();

  it('lists the five questions, read-only, with JSON schemas', async () => {
    const { actions: list } = await actions.list({ credentials });
    expect(list.map(a => a.id).sort()).toEqual([
      'fleet-monitoring:get-argocd-state',
      'fleet-monitoring:get-cluster-remote-write-health',
      'fleet-monitoring:get-fleet-health',
      'fleet-monitoring:get-metrics-arriving',
      'fleet-monitoring:get-thanos-health',
    ]);
    for (const a of list) {
      expect(a.attributes).toMatchObject({
        readOnly: true,
        destructive: false,
      });
      expect(a.schema.input).toMatchObject({ type: 'object' });
    }
  });

  it('hides the fleet-wide actions from callers without the fleet permission', async () => {
    decision = AuthorizeResult.DENY;
    const { actions: list } = await actions.list({ credentials });
    expect(list.map(a => a.id)).not.toContain(
      'fleet-monitoring:get-fleet-health',
    );
  });

  it("answers an entity's ArgoCD state end to end, from the contract fake", async () => {
    const { output } = await actions.invoke({
      id: 'fleet-monitoring:get-argocd-state',
      input: { entityRef: 'component:default/checkout' },
      credentials,
    });
    expect(output).toMatchObject({
      state: 'failing',
      applications: [
        {
          instance: 'main',
          name: 'checkout',
          syncStatus: 'OutOfSync',
          healthStatus: 'Degraded',
        },
      ],
      errors: [],
    });
    expect(JSON.stringify(output)).not.toContain('argo-token');
    expect(argo.requests.some(r => r.includes('unrelated'))).toBe(false);
  });

  it('checks the entity like the routes: denied, missing or unannotated entities fail clearly', async () => {
    /** Status and message of the failure the actions service received from our plugin. */
    const failure = async (entityRef: string) => {
      try {
        await actions.invoke({
          id: 'fleet-monitoring:get-argocd-state',
          input: { entityRef },
          credentials,
        });
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
      throw new Error(`${entityRef} was answered`);
    };
    expect(await failure('component:default/nope')).toMatchObject({
      status: 404,
      message: expect.stringMatching(/not found/),
    });
    expect(await failure('component:default/plain')).toMatchObject({
      status: 400,
      message: expect.stringMatching(/argocd\/app-selector/),
    });
    expect(await failure('a:b:c/d/e')).toMatchObject({
      status: 400,
      message: expect.stringMatching(/Invalid entity|entity reference/),
    });
    decision = AuthorizeResult.DENY;
    expect(await failure('component:default/checkout')).toMatchObject({
      status: 403,
      message: expect.stringMatching(/Not allowed/),
    });
  });
});

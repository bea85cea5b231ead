import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
  metricsServiceFactory,
  tracingServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  ActionsService,
  actionsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import {
  DEMO_AGENT_CLUSTERS,
  DemoFleet,
  startDemoFleet,
  waitFor,
} from '@fleet-monitoring/local-fleet';
import type {
  ClusterHealth,
  FleetSummary,
  HealthReason,
  HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import request from 'supertest';
import { fleetMonitoringPlugin } from './plugin';

jest.setTimeout(300_000);

/**
 * Item 2 of #19: one judgement across views. For every cluster of the demo fleet (real agents
 * through Thanos Receive with RF 3, synthetic clusters with the faults production fleets show), at
 * one evaluation time (the Query fake's `evaluationTime`, the backend's clock set to it): the entity
 * card's route, the fleet summary's row, the `get-cluster-remote-write-health` action through
 * Backstage's actions service, and the same action as an MCP tool through
 * `@backstage/plugin-mcp-actions-backend` answer the same state and reasons, during and after a
 * broken queue and a store outage.
 */

const TOOL_SUFFIX = 'get-cluster-remote-write-health';

/** Only Date is faked (set per comparison); every timer stays real. */
const REAL_TIMERS_FAKE_DATE: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: [
    'hrtime',
    'nextTick',
    'performance',
    'queueMicrotask',
    'requestAnimationFrame',
    'cancelAnimationFrame',
    'requestIdleCallback',
    'cancelIdleCallback',
    'setImmediate',
    'clearImmediate',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
  ],
};

interface View {
  state: HealthState;
  reasons: HealthReason[];
}

const view = (x: { state: HealthState; reasons: HealthReason[] }): View => ({
  state: x.state,
  reasons: x.reasons,
});

describe('one judgement across views: card, fleet row, action and MCP tool agree for every demo cluster', () => {
  let demo: DemoFleet;
  let backend: TestBackend;
  let actions: ActionsService;
  let clusters: string[];
  let toolName: string;
  let rpcId = 0;
  const auth = mockCredentials.user.header();

  function entityOf(cluster: string): Entity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: cluster,
        namespace: 'default',
        annotations: {
          'fleet-monitoring.io/cluster': cluster,
          'fleet-monitoring.io/thanos-instance': 'demo',
        },
      },
      spec: { type: 'kubernetes-cluster', owner: 'team-a' },
    };
  }

  /** One JSON-RPC call to the MCP actions backend (streamable HTTP), as the e2e makes it. */
  async function mcp(method: string, params: object = {}) {
    const res = await request(backend.server)
      .post('/api/mcp-actions/v1')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .set('Accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: ++rpcId, method, params });
    expect(res.status).toBe(200);
    const text = res.text;
    const json = String(res.headers['content-type']).includes(
      'text/event-stream',
    )
      ? text
          .split('\n')
          .filter(l => l.startsWith('data:'))
          .map(l => l.slice(5).trim())
          .join('')
      : text;
    const message = JSON.parse(json);
    expect(message.error).toBeUndefined();
    return message.result;
  }

  /** Every view of every cluster at one evaluation time; the differences found. */
  async function compareAt(what: string): Promise<{
    differences: string[];
    states: Record<string, HealthState>;
    /** Per cluster, the card's reasons as `id:severity`. */
    reasons: Record<string, string[]>;
  }> {
    // One moment for every view: the store answers at `at`, the backend's clock reads `at`, and
    // the simulator stops writing while we ask (its samples would carry the frozen clock).
    const at = Math.floor(Date.now() / 1000) - 1;
    demo.simulator.stopTicking();
    demo.thanosQuery.evaluationTime = at;
    jest.setSystemTime(at * 1000);
    try {
      const summary = await request(backend.server)
        .get('/api/fleet-monitoring/fleet/demo/summary')
        .set('Authorization', auth);
      expect(summary.status).toBe(200);
      const rows = new Map<string, ClusterHealth>(
        (summary.body as FleetSummary).clusters.map(c => [c.cluster, c]),
      );
      const differences: string[] = [];
      const states: Record<string, HealthState> = {};
      const reasons: Record<string, string[]> = {};
      for (const cluster of clusters) {
        const card = await request(backend.server)
          .get(
            `/api/fleet-monitoring/entity/resource/default/${cluster}/remote-write`,
          )
          .set('Authorization', auth);
        expect([cluster, card.status]).toEqual([cluster, 200]);
        const action = await actions.invoke({
          id: `fleet-monitoring:${TOOL_SUFFIX}`,
          input: { entityRef: `resource:default/${cluster}` },
          credentials: mockCredentials.user(),
        });
        const tool = await mcp('tools/call', {
          name: toolName,
          arguments: { entityRef: `resource:default/${cluster}` },
        });
        expect(tool.isError).not.toBe(true);
        const toolAnswer = JSON.parse(
          tool.content.find((c: { type: string }) => c.type === 'text').text,
        );
        const row = rows.get(cluster);
        const views: Record<string, View | undefined> = {
          card: view(card.body),
          'fleet row': row && view(row),
          action: view(action.output as any),
          'MCP tool': view(toolAnswer),
        };
        states[cluster] = views.card!.state;
        reasons[cluster] = views.card!.reasons.map(
          r => `${r.id}:${r.severity}`,
        );
        const reference = JSON.stringify(views.card);
        for (const [name, v] of Object.entries(views)) {
          if (JSON.stringify(v) !== reference)
            differences.push(
              `${what}: ${cluster}: ${name} says ${JSON.stringify(v)}, the card ${reference}`,
            );
        }
      }
      return { differences, states, reasons };
    } finally {
      jest.useFakeTimers(REAL_TIMERS_FAKE_DATE);
      jest.setSystemTime(Date.now());
      demo.thanosQuery.evaluationTime = undefined;
      demo.simulator.startTicking();
    }
  }

  beforeAll(async () => {
    demo = await startDemoFleet({ syntheticClusters: 24 });
    clusters = [
      ...DEMO_AGENT_CLUSTERS,
      ...demo.simulator.clusters.map(c => c.name),
    ].sort();
    const capture = createBackendModule({
      pluginId: 'fleet-monitoring',
      moduleId: 'cross-view-actions-client',
      register(env) {
        env.registerInit({
          deps: { actionsService: actionsServiceRef },
          async init({ actionsService }) {
            actions = actionsService;
          },
        });
      },
    });
    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mcpActionsPlugin,
        capture,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        metricsServiceFactory,
        tracingServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { actions: { pluginSources: ['fleet-monitoring'] } },
            fleetMonitoring: {
              cache: { ttlSeconds: 0, accessTtlSeconds: 0 },
              thanos: [
                { name: 'demo', baseUrl: demo.queryUrl, timeoutMs: 5000 },
              ],
            },
          },
        }),
        catalogServiceMock.factory({ entities: clusters.map(entityOf) }),
      ],
    });
    await mcp('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'fleet-cross-view', version: '1' },
    });
    const { tools } = await mcp('tools/list');
    toolName = tools
      .map((t: { name: string }) => t.name)
      .find((n: string) => n.endsWith(TOOL_SUFFIX));
    if (!toolName) throw new Error(`no MCP tool named *${TOOL_SUFFIX}`);
    jest.useFakeTimers(REAL_TIMERS_FAKE_DATE);
    jest.setSystemTime(Date.now());
    // The real agents have delivered their first samples.
    await waitFor(
      async () => {
        const res = await request(backend.server)
          .get('/api/fleet-monitoring/fleet/demo/summary')
          .set('Authorization', auth);
        const rows = (res.body as FleetSummary).clusters ?? [];
        return DEMO_AGENT_CLUSTERS.every(
          name => rows.find(c => c.cluster === name)?.state === 'healthy',
        );
      },
      {
        timeoutMs: 90_000,
        intervalMs: 1000,
        what: 'the demo agents to report',
      },
    );
  });

  afterAll(async () => {
    jest.useRealTimers();
    await backend?.stop();
    await demo?.stop();
  });

  it('agree with the demo fleet as it is (its synthetic faults included)', async () => {
    const { differences, states } = await compareAt('demo fleet');
    expect(differences).toEqual([]);
    // The fleet has faults to agree on, not only healthy clusters.
    const seen = new Set(Object.values(states));
    expect(seen.has('healthy')).toBe(true);
    expect(seen.has('failing') || seen.has('degraded')).toBe(true);
    expect(seen.has('no-data')).toBe(true);
  });

  it('agree while a real agent fails to send, and after its repair', async () => {
    await demo.fleet.breakRemoteWrite('cluster-03-edge');
    let during: Awaited<ReturnType<typeof compareAt>> | undefined;
    // The failing queue shows at once, as pending (info, healthy) until it held the mixin's for:.
    await waitFor(
      async () => {
        during = await compareAt('queue broken');
        return (
          during.differences.length > 0 ||
          during.reasons['cluster-03-edge'].includes(
            'remote-write-failing:info',
          )
        );
      },
      { timeoutMs: 60_000, intervalMs: 2000, what: 'the broken queue to show' },
    );
    expect(during!.differences).toEqual([]);
    expect(during!.states['cluster-03-edge']).toBe('healthy');
    await demo.fleet.repairRemoteWrite('cluster-03-edge');
    const after = await compareAt('queue repaired');
    expect(after.differences).toEqual([]);
  });

  it('agree during a store outage and after it', async () => {
    await demo.fleet.stopCentral();
    try {
      const during = await compareAt('store down');
      expect(during.differences).toEqual([]);
      expect(new Set(Object.values(during.states))).toEqual(
        new Set(['unknown']),
      );
    } finally {
      await demo.fleet.startCentral();
    }
    const after = await compareAt('store back');
    expect(after.differences).toEqual([]);
    expect(Object.values(after.states)).not.toContain('unknown');
  });
});

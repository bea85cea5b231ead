/**
 * The loop test (issue #18 item 3): a fleet OUR scaffolder actions generate, run with real
 * Prometheus processes on 127.0.0.1, judged by OUR backend, with the expectations Thanos and the
 * mixins give. Nothing between the generated files and the backend is written by hand: the central
 * Prometheus scrapes what the generated ServiceMonitors select (serviceMonitorScrapeConfig.ts), the
 * edge agents run their generated prometheus.yml (edgeAgentConfig.ts), Receive and Query have the
 * generated receiver count, replication factor, version and tenants (loopFleet.ts), and the backend
 * uses its DEFAULT selectors (no thanos-selector annotation), so generated job names must be the
 * ones it looks for.
 *
 * Expectations are the upstream ones, not today's rules: where a rule disagrees with Thanos or the
 * mixin, the test fails on purpose (see the report of #18 item 3 for which and why).
 *
 * Waiting: each case first waits, with a deadline, for the fault to be visible in the store as
 * PromQL (the condition the mixin's expression would see), then gives the backend a bounded grace
 * to judge it and asserts on its last answer. No fixed sleeps, no timing assertions.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { waitFor } from '@fleet-monitoring/local-fleet';
import fleetMonitoringPlugin from '@fleet-monitoring/plugin-monitoring-backend';
import {
  ClusterHealth,
  FleetSummary,
  THANOS_JOBS,
  ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import request from 'supertest';
import { fleetEntities } from './__testUtils__/catalogEntities';
import { LoopFleet } from './__testUtils__/loopFleet';
import {
  CENTRAL,
  EDGES,
  scaffoldFleet,
  ScaffoldedFleet,
} from './__testUtils__/scaffoldedFleet';

jest.setTimeout(240_000);

/** Config of the backend: short windows so faults show within seconds, default selectors. */
const RATE_WINDOW = '20s';
const STALE_AFTER_SECONDS = 15;
const INSTANCE = 'central';

describe('the loop: a scaffolded fleet, run for real, judged by the backend', () => {
  let scaffolded: ScaffoldedFleet;
  let fleet: LoopFleet;
  let backend: TestBackend;

  beforeAll(async () => {
    scaffolded = await scaffoldFleet();
    fleet = new LoopFleet(scaffolded);
    await fleet.start();
    backend = await startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              validateResponses: true,
              cache: { ttlSeconds: 0 },
              summaryRefresh: { intervalSeconds: 0 },
              rateWindow: RATE_WINDOW,
              thresholds: {
                remoteWrite: { staleAfterSeconds: STALE_AFTER_SECONDS },
              },
              thanos: [
                { name: INSTANCE, baseUrl: fleet.query.url, timeoutMs: 5000 },
              ],
            },
          },
        }),
        catalogServiceMock.factory({ entities: fleetEntities() }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await fleet?.stop();
    scaffolded?.remove();
  });

  const get = async <T>(path: string): Promise<T> => {
    const res = await request(backend.server)
      .get(`/api/fleet-monitoring${path}`)
      .set('Authorization', mockCredentials.user.header());
    if (res.status !== 200)
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const receiveCard = () =>
    get<ThanosHealth>('/entity/component/default/thanos-receive/thanos');
  const queryCard = () =>
    get<ThanosHealth>('/entity/component/default/thanos-query/thanos');
  const edgeCard = (edge: string) =>
    get<ClusterHealth>(`/entity/resource/default/${edge}/remote-write`);
  const summary = () => get<FleetSummary>(`/fleet/${INSTANCE}/summary`);
  const summaryRow = async (cluster: string) =>
    (await summary()).clusters.find(c => c.cluster === cluster);

  /** Waits (with a deadline) until a PromQL condition over the store holds. */
  const storeShows = (query: string, what: string, timeoutMs = 60_000) =>
    waitFor(async () => (await fleet.promql(query)).length > 0, {
      timeoutMs,
      intervalMs: 1000,
      what: `${what} (${query})`,
    });

  /**
   * Polls an answer until `done` holds or the grace runs out, and returns the last answer: the
   * assertions that follow then fail with the full answer when the backend judges otherwise.
   */
  async function judged<T>(
    answer: () => Promise<T>,
    done: (a: T) => boolean,
    graceMs: number,
  ): Promise<T> {
    const deadline = Date.now() + graceMs;
    let last = await answer();
    while (!done(last) && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 1000));
      last = await answer();
    }
    return last;
  }

  const ids = (h: { reasons: Array<{ id: string }> }) =>
    h.reasons.map(r => r.id).sort();
  /** Reasons that judge (warning, critical); an info note changes no state. */
  const serious = (h: { reasons: Array<{ id: string; severity: string }> }) =>
    h.reasons.filter(
      r => r.severity === 'warning' || r.severity === 'critical',
    );

  describe('the generated overlays run as generated', () => {
    it('scrapes exactly the Thanos pods the generated ServiceMonitors select, with the job names the backend and the mixin look for', async () => {
      const shape = fleet.shape;
      expect({ central: fleet.checkConfig(CENTRAL) }).toMatchObject({
        central: { ok: true },
      });
      // The central's own view of its targets: what the operator's relabeling kept.
      let active: Array<{ labels: Record<string, string>; health: string }> =
        [];
      await waitFor(
        async () => {
          const res = await fetch(
            `${fleet.central.url}/api/v1/targets?state=active`,
          );
          active = ((await res.json()) as any).data.activeTargets;
          return active.length > 0 && active.every(t => t.health === 'up');
        },
        { timeoutMs: 30_000, what: 'the central to scrape its targets' },
      );
      const kept = active
        .map(
          t =>
            `${t.labels.job} ${t.labels.pod} ${t.labels.endpoint} ${t.labels.namespace}`,
        )
        .sort();
      const queryReplicas = scaffolded.central.find(
        d => d.kind === 'Deployment' && d.metadata.name === 'thanos-query',
      )!.spec.replicas;
      expect(kept).toEqual(
        [
          ...Array.from(
            { length: shape.receivers },
            (_, i) =>
              `${THANOS_JOBS.receive} thanos-receive-${i} http monitoring`,
          ),
          ...Array.from(
            { length: queryReplicas },
            (_, i) => `${THANOS_JOBS.query} thanos-query-${i} http monitoring`,
          ),
        ].sort(),
      );
      // Through Receive and Query, with the mixin's own selectors (mixin/config.libsonnet): the
      // ThanosReceiveIsDown / ThanosQueryIsDown expression `absent(up{...} == 1)` is empty.
      await storeShows(
        `count(up{job=~".*thanos-receive.*",cluster="central",tenant_id="central"} == 1) == ${shape.receivers}`,
        'the receivers scraped, stored through Receive, answered by Query',
      );
      expect(
        await fleet.promql('absent(up{job=~".*thanos-receive.*"} == 1)'),
      ).toEqual([]);
      expect(
        await fleet.promql('absent(up{job=~".*thanos-query.*"} == 1)'),
      ).toEqual([]);
    });

    it.each(EDGES)(
      'runs the %s agent on its generated config: agent mode, external labels and authenticated remote write as generated',
      async edge => {
        expect(fleet.agentArgs.get(edge)).toContain('--enable-feature=agent');
        const check = fleet.checkConfig(edge);
        expect({ edge, ...check }).toMatchObject({ ok: true });
        const config = fleet.agentConfigs.get(edge)!;
        expect(config.global.external_labels).toMatchObject({ cluster: edge });
        expect(config.remote_write).toHaveLength(1);
        expect(config.remote_write[0]).toMatchObject({
          headers: { 'THANOS-TENANT': edge },
          basic_auth: { username: edge },
        });
        // Its series arrive under its own tenant: the entry point took its credentials.
        await storeShows(
          `prometheus_remote_storage_highest_timestamp_in_seconds{cluster="${edge}",tenant_id="${edge}"}`,
          `${edge}'s series stored under tenant ${edge}`,
        );
        expect(fleet.entryPoint.unauthorized).toBe(0);
      },
    );
  });

  describe('a healthy scaffolded central', () => {
    beforeAll(async () => {
      // A full rate window of every edge's and the receivers' series is in the store.
      for (const edge of EDGES) {
        await storeShows(
          `count_over_time(prometheus_remote_storage_samples_total{cluster="${edge}"}[${RATE_WINDOW}]) > 10`,
          `a rate window of ${edge}`,
        );
      }
      await storeShows(
        `count_over_time(up{job="${THANOS_JOBS.receive}"}[${RATE_WINDOW}]) > 10`,
        'a rate window of the receivers',
      );
    });

    it('shows a healthy Receive card: every receiver up, the generated replication factor, no upload alarm before the receivers ran 3 h', async () => {
      // ThanosReceiveNoUpload holds 3 h (`for: 3h`, mixin/alerts/receive.libsonnet at v0.35.1 and
      // v0.42.4), and a receiver cuts its first block after 2 h: a central younger than that has
      // nothing to alarm about, whatever its upload counter says. The counters the rule reads are
      // there: one per receiver and tenant TSDB, at 0.
      await storeShows(
        `count(thanos_shipper_uploads_total{job="${THANOS_JOBS.receive}"} == 0) >= ${fleet.shape.replicationFactor}`,
        "the receivers' shipper counters",
      );
      const card = await judged(
        receiveCard,
        c => c.state === 'healthy',
        30_000,
      );
      expect({ state: card.state, reasons: serious(card) }).toEqual({
        state: 'healthy',
        reasons: [],
      });
      expect(card.receive).toMatchObject({
        instancesUp: fleet.shape.receivers,
        instancesTotal: fleet.shape.receivers,
        replicationFactor: fleet.shape.replicationFactor,
      });
    });

    it('shows a healthy Query card: a Thanos querier reading every generated receiver', async () => {
      const card = await judged(queryCard, c => c.state === 'healthy', 15_000);
      expect({ state: card.state, reasons: serious(card) }).toEqual({
        state: 'healthy',
        reasons: [],
      });
      expect(card.isThanos).toBe(true);
      expect(card.stores?.filter(s => s.type === 'receive')).toHaveLength(
        fleet.shape.receivers,
      );
    });

    it.each(EDGES)(
      'shows %s healthy on its card and in the fleet summary',
      async edge => {
        const card = await judged(
          () => edgeCard(edge),
          c => c.state === 'healthy',
          45_000,
        );
        expect({ state: card.state, reasons: serious(card) }).toEqual({
          state: 'healthy',
          reasons: [],
        });
        expect(card.stats.samplesPerSecond).toBeGreaterThan(0);
        const row = await summaryRow(edge);
        expect({ state: row?.state, reasons: row && serious(row) }).toEqual({
          state: 'healthy',
          reasons: [],
        });
      },
    );
  });

  // No block upload (ThanosReceiveNoUpload) is not among the faults: the mixin holds it 3 h
  // (`for: 3h` over `increase(thanos_shipper_uploads_total[3h]) == 0`) and a receiver cuts its first
  // block after about 2 h, so judging it needs 3 h of a receiver's own series. A scrape cannot
  // produce that history in minutes, the store refuses samples far behind its head (out of
  // bounds) once the live ones arrive, and writing it by hand would be the simulator again, not
  // the loop. What the loop can judge is judged above: the counters the
  // rule reads arrive (one per receiver and tenant TSDB), and a central younger than 3 h is not
  // alarmed.
  describe('faults, judged as Thanos and the mixins would', () => {
    it('one receiver down with the write quorum intact: a partial Receive outage (warning), writes and edges unaffected', async () => {
      // RF 3 on 3 receivers: every series has 3 replicas, quorum 2 (pkg/receive/handler.go); one
      // down leaves every series its quorum, so writes succeed: degraded, not failing
      // (critical only when down > RF - quorum).
      await fleet.setReceiverDown(2, true);
      try {
        await storeShows(
          `count(up{job="${THANOS_JOBS.receive}"} == 0) == 1`,
          'the down receiver scraped as down',
        );
        const card = await judged(
          receiveCard,
          c => ids(c).includes('receive-instance-down'),
          20_000,
        );
        // The outage itself first, then that it is the only thing wrong.
        expect(
          card.reasons.find(r => r.id === 'receive-instance-down'),
        ).toMatchObject({ severity: 'warning', value: 1 });
        expect(card.receive).toMatchObject({
          instancesUp: fleet.shape.receivers - 1,
          instancesTotal: fleet.shape.receivers,
        });
        for (const edge of EDGES) {
          const c = await edgeCard(edge);
          expect({ edge, state: c.state }).toEqual({ edge, state: 'healthy' });
        }
        expect(serious(card).map(r => r.id)).toEqual(['receive-instance-down']);
        expect(card.state).toBe('degraded');
      } finally {
        await fleet.setReceiverDown(2, false);
      }
      await storeShows(
        `count(up{job="${THANOS_JOBS.receive}"} == 1) == ${fleet.shape.receivers}`,
        'every receiver up again',
      );
    });

    it('a tenant over its head-series limit: Receive says which tenant is limited (429), the edge is refused, not silent', async () => {
      // Thanos answers the head-series 429 before the write is handled: it is counted in
      // thanos_receive_head_series_limited_requests_total{tenant} and never in
      // thanos_receive_write_samples (pkg/receive/handler.go v0.35.1 ~488-497, v0.42.4 ~541-550).
      // The generated agent retries 429 (retry_on_http_429), so nothing of edge-b arrives.
      const edge = 'edge-b';
      fleet.receive.options.headSeriesLimits = { [edge]: 1 };
      try {
        await storeShows(
          `sum(increase(thanos_receive_head_series_limited_requests_total{tenant="${edge}"}[${RATE_WINDOW}])) > 0`,
          `Receive limiting ${edge}`,
        );
        await storeShows(
          `absent_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{cluster="${edge}"}[${STALE_AFTER_SECONDS + 2}s])`,
          `${edge} silent for longer than staleAfterSeconds`,
        );
        // Refused for a whole rate window: no write of the tenant accepted in it (before that, some
        // writes still succeeding is a partial refusal).
        await storeShows(
          `sum(increase(thanos_receive_write_samples_count{tenant="${edge}",code=~"2.."}[${RATE_WINDOW}])) == 0`,
          `no write of ${edge} accepted for ${RATE_WINDOW}`,
        );
        // The mixin's ThanosReceiveTenantLimitedByHeadSeries: warning, per tenant, once it held for
        // the mixin's `for:` (scaled to this rate window); before that it is an info "not yet held".
        const card = await judged(
          receiveCard,
          c => serious(c).some(r => r.id === 'receive-head-series-limited'),
          60_000,
        );
        expect(serious(card)).toContainEqual(
          expect.objectContaining({
            id: 'receive-head-series-limited',
            severity: 'warning',
          }),
        );
        // The edge's card and its fleet row: refused by Receive (every write), not "no samples".
        // Nothing of the cluster is stored: its queue retries and falls behind (the Prometheus
        // mixin's PrometheusRemoteWriteBehind, critical), which the store cannot show because the
        // agent's own metrics are in that queue; the tenant's refusal is what says why.
        const overLimit = (c?: ClusterHealth) =>
          Boolean(c && ids(c).includes('tenant-over-limit'));
        const own = await judged(() => edgeCard(edge), overLimit, 20_000);
        const row = await judged(() => summaryRow(edge), overLimit, 10_000);
        for (const c of [own, row]) {
          expect({ state: c?.state, reasons: c && ids(c) }).toEqual({
            state: 'failing',
            reasons: expect.arrayContaining(['tenant-over-limit']),
          });
          expect(c && ids(c)).not.toContain('cluster-no-data');
        }
      } finally {
        fleet.receive.options.headSeriesLimits = {};
      }
    });

    it('a heavily lagging edge (still sending, far behind): failing on its card and in the fleet row, for the same reasons', async () => {
      // Every request of edge-a is held 20 s on its way in (a slow link): the agent keeps sending,
      // Receive keeps accepting its tenant, but what arrives is older than staleAfterSeconds.
      const edge = 'edge-a';
      fleet.entryPoint.slowTenants.set(edge, 20_000);
      try {
        await storeShows(
          `time() - max(timestamp(prometheus_remote_storage_highest_timestamp_in_seconds{cluster="${edge}"})) > ${STALE_AFTER_SECONDS + 3}`,
          `${edge}'s newest sample older than staleAfterSeconds`,
          90_000,
        );
        await storeShows(
          `sum(rate(thanos_receive_write_samples_sum{tenant="${edge}",code="200"}[${RATE_WINDOW}])) > 0`,
          `Receive still accepting ${edge}`,
        );
        const behind = (c?: ClusterHealth) =>
          Boolean(c && ids(c).includes('remote-write-behind'));
        const row = await judged(() => summaryRow(edge), behind, 20_000);
        const own = await judged(() => edgeCard(edge), behind, 20_000);
        expect({ state: row?.state, reasons: row && ids(row) }).toEqual({
          state: 'failing',
          reasons: expect.arrayContaining(['remote-write-behind']),
        });
        // One judgement for a cluster, whether asked alone or in the fleet (T1).
        expect({ state: own.state, reasons: ids(own) }).toEqual({
          state: row?.state,
          reasons: row && ids(row),
        });
      } finally {
        fleet.entryPoint.slowTenants.delete(edge);
      }
    });
  });
});

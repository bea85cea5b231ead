import {
  CardinalityCluster,
  CardinalityFleet,
  explodingValues,
  startCardinalityFleet,
} from './cardinality';

jest.setTimeout(120_000);

const NOW = Math.floor(Date.now() / 1000);
const HOUR = 3600;

const EXPLODING = {
  name: 'checkout_requests_by_user_total',
  job: 'checkout',
  label: 'user_id',
  from: NOW - 12 * HOUR,
  perHour: 100,
};

const CLUSTERS: CardinalityCluster[] = [
  {
    cluster: 'edge-explode',
    tenant: 'edge-explode',
    steady: [
      { name: 'http_requests_total', job: 'api', series: 300 },
      { name: 'process_cpu_seconds_total', job: 'api', series: 1 },
    ],
    exploding: EXPLODING,
  },
  {
    cluster: 'edge-quiet',
    tenant: 'edge-quiet',
    steady: [{ name: 'node_cpu_seconds_total', job: 'node', series: 400 }],
  },
];

async function status(fleet: CardinalityFleet, query: string) {
  const res = await fetch(`${fleet.url}/api/v1/status/tsdb?${query}`);
  return { status: res.status, body: (await res.json()) as any };
}

describe('a cardinality explosion behind the Thanos Query TSDB-statistics fake', () => {
  let fleet: CardinalityFleet;

  beforeAll(async () => {
    fleet = await startCardinalityFleet(CLUSTERS, {
      start: NOW - 26 * HOUR,
      end: NOW,
      stepSeconds: 300,
    });
  });
  afterAll(() => fleet?.destroy());

  it("names the exploding metric first in its tenant's statistics, from the tenant's own head", async () => {
    const { status: code, body } = await status(
      fleet,
      `match[]=${encodeURIComponent('{tenant_id="edge-explode"}')}`,
    );
    expect(code).toBe(200);
    const exploding = explodingValues(EXPLODING, NOW);
    expect(exploding).toBe(1200);
    expect(body.data.seriesCountByMetricName[0]).toEqual({
      name: EXPLODING.name,
      value: exploding,
    });
    expect(body.data.headStats.numSeries).toBe(exploding + 302);
    expect(body.data.labelValueCountByLabelName[0]).toEqual({
      name: 'user_id',
      value: exploding,
    });
    // Another tenant's metric is not counted in it.
    expect(
      body.data.seriesCountByMetricName.map((s: any) => s.name),
    ).not.toContain('node_cpu_seconds_total');
  });

  it('merges every tenant without a tenant matcher, truncates to limit, refuses a bad one', async () => {
    const all = await status(fleet, 'limit=2');
    expect(all.body.data.headStats.numSeries).toBe(1200 + 302 + 401);
    expect(
      all.body.data.seriesCountByMetricName.map((s: any) => s.name),
    ).toEqual([EXPLODING.name, 'node_cpu_seconds_total']);
    expect((await status(fleet, 'limit=ten')).status).toBe(400);
    expect((await status(fleet, 'match[]=%7Bbad')).status).toBe(400);
  });

  it('answers PromQL from the store with the history: the metric grew over the day', async () => {
    const q = (expr: string) =>
      fetch(`${fleet.url}/api/v1/query?query=${encodeURIComponent(expr)}`)
        .then(r => r.json() as any)
        .then(b => Number(b.data.result[0]?.value[1] ?? 0));
    const sel = `${EXPLODING.name}{cluster="edge-explode"}`;
    expect(await q(`count(${sel})`)).toBe(1200);
    expect(await q(`count(${sel} offset 1d)`)).toBe(0);
    expect(await q(`count(${sel} offset 6h)`)).toBe(
      explodingValues(EXPLODING, NOW - 6 * HOUR),
    );
  });
});

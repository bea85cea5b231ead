import { DemoFleet, startDemoFleet } from './demo';
import { DEMO_EXPLODING_CLUSTER } from './demoExplosion';

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The demo's explosion as the backend reads it: the Query facade's TSDB statistics for the
 * exploding cluster's tenant name the metric first, counted from a head holding exactly that
 * tenant's series, and Query counts the same series (deduplicated across the receivers' copies).
 */
describe('the demo fleet with its cardinality explosion', () => {
  let demo: DemoFleet;
  beforeAll(async () => {
    demo = await startDemoFleet({ syntheticClusters: 2 });
  });
  afterAll(() => demo?.stop());

  async function tsdbStatus(tenant: string) {
    const res = await fetch(
      `${demo.queryUrl}/api/v1/status/tsdb?limit=3&match[]=${encodeURIComponent(`{tenant_id="${tenant}"}`)}`,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as any).data;
  }

  async function queryCount(promql: string): Promise<number> {
    const res = await fetch(
      `${demo.queryUrl}/api/v1/query?dedup=true&query=${encodeURIComponent(promql)}`,
    );
    const body = (await res.json()) as any;
    return Number(body.data.result[0]?.value[1] ?? 0);
  }

  it("names the exploding metric first in its tenant's statistics, as many as Query counts", async () => {
    const { name, label } = demo.explosion.metric;
    // The head federates every 15 s, and Prometheus caches its postings statistics for 30 s:
    // wait for a list computed after the first scrape.
    let status: any;
    for (let i = 0; i < 45; i++) {
      status = await tsdbStatus(DEMO_EXPLODING_CLUSTER);
      if (status.seriesCountByMetricName.length > 0) break;
      await sleep(2000);
    }
    expect(status.seriesCountByMetricName[0].name).toBe(name);
    expect(status.labelValueCountByLabelName[0].name).toBe(label);
    const inHead = status.seriesCountByMetricName[0].value;
    const now = await queryCount(
      `count({cluster="${DEMO_EXPLODING_CLUSTER}",__name__="${name}"})`,
    );
    // The label only gains values: Query (written every 15 s) has at least what the head had.
    expect(inHead).toBeGreaterThanOrEqual(1500);
    expect(now).toBeGreaterThanOrEqual(inHead);
    // The tenant label is Receive's external label, not on the head's series.
    expect(
      status.labelValueCountByLabelName.map((l: any) => l.name),
    ).not.toContain('tenant_id');
    // Another tenant has no statistics in the demo.
    expect((await tsdbStatus('cluster-02-edge')).headStats.numSeries).toBe(0);
  });

  it('serves the overlay the drop-series template edits from the GitOps repository', async () => {
    const res = await fetch(
      `${demo.github.url}/repos/example/fleet-gitops/contents/deploy/overlays/${DEMO_EXPLODING_CLUSTER}/prometheus-agent/values.yaml`,
    );
    expect(res.status).toBe(200);
    const file = (await res.json()) as any;
    const values = Buffer.from(file.content, 'base64').toString('utf8');
    expect(values).toContain(`THANOS-TENANT: ${DEMO_EXPLODING_CLUSTER}`);
    expect(values).toContain('remoteWrite:');
  });
});

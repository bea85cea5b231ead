import {
  PrometheusProcess,
  centralConfig,
  freePort,
  waitFor,
  writeSeries,
  type Timeseries,
} from '@fleet-monitoring/local-fleet';
import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import YAML from 'yaml';
import { runAction } from '../__testUtils__/context';
import {
  DROP_SERIES_TEMPLATE_PATH,
  dryRun,
  loadTemplate,
  startScaffolder,
} from '../__testUtils__/dryRunBackend';
import {
  makeTempDir,
  removeDir,
  renderWithKustomize,
} from '../__testUtils__/render';
import { createEdgeOverlayAction } from './createEdgeOverlay';
import { dropSeriesAction } from './dropSeries';

jest.setTimeout(180_000);

/**
 * The drop against a real store: a central Prometheus (remote-write receiver, standing in for
 * Thanos Query's PromQL API) holding known series, the count the dry-run reports, the template
 * through the real scaffolder backend, and a real Prometheus agent running the rule kustomize renders.
 */
describe('fleet:agent:drop-series against a real Prometheus', () => {
  let central: PrometheusProcess;
  const dirs: string[] = [];
  const CLUSTER = 'cluster-02-edge';

  /** `n` series of `name` for `cluster`, one sample now. */
  const series = (
    name: string,
    cluster: string,
    n: number,
    labels: Record<string, string> = {},
  ): Timeseries[] =>
    Array.from({ length: n }, (_, i) => ({
      labels: { __name__: name, cluster, job: 'app', user: `u${i}`, ...labels },
      samples: [{ value: i, timestamp: Date.now() }],
    }));

  const written = {
    sessions: 40,
    buckets: 12,
    other: 30,
    up: 3,
    queue: 2,
  };

  beforeAll(async () => {
    central = new PrometheusProcess({
      name: 'drop-central',
      mode: 'central',
      config: centralConfig('1s'),
    });
    await central.start();
    await writeSeries(`${central.url}/api/v1/write`, [
      ...series('app_user_sessions', CLUSTER, written.sessions),
      ...series(
        'http_request_duration_seconds_bucket',
        CLUSTER,
        written.buckets,
      ),
      ...series('app_requests_total', CLUSTER, written.other),
      ...series('up', CLUSTER, written.up),
      ...series(
        'prometheus_remote_storage_samples_total',
        CLUSTER,
        written.queue,
      ),
      // Another cluster's series of the same metric must not count.
      ...series('app_user_sessions', 'cluster-03-edge', 7),
    ]);
  });
  afterAll(async () => {
    await central?.destroy();
    dirs.forEach(removeDir);
  });

  const thanosConfig = () => ({
    fleetMonitoring: {
      thanos: [{ name: 'local', baseUrl: central.url, timeoutMs: 5000 }],
    },
  });

  /** A workspace holding the edge overlay fleet:overlay:create-edge writes for `cluster`. */
  async function workspaceWithOverlay(cluster: string) {
    const ws = makeTempDir();
    dirs.push(ws);
    await runAction(createEdgeOverlayAction(), ws, {
      cluster,
      remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
    });
    return ws;
  }

  it('the dry-run count equals the series of those metrics for that cluster', async () => {
    const ws = await workspaceWithOverlay(CLUSTER);
    const { outputs } = await runAction(
      dropSeriesAction({
        config: mockServices.rootConfig({ data: thanosConfig() }),
      }),
      ws,
      {
        cluster: CLUSTER,
        metrics: ['app_user_sessions', 'http_request_duration_seconds_bucket'],
      },
      { isDryRun: true },
    );
    expect(outputs.seriesError).toBeUndefined();
    expect(outputs.seriesRemoved).toBe(written.sessions + written.buckets);
    expect(outputs.seriesTotal).toBe(
      Object.values(written).reduce((a, b) => a + b, 0),
    );
    expect(outputs.seriesShare).toBeCloseTo(52 / 87, 4);
  });

  it('a prefix counts every metric it covers', async () => {
    const ws = await workspaceWithOverlay(CLUSTER);
    const { outputs } = await runAction(
      dropSeriesAction({
        config: mockServices.rootConfig({ data: thanosConfig() }),
      }),
      ws,
      { cluster: CLUSTER, prefixes: ['app_'] },
      { isDryRun: true },
    );
    expect(outputs.seriesRemoved).toBe(written.sessions + written.other);
  });

  describe('templates/drop-series through the real scaffolder backend (dry-run)', () => {
    let backend: Awaited<ReturnType<typeof startScaffolder>>;
    const template = loadTemplate(DROP_SERIES_TEMPLATE_PATH);
    const values = {
      cluster: CLUSTER,
      repoUrl: 'github.com?owner=example&repo=fleet-gitops',
      baseBranch: 'main',
    };

    beforeAll(async () => {
      backend = await startScaffolder({ config: thanosConfig() });
      // The repository holds the overlay fleet:overlay:create-edge wrote.
      const ws = await workspaceWithOverlay(CLUSTER);
      const overlay = `deploy/overlays/${CLUSTER}/prometheus-agent`;
      for (const f of fs.readdirSync(path.join(ws, overlay)))
        backend.repo.set(
          `${overlay}/${f}`,
          fs.readFileSync(path.join(ws, overlay, f), 'utf8'),
        );
    }, 60_000);
    afterAll(async () => {
      await backend?.stop();
    });

    it('shows the series count and the diff, and skips the pull request', async () => {
      const { status, body } = await dryRun(backend.server, template, {
        ...values,
        metrics: ['app_user_sessions', 'http_request_duration_seconds_bucket'],
      });
      expect(status).toBe(200);
      const text = (
        body.output.text as Array<{ title: string; content: string }>
      )
        .map(t => t.content)
        .join('\n');
      expect(text).toContain(`**52** of 87 live series of \`${CLUSTER}\``);
      expect(text).toContain(
        [
          '+      write_relabel_configs:',
          '+        - source_labels: ["__name__"]',
          '+          regex: "app_user_sessions|http_request_duration_seconds_bucket"',
          '+          action: drop',
        ].join('\n'),
      );
      expect(
        body.log.some(
          l => l.body.stepId === 'publish' && l.body.status === 'skipped',
        ),
      ).toBe(true);
    });

    it('refuses to drop our own health metrics', async () => {
      const { status, body } = await dryRun(backend.server, template, {
        ...values,
        metrics: [
          'app_user_sessions',
          'up',
          'prometheus_remote_storage_samples_total',
        ],
      });
      expect(status).toBe(400);
      expect(JSON.stringify(body)).toMatch(
        /refusing to drop up, prometheus_remote_storage_samples_total/,
      );
    });
  });

  it('a real Prometheus agent running the rendered rule stops sending the dropped metric', async () => {
    const cluster = 'cluster-09-edge';
    const ws = await workspaceWithOverlay(cluster);
    await runAction(dropSeriesAction(), ws, {
      cluster,
      metrics: ['app_user_sessions'],
    });
    const docs = renderWithKustomize(
      ws,
      `deploy/overlays/${cluster}/prometheus-agent`,
    );
    const rendered = YAML.parse(
      docs.find(d => d.kind === 'ConfigMap' && d.data?.['prometheus.yml']).data[
        'prometheus.yml'
      ],
    );
    const rules = rendered.remote_write[0].write_relabel_configs;
    expect(rules).toEqual([
      {
        source_labels: ['__name__'],
        regex: 'app_user_sessions',
        action: 'drop',
      },
    ]);

    // An exporter with the dropped metric and one that must keep flowing, scraped by a real agent.
    const exporter = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(
        [
          ...[1, 2, 3].map(i => `app_user_sessions{user="u${i}"} ${i}`),
          'app_requests_total 5',
          '',
        ].join('\n'),
      );
    });
    await new Promise<void>(r => exporter.listen(0, '127.0.0.1', r));
    const exporterPort = (exporter.address() as any).port;
    const agent = new PrometheusProcess({
      name: 'drop-agent',
      mode: 'agent',
      port: await freePort(),
      config: {
        global: { scrape_interval: '1s', external_labels: { cluster } },
        scrape_configs: [
          {
            job_name: 'app',
            static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }],
          },
        ],
        // The rendered entry's rules, pointed at the local store.
        remote_write: [
          {
            url: `${central.url}/api/v1/write`,
            name: 'central',
            write_relabel_configs: rules,
            queue_config: { batch_send_deadline: '1s' },
          },
        ],
      },
    });
    try {
      await agent.start();
      const count = async (selector: string) => {
        const res = await fetch(
          `${central.url}/api/v1/query?query=${encodeURIComponent(`count(${selector})`)}`,
        );
        const body = await res.json();
        return Number(body.data.result[0]?.value[1] ?? 0);
      };
      // The kept metric and `up` come in the same scrape and batches as the dropped one would.
      await waitFor(
        async () =>
          (await count(`app_requests_total{cluster="${cluster}"}`)) === 1 &&
          (await count(`up{cluster="${cluster}"}`)) === 1,
        { what: 'the agent to deliver app_requests_total', timeoutMs: 60_000 },
      );
      expect(await count(`app_user_sessions{cluster="${cluster}"}`)).toBe(0);
      // And the dry-run measured on that data reports nothing left to remove.
      const { outputs } = await runAction(
        dropSeriesAction({
          config: mockServices.rootConfig({ data: thanosConfig() }),
        }),
        ws,
        { cluster, metrics: ['app_user_sessions'] },
        { isDryRun: true },
      );
      expect(outputs.changed).toBe(false);
      expect(outputs.seriesRemoved).toBe(0);
    } finally {
      await agent.destroy();
      await new Promise(r => exporter.close(r));
    }
  });
});

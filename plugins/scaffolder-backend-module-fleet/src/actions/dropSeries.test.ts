import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import { runAction } from '../__testUtils__/context';
import {
  makeTempDir,
  removeDir,
  renderWithKustomize,
} from '../__testUtils__/render';
import { protectedMetricNames } from '../lib/dropSeries';
import { createEdgeOverlayAction } from './createEdgeOverlay';
import { dropSeriesAction } from './dropSeries';

const CLUSTER = 'cluster-02-edge';
const VALUES = `deploy/overlays/${CLUSTER}/prometheus-agent/values.yaml`;

/** An overlay as an operator left it: comments, quoting and blank lines that must survive. */
const HAND_EDITED = `# prometheus chart values for the agent of cluster-02-edge
# (tuned by hand: keep these comments)
server:
  defaultFlagsOverride:
    - --enable-feature=agent
    - "--config.file=/etc/config/prometheus.yml"
  global:
    external_labels:
      cluster: cluster-02-edge   # the fleet's cluster label

  remoteWrite:
    - name: thanos-receive
      url: 'https://receive.example.com/api/v1/receive'
      headers: { THANOS-TENANT: cluster-02-edge }
      write_relabel_configs:
        # keep the agent lean
        - source_labels: [__name__]
          regex: go_gc_.*
          action: drop
      queue_config:
        capacity: 10000 # default
    - {name: backup, url: "http://backup.example.com/api/v1/write"}
  resources:
    limits: {memory: 1Gi}
alertmanager:
  enabled: false
`;

describe('fleet:agent:drop-series', () => {
  let ws: string;
  beforeEach(() => {
    ws = makeTempDir();
  });
  afterEach(() => removeDir(ws));

  const write = (text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, VALUES)), { recursive: true });
    fs.writeFileSync(path.join(ws, VALUES), text);
  };
  const read = () => fs.readFileSync(path.join(ws, VALUES), 'utf8');
  const run = (input: Record<string, unknown>, isDryRun = false) =>
    runAction(
      dropSeriesAction(),
      ws,
      { cluster: CLUSTER, ...input },
      { isDryRun },
    );

  it('adds one drop rule to every remote_write entry and leaves every other byte as it was', async () => {
    write(HAND_EDITED);
    const { outputs } = await run({
      metrics: ['app_user_sessions', 'http_request_duration_seconds_bucket'],
    });
    const after = read();
    expect(outputs.changed).toBe(true);
    expect(outputs.files).toEqual([VALUES]);
    expect(outputs.regex).toBe(
      'app_user_sessions|http_request_duration_seconds_bucket',
    );
    // Removing exactly the inserted text gives back the original, byte for byte.
    const block =
      '\n        - source_labels: ["__name__"]\n          regex: "app_user_sessions|http_request_duration_seconds_bucket"\n          action: drop';
    const flow =
      ', write_relabel_configs: [{source_labels: ["__name__"], regex: "app_user_sessions|http_request_duration_seconds_bucket", action: drop}]';
    expect(after.includes(block)).toBe(true);
    expect(after.includes(flow)).toBe(true);
    expect(after.replace(block, '').replace(flow, '')).toBe(HAND_EDITED);
    const parsed = YAML.parse(after);
    expect(parsed.server.remoteWrite[0].write_relabel_configs).toEqual([
      { source_labels: ['__name__'], regex: 'go_gc_.*', action: 'drop' },
      {
        source_labels: ['__name__'],
        regex: 'app_user_sessions|http_request_duration_seconds_bucket',
        action: 'drop',
      },
    ]);
    expect(parsed.server.remoteWrite[1].write_relabel_configs).toHaveLength(1);
    expect(outputs.diff).toContain(
      '+          regex: "app_user_sessions|http_request_duration_seconds_bucket"',
    );
    expect(
      outputs.diff
        .split('\n')
        .filter((l: string) => l.startsWith('-') && !l.startsWith('---')),
    ).toEqual([
      '-    - {name: backup, url: "http://backup.example.com/api/v1/write"}',
    ]);
  });

  it('is idempotent: a second run adds nothing, and names an existing rule drops are skipped', async () => {
    write(HAND_EDITED);
    await run({ metrics: ['app_user_sessions'] });
    const once = read();
    const { outputs } = await run({ metrics: ['app_user_sessions'] });
    expect(read()).toBe(once);
    expect(outputs.changed).toBe(false);
    expect(outputs.files).toEqual([]);
    expect(outputs.diff).toBe('');
    // go_gc_duration_seconds is already dropped by the hand-written go_gc_.* rule on entry 0 only.
    await run({ metrics: ['go_gc_duration_seconds'] });
    const rules = YAML.parse(read()).server.remoteWrite.map(
      (e: any) => e.write_relabel_configs,
    );
    expect(rules[0]).toHaveLength(2);
    expect(rules[1].map((r: any) => r.regex)).toEqual([
      'app_user_sessions',
      'go_gc_duration_seconds',
    ]);
  });

  it('keeps CRLF line breaks, and a file without a final line break', async () => {
    const crlf = HAND_EDITED.replace(/\n/g, '\r\n');
    write(crlf);
    await run({ metrics: ['app_user_sessions'] });
    const after = read();
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(
      after.startsWith(crlf.slice(0, crlf.indexOf('      queue_config'))),
    ).toBe(true);
    const bare = 'server:\n  remoteWrite:\n    - name: x\n      url: http://r';
    write(bare);
    await run({ metrics: ['app_user_sessions'] });
    expect(read()).toBe(
      `${bare}\n      write_relabel_configs:\n        - source_labels: ["__name__"]\n          regex: "app_user_sessions"\n          action: drop`,
    );
  });

  it('drops by prefix, and a prefix rule once written is recognised', async () => {
    write(HAND_EDITED);
    const first = await run({ prefixes: ['kube_pod_'] });
    expect(first.outputs.regex).toBe('kube_pod_.*');
    const once = read();
    const second = await run({ prefixes: ['kube_pod_'] });
    expect(second.outputs.changed).toBe(false);
    expect(read()).toBe(once);
  });

  it('edits the overlay fleet:overlay:create-edge wrote, and the rule reaches the agent config kustomize renders', async () => {
    await runAction(createEdgeOverlayAction(), ws, {
      cluster: CLUSTER,
      remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
    });
    const before = read();
    const { outputs } = await run({ metrics: ['app_user_sessions'] });
    const after = read();
    expect(outputs.changed).toBe(true);
    expect(after.length).toBeGreaterThan(before.length);
    const docs = renderWithKustomize(ws, outputs.overlayPath);
    const configMap = docs.find(
      d => d.kind === 'ConfigMap' && d.data?.['prometheus.yml'],
    );
    const promConfig = YAML.parse(configMap.data['prometheus.yml']);
    expect(promConfig.remote_write[0].write_relabel_configs).toEqual([
      {
        source_labels: ['__name__'],
        regex: 'app_user_sessions',
        action: 'drop',
      },
    ]);
  }, 60_000);

  it('dry-run leaves the file alone and shows the diff', async () => {
    write(HAND_EDITED);
    const { outputs } = await run({ metrics: ['app_user_sessions'] }, true);
    expect(read()).toBe(HAND_EDITED);
    expect(outputs.dryRun).toBe(true);
    expect(outputs.changed).toBe(true);
    expect(outputs.files).toEqual([]);
    expect(outputs.diff).toMatch(/^--- a\/deploy\/overlays\/cluster-02-edge/);
    expect(outputs.diff).toContain('+          regex: "app_user_sessions"');
  });

  it.each([
    [{ metrics: ['up'] }, /refusing to drop up/],
    [
      { metrics: ['prometheus_remote_storage_samples_pending'] },
      /refusing to drop prometheus_remote_storage_samples_pending/,
    ],
    // Not in the table, but the agent's queue metrics are protected as a family.
    [
      { metrics: ['prometheus_remote_storage_bytes_total'] },
      /refusing to drop prometheus_remote_storage_bytes_total/,
    ],
    [
      { prefixes: ['prometheus_remote'] },
      /refusing to drop prometheus_remote\*/,
    ],
    [
      { prefixes: ['prometheus_remote_storage_sent_'] },
      /refusing to drop prometheus_remote_storage_sent_\*/,
    ],
  ])(
    'refuses to drop what the health rules read: %j',
    async (input, message) => {
      write(HAND_EDITED);
      await expect(run(input)).rejects.toThrow(message);
      expect(read()).toBe(HAND_EDITED);
    },
  );

  it('lets through names that only look like protected ones', async () => {
    write(HAND_EDITED);
    const { outputs } = await run({
      metrics: ['up_total', 'prometheus_remote_storag'],
      prefixes: ['upstream_'],
    });
    expect(outputs.changed).toBe(true);
  });

  it('takes the protected names from the upstream metrics table', () => {
    const names = protectedMetricNames();
    expect(names).toContain('up');
    expect(names).toContain('prometheus_remote_storage_samples_total');
    expect(names).toContain(
      'prometheus_remote_storage_queue_highest_timestamp_seconds',
    );
    // Read from the receivers, not the agents: not this action's business.
    expect(names).not.toContain('thanos_receive_head_series_limit');
  });

  it.each([
    [{ cluster: '../../etc' }, /cluster/],
    [{ cluster: 'a/b' }, /cluster/],
    [{ cluster: 'Cluster' }, /cluster/],
    [{ metrics: ['9starts_with_digit'] }, /Prometheus metric name/],
    [{ metrics: ['a.b'] }, /Prometheus metric name/],
    [{ metrics: ['x|up'] }, /Prometheus metric name/],
    [{ metrics: ['a{b="c"}'] }, /Prometheus metric name/],
    [{ metrics: [] }, /at least one/],
    [{ metrics: Array.from({ length: 51 }, (_, i) => `m_${i}`) }, /metrics/],
    [{ prefixes: ['go'] }, /shorter than 3/],
  ])('refuses bad input %j', async (input, message) => {
    write(HAND_EDITED);
    await expect(
      runAction(dropSeriesAction(), ws, {
        cluster: CLUSTER,
        metrics: ['ok_metric'],
        ...input,
      }),
    ).rejects.toThrow(message);
    expect(read()).toBe(HAND_EDITED);
  });

  it('refuses a cluster without an overlay, and a symlinked values file', async () => {
    await expect(run({ metrics: ['a_metric'] })).rejects.toThrow(
      /no edge overlay in the repository/,
    );
    const outside = makeTempDir();
    try {
      fs.writeFileSync(path.join(outside, 'values.yaml'), HAND_EDITED);
      fs.mkdirSync(path.dirname(path.join(ws, VALUES)), { recursive: true });
      fs.symlinkSync(path.join(outside, 'values.yaml'), path.join(ws, VALUES));
      await expect(run({ metrics: ['a_metric'] })).rejects.toThrow(/symlink/);
      expect(fs.readFileSync(path.join(outside, 'values.yaml'), 'utf8')).toBe(
        HAND_EDITED,
      );
    } finally {
      removeDir(outside);
    }
  });

  it('refuses files it cannot edit without rewriting them', async () => {
    write('server:\n  remoteWrite: []\n');
    await expect(run({ metrics: ['a_metric'] })).rejects.toThrow(
      /no remote write entries/,
    );
    write(
      'server:\n  remoteWrite:\n    - name: x\n      write_relabel_configs: oops\n',
    );
    await expect(run({ metrics: ['a_metric'] })).rejects.toThrow(/not a list/);
    write('base: &rw {name: x}\nserver:\n  remoteWrite:\n    - *rw\n');
    await expect(run({ metrics: ['a_metric'] })).rejects.toThrow(/alias/);
    write('server: [unclosed\n');
    await expect(run({ metrics: ['a_metric'] })).rejects.toThrow(
      /not valid YAML/,
    );
  });

  describe('series count', () => {
    let server: http.Server;
    let requests: URLSearchParams[];
    let answer: (q: string) => { status: number; body: unknown };
    let baseUrl: string;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', c => (body += c));
        req.on('end', () => {
          const params = new URLSearchParams(body);
          requests.push(params);
          const a = answer(params.get('query')!);
          res.writeHead(a.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(a.body));
        });
      });
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise(r => server.close(r)));
    beforeEach(() => {
      requests = [];
    });

    const vector = (n?: number) => ({
      status: 'success',
      data: {
        resultType: 'vector',
        result: n === undefined ? [] : [{ metric: {}, value: [1, String(n)] }],
      },
    });
    const config = (extra: Record<string, unknown> = {}) =>
      mockServices.rootConfig({
        data: {
          fleetMonitoring: {
            thanos: [{ name: 'prod', baseUrl, tenant: 'ops', ...extra }],
          },
        },
      });

    it('asks Thanos for the escaped selection and the total, and outputs count and share', async () => {
      write(HAND_EDITED);
      answer = q => ({
        status: 200,
        body: vector(q.includes('__name__') ? 250 : 1000),
      });
      const { outputs } = await runAction(
        dropSeriesAction({ config: config() }),
        ws,
        {
          cluster: CLUSTER,
          metrics: ['app_user_sessions'],
          prefixes: ['kube_pod_'],
        },
        { isDryRun: true },
      );
      expect(outputs.seriesRemoved).toBe(250);
      expect(outputs.seriesTotal).toBe(1000);
      expect(outputs.seriesShare).toBe(0.25);
      expect(outputs.seriesError).toBeUndefined();
      expect(requests.map(r => r.get('query')).sort()).toEqual([
        'count({cluster="cluster-02-edge",__name__=~"app_user_sessions|kube_pod_.*"})',
        'count({cluster="cluster-02-edge"})',
      ]);
      expect(outputs.seriesQuery).toBe(
        'count({cluster="cluster-02-edge",__name__=~"app_user_sessions|kube_pod_.*"})',
      );
      expect(requests[0].get('dedup')).toBe('true');
      expect(requests[0].get('partial_response')).toBe('false');
    });

    it('an empty answer is zero, with a warning', async () => {
      write(HAND_EDITED);
      answer = () => ({ status: 200, body: vector() });
      const { outputs } = await runAction(
        dropSeriesAction({ config: config() }),
        ws,
        { cluster: CLUSTER, metrics: ['app_user_sessions'] },
        { isDryRun: true },
      );
      expect(outputs.seriesRemoved).toBe(0);
      expect(outputs.warnings.join()).toMatch(/no live series/);
    });

    it.each([
      [
        'a PromQL error',
        () => ({
          status: 422,
          body: { status: 'error', errorType: 'execution', error: 'boom' },
        }),
        /execution: boom/,
      ],
      [
        'a non-JSON answer',
        () => ({ status: 502, body: 'x' }),
        /answered|vector/,
      ],
    ])('%s comes back as seriesError, not a crash', async (_d, a, message) => {
      write(HAND_EDITED);
      answer = a as any;
      const { outputs } = await runAction(
        dropSeriesAction({ config: config() }),
        ws,
        { cluster: CLUSTER, metrics: ['app_user_sessions'] },
        { isDryRun: true },
      );
      expect(outputs.seriesRemoved).toBeUndefined();
      expect(outputs.seriesError).toMatch(message);
      expect(outputs.changed).toBe(true);
    });

    it('an unreachable Thanos and a missing config are errors in the output', async () => {
      write(HAND_EDITED);
      const closed = http.createServer();
      await new Promise<void>(r => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise(r => closed.close(r));
      const down = mockServices.rootConfig({
        data: {
          fleetMonitoring: {
            thanos: [{ name: 'prod', baseUrl: `http://127.0.0.1:${port}` }],
          },
        },
      });
      const unreachable = await runAction(
        dropSeriesAction({ config: down }),
        ws,
        { cluster: CLUSTER, metrics: ['app_user_sessions'] },
        { isDryRun: true },
      );
      expect(unreachable.outputs.seriesError).toMatch(
        /Thanos instance prod: connection refused/,
      );
      const none = await runAction(
        dropSeriesAction(),
        ws,
        {
          cluster: CLUSTER,
          metrics: ['app_user_sessions'],
        },
        { isDryRun: true },
      );
      expect(none.outputs.seriesError).toMatch(
        /no fleetMonitoring.thanos instance/,
      );
      const wrongName = await runAction(
        dropSeriesAction({ config: config() }),
        ws,
        {
          cluster: CLUSTER,
          metrics: ['app_user_sessions'],
          thanosInstance: 'staging',
        },
        { isDryRun: true },
      );
      expect(wrongName.outputs.seriesError).toMatch(/named "staging".*prod/);
    });

    it('sends the instance headers and tenant', async () => {
      write(HAND_EDITED);
      const seen: http.IncomingHttpHeaders[] = [];
      const s = http.createServer((req, res) => {
        seen.push(req.headers);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(vector(1)));
      });
      await new Promise<void>(r => s.listen(0, '127.0.0.1', r));
      try {
        await runAction(
          dropSeriesAction({
            config: mockServices.rootConfig({
              data: {
                fleetMonitoring: {
                  thanos: [
                    {
                      name: 'prod',
                      baseUrl: `http://127.0.0.1:${(s.address() as AddressInfo).port}/prefix`,
                      tenant: 'ops',
                      headers: { Authorization: 'Bearer t' },
                    },
                  ],
                },
              },
            }),
          }),
          ws,
          { cluster: CLUSTER, metrics: ['app_user_sessions'] },
          { isDryRun: true },
        );
      } finally {
        await new Promise(r => s.close(r));
      }
      expect(seen).toHaveLength(2);
      expect(seen[0]['thanos-tenant']).toBe('ops');
      expect(seen[0].authorization).toBe('Bearer t');
    });
  });
});

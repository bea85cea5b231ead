import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runAction } from '../__testUtils__/context';
import {
  DROP_SERIES_TEMPLATE_PATH,
  dryRun,
  loadTemplate,
  startScaffolder,
} from '../__testUtils__/dryRunBackend';
import { makeTempDir, removeDir } from '../__testUtils__/render';
import { createEdgeOverlayAction } from '../actions/createEdgeOverlay';
import { dropSeriesAction } from '../actions/dropSeries';

/**
 * templates/drop-series through the real scaffolder backend when the count cannot be had (Thanos
 * down) and when the repository's overlay already drops the metrics. The count against a real store
 * is in actions/dropSeries.integration.test.ts.
 */
describe('templates/drop-series through the real scaffolder backend (dry-run)', () => {
  let backend: Awaited<ReturnType<typeof startScaffolder>>;
  const template = loadTemplate(DROP_SERIES_TEMPLATE_PATH);
  const CLUSTER = 'cluster-04-edge';
  const overlay = `deploy/overlays/${CLUSTER}/prometheus-agent`;
  const values = {
    cluster: CLUSTER,
    metrics: ['app_user_sessions'],
    repoUrl: 'github.com?owner=example&repo=fleet-gitops',
  };
  const dirs: string[] = [];

  /** The overlay files fleet:overlay:create-edge writes, optionally already dropping `drop`. */
  async function overlayFiles(drop?: string[]) {
    const ws = makeTempDir();
    dirs.push(ws);
    await runAction(createEdgeOverlayAction(), ws, {
      cluster: CLUSTER,
      remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
    });
    if (drop)
      await runAction(dropSeriesAction(), ws, {
        cluster: CLUSTER,
        metrics: drop,
      });
    return fs
      .readdirSync(path.join(ws, overlay))
      .map(
        f =>
          [
            `${overlay}/${f}`,
            fs.readFileSync(path.join(ws, overlay, f), 'utf8'),
          ] as const,
      );
  }

  const texts = (output: Record<string, unknown>) =>
    (output.text as Array<{ title: string; content: string }>)
      .map(t => t.content)
      .join('\n');

  beforeAll(async () => {
    // A port nothing listens on: Thanos Query is down.
    const port = await new Promise<number>(resolve => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    backend = await startScaffolder({
      config: {
        fleetMonitoring: {
          thanos: [{ name: 'central', baseUrl: `http://127.0.0.1:${port}` }],
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await backend?.stop();
    dirs.forEach(removeDir);
  });
  afterEach(() => backend.repo.clear());

  it('Thanos down: the dry-run still shows the change, and says why nothing was counted', async () => {
    for (const [p, c] of await overlayFiles()) backend.repo.set(p, c);
    const { status, body } = await dryRun(backend.server, template, values);
    expect(status).toBe(200);
    const text = texts(body.output);
    expect(text).toMatch(
      /Not counted: could not count the series on Thanos instance central: connection refused/,
    );
    expect(text).toContain('+          regex: "app_user_sessions"');
  }, 60_000);

  it('an overlay that already drops them: nothing to change, no pull request', async () => {
    for (const [p, c] of await overlayFiles(['app_user_sessions']))
      backend.repo.set(p, c);
    const { status, body } = await dryRun(backend.server, template, values);
    expect(status).toBe(200);
    expect(texts(body.output)).toContain(
      'The overlay already drops all of them: nothing to change.',
    );
    expect(
      body.log.some(
        l => l.body.stepId === 'publish' && l.body.status === 'skipped',
      ),
    ).toBe(true);
  }, 60_000);

  it('a cluster the repository has no overlay for is refused', async () => {
    const { status, body } = await dryRun(backend.server, template, values);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toMatch(/no edge overlay in the repository/);
  }, 60_000);

  it('a cluster name that leaves the overlay directory is refused', async () => {
    const { status, body } = await dryRun(backend.server, template, {
      ...values,
      cluster: '../../etc',
    });
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('cluster');
  }, 60_000);
});

/**
 * End to end: `scripts/start.mjs` (real Prometheus agents -> central store, Thanos Query facade, the
 * dev Backstage with our plugins) driven by headless Chromium. Screenshots go to test-artifacts/.
 *
 * Skips (with a message) when Chromium or Prometheus is missing; set E2E_REQUIRED=1 to fail instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { root, type Ready } from './devStack';
import {
  artifacts,
  describeIfTools,
  eventually,
  sleep,
  useDevAppSession,
} from './__testUtils__/devAppSession';

// `backstage-cli repo test` does not apply the package's jest.testTimeout, so set it here too.
jest.setTimeout(900_000);

describeIfTools('dev app end to end', () => {
  const session = useDevAppSession();
  let ready: Ready;
  let page: Page;
  const timings: Record<string, number> = {};
  const shot = (name: string) => session.shot(name);

  /** The remote-write card's text on the edge cluster's page. */
  async function remoteWriteCardText(): Promise<string> {
    const card = page.getByRole('article', { name: 'Remote write' }).first();
    await card.waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () =>
        !document.querySelector(
          '[data-testid="fleet-monitoring-card"] [role="progressbar"]',
        ),
      undefined,
      { timeout: 60_000 },
    );
    return card.innerText();
  }

  beforeAll(() => {
    ready = session.ready;
    page = session.page;
    timings.startSeconds = session.startSeconds;
  });

  afterAll(() => {
    fs.writeFileSync(
      path.join(artifacts, 'e2e-timings.json'),
      `${JSON.stringify(timings, null, 2)}\n`,
    );
  });

  it('shows healthy remote write on the edge cluster page', async () => {
    const t0 = Date.now();
    await page.goto(`${ready.appUrl}/catalog/default/resource/cluster-02-edge`);
    await eventually(
      'the remote-write card to say Healthy',
      async () => {
        const text = await remoteWriteCardText();
        if (/Healthy/.test(text) && /Samples sent/.test(text)) return true;
        await page.reload();
        return false;
      },
      120_000,
    ).catch(async e => {
      await shot('e2e-1-edge-cluster-FAILED');
      throw e;
    });
    const text = await remoteWriteCardText();
    expect(text).toContain('cluster cluster-02-edge on Thanos instance demo');
    expect(text).toMatch(/Last data seen\s+[\d.]+ (ms|s) ago/);
    expect(
      await page
        .locator('figure[role="img"][aria-label^="Samples sent: latest"]')
        .count(),
    ).toBe(1);
    timings.edgeHealthySeconds = (Date.now() - t0) / 1000;
    await shot('e2e-1-edge-cluster-healthy');
  });

  it('lists our actions as MCP tools and calls one', async () => {
    // A user's token, as the guest sign-in gets it.
    const auth = await fetch(`${ready.backendUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    expect(auth.status).toBe(200);
    const token = ((await auth.json()) as any).backstageIdentity.token;
    let id = 0;
    /** One JSON-RPC call to the MCP actions backend (streamable HTTP, stateless). */
    const mcp = async (method: string, params: object = {}) => {
      const res = await fetch(`${ready.backendUrl}/api/mcp-actions/v1`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      // An SSE answer carries the JSON-RPC message on its data: line.
      const json = res.headers
        .get('content-type')
        ?.includes('text/event-stream')
        ? text
            .split('\n')
            .filter(l => l.startsWith('data:'))
            .map(l => l.slice(5).trim())
            .join('')
        : text;
      const message = JSON.parse(json);
      expect(message.error).toBeUndefined();
      return message.result;
    };
    await mcp('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'fleet-e2e', version: '1' },
    });
    const { tools } = await mcp('tools/list');
    const names: string[] = tools.map((t: { name: string }) => t.name);
    // backend.actions.pluginSources exposes ours (and only the listed plugins').
    const fleetHealth = names.find(n => n.endsWith('get-fleet-health'));
    expect(fleetHealth).toBeDefined();
    expect(names.filter(n => /get-thanos-health$/.test(n))).toHaveLength(1);
    const result = await mcp('tools/call', {
      name: fleetHealth,
      arguments: { instance: 'demo' },
    });
    expect(result.isError).not.toBe(true);
    const answer = JSON.parse(
      result.content.find((c: { type: string }) => c.type === 'text').text,
    );
    expect(answer.instance).toBe('demo');
    expect(Object.keys(answer.counts).length).toBeGreaterThan(0);
  });

  it('lists every cluster of the fleet on the fleet page', async () => {
    // Oracle: every cluster the central store has remote-write self-metrics for in the last hour.
    const q =
      'group by (cluster) (last_over_time(prometheus_remote_storage_highest_timestamp_in_seconds[1h]))';
    const res = await fetch(
      `${ready.queryUrl}/api/v1/query?query=${encodeURIComponent(q)}`,
    );
    const body = (await res.json()) as any;
    const expected: string[] = body.data.result
      .map((r: any) => r.metric.cluster)
      .sort();
    expect(expected).toEqual(
      expect.arrayContaining([
        'cluster-01-central',
        'cluster-02-edge',
        'cluster-03-edge',
        'sim-0001',
      ]),
    );

    await page.goto(ready.fleetPage);
    // The backend may also list clusters it knows only from the catalog: at least the oracle's.
    await page
      .getByText(/^Clusters of demo: \d+ of \d+ shown$/)
      .waitFor({ timeout: 120_000 });
    // Worst first: the first row is a cluster in the worst state present.
    const firstState = await page
      .getByRole('region', { name: 'Clusters' })
      .locator('[data-state]')
      .first()
      .getAttribute('data-state');
    expect(['failing', 'degraded']).toContain(firstState);
    for (const cluster of expected) {
      await expect(
        page.getByRole('link', { name: cluster, exact: true }).count(),
      ).resolves.toBe(1);
    }
    const href = await page
      .getByRole('link', { name: 'cluster-02-edge', exact: true })
      .getAttribute('href');
    expect(href).toBe('/catalog/default/resource/cluster-02-edge');
    await shot('e2e-2-fleet-page');

    // A shared link carries the filter: only the edge clusters, and the search box shows it.
    await page.goto(`${ready.fleetPage}?q=edge`);
    const clusters = page.getByRole('region', { name: 'Clusters' });
    await page.waitForFunction(
      () => {
        const t = document.querySelector('[aria-label="Clusters"]');
        return (
          t?.getAttribute('data-applied-query') === 'edge' &&
          t.getAttribute('aria-busy') === 'false'
        );
      },
      undefined,
      { timeout: 60_000 },
    );
    const shown = await clusters.getByRole('link').allInnerTexts();
    const edgeClusters = expected.filter(c => c.includes('edge'));
    expect(shown.filter(t => expected.includes(t)).sort()).toEqual(
      edgeClusters,
    );
    expect(
      await page
        .getByRole('searchbox', { name: 'Filter clusters by name' })
        .inputValue(),
    ).toBe('edge');
    await shot('e2e-2b-fleet-page-filtered');
  });

  it('shows the Thanos, metrics-arriving and ArgoCD cards', async () => {
    await page.goto(`${ready.appUrl}/catalog/default/component/thanos-receive`);
    await page.getByText('Thanos Receive health').waitFor({ timeout: 120_000 });
    await page.getByText('Receive error ratio (5xx)').waitFor();
    await shot('e2e-5-thanos-receive');
    await page.goto(`${ready.appUrl}/catalog/default/component/checkout`);
    await page
      .getByRole('region', { name: 'Metrics per cluster' })
      .waitFor({ timeout: 120_000 });
    expect(
      await page
        .getByRole('region', { name: 'Metrics per cluster' })
        .innerText(),
    ).toContain('cluster-02-edge');
    // The card's own query, run through the backend's PromQL pass-through against the real store.
    const check = page.getByRole('region', { name: 'Check by hand' });
    await check.getByRole('button', { name: 'Run query' }).click();
    await check.getByTestId('manual-check-result').waitFor();
    expect(
      await check.getByTestId('manual-check-result').innerText(),
    ).toContain('cluster="cluster-02-edge"');
    await shot('e2e-6-checkout-metrics-arriving');
    if (ready.argocd) {
      await page.goto(
        `${ready.appUrl}/catalog/default/resource/cluster-02-edge`,
      );
      // The ArgoCD card's list (the Reconciliation card lists the cluster's Applications too).
      const argocdApps = page
        .getByRole('article', { name: 'ArgoCD', exact: true })
        .getByRole('list', { name: 'ArgoCD applications' });
      await argocdApps.waitFor({ timeout: 120_000 });
      await page
        .getByRole('button', { name: /^Show deploy history of / })
        .first()
        .click();
      await page
        .getByRole('region', { name: /^Deploy history of / })
        .first()
        .waitFor();
      await argocdApps.scrollIntoViewIfNeeded();
      await shot('e2e-7-argocd-card');
    }
  });

  it('shows the Kubernetes card with the OOM-killed receiver and its fix', async () => {
    if (!ready.kubernetes) {
      // The demo fleet runs no Kubernetes contract fake yet (packages/local-fleet, another owner).
      // eslint-disable-next-line no-console
      console.warn(
        'e2e: demo fleet has no Kubernetes fake; Kubernetes card not checked',
      );
      return;
    }
    await page.goto(`${ready.appUrl}/catalog/default/component/thanos-receive`);
    const card = page.getByRole('article', { name: 'Kubernetes' });
    await card
      .getByRole('region', { name: 'Thanos Receive pods' })
      .waitFor({ timeout: 120_000 });
    const text = await card.innerText();
    expect(text).toContain('A pod was OOMKilled');
    expect(text).toContain('Raise the memory limit');
    expect(
      await card.locator('[data-oom-killed="true"]').count(),
    ).toBeGreaterThan(0);
    expect(
      await card
        .getByRole('link', { name: 'How to fix: A pod was OOMKilled' })
        .getAttribute('href'),
    ).toBe(
      '/docs/default/system/fleet-monitoring/troubleshooting/kubernetes/#pod-oom-killed',
    );
    await card.scrollIntoViewIfNeeded();
    await shot('e2e-9-kubernetes-card');
  });

  it('fills in the "new cluster" template and dry-runs it from the scaffolder', async () => {
    await page.goto(`${ready.appUrl}/create`);
    await page
      .getByText('Add a cluster to the monitoring fleet')
      .first()
      .waitFor({ timeout: 120_000 });
    await shot('e2e-10-scaffolder-templates');
    // The template editor loads a template directory through the browser's File System Access API;
    // hand it templates/new-cluster as the directory the user would pick.
    const templateYaml = fs.readFileSync(
      path.join(root, 'templates/new-cluster/template.yaml'),
      'utf8',
    );
    // The editor keeps the handle in IndexedDB, so it must be a real FileSystemDirectoryHandle:
    // the origin-private file system gives one, holding the template as the user's folder would.
    await page.addInitScript(yaml => {
      (window as any).showDirectoryPicker = async () => {
        const opfs = await navigator.storage.getDirectory();
        const dir = await opfs.getDirectoryHandle('new-cluster', {
          create: true,
        });
        const file = await dir.getFileHandle('template.yaml', { create: true });
        const writable = await (file as any).createWritable();
        await writable.write(yaml);
        await writable.close();
        return dir;
      };
    }, templateYaml);
    await page.goto(`${ready.appUrl}/create/edit`);
    try {
      await fillAndDryRun();
    } catch (e) {
      await shot('e2e-11-scaffolder-dry-run-FAILED');
      throw e;
    }
  });

  async function fillAndDryRun() {
    await page.getByText('Load Template Directory').first().click();
    await page.getByLabel('Cluster name').first().fill('cluster-09-edge');
    await page
      .getByLabel('Receiver remote-write URL')
      .first()
      .fill('https://receive.example.com/api/v1/receive');
    const owner = page.getByLabel('Owner').first();
    await owner.fill('group:default/platform-team');
    // Enter picks the owner and submits the step: the form moves on to the repository step.
    await owner.press('Enter');
    const next = page.getByRole('button', { name: 'Next' });
    if (await next.isVisible()) await next.click();
    await page.getByLabel('Repository').first().waitFor();
    // RepoUrlPicker (its only host, github.com, is preselected): type owner and repository as a
    // user does, so the picker's own state follows each keystroke.
    const repoOwner = page.getByLabel('Owner').first();
    await repoOwner.pressSequentially('example');
    await repoOwner.press('Tab');
    const repo = page.getByLabel('Repository').first();
    await repo.pressSequentially('fleet-gitops');
    await repo.press('Tab');
    await page.getByRole('button', { name: 'Review' }).first().click();
    await shot('e2e-11a-scaffolder-review');
    await page.getByRole('button', { name: 'Create' }).first().click();
    // The dry-run results: the files the template would write (the edge overlay, the ArgoCD
    // Application, the catalog entity) and the steps' log.
    await page
      .getByText('Dry-run results')
      .first()
      .waitFor({ timeout: 120_000 });
    // Result 1 with the written files (deploy/ overlay, catalog/ entity); the first file shown is
    // the cluster's catalog entity, annotated with the ArgoCD app the template generated.
    await page.getByText('Result 1').first().waitFor({ timeout: 120_000 });
    await page.getByText('deploy', { exact: true }).first().waitFor();
    await page.getByText('cluster-09-edge-prometheus-agent').first().waitFor();
    await shot('e2e-11-scaffolder-dry-run');
  }

  it('searches the catalog and the handbook', async () => {
    await eventually(
      'search to find the handbook page on OOMKilled receivers',
      async () => {
        await page.goto(`${ready.appUrl}/search?query=OOMKilled`);
        await page.waitForLoadState('networkidle');
        return (await page.getByText(/OOMKilled/).count()) > 1;
      },
      180_000,
      10_000,
    );
    await shot('e2e-12-search');
  });

  it('shows the outage, then the retries as a reason of a cluster that is not failing, with its troubleshooting link', async () => {
    const control = async (action: string) => {
      const res = await fetch(`${ready.controlUrl}/central/${action}`, {
        method: 'POST',
      });
      expect(res.status).toBe(200);
    };
    await control('stop');
    const stoppedAt = Date.now();
    try {
      await page.goto(
        `${ready.appUrl}/catalog/default/resource/cluster-02-edge`,
      );
      // While the store is down the card names the upstream and the cause instead of a stale state.
      await eventually(
        'the card to report the unreachable upstream',
        async () => {
          const text = await remoteWriteCardText();
          if (/Thanos Query "demo"/.test(text)) return true;
          await page.reload();
          return false;
        },
        60_000,
      );
      await shot('e2e-3-central-store-down');
      // Let the agents queue and retry for a while (toolchain: 30 s of outage -> retries, pending).
      const waited = Date.now() - stoppedAt;
      if (waited < 35_000) await sleep(35_000 - waited);
    } finally {
      await control('start');
    }
    const t0 = Date.now();
    // A 35 s outage is far from the mixin's `for: 15m`: the retries are named (info, pending) on a
    // healthy cluster, or the backlog drains (recovering); never failing or degraded (#19).
    let state = '';
    await eventually(
      'the card to name the retries with a reason link',
      async () => {
        await page.reload();
        const text = await remoteWriteCardText();
        state =
          /\b(Healthy|Recovering|Degraded|Failing)\b/.exec(text)?.[1] ?? '';
        return (
          state !== '' &&
          (await page
            .getByRole('link', { name: /^How to fix: Remote write/ })
            .count()) > 0
        );
      },
      180_000,
      10_000,
    );
    expect(['Healthy', 'Recovering']).toContain(state);
    timings.retriesNamedAfterRestartSeconds = (Date.now() - t0) / 1000;
    const link = page
      .getByRole('link', { name: /^How to fix: Remote write/ })
      .first();
    const href = await link.getAttribute('href');
    expect(href).toMatch(
      /^\/docs\/default\/system\/fleet-monitoring\/troubleshooting\/remote-write\/#remote-write-[a-z-]+$/,
    );
    await link.scrollIntoViewIfNeeded();
    await shot('e2e-4-edge-cluster-retrying');
  });

  it('follows the "How to fix" link of remote-write-retrying to the TechDocs handbook', async () => {
    // start.mjs builds docs/ with mkdocs into TechDocs' local publisher (builder: external).
    expect({ techdocsBuilt: ready.techdocs }).toEqual({ techdocsBuilt: true });
    // Still on the degraded edge cluster page from the previous test; the retries of the outage
    // are what makes the card name this reason.
    const retrying = page.locator(
      // Retries after an outage are reported as retrying, or as recovering while the hold-down runs.
      'a[aria-label^="How to fix"][href$="#remote-write-retrying"], a[aria-label^="How to fix"][href$="#remote-write-recovering"]',
    );
    await eventually(
      'the card to link the remote-write-retrying reason',
      async () => {
        if ((await retrying.count()) > 0) return true;
        await page.reload();
        await remoteWriteCardText();
        return (await retrying.count()) > 0;
      },
      120_000,
    );
    const href = (await retrying.first().getAttribute('href'))!;
    expect(href).toMatch(
      /^\/docs\/default\/system\/fleet-monitoring\/troubleshooting\/remote-write\/#remote-write-(retrying|recovering)$/,
    );
    const anchor = href.split('#')[1];
    const t0 = Date.now();
    await retrying.first().click();
    await page.waitForURL(
      new RegExp(`/troubleshooting/remote-write/#${anchor}$`),
    );
    // TechDocs renders the mkdocs page inside its own shadow root and shows it (opacity 1) only once
    // its stylesheets loaded; then it scrolls to the anchor.
    const heading = async () =>
      page.evaluate(id => {
        const host = document.querySelector(
          '[data-testid="techdocs-native-shadowroot"]',
        );
        const el = host?.shadowRoot?.getElementById(id);
        if (!el) return undefined;
        const shown = host!.shadowRoot!.firstElementChild as HTMLElement | null;
        return {
          tag: el.tagName,
          text: (el.textContent ?? '').replace(/¶$/, '').trim(),
          top: el.getBoundingClientRect().top,
          opacity: shown ? getComputedStyle(shown).opacity : undefined,
        };
      }, anchor);
    await eventually(
      'the TechDocs page to show the remote-write-retrying heading, scrolled to it',
      async () => {
        const h = await heading();
        return Boolean(h && h.opacity === '1' && h.top >= -5 && h.top < 300);
      },
      60_000,
      500,
    );
    timings.techdocsPageSeconds = (Date.now() - t0) / 1000;
    expect(await heading()).toMatchObject({
      tag: 'H2',
      text:
        anchor === 'remote-write-retrying'
          ? 'Remote write is retrying'
          : 'Remote write is catching up',
    });
    // The handbook's navigation and the reader's header came with it.
    await page
      .getByRole('link', { name: 'Thanos Receive', exact: true })
      .first()
      .waitFor();
    await page.screenshot({
      path: path.join(artifacts, 'e2e-8-techdocs-remote-write-retrying.png'),
    });
  });
});

/**
 * End to end, the click paths of #21 and #22 in headless Chromium against `scripts/start.mjs` (the
 * demo fleet and the dev Backstage):
 *
 * - #21: cluster-03-edge's Capacity card names its exploding metric at the top of where its series
 *   come from; selecting it and "Drop these" opens the drop-series template pre-filled; the user
 *   picks the GitOps repository and creates it; the task page shows how many live series the drop
 *   removes (counted on Thanos Query), the diff, and the pull request the demo's GitHub fake got.
 * - #22: a cluster's joined row (catalog owner, overlay, ArgoCD, remote write) on its
 *   Reconciliation card and on the fleet page's reconciled view, and a ghost (a cluster sending
 *   but not in the catalog) named with its handbook link.
 *
 * Its own stack (one file, one stack): run alone with
 * `E2E_REQUIRED=1 npx backstage-cli package test --ci src/devAppClickPaths.test.ts`.
 * Skips (with a message) when Chromium or Prometheus is missing; E2E_REQUIRED=1 fails instead.
 */
import type { Page } from 'playwright-core';
import type { Ready } from './devStack';
import {
  describeIfTools,
  eventually,
  useDevAppSession,
} from './__testUtils__/devAppSession';

jest.setTimeout(900_000);

/** The demo's exploding cluster and metric (packages/local-fleet/src/demoExplosion.ts). */
const EXPLODING_CLUSTER = 'cluster-03-edge';
const EXPLODING_METRIC = 'checkout_requests_by_user_total';
const OVERLAY_VALUES = `deploy/overlays/${EXPLODING_CLUSTER}/prometheus-agent/values.yaml`;
/** The demo GitOps repository in the demo's GitHub fake. */
const REPO = 'example/fleet-gitops';

/** "1,501" -> 1501 */
const num = (s: string) => Number(s.replace(/,/g, ''));

describeIfTools('dev app click paths (#21 drop series, #22 reconciled)', () => {
  const session = useDevAppSession();
  let ready: Ready;
  let page: Page;
  const shot = (name: string) => session.shot(name);

  /** Runs `body`, saving a screenshot named `name-FAILED` when it throws. */
  async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (e) {
      await shot(`${name}-FAILED`).catch(() => {});
      throw e;
    }
  }

  /** One instant query on the demo's Thanos Query facade (deduplicated, as Query defaults). */
  async function queryCount(promql: string): Promise<number> {
    const res = await fetch(
      `${ready.queryUrl}/api/v1/query?dedup=true&query=${encodeURIComponent(promql)}`,
    );
    const body = (await res.json()) as any;
    return Number(body.data.result[0]?.value[1] ?? 0);
  }

  beforeAll(() => {
    ready = session.ready;
    page = session.page;
  });

  it('drops the exploding metric from its top-series row: wizard pre-filled, live series counted, pull request opened', async () => {
    expect(ready.githubUrl).toBeDefined();
    // 1. The cluster's Capacity card lists where its series come from, the exploding metric first.
    const topSeries = page
      .getByRole('article', { name: 'Capacity' })
      .getByRole('region', { name: 'Top series' });
    const firstRow = topSeries.getByRole('row').nth(1);
    const cardCount = await step('e2e-21a-top-series', async () => {
      await eventually(
        `the Capacity card to list ${EXPLODING_METRIC} first`,
        async () => {
          await page.goto(
            `${ready.appUrl}/catalog/default/resource/${EXPLODING_CLUSTER}`,
          );
          await topSeries.waitFor({ timeout: 60_000 });
          await firstRow.waitFor({ timeout: 30_000 });
          return (await firstRow.innerText()).includes(EXPLODING_METRIC);
        },
        180_000,
      );
      // The Head series cell: the count over its share ("1,501" then "84.8 %").
      const text = await firstRow.innerText();
      const m = /([\d,]+)\s*\n\s*[\d.]+\s*%/.exec(text);
      if (!m) throw new Error(`no head-series count in the row: ${text}`);
      return num(m[1]);
    });
    expect(cardCount).toBeGreaterThan(0);
    // The explosion is named, with the label that drives it.
    expect(await firstRow.innerText()).toMatch(/driven by user_id/);
    await topSeries.scrollIntoViewIfNeeded();
    await shot('e2e-21a-top-series');

    // 2. Select it, "Drop these": the template opens with the cluster and the metric filled in.
    await step('e2e-21b-drop-these', async () => {
      // The row's selection cell, where a user clicks (its checkbox input is visually hidden).
      await firstRow.getByRole('gridcell').first().click();
      expect(await firstRow.getByRole('checkbox').isChecked()).toBe(true);
      await topSeries.getByRole('link', { name: 'Drop these (1)' }).click();
      await page.waitForURL(/\/create\/templates\/default\/fleet-drop-series/);
      await page
        .getByText('Drop series at a cluster', { exact: false })
        .first()
        .waitFor({ timeout: 120_000 });
      await page.getByRole('textbox', { name: /^Cluster/ }).waitFor();
    });
    expect(
      await page.getByRole('textbox', { name: /^Cluster/ }).inputValue(),
    ).toBe(EXPLODING_CLUSTER);
    const values = await page.$$eval('input', els =>
      els.map(e => (e as HTMLInputElement).value),
    );
    expect(values).toContain(EXPLODING_METRIC);
    await shot('e2e-21b-wizard-prefilled');

    // 3. The GitOps repository (RepoUrlPicker: github.com is its only host), review, create.
    const taskText = await step('e2e-21c-task', async () => {
      await page.getByRole('button', { name: 'Next' }).click();
      const repoOwner = page.getByLabel('Owner').first();
      await repoOwner.waitFor();
      await repoOwner.pressSequentially('example');
      await repoOwner.press('Tab');
      const repo = page.getByLabel('Repository').first();
      await repo.pressSequentially('fleet-gitops');
      await repo.press('Tab');
      await page.getByRole('button', { name: 'Review' }).first().click();
      await shot('e2e-21c-review');
      await page.getByRole('button', { name: 'Create' }).first().click();
      await page.waitForURL(/\/create\/tasks\//);
      const box = page.getByTestId('text-output-box');
      await box.getByText(/live series of/).waitFor({ timeout: 180_000 });
      return box.innerText();
    });
    await shot('e2e-21c-task-series-removed');
    // "**N** of M live series of `cluster`", counted on Thanos Query while the task ran.
    const counted =
      /([\d,]+)\s+of\s+([\d,]+)\s+live series of\s+cluster-03-edge/.exec(
        taskText,
      );
    expect(counted).not.toBeNull();
    const removed = num(counted![1]);
    const total = num(counted![2]);
    // The metric only gains series: at least what the card showed before, at most what Query
    // counts now; and part of the cluster's series, not all of them.
    const now = await queryCount(
      `count({cluster="${EXPLODING_CLUSTER}",__name__="${EXPLODING_METRIC}"})`,
    );
    expect(removed).toBeGreaterThanOrEqual(cardCount);
    expect(removed).toBeLessThanOrEqual(now);
    expect(removed).toBeLessThan(total);

    // 4. The diff: a drop rule for the metric in the cluster's overlay.
    // The markdown's code block renders once its highlighter loaded.
    let diff = '';
    await step('e2e-21d-task-diff', async () => {
      await page.getByRole('button', { name: 'Change' }).click();
      await eventually(
        'the Change output to show the diff',
        async () => {
          diff = await page.getByTestId('text-output-box').innerText();
          return diff.includes(OVERLAY_VALUES);
        },
        30_000,
        500,
      );
    });
    expect(diff).toContain(OVERLAY_VALUES);
    expect(diff).toMatch(/\+\s*-?\s*action: drop/);
    expect(diff).toContain(EXPLODING_METRIC);
    await shot('e2e-21d-task-diff');

    // 5. The pull request, opened on the demo's GitHub fake, changes only the overlay's values.
    const prLink = page.getByRole('link', { name: 'Pull request' });
    expect(await prLink.getAttribute('href')).toBe(
      `https://github.com/${REPO}/pull/1`,
    );
    const gh = async (p: string) => {
      const res = await fetch(`${ready.githubUrl}/repos/${REPO}${p}`);
      expect(res.status).toBe(200);
      return (await res.json()) as any;
    };
    const [pr] = await gh('/pulls');
    expect(pr).toMatchObject({
      number: 1,
      title: `fleet: drop series at ${EXPLODING_CLUSTER}`,
      head: { ref: `fleet/drop-series-${EXPLODING_CLUSTER}` },
      base: { ref: 'main' },
    });
    expect(pr.body).toContain(`Series removed, measured on the live data`);
    expect(await gh(`/pulls/${pr.number}/files`)).toEqual([
      { filename: OVERLAY_VALUES, status: 'modified' },
    ]);
    const file = await gh(
      `/contents/${OVERLAY_VALUES}?ref=${encodeURIComponent(pr.head.sha)}`,
    );
    const values2 = Buffer.from(file.content, 'base64').toString('utf8');
    expect(values2).toMatch(/write_relabel_configs:[\s\S]*action: drop/);
    expect(values2).toContain(EXPLODING_METRIC);
  });

  /** A remote-write state other than no-data or unknown, as the card words it. */
  const REMOTE_WRITE_STATE = /\b(Healthy|Recovering|Degraded|Failing)\b/;

  /** The Reconciliation card's section `name` on the current page, once the card loaded. */
  async function reconcileSection(name: string): Promise<string> {
    const card = page.getByRole('article', { name: 'Reconciliation' });
    const section = card.getByRole('region', { name, exact: true });
    await section.waitFor({ timeout: 60_000 });
    return section.innerText();
  }

  it("shows a cluster's joined row on its Reconciliation card", async () => {
    const cluster = 'cluster-02-edge';
    await step('e2e-22a-reconcile-card', async () => {
      // Also until the cluster's remote write has a state: on a stack that has just started, the
      // backend's first summary round may come before the agent's first write ("never sent data").
      await eventually(
        "the Reconciliation card to show the overlay, the ArgoCD application and the cluster's remote-write state",
        async () => {
          await page.goto(
            `${ready.appUrl}/catalog/default/resource/${cluster}`,
          );
          const overlay = await reconcileSection('GitOps overlay');
          const argocd = await reconcileSection('ArgoCD applications');
          const remoteWrite = await reconcileSection('Remote write');
          return (
            overlay.includes(`deploy/overlays/${cluster}/prometheus-agent`) &&
            argocd.includes(`${cluster}-prometheus-agent`) &&
            REMOTE_WRITE_STATE.test(remoteWrite)
          );
        },
        180_000,
      );
    });
    expect(await reconcileSection('Catalog')).toContain('platform-team');
    const overlay = await reconcileSection('GitOps overlay');
    // The tenant and external labels as the overlay writes them (THANOS-TENANT, cluster label).
    expect(overlay).toMatch(new RegExp(`Tenant\\s+${cluster}`));
    expect(overlay).toContain(`cluster=${cluster}`);
    expect(await reconcileSection('ArgoCD applications')).toMatch(
      /Synced · Healthy/,
    );
    expect(await reconcileSection('Remote write')).toMatch(REMOTE_WRITE_STATE);
    await page
      .getByRole('article', { name: 'Reconciliation' })
      .scrollIntoViewIfNeeded();
    await shot('e2e-22a-reconcile-card');
  });

  /** Opens the fleet page's reconciled view filtered to `q` and returns the rows' texts. */
  async function reconciledRows(q: string): Promise<string[]> {
    await page.goto(
      `${ready.fleetPage}?view=reconciled&q=${encodeURIComponent(q)}`,
    );
    const region = page.getByRole('region', { name: 'Reconciled clusters' });
    await region.waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      query => {
        const t = document.querySelector('[aria-label="Reconciled clusters"]');
        return (
          t?.getAttribute('data-applied-query') === query &&
          t.getAttribute('aria-busy') === 'false'
        );
      },
      q,
      { timeout: 60_000 },
    );
    const rows = region.getByRole('row');
    const n = await rows.count();
    const out: string[] = [];
    for (let i = 1; i < n; i++) out.push(await rows.nth(i).innerText());
    return out;
  }

  it('shows the joined row and a ghost with its handbook link on the fleet page', async () => {
    const cluster = 'cluster-02-edge';
    let row = '';
    await step('e2e-22b-reconciled-row', async () => {
      await eventually(
        `the reconciled row of ${cluster} to show its overlay and ArgoCD application`,
        async () => {
          const rows = await reconciledRows(cluster);
          row = rows.find(r => r.split(/[\n\t]/)[0].trim() === cluster) ?? '';
          return (
            row.includes(`tenant ${cluster}`) &&
            row.includes(`${cluster}-prometheus-agent`)
          );
        },
        180_000,
      );
    });
    expect(row).toContain('platform-team');
    expect(row).toContain('prometheus-agent');
    expect(row).toMatch(/Synced · Healthy/);
    expect(row).toMatch(/\b(Healthy|Recovering|Degraded|Failing)\b/);
    await shot('e2e-22b-reconciled-row');

    // A synthetic cluster sends but has no catalog Resource: a ghost, named, with its docs link.
    const ghost = 'sim-0001';
    let ghostRow = '';
    await step('e2e-22c-ghost', async () => {
      await eventually(
        `the reconciled row of ${ghost} to name it as not in the catalog`,
        async () => {
          const rows = await reconciledRows(ghost);
          ghostRow =
            rows.find(r => r.split(/[\n\t]/)[0].trim() === ghost) ?? '';
          return ghostRow.includes('Sending but not in the catalog');
        },
        120_000,
      );
    });
    expect(ghostRow).toContain('no catalog entity');
    const link = page
      .getByRole('region', { name: 'Reconciled clusters' })
      .getByRole('link', { name: 'Sending but not in the catalog' });
    expect(await link.getAttribute('href')).toBe(
      '/docs/default/system/fleet-monitoring/troubleshooting/reconciliation/#reconcile-not-in-catalog',
    );
    await shot('e2e-22c-ghost');
  });
});

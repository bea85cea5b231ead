/**
 * Fleet page at 10,000 and 100,000 clusters, in Chromium: the Backstage app as it ships (production
 * bundle, APP_BUNDLE=production) with the dev backend (`scripts/start.mjs`), headless Chromium.
 * Where the fleet comes from (BENCH_FLEET_UPSTREAM):
 *  - `synthetic` (default): one Thanos instance per size in BENCH_FLEET_SIZES (10000,100000), each
 *    a synthetic upstream started here (plugins/monitoring-backend/bench/syntheticFleetUpstream.ts)
 *    that answers the backend's PromQL with that many clusters. The backend computes, keeps and
 *    pages the summary through its real route; only the store's PromQL is not run (no store on
 *    this machine holds 100,000 clusters; the fleet benches measure that part).
 *  - `store`: the demo's own Prometheus with FLEET_SYNTHETIC_CLUSTERS=BENCH_FLEET_CLUSTERS (10000)
 *    simulated clusters next to the real agents.
 * Prints, against a target of 1 s each:
 *  - first rows: from navigating to the fleet page until the table shows its first page of rows
 *    (the backend cuts one page from the kept summary + transfer of that page + render);
 *  - filter: from typing a name filter until the table shows the filtered rows (the table's
 *    data-applied-query and aria-busy say when, no timers);
 *  - state filter: from pressing a state count button until the rows follow.
 * Each figure is the median of 5 runs, with the bytes the browser downloaded for it (the summary
 * request's body as sent, and with headers): the backend pages, so this is one page and the counts,
 * not the fleet. Needs /usr/bin/chromium and /usr/bin/prometheus.
 *
 * The bench fails (exit 1) unless the summary really holds the requested clusters (the synthetic
 * ones next to the real agents) and is a current one (no upstream error, not the stale last-known
 * fleet): a table of 3 clusters measures nothing. The first load after the backend started waits
 * for the backend's first summary round (the background refresh, app-config `summaryRefresh`); it is
 * printed on its own line and not part of the medians, which measure page loads once the backend
 * keeps the summary warm.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type Page,
  type Request,
} from 'playwright-core';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { SyntheticFleetUpstream } from '../../../plugins/monitoring-backend/bench/syntheticFleetUpstream';
import {
  acquireStackLock,
  DevStack,
  releaseStackLock,
  root,
  type Ready,
} from '../src/devStack';

const UPSTREAM = process.env.BENCH_FLEET_UPSTREAM ?? 'synthetic';
const CLUSTERS = Number(process.env.BENCH_FLEET_CLUSTERS ?? 10_000);
const SIZES =
  UPSTREAM === 'store'
    ? [CLUSTERS]
    : (process.env.BENCH_FLEET_SIZES ?? '10000,100000').split(',').map(Number);
const TARGET_MS = 1000;
const REFRESH_SECONDS = 60;
const RUNS = 5;

/** start.mjs on free ports (refused, not shared, when a port is taken), its own run directory. */
async function startDevApp(
  upstreams: SyntheticFleetUpstream[],
): Promise<{ stack: DevStack; ready: Ready }> {
  await acquireStackLock();
  const instances = upstreams.map(u => ({
    name: `fleet-${u.clusters}`,
    title: `Synthetic fleet of ${u.clusters} clusters`,
    baseUrl: u.url,
    summarySource: 'raw',
    timeoutMs: 120_000,
    // One signal's answer at 100,000 clusters is ~11 MB, over the default 10 MiB limit.
    maxResponseBytes: 256 * 2 ** 20,
  }));
  const stack = await DevStack.start({
    env: {
      NODE_ENV: 'development',
      ...(UPSTREAM === 'store'
        ? { FLEET_SYNTHETIC_CLUSTERS: String(CLUSTERS) }
        : // The synthetic upstreams replace the demo's instance (JSON: Backstage parses it).
          { APP_CONFIG_fleetMonitoring_thanos: JSON.stringify(instances) }),
      START_TIMEOUT_SECONDS: '900',
      // The app as it ships (minified production bundle), not the webpack dev server.
      APP_BUNDLE: 'production',
      // A 10,000-cluster summary round costs the local Prometheus ~20 s of both cores; refreshed every
      // 10 s (the demo's setting) it would run back to back and the bench would time the test rig.
      APP_CONFIG_fleetMonitoring_summaryRefresh_intervalSeconds:
        String(REFRESH_SECONDS),
    },
  });
  return { stack, ready: await stack.ready(900_000) };
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds from `act` until `done` (evaluated in the page, every animation frame) holds. */
async function timeUntil(
  page: Page,
  act: () => Promise<void>,
  done: string,
): Promise<number> {
  const t0 = Date.now();
  await act();
  await page.waitForFunction(done, undefined, {
    polling: 'raf',
    timeout: 120_000,
  });
  return Date.now() - t0;
}

/** The summary requests the page made since `since` (performance.now()): start + duration each. */
async function summaryRequestsSince(page: Page, since: number) {
  const spans = await page.evaluate(
    t0 =>
      performance
        .getEntriesByType('resource')
        .filter(r => r.name.includes('/summary') && r.startTime >= t0)
        .map(r => {
          const e = r as PerformanceResourceTiming;
          return `${Math.round(e.startTime - t0)}+${Math.round(e.responseEnd - e.startTime)} ms`;
        }),
    since,
  );
  const long = await page.evaluate(t0 => {
    const w = window as unknown as { __longTasks?: PerformanceEntry[] };
    return (w.__longTasks ?? [])
      .filter(e => e.startTime >= t0)
      .map(e => `${Math.round(e.startTime - t0)}:${Math.round(e.duration)}`);
  }, since);
  return `${spans.length > 0 ? spans.join(' & ') : 'none'} [long tasks at:ms ${long.join(' ')}]`;
}

/**
 * A page expression (a string: functions passed to waitForFunction lose their closure) that is true
 * once the table has applied this filter, is not busy and shows rows; with `minTotal`, only once
 * that many clusters pass the filter (the whole fleet, not a partial or outage summary).
 */
const tableShowsRows = (
  query: string,
  states: string,
  minTotal = 0,
) => `(() => {
  const t = document.querySelector('[aria-label="Clusters"]');
  return Boolean(
    t &&
      t.getAttribute('data-applied-query') === ${JSON.stringify(query)} &&
      t.getAttribute('data-applied-states') === ${JSON.stringify(states)} &&
      t.getAttribute('aria-busy') === 'false' &&
      Number(t.getAttribute('data-total')) >= ${minTotal} &&
      t.querySelectorAll('[role="row"]').length > 1,
  );
})()`;

/**
 * Bytes of the newest summary request the page made, from the browser's network events (the app
 * and the backend are on different origins, so the page's Resource Timing zeroes the sizes):
 * `body` as sent on the wire (encoded, e.g. gzip) and `transfer` with the response headers.
 */
function summaryBytesTracker(page: Page) {
  let last: Request | undefined;
  page.on('requestfinished', r => {
    if (r.url().includes('/summary')) last = r;
  });
  return async (): Promise<{ body: number; transfer: number }> => {
    if (!last) return { body: 0, transfer: 0 };
    const sizes = await last.sizes();
    return {
      body: sizes.responseBodySize,
      transfer: sizes.responseBodySize + sizes.responseHeadersSize,
    };
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** What the fleet page shows about its summary: how many clusters, and whether it is a current one. */
async function summaryOnPage(page: Page) {
  return page.evaluate(() => ({
    total: Number(
      document
        .querySelector('[aria-label="Clusters"]')
        ?.getAttribute('data-total') ?? 0,
    ),
    upstreamError:
      document.querySelector('[data-testid="upstream-error"]')?.textContent ??
      null,
    stale: document.body.innerText.includes('Showing the last known fleet'),
  }));
}

/** The figures of one fleet: first rows, name filter, state filter (median of RUNS), bytes. */
async function measureFleet(
  browser: Browser,
  ready: Ready,
  clusters: number,
  instance: string | undefined,
): Promise<boolean> {
  const fleetPage = instance
    ? `${ready.fleetPage}?instance=${encodeURIComponent(instance)}`
    : ready.fleetPage;
  const prefix = UPSTREAM === 'store' ? 'sim-0' : 'syn-00';
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  page.setDefaultTimeout(120_000);
  const lastSummaryBytes = summaryBytesTracker(page);
  await page.goto(ready.appUrl);
  await page.getByRole('button', { name: /enter/i }).click();
  await page.getByText('Catalog').first().waitFor();
  // Cold load: the bundle is loaded and the backend's first summary round (started with the
  // backend) has finished. Timed, but not part of the medians: it says how long the first visitor
  // after a backend start waits.
  const coldStart = Date.now();
  await page.goto(fleetPage);
  await page.waitForFunction(tableShowsRows('', '', clusters), undefined, {
    timeout: 900_000,
  });
  const coldMs = Date.now() - coldStart;
  const shown = await summaryOnPage(page);
  if (shown.total < clusters || shown.upstreamError || shown.stale) {
    const why = [
      shown.upstreamError ? `; upstream error: ${shown.upstreamError}` : '',
      shown.stale ? '; it is the stale last-known fleet' : '',
    ].join('');
    throw new Error(
      `the fleet summary does not hold the fleet: ${shown.total} clusters shown, ${clusters} requested${why} (the bench would measure a different page than it claims)`,
    );
  }
  const total = shown.total;

  const firstRows: number[] = [];
  const filter: number[] = [];
  const stateFilter: number[] = [];
  const summaryFetch: string[] = [];
  const filterFetch: string[] = [];
  const bytes = {
    first: [] as number[],
    filter: [] as number[],
    state: [] as number[],
    transfer: [] as number[],
  };
  for (let i = 0; i < RUNS; i++) {
    firstRows.push(
      await timeUntil(
        page,
        async () => {
          await page.goto(fleetPage);
        },
        tableShowsRows('', '', clusters),
      ),
    );
    // Where the time went: the summary request as the browser saw it.
    summaryFetch.push(
      await page.evaluate(() => {
        const e = performance
          .getEntriesByType('resource')
          .filter(r => r.name.includes('/summary'))
          .pop() as PerformanceResourceTiming | undefined;
        return e
          ? `${Math.round(e.startTime)}+${Math.round(e.responseEnd - e.startTime)} ms`
          : 'none';
      }),
    );
    const firstBytes = await lastSummaryBytes();
    bytes.first.push(firstBytes.body);
    bytes.transfer.push(firstBytes.transfer);
    const after = await summaryOnPage(page);
    if (after.upstreamError || after.stale)
      throw new Error(
        `run ${i + 1}: the summary is not a current one (${after.upstreamError ?? 'stale'})`,
      );
    const box = page.getByRole('searchbox', {
      name: 'Filter clusters by name',
    });
    const query = `${prefix}${i + 1}`;
    const typedAt = await page.evaluate(() => {
      const w = window as unknown as { __longTasks?: PerformanceEntry[] };
      w.__longTasks = [];
      new PerformanceObserver(list =>
        w.__longTasks!.push(...list.getEntries()),
      ).observe({ type: 'longtask' });
      return performance.now();
    });
    filter.push(
      await timeUntil(page, () => box.fill(query), tableShowsRows(query, '')),
    );
    filterFetch.push(await summaryRequestsSince(page, typedAt));
    bytes.filter.push((await lastSummaryBytes()).body);
    await box.fill('');
    await page.waitForFunction(tableShowsRows('', ''));
    stateFilter.push(
      await timeUntil(
        page,
        () => page.getByRole('button', { name: /^Healthy: / }).click(),
        tableShowsRows('', 'healthy'),
      ),
    );
    bytes.state.push((await lastSummaryBytes()).body);
  }
  const rows = [
    ['first rows after navigation', median(firstRows)],
    ['name filter applied', median(filter)],
    ['state filter applied', median(stateFilter)],
  ] as const;
  const source =
    UPSTREAM === 'store'
      ? `${clusters} simulated in the demo's Prometheus + the demo's real agents`
      : `synthetic upstream (the backend computes, keeps and pages the summary; no PromQL is run)`;
  console.log(
    `\nfleet page, ${total} clusters in the summary (${source}), production app bundle, summary refreshed every ${REFRESH_SECONDS} s, Chromium headless, median of ${RUNS}`,
  );
  console.log('| figure | ms | target | ok |');
  console.log('| --- | ---: | ---: | --- |');
  for (const [name, ms] of rows)
    console.log(
      `| ${name} | ${ms} | < ${TARGET_MS} | ${ms < TARGET_MS ? 'yes' : 'NO'} |`,
    );
  // A repeated request is revalidated (304, headers only): the largest is the page sent in full.
  const largest = (xs: number[]) => Math.max(...xs);
  console.log(
    `bytes per page (summary response body on the wire, largest of ${RUNS} / median; a repeat is a 304): first rows ${kb(largest(bytes.first))} / ${kb(median(bytes.first))} (${kb(largest(bytes.transfer))} with headers), name filter ${kb(largest(bytes.filter))} / ${kb(median(bytes.filter))}, state filter ${kb(largest(bytes.state))} / ${kb(median(bytes.state))}`,
  );
  console.log(
    `runs (ms): first rows ${firstRows.join(', ')}; name filter ${filter.join(', ')}; state filter ${stateFilter.join(', ')}`,
  );
  console.log(
    `summary request per first-rows run (start after navigation + duration): ${summaryFetch.join('; ')}`,
  );
  console.log(
    `summary requests per name-filter run (start after typing + duration; then the table's own render): ${filterFetch.join('; ')}`,
  );
  console.log(
    `not in the medians: cold first load after the backend started (waits for its first summary round): ${coldMs} ms`,
  );
  await page.screenshot({
    path: path.join(root, 'test-artifacts', `bench-fleet-page-${clusters}.png`),
  });
  await page.close();
  return rows.every(([, ms]) => ms < TARGET_MS);
}

async function main() {
  for (const tool of ['/usr/bin/chromium', '/usr/bin/prometheus']) {
    if (!fs.existsSync(tool)) {
      console.log(`fleet page bench skipped: ${tool} missing (npm run setup)`);
      return;
    }
  }
  const upstreams =
    UPSTREAM === 'store' ? [] : SIZES.map(n => new SyntheticFleetUpstream(n));
  await Promise.all(upstreams.map(u => u.start()));
  console.log(
    UPSTREAM === 'store'
      ? `starting the demo fleet with ${CLUSTERS} synthetic clusters and the dev app...`
      : `starting the dev app on synthetic upstreams of ${SIZES.join(', ')} clusters...`,
  );
  const { stack, ready } = await startDevApp(upstreams);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  try {
    for (const n of SIZES) {
      const ok = await measureFleet(
        browser,
        ready,
        n,
        UPSTREAM === 'store' ? undefined : `fleet-${n}`,
      );
      if (!ok) process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await Promise.all(upstreams.map(u => u.stop()));
    // start.mjs stops all it started (SIGKILL after its grace period) and says what is left.
    const stopped = await stack.stop(90_000).catch(e => {
      stack.kill();
      throw e;
    });
    releaseStackLock();
    if (stopped.leftovers.length > 0 || stopped.stillListening.length > 0) {
      console.error(
        `start.mjs left ${stopped.leftovers.map(p => `pid ${p.pid} (${p.command})`).join(', ')} ports ${stopped.stillListening.join(', ')}`,
      );
      process.exitCode = 1;
    }
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});

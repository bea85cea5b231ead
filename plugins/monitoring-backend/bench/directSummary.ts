/**
 * The direct path of the summary benches: what the backend sends for a fleet summary, straight to
 * the store (through the counting facade), read but not parsed. Two rounds as the backend sends
 * them: the inventory and every condition now (side by side, with Thanos Query's /stores), then
 * the held conditions for the clusters where they are true now and what the receivers accept for
 * the silent and refused clusters' tenants (the same query the backend builds; made once from a
 * parsed first round, before timing), beside the last seen over the retention of the clusters
 * known without one in the lookback.
 */
import type { QueryScope } from '../src/thanos/queries';
import {
  inventoryQuery,
  RETENTION_LOOKBACK,
  summaryNowQueries,
  summarySecondQuery,
} from '../src/thanos/queries';
import { heldQuestions } from '../src/remoteWrite/heldQuestions';
import { FleetObserver } from '../src/remoteWrite/observeFleet';
import { readFleetMonitoringConfig } from '../src/config';
import { ConfigReader } from '@backstage/config';
import { SIGNAL_LABEL } from '../src/thanos/signals';

const THRESHOLDS = readFleetMonitoringConfig(new ConfigReader({})).thresholds
  .remoteWrite;

/** The queries of one summary: the first round, and the second when any cluster needs it. */
export interface SummaryRounds {
  now: string[];
  /** The held signals and what the receivers accept for the silent and refused clusters' tenants. */
  second?: string;
  /** Clusters known without a last seen in the lookback: theirs over the retention. */
  older?: string;
}

async function post(
  facadeUrl: string,
  query: string,
  dedup: boolean,
): Promise<string> {
  const res = await fetch(`${facadeUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      query,
      dedup: String(dedup),
      partial_response: 'true',
    }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`direct ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

/**
 * The backend's queries for `scope` on this store now (the held round from a parsed first round),
 * with the backend's catalog clusters: those without a last seen in the inventory's lookback are
 * asked for theirs over the retention, beside the second round (RemoteWriteService.fillLastSeen).
 */
export async function summaryRounds(
  facadeUrl: string,
  scope: QueryScope,
  dedup = true,
  catalogClusters: string[] = [],
): Promise<SummaryRounds> {
  const now = summaryNowQueries(scope);
  const [inventory, ...answers] = (
    await Promise.all(now.map(q => post(facadeUrl, q, dedup)))
  ).map(a => JSON.parse(a).data.result);
  const stores = await fetch(`${facadeUrl}/api/v1/stores`).then(r => r.json());
  const samples = answers.flat();
  const observer = new FleetObserver({
    clusterLabel: scope.clusterLabel,
    inventory,
    rates: samples,
    gauges: samples,
    catalogClusters,
    // As the backend's client reads /stores: each endpoint under its type.
    stores: Object.entries(
      (stores.data ?? {}) as Record<string, Array<Record<string, unknown>>>,
    ).flatMap(([type, endpoints]) =>
      (endpoints ?? []).map(e => ({
        type,
        name: String(e.name ?? ''),
        lastError: null,
        labelSets: (e.labelSets ?? []) as Array<Record<string, string>>,
      })),
    ),
  });
  const second = summarySecondQuery(
    scope,
    heldQuestions(samples, scope.clusterLabel, THRESHOLDS),
    observer.tenantsToAsk(
      Date.now() / 1000,
      THRESHOLDS.staleAfterSeconds,
      samples,
    ),
  );
  const unseen = observer.observations
    .filter(o => o.stats.lastSeen === undefined)
    .map(o => o.cluster);
  // As the backend asks it: from its config's scope, whatever the summary's source.
  const older =
    unseen.length > 0
      ? inventoryQuery(
          { ...scope, source: undefined, clusters: unseen },
          RETENTION_LOOKBACK,
        )
      : undefined;
  return { now, second, older };
}

/** Sends one summary's queries as the backend does, reading every answer without parsing it. */
export async function sendRounds(
  facadeUrl: string,
  rounds: SummaryRounds,
  dedup = true,
): Promise<void> {
  await Promise.all([
    ...rounds.now.map(q => post(facadeUrl, q, dedup)),
    fetch(`${facadeUrl}/api/v1/stores`).then(r => r.text()),
  ]);
  await Promise.all(
    [rounds.second, rounds.older].map(q => q && post(facadeUrl, q, dedup)),
  );
}

/**
 * Each signal of one summary's queries alone, one after the other (a profile of the PromQL: which
 * part of the store's work dominates), slowest first.
 */
export async function signalProfile(
  facadeUrl: string,
  rounds: SummaryRounds,
  dedup = true,
): Promise<Array<{ signal: string; ms: number }>> {
  const out: Array<{ signal: string; ms: number }> = [];
  for (const query of [
    ...rounds.now,
    ...(rounds.second ? [rounds.second] : []),
    ...(rounds.older ? [rounds.older] : []),
  ])
    for (const part of query.split('\nor\n')) {
      const tag =
        new RegExp(`"${SIGNAL_LABEL}", "([^"]+)"`).exec(part)?.[1] ?? '?';
      const signal = query === rounds.older ? `${tag} (retention)` : tag;
      const t = performance.now();
      await post(facadeUrl, part, dedup);
      out.push({ signal, ms: performance.now() - t });
    }
  return out.sort((a, b) => b.ms - a.ms);
}

/**
 * The backend and the direct path timed in turns (backend, direct, backend, ...), so both run under
 * the same load: on a shared 2-core machine the load drifts between two blocks of runs by more than
 * the backend's own part at small fleets. Also the backend's upstream requests per run.
 */
export async function alternate(
  backend: () => Promise<unknown>,
  direct: () => Promise<unknown>,
  runs: number,
  requests: () => Promise<number>,
): Promise<{ backend: number[]; direct: number[]; upstream: number }> {
  const b: number[] = [];
  const d: number[] = [];
  let upstream = 0;
  // Each run starts once the one before has left nothing behind: the backend keeps the last known
  // fleet after it answers, on one of the machine's two cores.
  const settle = () => new Promise(resolve => setTimeout(resolve, 100));
  for (let i = 0; i < runs; i++) {
    await settle();
    const before = await requests();
    let t = performance.now();
    await backend();
    b.push(performance.now() - t);
    upstream += (await requests()) - before;
    await settle();
    t = performance.now();
    await direct();
    d.push(performance.now() - t);
  }
  return {
    backend: b.sort((x, y) => x - y),
    direct: d.sort((x, y) => x - y),
    upstream: upstream / runs,
  };
}

/**
 * The direct path of the summary benches: what the backend sends for a fleet summary, straight to
 * the store (through the counting facade), read but not parsed. Two rounds as the backend sends
 * them: the inventory and every condition now (side by side, with Thanos Query's /stores), then
 * the held conditions for the clusters where they are true now (the same query the backend builds;
 * made once from a parsed first round, before timing).
 */
import type { QueryScope } from '../src/thanos/queries';
import { summaryHeldQuery, summaryNowQueries } from '../src/thanos/queries';
import { heldQuestions } from '../src/remoteWrite/heldQuestions';
import { readFleetMonitoringConfig } from '../src/config';
import { ConfigReader } from '@backstage/config';
import { SIGNAL_LABEL } from '../src/thanos/signals';

const THRESHOLDS = readFleetMonitoringConfig(new ConfigReader({})).thresholds
  .remoteWrite;

/** The queries of one summary: the first round, and the second when any cluster needs it. */
export interface SummaryRounds {
  now: string[];
  held?: string;
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

/** The backend's queries for `scope` on this store now (the held round from a parsed first round). */
export async function summaryRounds(
  facadeUrl: string,
  scope: QueryScope,
  dedup = true,
): Promise<SummaryRounds> {
  const now = summaryNowQueries(scope);
  const answers = await Promise.all(
    now.slice(1).map(q => post(facadeUrl, q, dedup)),
  );
  const samples = answers.flatMap(a => JSON.parse(a).data.result);
  const held = summaryHeldQuery(
    scope,
    heldQuestions(samples, scope.clusterLabel, THRESHOLDS),
  );
  return { now, held };
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
  if (rounds.held) await post(facadeUrl, rounds.held, dedup);
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
  for (const query of [...rounds.now, ...(rounds.held ? [rounds.held] : [])])
    for (const part of query.split('\nor\n')) {
      const signal =
        new RegExp(`"${SIGNAL_LABEL}", "([^"]+)"`).exec(part)?.[1] ?? '?';
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
  requests: () => number,
): Promise<{ backend: number[]; direct: number[]; upstream: number }> {
  const b: number[] = [];
  const d: number[] = [];
  let upstream = 0;
  for (let i = 0; i < runs; i++) {
    const before = requests();
    let t = performance.now();
    await backend();
    b.push(performance.now() - t);
    upstream += requests() - before;
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

/**
 * The benches' client in a process of its own, as a browser or a PromQL client is: it reads the
 * backend's answer and the direct path's answers off its own thread. In the backend's process its
 * read waited for the backend's work after the answer (keeping the last known fleet), which no
 * browser waits for, and the direct path's reads ran on the thread the backend had just used.
 */
import { BenchChild, serveBenchChild } from './benchChild';
import { sendRounds, SummaryRounds } from './directSummary';

type Question =
  | { kind: 'get'; url: string; authorization: string }
  | {
      kind: 'rounds';
      facadeUrl: string;
      rounds: SummaryRounds;
      dedup: boolean;
    };

const CHILD_ENV = 'FLEET_BENCH_CLIENT';

export class ClientProcess {
  private readonly child = new BenchChild<Question, void>(__filename, {
    [CHILD_ENV]: '1',
  });

  start(): Promise<void> {
    return this.child.start();
  }

  /** GET `url` as the signed-in user, the whole body read. */
  get(url: string, authorization: string): Promise<void> {
    return this.child.ask({ kind: 'get', url, authorization });
  }

  /** One summary's PromQL straight to the store (directSummary.ts). */
  sendRounds(
    facadeUrl: string,
    rounds: SummaryRounds,
    dedup = true,
  ): Promise<void> {
    return this.child.ask({ kind: 'rounds', facadeUrl, rounds, dedup });
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

async function run(q: Question): Promise<void> {
  if (q.kind === 'rounds') {
    await sendRounds(q.facadeUrl, q.rounds, q.dedup);
    return;
  }
  const res = await fetch(q.url, {
    headers: { authorization: q.authorization },
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`${q.url} answered ${res.status}: ${body}`);
}

if (require.main === module && process.env[CHILD_ENV]) serveBenchChild(run);

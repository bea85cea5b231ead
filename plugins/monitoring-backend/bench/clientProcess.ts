/**
 * The benches' client in a process of its own, as a browser or a PromQL client is: it reads the
 * backend's answer and the direct path's answers off its own thread. In the backend's process its
 * read waited for the backend's work after the answer (keeping the last known fleet), which no
 * browser waits for, and the direct path's reads ran on the thread the backend had just used.
 */
import { ChildProcess, fork } from 'node:child_process';
import { sendRounds, SummaryRounds } from './directSummary';

type Command =
  | { id: number; kind: 'get'; url: string; authorization: string }
  | {
      id: number;
      kind: 'rounds';
      facadeUrl: string;
      rounds: SummaryRounds;
      dedup: boolean;
    };

type Reply = { id: number; error?: string };

const CHILD_ENV = 'FLEET_BENCH_CLIENT';

export class ClientProcess {
  private child?: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, (reply: Reply) => void>();

  async start(): Promise<void> {
    const child = fork(__filename, [], {
      env: { ...process.env, [CHILD_ENV]: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (m: Reply) => this.waiting.get(m.id)?.(m));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  }

  private ask(command: Omit<Command, 'id'>): Promise<void> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, reply => {
        this.waiting.delete(id);
        if (reply.error) reject(new Error(reply.error));
        else resolve();
      });
      this.child!.send({ ...command, id });
    });
  }

  /** GET `url` as the signed-in user, the whole body read. */
  get(url: string, authorization: string): Promise<void> {
    return this.ask({ kind: 'get', url, authorization });
  }

  /** One summary's PromQL straight to the store (directSummary.ts). */
  sendRounds(
    facadeUrl: string,
    rounds: SummaryRounds,
    dedup = true,
  ): Promise<void> {
    return this.ask({ kind: 'rounds', facadeUrl, rounds, dedup });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill();
    await exited;
  }
}

async function run(command: Command): Promise<void> {
  if (command.kind === 'rounds') {
    await sendRounds(command.facadeUrl, command.rounds, command.dedup);
    return;
  }
  const res = await fetch(command.url, {
    headers: { authorization: command.authorization },
  });
  const body = await res.text();
  if (!res.ok)
    throw new Error(`${command.url} answered ${res.status}: ${body}`);
}

if (require.main === module && process.env[CHILD_ENV]) {
  process.on('message', (command: Command) =>
    run(command).then(
      () => process.send!({ id: command.id }),
      e => process.send!({ id: command.id, error: String(e) }),
    ),
  );
  process.on('disconnect', () => process.exit(0));
}

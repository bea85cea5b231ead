/**
 * A part of a bench in a child process of its own (its module run again, under the same transform),
 * asked over IPC: one answer per question, in any order.
 */
import { ChildProcess, fork } from 'node:child_process';

type Question<Q> = { id: number; question: Q };
type Answer<A> = { id: number; answer?: A; error?: string };

export class BenchChild<Q, A> {
  private child?: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, (a: Answer<A>) => void>();

  /** `file`: the module that calls serveBenchChild when `env` names it. */
  constructor(
    private readonly file: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    const child = fork(this.file, [], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (a: Answer<A>) => this.waiting.get(a.id)?.(a));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  }

  ask(question: Q): Promise<A> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, a => {
        this.waiting.delete(id);
        if (a.error !== undefined) reject(new Error(a.error));
        else resolve(a.answer as A);
      });
      this.child!.send({ id, question } satisfies Question<Q>);
    });
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

/** The child's side: answers each question with `answer`; exits when the bench is gone. */
export function serveBenchChild<Q, A>(answer: (q: Q) => Promise<A>): void {
  process.on('message', ({ id, question }: Question<Q>) =>
    answer(question).then(
      a => process.send!({ id, answer: a } satisfies Answer<A>),
      e => process.send!({ id, error: String(e) } satisfies Answer<A>),
    ),
  );
  process.on('disconnect', () => process.exit(0));
}

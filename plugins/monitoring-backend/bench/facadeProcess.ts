/**
 * The Thanos Query facade in a process of its own, as Thanos Query runs beside a Backstage backend:
 * its forwarding (decompressing and re-encoding every answer) then does not share the backend's
 * thread, where it held up the backend's parse of one answer while forwarding the next. The direct
 * path goes through the same process, so both paths pay the same hop.
 */
import { ChildProcess, fork } from 'node:child_process';
import {
  ThanosQueryFake,
  ThanosQueryFakeOptions,
} from '@fleet-monitoring/local-fleet';

const OPTIONS_ENV = 'FLEET_BENCH_FACADE_OPTIONS';

type Reply = { url: string } | { id: number; requests: number };

export class FacadeProcess {
  private child?: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, (requests: number) => void>();
  url = '';

  constructor(private readonly options: ThanosQueryFakeOptions) {}

  async start(): Promise<void> {
    const child = fork(__filename, [], {
      env: { ...process.env, [OPTIONS_ENV]: JSON.stringify(this.options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
      child.once('exit', code =>
        reject(new Error(`the facade process exited (${code})`)),
      );
      child.on('message', (m: Reply) => {
        if ('url' in m) resolve(m.url);
        else this.waiting.get(m.id)?.(m.requests);
      });
    });
  }

  /** Requests the facade has answered or is answering (ThanosQueryFake.requests). */
  requests(): Promise<number> {
    const id = ++this.next;
    return new Promise(resolve => {
      this.waiting.set(id, n => {
        this.waiting.delete(id);
        resolve(n);
      });
      this.child!.send({ id });
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

async function serve(options: ThanosQueryFakeOptions) {
  const facade = new ThanosQueryFake(options);
  await facade.start();
  process.on('message', (m: { id: number }) =>
    process.send!({ id: m.id, requests: facade.requests }),
  );
  // The bench is gone (finished or crashed): so is its facade.
  process.on('disconnect', () => process.exit(0));
  process.send!({ url: facade.url });
}

if (require.main === module && process.env[OPTIONS_ENV]) {
  serve(JSON.parse(process.env[OPTIONS_ENV]!)).catch(e => {
    console.error(e);
    process.exit(1);
  });
}

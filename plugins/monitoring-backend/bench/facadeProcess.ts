/**
 * The Thanos Query facade in a process of its own, as Thanos Query runs beside a Backstage backend:
 * its forwarding (decompressing and re-encoding every answer) then does not share the backend's
 * thread, where it held up the backend's parse of one answer while forwarding the next. The direct
 * path goes through the same process, so both paths pay the same hop.
 */
import {
  ThanosQueryFake,
  ThanosQueryFakeOptions,
} from '@fleet-monitoring/local-fleet';
import { BenchChild, serveBenchChild } from './benchChild';

const CHILD_ENV = 'FLEET_BENCH_FACADE';

/** The options go over IPC: a fleet's stores (one label set per tenant) outgrow an env variable. */
type Question = { start: ThanosQueryFakeOptions } | 'requests';

export class FacadeProcess {
  private readonly child = new BenchChild<Question, string | number>(
    __filename,
    { [CHILD_ENV]: '1' },
  );
  url = '';

  constructor(private readonly options: ThanosQueryFakeOptions) {}

  async start(): Promise<void> {
    await this.child.start();
    this.url = String(await this.child.ask({ start: this.options }));
  }

  /** Requests the facade has answered or is answering (ThanosQueryFake.requests). */
  async requests(): Promise<number> {
    return Number(await this.child.ask('requests'));
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

if (require.main === module && process.env[CHILD_ENV]) {
  let facade: ThanosQueryFake | undefined;
  serveBenchChild(async (q: Question) => {
    if (q === 'requests') return facade!.requests;
    facade = new ThanosQueryFake(q.start);
    await facade.start();
    return facade.url;
  });
}

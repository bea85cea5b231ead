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

const OPTIONS_ENV = 'FLEET_BENCH_FACADE_OPTIONS';

type Question = 'url' | 'requests';

export class FacadeProcess {
  private readonly child: BenchChild<Question, string | number>;
  url = '';

  constructor(options: ThanosQueryFakeOptions) {
    this.child = new BenchChild(__filename, {
      [OPTIONS_ENV]: JSON.stringify(options),
    });
  }

  async start(): Promise<void> {
    await this.child.start();
    this.url = String(await this.child.ask('url'));
  }

  /** Requests the facade has answered or is answering (ThanosQueryFake.requests). */
  async requests(): Promise<number> {
    return Number(await this.child.ask('requests'));
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

if (require.main === module && process.env[OPTIONS_ENV]) {
  const facade = new ThanosQueryFake(JSON.parse(process.env[OPTIONS_ENV]!));
  const started = facade.start();
  serveBenchChild(async (q: Question) => {
    await started;
    return q === 'url' ? facade.url : facade.requests;
  });
}

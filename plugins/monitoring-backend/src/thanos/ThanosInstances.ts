import { NotFoundError } from '@backstage/errors';
import type { ThanosInstanceConfig } from '../config';
import { ThanosClient } from './ThanosClient';

/** The configured Thanos Query instances (`fleetMonitoring.thanos`), one client each. */
export class ThanosInstances {
  private readonly clients = new Map<string, ThanosClient>();

  constructor(instances: ThanosInstanceConfig[]) {
    for (const instance of instances)
      this.clients.set(instance.name, new ThanosClient(instance));
  }

  names(): string[] {
    return [...this.clients.keys()];
  }

  /** The named instance, or the first configured one when no name is given. */
  client(name?: string): ThanosClient {
    const client = name
      ? this.clients.get(name)
      : this.clients.values().next().value;
    if (!client) {
      throw new NotFoundError(
        name
          ? `No Thanos instance named "${name}" is configured (fleetMonitoring.thanos)`
          : 'No Thanos instance is configured (fleetMonitoring.thanos)',
      );
    }
    return client;
  }

  /** Closes every client's keep-alive pool (backend shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(c => c.close()));
  }
}

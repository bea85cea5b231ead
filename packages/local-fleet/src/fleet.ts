import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentConfig, centralConfig, PrometheusProcess } from './prometheus';
import { freePort } from './ports';

export interface LocalFleetOptions {
  /** Cluster names of the real Prometheus agents (default two edge clusters). */
  agents?: string[];
  /** Scrape interval of the agents' self-scrape; short so tests see changes fast. */
  scrapeInterval?: string;
  /** Fixed port for the central store (the dev app uses one); a free one otherwise. */
  centralPort?: number;
}

/**
 * A real fleet on 127.0.0.1: one central Prometheus with the remote-write receiver (it stands in for
 * Thanos Receive plus Thanos Query's PromQL API) and Prometheus agents that self-scrape and
 * remote-write to it with their `cluster` external label.
 */
export class LocalFleet {
  readonly central: PrometheusProcess;
  readonly agents: PrometheusProcess[] = [];
  readonly baseDir: string;
  private readonly clusterNames: string[];
  private readonly scrapeInterval: string;

  private constructor(options: LocalFleetOptions) {
    this.baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
    this.scrapeInterval = options.scrapeInterval ?? '1s';
    this.clusterNames = options.agents ?? ['edge-a', 'edge-b'];
    this.central = new PrometheusProcess({
      name: 'central',
      mode: 'central',
      config: centralConfig(this.scrapeInterval),
      port: options.centralPort,
      baseDir: this.baseDir,
    });
  }

  static async start(options: LocalFleetOptions = {}): Promise<LocalFleet> {
    const fleet = new LocalFleet(options);
    try {
      await fleet.central.start();
      for (const cluster of fleet.clusterNames) {
        const port = await freePort();
        const agent = new PrometheusProcess({
          name: `agent-${cluster}`,
          mode: 'agent',
          port,
          baseDir: fleet.baseDir,
          config: agentConfig({
            cluster,
            selfPort: port,
            remoteWriteUrl: fleet.writeUrl,
            scrapeInterval: fleet.scrapeInterval,
          }),
        });
        fleet.agents.push(agent);
        await agent.start();
      }
    } catch (e) {
      await fleet.stop();
      throw e;
    }
    return fleet;
  }

  /** PromQL HTTP API base URL (what a Thanos Query instance config points at). */
  get queryUrl(): string {
    return this.central.url;
  }

  /** Prometheus's remote-write receiver path (Thanos Receive's would be /api/v1/receive). */
  get writeUrl(): string {
    return `${this.central.url}/api/v1/write`;
  }

  agent(cluster: string): PrometheusProcess {
    const agent = this.agents.find(a => a.name === `agent-${cluster}`);
    if (!agent) throw new Error(`no agent for cluster ${cluster}`);
    return agent;
  }

  /** Fault: the central store goes away (agents retry and pile up pending samples). */
  async stopCentral(): Promise<void> {
    await this.central.stop();
  }

  async startCentral(): Promise<void> {
    await this.central.start();
  }

  /**
   * Fault: give one agent a second remote-write queue whose target answers 404, so its samples fail
   * (404 is not retried). The first queue keeps delivering the agent's own metrics, so the failure
   * is visible centrally, as it is with an agent that writes to two receivers.
   */
  async breakRemoteWrite(cluster: string): Promise<void> {
    await this.agent(cluster).reconfigure(c => {
      c.remote_write = [
        c.remote_write[0],
        { url: `${this.central.url}/api/v1/no-such-receiver`, name: 'broken', queue_config: { batch_send_deadline: '1s' } },
      ];
    });
  }

  async repairRemoteWrite(cluster: string): Promise<void> {
    await this.agent(cluster).reconfigure(c => {
      c.remote_write = [c.remote_write[0]];
    });
  }

  /** Instant query against the central store (test helper). */
  async query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${this.queryUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as any;
    if (body.status !== 'success') throw new Error(`query failed: ${body.error}`);
    return body.data.result;
  }

  /** Stops agents first (an agent whose receiver is gone waits a minute to flush), then the central. */
  async stop(): Promise<void> {
    await Promise.all(this.agents.map(a => a.destroy()));
    await this.central.destroy();
    fs.rmSync(this.baseDir, { recursive: true, force: true });
  }
}

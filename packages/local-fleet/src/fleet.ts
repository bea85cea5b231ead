import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentConfig, centralConfig, PrometheusProcess } from './prometheus';
import { freePort } from './ports';
import {
  plainSink,
  ReplicatedSink,
  ReplicationOptions,
  SeriesSink,
} from './replication';
import { ThanosQueryFake, defaultStores } from './fakes/thanosQuery';
import { ThanosReceiveFake } from './fakes/thanosReceive';

export interface LocalFleetOptions {
  /** Cluster names of the real Prometheus agents (default two edge clusters). */
  agents?: string[];
  /** Scrape interval of the agents' self-scrape; short so tests see changes fast. */
  scrapeInterval?: string;
  /** Fixed port for the central store (the dev app uses one); a free one otherwise. */
  centralPort?: number;
  /** Fixed port for the Thanos Query facade (with replication). */
  queryPort?: number;
  /**
   * Thanos Receive with replication in front of the store: agents write to the receive fake with
   * their cluster as tenant, series are stored once per replica (raw) and merged (dedup), and the
   * Thanos Query facade answers with Thanos' dedup semantics. Off: a plain central Prometheus.
   */
  replication?: ReplicationOptions & {
    /** Head-series limit per tenant; the receive fake answers 429 above it. */
    headSeriesLimits?: Record<string, number>;
    /** Receivers that are down from the start. */
    down?: number[];
  };
  /** Runs once the store is up and before any agent writes (simulated history that must come first). */
  beforeAgents?: (fleet: LocalFleet) => Promise<void>;
}

/**
 * A real fleet on 127.0.0.1: one central Prometheus with the remote-write receiver (it stands in for
 * Thanos Receive plus Thanos Query's PromQL API) and Prometheus agents that self-scrape and
 * remote-write to it with their `cluster` external label.
 */
export class LocalFleet {
  readonly central: PrometheusProcess;
  /** With replication: the store of merged series (Query with dedup on reads it). */
  readonly dedupStore?: PrometheusProcess;
  readonly receive?: ThanosReceiveFake;
  /** With replication: the Thanos Query facade over both stores. */
  readonly thanosQuery?: ThanosQueryFake;
  /** Where simulated series go (replicated like the agents' series when replication is on). */
  readonly sink: SeriesSink;
  /** Tenants known besides the agents' (simulated clusters), listed by the facade's /stores. */
  readonly extraTenants = new Set<string>();
  readonly agents: PrometheusProcess[] = [];
  readonly baseDir: string;
  private readonly clusterNames: string[];
  private readonly scrapeInterval: string;

  private constructor(
    options: LocalFleetOptions,
    ports: { central: number; dedup: number },
  ) {
    this.baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
    this.scrapeInterval = options.scrapeInterval ?? '1s';
    this.clusterNames = options.agents ?? ['edge-a', 'edge-b'];
    const r = options.replication;
    if (r) {
      const sink = new ReplicatedSink(
        `http://127.0.0.1:${ports.central}/api/v1/write`,
        `http://127.0.0.1:${ports.dedup}/api/v1/write`,
        r,
      );
      for (const d of r.down ?? []) sink.down.add(d);
      this.sink = sink;
      this.receive = new ThanosReceiveFake({
        sink,
        headSeriesLimits: r.headSeriesLimits,
        splitTenantLabel: 'cluster',
      });
    } else {
      this.sink = plainSink(`http://127.0.0.1:${ports.central}/api/v1/write`);
    }
    const store = (name: string, port: number) =>
      new PrometheusProcess({
        name,
        mode: 'central',
        config: centralConfig(this.scrapeInterval),
        port,
        baseDir: this.baseDir,
      });
    this.central = store('central', ports.central);
    if (r) this.dedupStore = store('central-dedup', ports.dedup);
  }

  static async start(options: LocalFleetOptions = {}): Promise<LocalFleet> {
    const ports = {
      central: options.centralPort ?? (await freePort()),
      dedup: await freePort(),
    };
    const fleet = new LocalFleet(options, ports);
    try {
      await fleet.receive?.start();
      await fleet.central.start();
      await fleet.dedupStore?.start();
      if (fleet.receive) {
        const stored = options.replication?.replicaLabel ?? 'replica';
        const facade = new ThanosQueryFake({
          prometheusUrl: fleet.central.url,
          dedupPrometheusUrl: fleet.dedupStore!.url,
          storedReplicaLabel: stored,
          replicaLabels: [stored],
          port: options.queryPort,
        });
        (fleet as { thanosQuery?: ThanosQueryFake }).thanosQuery = facade;
        fleet.refreshStores();
        await facade.start();
      }
      await options.beforeAgents?.(fleet);
      if (fleet.receive) {
        // Both stores scrape the receivers' own metrics (job thanos-receive), as a central Prometheus
        // would; only now, so that simulated history older than an hour could go in first.
        const scrape = receiveScrapeConfig(
          fleet.receive.port,
          fleet.receive.options.sink.receivers,
        );
        for (const s of [fleet.central, fleet.dedupStore!]) {
          await s.reconfigure(c => {
            c.scrape_configs = [scrape];
          });
        }
      }
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
            remoteWriteUrl: fleet.receive
              ? fleet.receive.writeUrl
              : fleet.writeUrl,
            scrapeInterval: fleet.scrapeInterval,
            // Thanos Receive's tenant header; the scaffolder names a cluster's tenant after it.
            headers: fleet.receive ? { 'THANOS-TENANT': cluster } : undefined,
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
    return this.thanosQuery?.url ?? this.central.url;
  }

  /** Lists every tenant (agents', simulated ones) and down receiver in the facade's /stores. */
  refreshStores(): void {
    if (!this.thanosQuery || !this.receive) return;
    const sink = this.receive.options.sink;
    const tenants = new Set([
      ...this.clusterNames,
      ...this.extraTenants,
      ...this.receive.tenants,
    ]);
    this.thanosQuery.stores = defaultStores(
      sink.receivers,
      [...tenants].sort(),
      [...sink.down],
    );
  }

  /** Fault: one receiver goes down (its copies stop, its scrape fails, Query marks its endpoint). */
  setReceiverDown(receiver: number, down: boolean): void {
    if (!this.receive)
      throw new Error('setReceiverDown needs a fleet with replication');
    this.receive.setDown(receiver, down);
    this.refreshStores();
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
    await Promise.all([this.central.stop(), this.dedupStore?.stop()]);
  }

  async startCentral(): Promise<void> {
    await Promise.all([this.central.start(), this.dedupStore?.start()]);
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
        {
          url: `${this.receive?.url ?? this.central.url}/api/v1/no-such-receiver`,
          name: 'broken',
          queue_config: { batch_send_deadline: '1s' },
        },
      ];
    });
  }

  async repairRemoteWrite(cluster: string): Promise<void> {
    await this.agent(cluster).reconfigure(c => {
      c.remote_write = [c.remote_write[0]];
    });
  }

  /** Instant query against the central store (test helper). */
  async query(
    promql: string,
  ): Promise<
    Array<{ metric: Record<string, string>; value: [number, string] }>
  > {
    const res = await fetch(
      `${this.queryUrl}/api/v1/query?query=${encodeURIComponent(promql)}`,
    );
    const body = (await res.json()) as any;
    if (body.status !== 'success')
      throw new Error(`query failed: ${body.error}`);
    return body.data.result;
  }

  /** Stops agents first (an agent whose receiver is gone waits a minute to flush), then the central. */
  async stop(): Promise<void> {
    await Promise.all(this.agents.map(a => a.destroy()));
    await this.thanosQuery?.stop();
    await this.receive?.stop();
    await Promise.all([this.central.destroy(), this.dedupStore?.destroy()]);
    fs.rmSync(this.baseDir, { recursive: true, force: true });
  }
}

/** Scrape config for the receive fake's receivers (one target each, instance named like the pod). */
function receiveScrapeConfig(
  port: number,
  receivers: number,
): Record<string, unknown> {
  return {
    job_name: 'thanos-receive',
    static_configs: Array.from({ length: receivers }, (_, i) => ({
      targets: [`127.0.0.1:${port}`],
      labels: {
        __metrics_path__: `/receivers/${i}/metrics`,
        instance: `thanos-receive-${i}:10902`,
        namespace: 'monitoring',
      },
    })),
  };
}

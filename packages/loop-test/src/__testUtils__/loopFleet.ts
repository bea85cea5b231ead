/**
 * The scaffolded fleet running on 127.0.0.1:
 * - two store Prometheus processes behind the Receive stand-in (every replica's copy, and the merged
 *   copy Query reads with dedup on: see local-fleet's replication.ts);
 * - ThanosReceiveFake with the generated receiver count, replication factor and version, and
 *   ThanosQueryFake listing one receive endpoint per generated receiver with the hashring's tenants;
 * - one /metrics stand-in per Thanos pod the generated ServiceMonitors discover;
 * - the central Prometheus (server mode) with the scrape config derived from those ServiceMonitors
 *   and the Prometheus resource's external labels and remote write (to the Receive stand-in);
 * - the entry-point stand-in (basic auth) and one real agent per edge running its generated config.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {
  centralConfig,
  defaultStores,
  freePort,
  PrometheusProcess,
  ReplicatedSink,
  ThanosQueryFake,
  ThanosReceiveFake,
} from '@fleet-monitoring/local-fleet';
import {
  HASHRING_KEY,
  RECEIVE_NAME,
  QUERY_NAME,
  RECEIVE_REPLICA_LABEL,
} from '@fleet-monitoring/plugin-monitoring-common';
import { EdgeEntryPoint } from './edgeEntryPoint';
import { runnableAgentConfig } from './edgeAgentConfig';
import {
  CENTRAL,
  EDGE_AUTH_SECRET,
  EDGES,
  EdgeName,
  findObject,
  K8sObject,
  ScaffoldedFleet,
} from './scaffoldedFleet';
import {
  centralPrometheusConfig,
  DiscoveredTarget,
  discoverTargets,
  serviceMonitorJobs,
} from './serviceMonitorScrapeConfig';
import {
  NO_POD,
  podKey,
  PodMetricsServer,
  startThanosPods,
} from './thanosPodStandIns';

/** The value of `--flag=value` in a container's args. */
function flag(args: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find(a => a.startsWith(prefix))?.slice(prefix.length);
}

function containerArgs(docs: K8sObject[], kind: string, name: string) {
  return findObject(docs, kind, name).spec.template.spec.containers[0]
    .args as string[];
}

/** What the generated central says about Receive: receivers, RF, version, hashring tenants. */
export function receiveShape(central: K8sObject[]) {
  const sts = findObject(central, 'StatefulSet', RECEIVE_NAME);
  const args = containerArgs(central, 'StatefulSet', RECEIVE_NAME);
  const image: string = sts.spec.template.spec.containers[0].image;
  const hashring = central.find(
    d => d.kind === 'ConfigMap' && d.data?.[HASHRING_KEY] !== undefined,
  );
  if (!hashring)
    throw new Error('the rendered central has no hashring ConfigMap');
  const rings: Array<{ tenants?: string[] }> = JSON.parse(
    hashring.data![HASHRING_KEY],
  );
  return {
    receivers: sts.spec.replicas as number,
    replicationFactor: Number(flag(args, 'receive.replication-factor') ?? 1),
    version: image.replace(/^.*:v?/, ''),
    tenants: [...new Set(rings.flatMap(r => r.tenants ?? []))].sort(),
    defaultTenant: flag(args, 'receive.default-tenant-id') ?? 'default-tenant',
  };
}

export class LoopFleet {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loop-fleet-'));
  raw!: PrometheusProcess;
  dedup!: PrometheusProcess;
  receive!: ThanosReceiveFake;
  query!: ThanosQueryFake;
  central!: PrometheusProcess;
  entryPoint!: EdgeEntryPoint;
  /** The `thanos-receive-write` Service the central Prometheus writes to (in-cluster, no auth). */
  receiveWriteService!: EdgeEntryPoint;
  readonly agents = new Map<EdgeName, PrometheusProcess>();
  pods = new Map<string, PodMetricsServer>();
  targets: DiscoveredTarget[] = [];
  centralConfig: Record<string, any> = {};
  readonly agentConfigs = new Map<EdgeName, Record<string, any>>();
  readonly agentArgs = new Map<EdgeName, string[]>();
  shape!: ReturnType<typeof receiveShape>;
  private readonly passwords = Object.fromEntries(
    EDGES.map(e => [e, `pw-${e}-${Math.random().toString(36).slice(2)}`]),
  );

  constructor(readonly scaffolded: ScaffoldedFleet) {}

  async start(): Promise<void> {
    const { central } = this.scaffolded;
    this.shape = receiveShape(central);
    const store = async (name: string) => {
      const p = new PrometheusProcess({
        name,
        mode: 'central',
        config: centralConfig('1s'),
        port: await freePort(),
        baseDir: this.dir,
      });
      await p.start();
      return p;
    };
    [this.raw, this.dedup] = await Promise.all([
      store('store-raw'),
      store('store-dedup'),
    ]);
    const sink = new ReplicatedSink(
      `${this.raw.url}/api/v1/write`,
      `${this.dedup.url}/api/v1/write`,
      {
        factor: this.shape.replicationFactor,
        receivers: this.shape.receivers,
        replicaLabel: RECEIVE_REPLICA_LABEL,
      },
    );
    this.receive = new ThanosReceiveFake({ sink, version: this.shape.version });
    await this.receive.start();

    const queryArgs = containerArgs(central, 'Deployment', QUERY_NAME);
    const replicaLabels = queryArgs
      .filter(a => a.startsWith('--query.replica-label='))
      .map(a => a.slice('--query.replica-label='.length));
    this.query = new ThanosQueryFake({
      prometheusUrl: this.raw.url,
      dedupPrometheusUrl: this.dedup.url,
      storedReplicaLabel: RECEIVE_REPLICA_LABEL,
      replicaLabels,
    });
    this.refreshStores();
    await this.query.start();

    const centralRemoteWrite = findObject(central, 'Prometheus').spec
      ?.remoteWrite?.[0];
    this.receiveWriteService = new EdgeEntryPoint({
      upstreamUrl: this.receive.writeUrl,
      headersOf: () => centralRemoteWrite?.headers ?? {},
    });
    await this.receiveWriteService.start();

    // Pods first (their ports go into the scrape config), then the central that scrapes them.
    const receiveArgs = containerArgs(central, 'StatefulSet', RECEIVE_NAME);
    this.pods = await startThanosPods(discoverTargets(central), {
      receive: this.receive,
      objectStorage: receiveArgs.some(
        a =>
          a.startsWith('--objstore.config-file=') ||
          a.startsWith('--objstore.config='),
      ),
      queryVersion: this.shape.version,
      queryRequests: () => this.query.requests,
    });
    const { scrapeConfigs, targets } = serviceMonitorJobs(
      central,
      t => this.pods.get(podKey(t))?.address ?? NO_POD,
    );
    this.targets = targets;
    this.centralConfig = {
      ...centralPrometheusConfig(findObject(central, 'Prometheus'), {
        scrapeInterval: '1s',
        // In the cluster: the thanos-receive-write Service (ready receivers), no auth inside.
        remoteWriteUrl: () => this.receiveWriteService.writeUrl,
      }),
      scrape_configs: scrapeConfigs,
    };
    this.central = new PrometheusProcess({
      name: `prometheus-${CENTRAL}`,
      mode: 'central',
      config: this.centralConfig,
      port: await freePort(),
      baseDir: this.dir,
    });
    await this.central.start();

    this.entryPoint = new EdgeEntryPoint({
      upstreamUrl: this.receive.writeUrl,
      users: this.passwords,
      // Each edge's generated remote_write headers, by the user it authenticates as (its name).
      headersOf: user =>
        user
          ? (this.agentConfigs.get(user as EdgeName)?.remote_write?.[0]
              ?.headers ?? {})
          : {},
    });
    await this.entryPoint.start();

    for (const edge of EDGES) {
      const port = await freePort();
      const { config, args } = runnableAgentConfig(
        this.scaffolded.edges[edge],
        {
          selfPort: port,
          remoteWriteUrl: this.entryPoint.writeUrl,
          podRoot: path.join(this.dir, `${edge}-pod`),
          secrets: { [EDGE_AUTH_SECRET]: { password: this.passwords[edge] } },
        },
      );
      this.agentConfigs.set(edge, config);
      this.agentArgs.set(edge, args);
      const agent = new PrometheusProcess({
        name: `agent-${edge}`,
        mode: 'agent',
        port,
        config,
        baseDir: this.dir,
      });
      this.agents.set(edge, agent);
      await agent.start();
    }
  }

  /** `promtool check config` (`--agent` for an edge) on the config a process runs: {ok, output}. */
  checkConfig(which: EdgeName | typeof CENTRAL): {
    ok: boolean;
    output: string;
  } {
    const agent = which !== CENTRAL;
    const config = agent ? this.agentConfigs.get(which) : this.centralConfig;
    const file = path.join(this.dir, `${which}-promtool.yml`);
    fs.writeFileSync(file, YAML.stringify(config));
    try {
      const output = execFileSync(
        'promtool',
        ['check', 'config', ...(agent ? ['--agent'] : []), file],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      return { ok: true, output };
    } catch (e: any) {
      return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }

  /** Query's /stores: one receive endpoint per generated receiver, with every tenant it holds. */
  refreshStores(): void {
    const down = [...this.receive.options.sink.down];
    const tenants = [
      ...new Set([
        ...this.shape.tenants,
        this.shape.defaultTenant,
        ...this.receive.tenants,
      ]),
    ].sort();
    // No Store gateway in the generated central: only the receivers are Query's endpoints.
    this.query.stores = defaultStores(
      this.shape.receivers,
      tenants,
      down,
    ).filter(s => s.type === 'receive');
  }

  /** A receiver pod goes away: its writes stop, its scrape is refused, Query marks its endpoint. */
  async setReceiverDown(ordinal: number, down: boolean): Promise<void> {
    this.receive.setDown(ordinal, down);
    for (const t of this.targets) {
      if (t.workload !== RECEIVE_NAME || t.ordinal !== ordinal) continue;
      const pod = this.pods.get(podKey(t));
      if (down) await pod?.stop();
      else await pod?.start();
    }
    this.refreshStores();
  }

  /** Instant PromQL against Thanos Query (dedup on, as Grafana and the backend ask). */
  async promql(
    query: string,
  ): Promise<
    Array<{ metric: Record<string, string>; value: [number, string] }>
  > {
    const res = await fetch(
      `${this.query.url}/api/v1/query?query=${encodeURIComponent(query)}`,
    );
    const body = (await res.json()) as any;
    if (body.status !== 'success')
      throw new Error(`query ${query} failed: ${body.error}`);
    return body.data.result;
  }

  /** Stops agents first (an agent whose receiver is gone waits to flush), then everything else. */
  async stop(): Promise<void> {
    await Promise.all([...this.agents.values()].map(a => a.destroy()));
    await this.central?.destroy();
    await this.entryPoint?.stop();
    await this.receiveWriteService?.stop();
    await Promise.all([...this.pods.values()].map(p => p.stop()));
    await this.query?.stop();
    await this.receive?.stop();
    await Promise.all([this.raw?.destroy(), this.dedup?.destroy()]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

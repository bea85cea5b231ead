import { LocalFleet } from './fleet';
import { FleetSimulator, planClusters } from './simulator';
import { ThanosQueryFake } from './fakes/thanosQuery';

export interface DemoFleetOptions {
  centralPort?: number;
  queryPort?: number;
  /** Synthetic clusters written next to the real agents. */
  syntheticClusters?: number;
  log?: (line: string) => void;
}

export interface DemoFleet {
  /** Thanos-Query-like PromQL API (real Prometheus behind a facade that adds /api/v1/stores). */
  queryUrl: string;
  centralUrl: string;
  fleet: LocalFleet;
  thanosQuery: ThanosQueryFake;
  simulator: FleetSimulator;
  stop(): Promise<void>;
}

/** Real agents of the demo (names from the reference's example layout). */
export const DEMO_AGENT_CLUSTERS = ['cluster-01-central', 'cluster-02-edge', 'cluster-03-edge'];

/**
 * The demo fleet behind `npm start` and the end-to-end test: real Prometheus agents remote-writing
 * to a real central Prometheus, synthetic clusters with a few faults, Thanos Receive series, a
 * `checkout` service, and the Thanos Query facade.
 */
export async function startDemoFleet(options: DemoFleetOptions = {}): Promise<DemoFleet> {
  const log = options.log ?? (() => {});
  const fleet = await LocalFleet.start({
    agents: DEMO_AGENT_CLUSTERS,
    scrapeInterval: '5s',
    centralPort: options.centralPort,
  });
  log(`central Prometheus on ${fleet.central.url}, agents: ${DEMO_AGENT_CLUSTERS.join(', ')}`);
  const simulator = new FleetSimulator({
    writeUrl: fleet.writeUrl,
    clusters: planClusters(options.syntheticClusters ?? 24, {
      lagging: 1,
      failing: 1,
      retrying: 1,
      dropping: 1,
      'shards-maxed': 1,
      silent: 1,
    }),
    receive: { fault: 'healthy', job: 'thanos-receive', replicas: 3 },
    services: [
      { job: 'checkout', namespace: 'shop', clusters: ['cluster-02-edge', 'cluster-03-edge'], targets: 2 },
    ],
    stepSeconds: 15,
  });
  await simulator.writeUntilNow();
  simulator.startTicking(e => log(`simulator: ${e}`));
  const thanosQuery = new ThanosQueryFake({ prometheusUrl: fleet.queryUrl, port: options.queryPort });
  await thanosQuery.start();
  log(`Thanos Query facade on ${thanosQuery.url}`);
  return {
    queryUrl: thanosQuery.url,
    centralUrl: fleet.central.url,
    fleet,
    thanosQuery,
    simulator,
    async stop() {
      simulator.stopTicking();
      await thanosQuery.stop();
      await fleet.stop();
    },
  };
}

import type {
  ClusterSource,
  StoreEndpoint,
} from '@fleet-monitoring/plugin-monitoring-common';
import { TENANT_LABEL } from '../thanos/queries';
import {
  forEachSeen,
  GaugeSignal,
  JoinedAnswer,
  RateSignal,
  signals,
  TaggedSample,
} from '../thanos/signals';
import type { PromVectorSample } from '../thanos/ThanosClient';
import type { ClusterObservation, QueueObservation } from './judge';

/** Thanos Receive's tenant for writes without a tenant header; not a cluster name. */
export const DEFAULT_TENANT = 'default-tenant';

/**
 * The tenants whose receiver rates are one cluster's: its own name (an unmapped tenant is taken as
 * a cluster name) and every tenant the inventory saw its series come in under.
 */
export function clusterTenants(
  inventory: JoinedAnswer,
  clusterLabel: string,
  cluster: string,
): string[] {
  const out = new Set([cluster]);
  forEachSeen(inventory, clusterLabel, (seen, _lastSeen, tenant) => {
    if (seen === cluster && tenant && tenant !== DEFAULT_TENANT)
      out.add(tenant);
  });
  return [...out];
}

export interface FleetAnswers {
  clusterLabel: string;
  inventory: JoinedAnswer;
  rates: JoinedAnswer;
  gauges: JoinedAnswer;
  /** Thanos Query's store endpoints (`undefined` for a plain Prometheus). */
  stores?: StoreEndpoint[];
  /** Clusters named by catalog Resources (`fleet-monitoring.io/cluster`). */
  catalogClusters?: string[];
}

type Setter<O> = (o: O, v: number) => void;

/** Per-cluster figures: which signal fills which field of the observation. */
const CLUSTER_RATES: Partial<Record<RateSignal, Setter<ClusterObservation>>> = {
  sent: (o, v) => (o.stats.samplesPerSecond = v),
  retried: (o, v) => (o.stats.retriedPerSecond = v),
  retried_held: (o, v) => (o.retriedHeld = v),
  dropped: (o, v) => (o.stats.droppedPerSecond = v),
  dropped_held: (o, v) => (o.droppedHeld = v),
};
const CLUSTER_GAUGES: Partial<Record<GaugeSignal, Setter<ClusterObservation>>> =
  {
    pending: (o, v) => (o.stats.pendingSamples = v),
    pending_held: (o, v) => (o.pendingHeld = v),
    shards: (o, v) => (o.stats.shards = v),
    lag: (o, v) => (o.stats.lagSeconds = v),
  };
/**
 * A share of attempts, at most all of them. The two rates extrapolate each counter on its own, and
 * the agent counts an attempt before its failure: a window that starts between the two counts a
 * failure without its attempt, so a queue failing every send can read a hair over 1.
 */
const share = (v: number) => Math.min(1, v);

/** Per-queue figures (`_q`): one entry per queue that has something to say (every queue in detail). */
const QUEUE_RATES: Partial<Record<RateSignal, Setter<QueueObservation>>> = {
  sent_q: (q, v) => (q.samplesPerSecond = v),
  failed_q: (q, v) => (q.failedPerSecond = v),
  failure_ratio_q: (q, v) => (q.failureRatio = share(v)),
  failure_ratio_held_q: (q, v) => (q.failureRatioHeld = share(v)),
};
/** In this order: the detail's `max_q` (every queue) overrides `shards_max_q` (queues over it). */
const QUEUE_GAUGES: Partial<Record<GaugeSignal, Setter<QueueObservation>>> = {
  lag_q: (q, v) => (q.lagSeconds = v),
  lag_held_q: (q, v) => (q.lagHeld = v),
  lag_drain_q: (q, v) => (q.lagDrainPerSecond = v),
  shards_over_q: (q, v) => (q.shardsOver = v),
  shards_over_held_q: (q, v) => (q.shardsOverHeld = v),
  shards_max_q: (q, v) => (q.maxShards = v),
  shards_q: (q, v) => (q.shards = v),
  desired_q: (q, v) => (q.desiredShards = v),
  max_q: (q, v) => (q.maxShards = v),
};
/** What the receivers accept or refuse per tenant (read per cluster through the tenant map). */
const TENANT_RATES: Partial<Record<RateSignal, Setter<ClusterObservation>>> = {
  tenant_accepted: (o, v) => (o.stats.tenantSamplesPerSecond = v),
  tenant_refused: (o, v) => (o.stats.tenantRefusedPerSecond = v),
};
/** Applies a table of setters to the samples of the signals it names. */
function apply<S extends string, O>(
  table: Partial<Record<S, Setter<O>>>,
  answer: ReadonlyMap<S, TaggedSample[]>,
  target: (s: TaggedSample) => O | undefined,
): void {
  for (const [signal, set] of Object.entries(table) as Array<[S, Setter<O>]>) {
    for (const s of answer.get(signal) ?? []) {
      const o = target(s);
      if (o !== undefined) set(o, s.value);
    }
  }
}

/**
 * Tenants the receivers hold a TSDB for, from the label sets their StoreAPIs announce (Receive keeps
 * an idle tenant until its retention ends, so this remembers clusters long after they went quiet).
 */
export function receiveTenants(
  stores: StoreEndpoint[] | undefined,
): Set<string> {
  const out = new Set<string>();
  for (const s of stores ?? []) {
    if (s.type !== 'receive') continue;
    for (const ls of s.labelSets) {
      const t = ls[TENANT_LABEL];
      if (t && t !== DEFAULT_TENANT) out.add(t);
    }
  }
  return out;
}

/** The observations being built, one per cluster, each remembering which sources know it. */
class Fleet {
  readonly byCluster = new Map<string, ClusterObservation>();
  /**
   * Tenant -> its cluster's observation, from the inventory (the scaffolder names a tenant after its
   * cluster): a receiver's tenant sample finds its cluster in one lookup, not two.
   */
  readonly ofTenant = new Map<string, ClusterObservation>();
  private readonly queues = new Map<string, QueueObservation>();

  constructor(private readonly clusterLabel: string) {}

  get(cluster: string, source: ClusterSource): ClusterObservation {
    let o = this.byCluster.get(cluster);
    if (!o) {
      // `[source]`, not `[]` and a push: a push makes room for 17 (100,000 clusters: ~7 MB more).
      o = { cluster, stats: {}, queues: [], knownFrom: [source] };
      this.byCluster.set(cluster, o);
    } else if (!o.knownFrom.includes(source)) o.knownFrom.push(source);
    return o;
  }

  /** The cluster a sample is about (known already, or now known from Thanos). */
  cluster = (s: TaggedSample): ClusterObservation | undefined => {
    const cluster = s.labels[this.clusterLabel];
    if (!cluster) return undefined;
    return this.byCluster.get(cluster) ?? this.get(cluster, 'thanos');
  };

  /** The cluster of a receiver's tenant sample; only clusters some source knows already. */
  tenant = (s: TaggedSample): ClusterObservation | undefined => {
    const tenant = s.labels.tenant;
    if (!tenant || tenant === DEFAULT_TENANT) return undefined;
    return this.ofTenant.get(tenant) ?? this.byCluster.get(tenant);
  };

  /** The queue a sample is about (cluster, instance, remote_name, url), added to its cluster. */
  queue = (s: TaggedSample): QueueObservation | undefined => {
    const l = s.labels;
    const cluster = l[this.clusterLabel];
    if (!cluster) return undefined;
    const key = `${cluster}\u0000${l.instance ?? ''}\u0000${l.remote_name ?? ''}\u0000${l.url ?? ''}`;
    let q = this.queues.get(key);
    if (!q) {
      const name = l.remote_name || l.url || 'default';
      const made: QueueObservation & { cluster: string } = {
        cluster,
        name,
        ...(l.url ? { url: l.url } : {}),
      };
      q = made;
      this.queues.set(key, q);
      this.cluster(s)!.queues.push(q);
    }
    return q;
  };
}

/** A cluster's figures from its queues: failures summed, the worst ratio, the most-over queue. */
function rollUpQueues(o: ClusterObservation): void {
  for (const q of o.queues) {
    if (
      q.shardsOver !== undefined &&
      q.maxShards !== undefined &&
      q.desiredShards === undefined
    ) {
      q.desiredShards = q.maxShards + q.shardsOver;
    }
  }
  const failed = o.queues.reduce((sum, q) => sum + (q.failedPerSecond ?? 0), 0);
  if (failed > 0) o.stats.failedPerSecond = failed;
  const worst = Math.max(0, ...o.queues.map(q => q.failureRatio ?? 0));
  if (worst > 0) o.stats.failureRatio = worst;
  const over = o.queues.filter(
    q => q.desiredShards !== undefined && q.maxShards !== undefined,
  );
  if (over.length > 0) {
    const q = over.reduce((x, y) =>
      (x.shardsOver ?? 0) >= (y.shardsOver ?? 0) ? x : y,
    );
    o.stats.desiredShards = q.desiredShards;
    o.stats.maxShards = q.maxShards;
  }
}

/** Clusters known from the inventory, the receivers' tenants and the catalog. */
function collectKnown(fleet: Fleet, a: FleetAnswers): void {
  forEachSeen(a.inventory, a.clusterLabel, (cluster, lastSeen, tenant) => {
    const o = fleet.get(cluster, 'thanos');
    o.stats.lastSeen = Math.max(o.stats.lastSeen ?? lastSeen, lastSeen);
    if (tenant) fleet.ofTenant.set(tenant, o);
  });
  // An unmapped tenant is taken as a cluster name.
  for (const tenant of receiveTenants(a.stores))
    fleet.get(fleet.ofTenant.get(tenant)?.cluster ?? tenant, 'tenant');
  for (const cluster of a.catalogClusters ?? []) fleet.get(cluster, 'catalog');
}

/**
 * The fleet's observations built in steps: every known cluster with the first answers' signals,
 * more signals added as later answers arrive (the summary's second round), then each cluster's
 * figures rolled up from its queues.
 */
export class FleetObserver {
  private readonly fleet: Fleet;

  constructor(a: FleetAnswers) {
    this.fleet = new Fleet(a.clusterLabel);
    collectKnown(this.fleet, a);
    this.add(a.rates, a.gauges);
  }

  /** Applies rate and gauge signals (a joined answer may carry both). */
  add(ratesAnswer: JoinedAnswer, gaugesAnswer = ratesAnswer): void {
    const rates = signals<RateSignal>(ratesAnswer);
    const gauges = signals<GaugeSignal>(gaugesAnswer);
    const fleet = this.fleet;
    apply(CLUSTER_RATES, rates, fleet.cluster);
    apply(CLUSTER_GAUGES, gauges, fleet.cluster);
    apply(TENANT_RATES, rates, fleet.tenant);
    apply(QUEUE_RATES, rates, fleet.queue);
    apply(QUEUE_GAUGES, gauges, fleet.queue);
  }

  /**
   * The tenants whose accepted samples the judge reads: those of the clusters silent now (no
   * self-metrics, or older than `staleAfterSeconds`: each such cluster's tenants from the inventory
   * and its own name, an unmapped tenant being taken as a cluster name), and the tenants Receive
   * refuses with 429 (`tenant_refused` in the first round's `answersNow`). It needs only the
   * clusters known (inventory, receivers' tenants, catalog), so it can be asked before the rates
   * are applied.
   */
  tenantsToAsk(
    nowSeconds: number,
    staleAfterSeconds: number,
    answersNow: JoinedAnswer = [],
  ): string[] {
    const needs = ({ stats }: ClusterObservation) =>
      stats.lastSeen === undefined ||
      nowSeconds - stats.lastSeen > staleAfterSeconds;
    const out = new Set<string>();
    for (const s of signals<RateSignal>(answersNow).get('tenant_refused') ?? [])
      if (s.labels.tenant) out.add(s.labels.tenant);
    for (const [tenant, o] of this.fleet.ofTenant)
      if (needs(o)) out.add(tenant);
    for (const o of this.fleet.byCluster.values())
      if (needs(o)) out.add(o.cluster);
    out.delete(DEFAULT_TENANT);
    return [...out];
  }

  /** The observations so far (figures not yet rolled up from the queues). */
  get observations(): ClusterObservation[] {
    return [...this.fleet.byCluster.values()];
  }

  /** Every observation, its figures rolled up from its queues. */
  finish(): ClusterObservation[] {
    const list = this.observations;
    for (const o of list) rollUpQueues(o);
    return list;
  }
}

/**
 * Joins every source that knows a cluster (Thanos series over the inventory lookback, the receivers'
 * tenants, catalog Resources) with the remote-write signals, into one observation per cluster.
 * A cluster known from any source is kept, whatever Thanos has for it now.
 */
export function observeFleet(a: FleetAnswers): ClusterObservation[] {
  return new FleetObserver(a).finish();
}

/**
 * A late cluster's observation from its own rates and gauges at its last sample (lateClusterQuery
 * evaluated at `lastSeen`): every queue with its failures, shards and lag, as when it was fresh.
 * What is known now (last seen, the receivers' per-tenant rates, sources) is kept.
 */
export function observeLate(
  o: ClusterObservation,
  answer: PromVectorSample[],
  clusterLabel: string,
): void {
  const fleet = new Fleet(clusterLabel);
  const then = fleet.get(o.cluster, 'thanos');
  // The receivers' per-tenant rates in the answer are of that past moment: not read here.
  const own = answer.filter(s => s.metric[clusterLabel] === o.cluster);
  const rates = signals<RateSignal>(own);
  const gauges = signals<GaugeSignal>(own);
  apply(CLUSTER_RATES, rates, fleet.cluster);
  apply(CLUSTER_GAUGES, gauges, fleet.cluster);
  apply(QUEUE_RATES, rates, fleet.queue);
  apply(QUEUE_GAUGES, gauges, fleet.queue);
  rollUpQueues(then);
  o.stats = { ...o.stats, ...then.stats };
  o.queues = then.queues;
  o.retriedHeld = then.retriedHeld;
  o.droppedHeld = then.droppedHeld;
  o.pendingHeld = then.pendingHeld;
}

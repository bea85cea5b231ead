import type {
  ClusterSource,
  StoreEndpoint,
} from '@fleet-monitoring/plugin-monitoring-common';
import { PromVectorSample } from '../thanos/ThanosClient';
import { signals, TaggedSample, TENANT_LABEL } from '../thanos/queries';
import type { ClusterObservation, QueueObservation } from './remoteWrite';

/** Thanos Receive's tenant for writes without a tenant header; not a cluster name. */
export const DEFAULT_TENANT = 'default-tenant';

export interface FleetAnswers {
  clusterLabel: string;
  inventory: PromVectorSample[];
  rates: PromVectorSample[];
  gauges: PromVectorSample[];
  /** Thanos Query's store endpoints (`undefined` for a plain Prometheus). */
  stores?: StoreEndpoint[];
  /** Clusters named by catalog Resources (`fleet-monitoring.io/cluster`). */
  catalogClusters?: string[];
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

const queueKey = (l: Record<string, string>, c: string) =>
  `${l[c]}\u0000${l.instance ?? ''}\u0000${l.remote_name ?? ''}\u0000${l.url ?? ''}`;

/**
 * Joins every source that knows a cluster (Thanos series over the inventory lookback, the receivers'
 * tenants, catalog Resources) with the remote-write signals, into one observation per cluster.
 * A cluster known from any source is kept, whatever Thanos has for it now.
 */
export function observeFleet(a: FleetAnswers): ClusterObservation[] {
  const c = a.clusterLabel;
  const inv = signals(a.inventory);
  const rates = signals(a.rates);
  const gauges = signals(a.gauges);
  const obs = new Map<string, ClusterObservation>();
  const get = (cluster: string, source: ClusterSource): ClusterObservation => {
    let o = obs.get(cluster);
    if (!o)
      obs.set(cluster, (o = { cluster, stats: {}, queues: [], knownFrom: [] }));
    if (!o.knownFrom.includes(source)) o.knownFrom.push(source);
    return o;
  };
  const each = (
    list: TaggedSample[] | undefined,
    fn: (cluster: string, s: TaggedSample) => void,
  ) => {
    for (const s of list ?? []) {
      const cluster = s.labels[c];
      if (cluster) fn(cluster, s);
    }
  };

  each(
    inv.get('last_seen'),
    (cluster, s) => (get(cluster, 'thanos').stats.lastSeen = s.value),
  );
  const clusterOfTenant = new Map<string, string>();
  each(inv.get('tenant'), (cluster, s) => {
    const tenant = s.labels[TENANT_LABEL];
    if (tenant) clusterOfTenant.set(tenant, cluster);
  });
  // The scaffolder names a cluster's tenant after the cluster; an unmapped tenant is taken as one.
  for (const tenant of receiveTenants(a.stores))
    get(clusterOfTenant.get(tenant) ?? tenant, 'tenant');
  for (const cluster of a.catalogClusters ?? []) get(cluster, 'catalog');

  const known = (cluster: string) => obs.get(cluster) ?? get(cluster, 'thanos');
  each(
    rates.get('sent'),
    (cluster, s) => (known(cluster).stats.samplesPerSecond = s.value),
  );
  each(
    rates.get('retried'),
    (cluster, s) => (known(cluster).stats.retriedPerSecond = s.value),
  );
  each(
    rates.get('retried_held'),
    (cluster, s) => (known(cluster).retriedHeld = s.value),
  );
  each(
    rates.get('dropped'),
    (cluster, s) => (known(cluster).stats.droppedPerSecond = s.value),
  );
  each(
    rates.get('dropped_held'),
    (cluster, s) => (known(cluster).droppedHeld = s.value),
  );
  each(
    gauges.get('pending'),
    (cluster, s) => (known(cluster).stats.pendingSamples = s.value),
  );
  each(
    gauges.get('pending_held'),
    (cluster, s) => (known(cluster).pendingHeld = s.value),
  );
  each(
    gauges.get('shards'),
    (cluster, s) => (known(cluster).stats.shards = s.value),
  );
  each(
    gauges.get('lag'),
    (cluster, s) => (known(cluster).stats.lagSeconds = s.value),
  );

  const tenantRate = (
    signal: string,
    set: (o: ClusterObservation, v: number) => void,
  ) => {
    for (const s of rates.get(signal) ?? []) {
      const tenant = s.labels.tenant;
      if (!tenant || tenant === DEFAULT_TENANT) continue;
      const cluster = clusterOfTenant.get(tenant) ?? tenant;
      const o = obs.get(cluster);
      if (o) set(o, s.value);
    }
  };
  tenantRate('tenant_accepted', (o, v) => (o.stats.tenantSamplesPerSecond = v));
  tenantRate('tenant_refused', (o, v) => (o.stats.tenantRefusedPerSecond = v));

  // Per-queue signals: one entry per queue that has something to say (or every queue in detail).
  const queues = new Map<string, QueueObservation & { cluster: string }>();
  const queue = (s: TaggedSample): QueueObservation | undefined => {
    const cluster = s.labels[c];
    if (!cluster) return undefined;
    const key = queueKey(s.labels, c);
    let q = queues.get(key);
    if (!q) {
      const name = s.labels.remote_name || s.labels.url || 'default';
      queues.set(
        key,
        (q = { cluster, name, ...(s.labels.url ? { url: s.labels.url } : {}) }),
      );
      known(cluster).queues.push(q);
    }
    return q;
  };
  const perQueue = (
    list: TaggedSample[] | undefined,
    set: (q: QueueObservation, v: number) => void,
  ) => {
    for (const s of list ?? []) {
      const q = queue(s);
      if (q) set(q, s.value);
    }
  };
  perQueue(rates.get('sent_q'), (q, v) => (q.samplesPerSecond = v));
  perQueue(rates.get('failed_q'), (q, v) => (q.failedPerSecond = v));
  perQueue(rates.get('failure_ratio_q'), (q, v) => (q.failureRatio = v));
  perQueue(
    rates.get('failure_ratio_held_q'),
    (q, v) => (q.failureRatioHeld = v),
  );
  perQueue(gauges.get('lag_q'), (q, v) => (q.lagSeconds = v));
  perQueue(gauges.get('lag_held_q'), (q, v) => (q.lagHeld = v));
  perQueue(gauges.get('shards_over_q'), (q, v) => (q.shardsOver = v));
  perQueue(gauges.get('shards_over_held_q'), (q, v) => (q.shardsOverHeld = v));
  perQueue(gauges.get('shards_max_q'), (q, v) => (q.maxShards = v));
  perQueue(gauges.get('shards_q'), (q, v) => (q.shards = v));
  perQueue(gauges.get('desired_q'), (q, v) => (q.desiredShards = v));
  perQueue(gauges.get('max_q'), (q, v) => (q.maxShards = v));

  for (const o of obs.values()) {
    for (const q of o.queues) {
      if (
        q.shardsOver !== undefined &&
        q.maxShards !== undefined &&
        q.desiredShards === undefined
      ) {
        q.desiredShards = q.maxShards + q.shardsOver;
      }
    }
    const failed = o.queues.reduce(
      (sum, q) => sum + (q.failedPerSecond ?? 0),
      0,
    );
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
  return [...obs.values()];
}

/** Fills a late cluster's stats from the newest values within the late lookback. */
export function applyLateStats(
  list: ClusterObservation[],
  late: PromVectorSample[],
  clusterLabel: string,
): void {
  const byName = new Map(list.map(o => [o.cluster, o]));
  const sig = signals(late);
  const set = (
    signal: string,
    fn: (o: ClusterObservation, v: number) => void,
  ) => {
    for (const s of sig.get(signal) ?? []) {
      const o = byName.get(s.labels[clusterLabel]);
      if (o) fn(o, s.value);
    }
  };
  set('sent', (o, v) => (o.stats.samplesPerSecond = v));
  set('failed', (o, v) => (o.stats.failedPerSecond = v > 0 ? v : undefined));
  set('retried', (o, v) => (o.stats.retriedPerSecond = v > 0 ? v : undefined));
  set('dropped', (o, v) => (o.stats.droppedPerSecond = v > 0 ? v : undefined));
  set('pending', (o, v) => (o.stats.pendingSamples = v));
  set('failure_ratio', (o, v) => {
    if (v > 0) {
      o.stats.failureRatio = v;
      o.queues = [
        {
          name: 'all queues',
          failureRatio: v,
          failedPerSecond: o.stats.failedPerSecond,
        },
      ];
    }
  });
}

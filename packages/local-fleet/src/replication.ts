import { Timeseries, writeSeries } from './remoteWrite';

/**
 * Where series end up, the way Thanos Receive stores them.
 *
 * With replication factor RF, Receive writes every series of a tenant to RF receivers of the
 * hashring; each receiver keeps it in that tenant's TSDB and announces its external labels (by
 * convention `replica="<pod>"`, kube-thanos' `--label=replica="$(NAME)"`) plus `tenant_id`. Thanos
 * Query without deduplication therefore returns each series once per receiver, differing only in
 * the replica label; with `dedup=true` and that label among its replica labels it merges them into
 * one series without it (pkg/dedup: series equal but for replica labels are merged, samples taken
 * from one replica at a time, switching on gaps).
 *
 * No local PromQL engine can merge at selection time, so the local fleet keeps two real Prometheus
 * TSDBs: `raw` holds every replica's copy with its replica label (what Query reads with dedup off)
 * and `dedup` holds the merged series (what it reads with dedup on). Both are written from the same
 * stream; the Thanos Query facade picks one per request from `dedup` and `replicaLabels[]`.
 */
export interface Batch {
  /** The tenant the writes belong to (THANOS-TENANT); absent for a plain, non-Thanos store. */
  tenant?: string;
  series: Timeseries[];
}

export interface SeriesSink {
  write(batches: Batch[]): Promise<{ requests: number; samples: number }>;
}

/** A plain Prometheus remote-write receiver: series stored once, as sent. */
export function plainSink(url: string): SeriesSink {
  return {
    write: batches =>
      writeSeries(
        url,
        batches.flatMap(b => b.series),
      ),
  };
}

export interface ReplicationOptions {
  /** Replication factor (copies per series), default 3. */
  factor?: number;
  /** Receivers in the hashring, default = factor. */
  receivers?: number;
  /** Label each receiver adds to what it serves, default `replica`. */
  replicaLabel?: string;
  /** Label Receive adds per tenant (`--receive.tenant-label-name`), default `tenant_id`. */
  tenantLabel?: string;
}

export const receiverName = (i: number) => `thanos-receive-${i}`;

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** Receive's write quorum: RF 2 needs 1 success, otherwise floor(RF/2)+1 (pkg/receive/handler.go). */
export function writeQuorum(factor: number): number {
  return factor === 2 ? 1 : Math.floor(factor / 2) + 1;
}

/**
 * A store refused samples it holds already or cannot take: Prometheus' remote-write receiver answers
 * 400 "out of order sample", "out of bounds", "duplicate sample for timestamp" or "too old sample".
 * Thanos Receive answers these 409 Conflict (pkg/receive/handler.go `isSampleConflictErr`, v0.42.4),
 * which a remote-write client drops instead of retrying: a batch retried after a partial write
 * (one store took it, the other was down) must not be retried forever.
 */
export class SampleConflictError extends Error {}

const SAMPLE_CONFLICT =
  /failed: 400 .*(out of order sample|out of bounds|duplicate sample for timestamp|too old sample)/i;

function isSampleConflict(e: Error): boolean {
  return e instanceof SampleConflictError || SAMPLE_CONFLICT.test(e.message);
}

/**
 * A sink that stores series as receivers with replication do: one copy per replica receiver (with
 * its replica label and the tenant label) into `rawUrl`, and the merged series into `dedupUrl`.
 * Receivers in `down` store nothing; fewer live replicas than the write quorum refuse the write.
 */
export class ReplicatedSink implements SeriesSink {
  readonly factor: number;
  readonly receivers: number;
  readonly replicaLabel: string;
  readonly tenantLabel: string;
  readonly down = new Set<number>();

  constructor(
    readonly rawUrl: string,
    readonly dedupUrl: string,
    options: ReplicationOptions = {},
  ) {
    this.factor = options.factor ?? 3;
    this.receivers = options.receivers ?? this.factor;
    this.replicaLabel = options.replicaLabel ?? 'replica';
    this.tenantLabel = options.tenantLabel ?? 'tenant_id';
  }

  /** The receivers that hold a tenant's series (consecutive on the ring from the tenant's hash). */
  replicasOf(tenant: string): number[] {
    const start = hash(tenant) % this.receivers;
    return Array.from(
      { length: this.factor },
      (_, i) => (start + i) % this.receivers,
    );
  }

  /** Live replicas of a tenant, or an error when fewer than the write quorum are up. */
  liveReplicasOf(tenant: string): number[] {
    const live = this.replicasOf(tenant).filter(r => !this.down.has(r));
    if (live.length < writeQuorum(this.factor)) {
      throw new Error(
        `write quorum not reached for tenant ${tenant}: ${live.length} of ${this.factor} replicas up`,
      );
    }
    return live;
  }

  async write(
    batches: Batch[],
  ): Promise<{ requests: number; samples: number }> {
    const raw: Timeseries[] = [];
    const dedup: Timeseries[] = [];
    for (const b of batches) {
      const tenant = b.tenant ?? 'default-tenant';
      const live = this.liveReplicasOf(tenant);
      for (const s of b.series) {
        if (s.samples.length === 0) continue;
        const labels = { ...s.labels, [this.tenantLabel]: tenant };
        dedup.push({ labels, samples: s.samples });
        for (const r of live)
          raw.push({
            labels: { ...labels, [this.replicaLabel]: receiverName(r) },
            samples: s.samples,
          });
      }
    }
    const results = await Promise.allSettled([
      writeSeries(this.rawUrl, raw),
      writeSeries(this.dedupUrl, dedup),
    ]);
    const failed = results.flatMap(r =>
      r.status === 'rejected' ? [r.reason as Error] : [],
    );
    // As Receive's writeErrors.Cause (pkg/receive/handler.go, v0.42.4): an unavailable store wins
    // (recoverable, 503); only when every failure is a sample conflict is the write a conflict.
    if (failed.length > 0) {
      if (failed.every(isSampleConflict))
        throw new SampleConflictError(failed[0].message);
      const unavailable = failed.find(e => !isSampleConflict(e)) ?? failed[0];
      throw unavailable;
    }
    const [a, b] = results.map(
      r =>
        (r as PromiseFulfilledResult<{ requests: number; samples: number }>)
          .value,
    );
    return {
      requests: a.requests + b.requests,
      samples: a.samples + b.samples,
    };
  }
}

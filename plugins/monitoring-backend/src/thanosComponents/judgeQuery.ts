import {
  HealthReason,
  ReasonSeverity,
  HealthState,
  StoreEndpoint,
  stateFromReasons,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fmt, pct } from '../core/format';
import { heldVerdict } from '../core/ruleClock';

/**
 * Thanos Query health: store endpoints with errors, partial-response warnings on a probe, and series
 * that come back once per receive replica (deduplication off or on the wrong replica label).
 */
export function evaluateQuery(
  stores: StoreEndpoint[] | undefined,
  warnings: string[],
  duplicatedQueues = 0,
  metrics?: QueryObservation,
): { state: HealthState; reasons: HealthReason[] } {
  const reasons: HealthReason[] = metrics ? queryMixinReasons(metrics) : [];
  if (duplicatedQueues > 0) {
    // Our cards collapse replica copies themselves; other dashboards' sums are multiplied.
    reasons.push({
      id: 'query-dedup-off',
      severity: 'warning',
      message: `Deduplication is off: ${duplicatedQueues} remote-write queues come back more than once (one copy per Thanos Receive replica), so a plain sum by (cluster) counts them several times.`,
      value: duplicatedQueues,
      hint: "Start Thanos Query with --query.replica-label set to the receivers' replica label (e.g. replica), and keep dedup=true.",
    });
  }
  if (stores === undefined) {
    reasons.push({
      id: 'query-not-thanos',
      severity: 'info',
      message:
        'The upstream answers 404 on /api/v1/stores: it is a plain Prometheus, not a Thanos querier, so store checks do not apply.',
    });
  } else {
    const failing = stores.filter(s => s.lastError);
    if (failing.length > 0) {
      const all = failing.length === stores.length;
      const first = failing[0];
      reasons.push({
        id: 'query-store-errors',
        severity: all ? 'critical' : 'warning',
        message: `${failing.length} of ${stores.length} store endpoints report errors, e.g. ${first.type} ${first.name}: ${first.lastError}`,
        value: failing.length,
        threshold: 0,
      });
    }
  }
  const partial = warnings.filter(w => !/No StoreAPIs matched/i.test(w));
  if (partial.length > 0) {
    reasons.push({
      id: 'query-partial-response',
      severity: 'warning',
      message: `Queries return partial data: ${partial[0]}${partial.length > 1 ? ` (+${partial.length - 1} more)` : ''}`,
      value: partial.length,
    });
  }
  return { state: stateFromReasons(reasons), reasons };
}

/** The thresholds of the mixin's thanos-query alerts (mixin/alerts/query.libsonnet, v0.42.4). */
export const QUERY_MIXIN = {
  httpErrorRatio: 0.05,
  grpcErrorRatio: 0.05,
  dnsFailureRatio: 0.01,
  p99Seconds: { query: 40, query_range: 90 } as Record<string, number>,
} as const;

/** A value now and its lowest over the alert's hold (undefined: it did not hold). */
export interface HeldValue {
  now: number;
  held?: number;
}

/** Query's own series, as queryComponentQuery reads them. */
export interface QueryObservation {
  /** Per handler (`query`, `query_range`). */
  httpErrorRatio: Record<string, HeldValue>;
  grpcServerErrorRatio?: HeldValue;
  grpcClientErrorRatio?: HeldValue;
  dnsFailureRatio?: HeldValue;
  /** p99 seconds per handler, where there is traffic. */
  p99Latency: Record<string, HeldValue>;
  /** Least gate headroom of any querier (max concurrent minus average in flight). */
  gateHeadroom?: number;
  overloadHeld: boolean;
  holds: { errors: string; dns: string; latency: string; overload: string };
}

/** One mixin alert on a held value: its id, threshold (`>`), severity, `for:` and message. */
interface HeldRule {
  id: HealthReason['id'];
  limit: number;
  severity: ReasonSeverity;
  hold: string;
  what: (value: number) => string;
}

/** A value over its limit, at the rule's severity once it held and as info before. */
function heldValueReason(
  v: HeldValue | undefined,
  r: HeldRule,
): HealthReason | undefined {
  if (!v || !(v.now > r.limit)) return undefined;
  const verdict = heldVerdict(
    (v.held ?? -Infinity) > r.limit,
    r.severity,
    r.hold,
  );
  return {
    id: r.id,
    severity: verdict.severity,
    message: `${r.what(v.now)}${verdict.note}.`,
    value: v.now,
    threshold: r.limit,
  };
}

/** 5xx answers per HTTP handler. */
function httpErrorReasons(
  o: QueryObservation,
): Array<HealthReason | undefined> {
  return Object.entries(o.httpErrorRatio).map(([handler, v]) =>
    // ThanosQueryHttpRequestQuery(Range)ErrorRateHigh: > 5 % for 5m, critical.
    heldValueReason(v, {
      id: 'query-http-errors',
      limit: QUERY_MIXIN.httpErrorRatio,
      severity: 'critical',
      hold: o.holds.errors,
      what: x =>
        `${pct(x)} of "${handler}" requests answer 5xx (the mixin alerts above ${pct(QUERY_MIXIN.httpErrorRatio)})`,
    }),
  );
}

/** Failing gRPC calls, served by Query and made by it to its stores. */
function grpcErrorReasons(
  o: QueryObservation,
): Array<HealthReason | undefined> {
  // ThanosQueryGrpcServerErrorRate / ThanosQueryGrpcClientErrorRate: > 5 % for 5m, warning.
  const grpc = (what: HeldRule['what']): HeldRule => ({
    id: 'query-grpc-errors',
    limit: QUERY_MIXIN.grpcErrorRatio,
    severity: 'warning',
    hold: o.holds.errors,
    what,
  });
  return [
    heldValueReason(
      o.grpcServerErrorRatio,
      grpc(
        x =>
          `${pct(x)} of the gRPC calls Query serves fail (Unknown, ResourceExhausted, Internal, Unavailable, DataLoss, DeadlineExceeded)`,
      ),
    ),
    heldValueReason(
      o.grpcClientErrorRatio,
      grpc(x => `${pct(x)} of Query's gRPC calls to its stores fail`),
    ),
  ];
}

/** Failing DNS lookups of store endpoints. */
function dnsFailureReason(o: QueryObservation): HealthReason | undefined {
  // ThanosQueryHighDNSFailures: > 1 % for 15m, warning.
  return heldValueReason(o.dnsFailureRatio, {
    id: 'query-dns-failures',
    limit: QUERY_MIXIN.dnsFailureRatio,
    severity: 'warning',
    hold: o.holds.dns,
    what: x => `${pct(x)} of DNS lookups of store endpoints fail`,
  });
}

/** p99 latency per handler the mixin has a limit for. */
function latencyReasons(o: QueryObservation): Array<HealthReason | undefined> {
  return Object.entries(o.p99Latency).map(([handler, v]) => {
    // ThanosQueryInstantLatencyHigh (> 40 s) / ThanosQueryRangeLatencyHigh (> 90 s): 10m, critical.
    const limit = QUERY_MIXIN.p99Seconds[handler];
    if (limit === undefined) return undefined;
    return heldValueReason(v, {
      id: 'query-high-latency',
      limit,
      severity: 'critical',
      hold: o.holds.latency,
      what: x =>
        `p99 latency of "${handler}" requests is ${fmt(x, 1)} s (the mixin alerts above ${limit} s)`,
    });
  });
}

/** Query at its concurrency limit. */
function overloadReason(o: QueryObservation): HealthReason | undefined {
  if (o.gateHeadroom === undefined || !(o.gateHeadroom < 1)) return undefined;
  // ThanosQueryOverload: max concurrent - average in flight < 1 for 15m, warning.
  const v = heldVerdict(o.overloadHeld, 'warning', o.holds.overload);
  return {
    id: 'query-overload',
    severity: v.severity,
    message: `Query is at its concurrency limit (--query.max-concurrent): less than one free slot on average${v.note}.`,
    value: o.gateHeadroom,
    threshold: 1,
  };
}

/** The mixin's thanos-query alerts, each with its threshold (`>`), `for:` and severity. */
function queryMixinReasons(o: QueryObservation): HealthReason[] {
  return [
    ...httpErrorReasons(o),
    ...grpcErrorReasons(o),
    dnsFailureReason(o),
    ...latencyReasons(o),
    overloadReason(o),
  ].filter((r): r is HealthReason => r !== undefined);
}

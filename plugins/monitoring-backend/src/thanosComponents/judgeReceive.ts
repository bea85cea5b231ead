import {
  HealthReason,
  HealthState,
  stateFromReasons,
  ThanosReceiveStats,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { ReceiveThresholds } from '../config';
import { fmt, pct } from '../core/format';
import { heldVerdict } from '../core/ruleClock';
import { writeQuorum } from './writeQuorum';

/** What the receive query says, now and held for each mixin alert's `for:`. */
export interface ReceiveObservation {
  stats: ThanosReceiveStats;
  /** Receivers up now (undefined: no `up` series matches). */
  up?: number;
  /** Most receivers up at any point of ThanosReceiveIsDown's hold (undefined: none seen). */
  upRecentMax?: number;
  /** `thanos_build_info` versions of the receivers. */
  versions: string[];
  /** Each condition's lowest value over its hold (undefined: it did not hold). */
  held: {
    httpErrorRatio?: number;
    p99LatencySeconds?: number;
    replicationFailureRatio?: number;
    hashringFileErrors?: boolean;
  };
  /** Tenants refused with 429 for their head series now, and whether it held. */
  limitedTenants: Array<{ tenant: string; perSecond: number; held: boolean }>;
  /** Receivers up with a tenant that shipped no block in 3 h now, and whether it held 3 h. */
  noUpload: Array<{ instance: string; tenant: string; held: boolean }>;
  /** Hold of each rule, for messages (e.g. `5 min`). */
  holds: {
    httpErrors: string;
    latency: string;
    replication: string;
    hashringFile: string;
    tenantLimited: string;
    isDown: string;
    noUpload: string;
  };
}

type ReceiveRule = (
  obs: ReceiveObservation,
  t: ReceiveThresholds,
) => HealthReason | undefined;

/** Whether no receiver was up at any point of ThanosReceiveIsDown's hold. */
const downHeld = (obs: ReceiveObservation) => (obs.upRecentMax ?? 0) === 0;

/** No receiver discovered, or every receiver down. */
function receiveDownReason(obs: ReceiveObservation): HealthReason | undefined {
  if (obs.up !== undefined && obs.up !== 0) return undefined;
  // ThanosReceiveIsDown: absent(up == 1) for 5m, critical.
  const heldDown = downHeld(obs);
  const v = heldVerdict(heldDown, 'critical', obs.holds.isDown);
  return {
    id: 'receive-down',
    severity: v.severity,
    message:
      (obs.up === undefined
        ? 'No receiver is discovered: no up series matches the selector (Receive gone, not scraped, or a wrong selector).'
        : 'Every receiver is down: remote writes to the central fail.') +
      (heldDown ? ' Mixin ThanosReceiveIsDown.' : v.note),
    hint: 'kubectl get pods -l app.kubernetes.io/name=thanos-receive; then check the ServiceMonitor and the entity selector.',
  };
}

/** Share of remote-write requests answered 5xx. */
const httpErrorReason: ReceiveRule = ({ stats, held, holds }, t) => {
  const httpRatio = stats.httpErrorRatio;
  if (httpRatio === undefined || !(httpRatio > 0)) return undefined;
  // ThanosReceiveHttpRequestErrorRateHigh: > 5 % for 5m, critical.
  const over = httpRatio > t.httpErrorRatioCritical;
  const v = heldVerdict(
    (held.httpErrorRatio ?? 0) > t.httpErrorRatioCritical,
    'critical',
    holds.httpErrors,
  );
  return {
    id: 'receive-http-errors',
    severity: over ? v.severity : 'info',
    message: `${pct(httpRatio)} of remote-write requests to receive answer 5xx (the mixin alerts above ${pct(t.httpErrorRatioCritical)} for ${holds.httpErrors})${over ? v.note : ''}.`,
    value: httpRatio,
    threshold: t.httpErrorRatioCritical,
  };
};

/** p99 write latency above the limit. */
const latencyReason: ReceiveRule = ({ stats, held, holds }, t) => {
  const p99 = stats.p99LatencySeconds;
  if (p99 === undefined || !(p99 > t.p99LatencyCriticalSeconds))
    return undefined;
  // ThanosReceiveHttpRequestLatencyHigh: p99 > 10 s with traffic, for 10m, critical.
  const v = heldVerdict(
    (held.p99LatencySeconds ?? 0) > t.p99LatencyCriticalSeconds,
    'critical',
    holds.latency,
  );
  return {
    id: 'receive-high-latency',
    severity: v.severity,
    message: `p99 write latency is ${fmt(p99, 2)} s (limit ${t.p99LatencyCriticalSeconds} s)${v.note}.`,
    value: p99,
    threshold: t.p99LatencyCriticalSeconds,
  };
};

/** Some receivers down: a partial outage, judged against the write quorum. */
const instancesDownReason: ReceiveRule = obs => {
  const { stats } = obs;
  const rf = stats.replicationFactor ?? 1;
  const total = stats.instancesTotal;
  const up = obs.up ?? 0;
  if (total === undefined || !(up < total)) return undefined;
  // Every series goes to RF receivers and needs a quorum of them; one series short of its quorum
  // fails the whole request (handler.go v0.42.4 ~845-884). With more receivers down than
  // RF - quorum, some series lose their quorum, whatever the number of receivers.
  const down = total - up;
  const { quorum, basis } = writeQuorum(rf, obs.versions);
  const tolerable = Math.max(0, rf - quorum);
  const critical = down > tolerable;
  return {
    id: 'receive-instance-down',
    severity: critical ? 'critical' : 'warning',
    message: `${down} of ${total} receivers are down; replication factor ${rf}, write quorum ${quorum} (${basis}): ${critical ? `more than ${tolerable} down, so series whose replicas are on them lose their quorum and those writes fail` : `up to ${tolerable} may be down with every series keeping its quorum`}.`,
    value: down,
    threshold: tolerable,
    hint: "kubectl get pods -l app.kubernetes.io/name=thanos-receive; look at the down pod's events and last termination.",
  };
};

/** Share of replication requests failing, against the mixin's per-node limit. */
const replicationFailureReason: ReceiveRule = ({ stats, held, holds }) => {
  const rf = stats.replicationFactor ?? 1;
  const ratio = stats.replicationFailureRatio;
  if (!(rf > 1) || ratio === undefined || !(ratio > 0)) return undefined;
  // ThanosReceiveHighReplicationFailures: only with RF > 1, warning for 5m, when the failure share
  // exceeds floor((RF+1)/2) / hashring nodes.
  const nodes =
    stats.hashringNodes && stats.hashringNodes > 0 ? stats.hashringNodes : rf;
  const limit = Math.floor((rf + 1) / 2) / nodes;
  const over = ratio > limit;
  const v = heldVerdict(
    (held.replicationFailureRatio ?? 0) > limit,
    'warning',
    holds.replication,
  );
  return {
    id: 'receive-replication-failures',
    severity: over ? v.severity : 'info',
    message: `${pct(ratio)} of replication requests fail (RF ${rf}, ${nodes} nodes; the mixin warns above ${pct(limit)} for ${holds.replication})${over ? v.note : ''}.`,
    value: ratio,
    threshold: limit,
  };
};

/** Share of forward requests between receivers failing. */
const forwardFailureReason: ReceiveRule = ({ stats }, t) => {
  const fwd = stats.forwardFailureRatio;
  if (fwd === undefined || !(fwd > 0)) return undefined;
  // ThanosReceiveHighForwardRequestFailures: severity info in the mixin, above 20 %.
  return {
    id: 'receive-forward-failures',
    severity: 'info',
    message: `${pct(fwd)} of forward requests between receivers fail (the mixin reports it, as info, above ${pct(t.forwardFailureRatioWarning)}).`,
    value: fwd,
    threshold: t.forwardFailureRatioWarning,
  };
};

/** The hashring file failing to load. */
const hashringFileReason: ReceiveRule = ({ stats, held, holds }) => {
  if (!((stats.hashringFileErrorsPerSecond ?? 0) > 0)) return undefined;
  // ThanosReceiveHighHashringFileRefreshFailures: errors / refreshes > 0 for 15m, warning. A
  // file that does not parse is counted here and the receiver keeps the ring it loaded last.
  const v = heldVerdict(
    Boolean(held.hashringFileErrors),
    'warning',
    holds.hashringFile,
  );
  return {
    id: 'receive-hashring-file-errors',
    severity: v.severity,
    message: `The hashring file fails to load (${fmt(stats.hashringFileErrorsPerSecond!, 3)} errors/s): receivers keep routing with the ring they loaded last${v.note}.`,
    value: stats.hashringFileErrorsPerSecond,
  };
};

// ThanosReceiveConfigReloadFailure reads thanos_receive_config_last_reload_successful, which
// Thanos only ever sets to 1 (config.go v0.35.1 ~280, v0.42.4 ~352): a failed parse shows above,
// an invalid ring ends the process (receive.go v0.42.4 ~662) and shows as receivers down.
const configReloadReason: ReceiveRule = ({ stats }) =>
  stats.configReloadSuccessful === false
    ? {
        id: 'receive-config-reload-failed',
        severity: 'warning',
        message:
          'A receiver reports a failed configuration reload (thanos_receive_config_last_reload_successful is not 1).',
      }
    : undefined;

/** Tenants refused with 429 at their head-series limit. */
const headSeriesLimitedReason: ReceiveRule = ({ limitedTenants, holds }) => {
  if (limitedTenants.length === 0) return undefined;
  // ThanosReceiveTenantLimitedByHeadSeries: per tenant, increase > 0 for 5m, warning.
  const v = heldVerdict(
    limitedTenants.some(x => x.held),
    'warning',
    holds.tenantLimited,
  );
  const names = limitedTenants
    .map(x => `${x.tenant} (${fmt(x.perSecond, 2)} requests/s)`)
    .join(', ');
  return {
    id: 'receive-head-series-limited',
    severity: v.severity,
    message: `Writes refused with 429 because the tenant is at its head-series limit: ${names}${v.note}.`,
    value: limitedTenants.reduce((sum, x) => sum + x.perSecond, 0),
  };
};

/** Receivers with a tenant that shipped no block to object storage in 3 h. */
const noUploadReason: ReceiveRule = ({ noUpload, holds }) => {
  if (noUpload.length === 0) return undefined;
  // ThanosReceiveNoUpload: a running receiver with no upload in 3 h, held 3 h, critical; per
  // tenant here, since each tenant TSDB has its own shipper.
  const heldList = noUpload.filter(x => x.held);
  const list = heldList.length > 0 ? heldList : noUpload;
  const v = heldVerdict(heldList.length > 0, 'critical', holds.noUpload);
  return {
    id: 'receive-no-upload',
    severity: v.severity,
    message: `No block uploaded to object storage in 3 h by ${list.map(x => `${x.instance} tenant ${x.tenant}`).join(', ')}${v.state === 'firing' ? ` (held ${holds.noUpload}, mixin ThanosReceiveNoUpload)` : `${v.note}; the first block is cut about 2 h after a tenant's first sample`}.`,
    value: list.length,
    hint: "Check --objstore.config-file and the receiver's shipper logs; without uploads data older than the local retention is lost.",
  };
};

/** The rules judged once some receiver is discovered, in the order their reasons are listed. */
const receiveRules: ReceiveRule[] = [
  httpErrorReason,
  latencyReason,
  instancesDownReason,
  replicationFailureReason,
  forwardFailureReason,
  hashringFileReason,
  configReloadReason,
  headSeriesLimitedReason,
  noUploadReason,
];

/**
 * Thanos Receive health after the Thanos mixin's alerts (mixin/alerts/receive.libsonnet and
 * absent.libsonnet, v0.35.1 = v0.42.4), each held for the mixin's `for:`; a condition present now
 * that has not held yet is info. Plus the partial outage, judged per series against the write
 * quorum of the receivers' version.
 */
export function evaluateReceive(
  obs: ReceiveObservation,
  t: ReceiveThresholds,
): { state: HealthState; reasons: HealthReason[] } {
  const reasons: HealthReason[] = [];
  const down = receiveDownReason(obs);
  if (down) reasons.push(down);
  // With no receiver discovered there is nothing else to judge.
  if (obs.up === undefined)
    return { state: downHeld(obs) ? 'failing' : 'no-data', reasons };
  for (const rule of receiveRules) {
    const reason = rule(obs, t);
    if (reason) reasons.push(reason);
  }
  return { state: stateFromReasons(reasons), reasons };
}

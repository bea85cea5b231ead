import type {
  HealthReason,
  ReasonId,
  UpstreamErrorInfo,
} from '@fleet-monitoring/plugin-monitoring-common';

function reasonId(info: UpstreamErrorInfo): ReasonId {
  switch (info.kind) {
    case 'timeout':
      return 'upstream-timeout';
    case 'unreachable':
      return 'upstream-unreachable';
    case 'unauthorized':
    case 'forbidden':
      return 'upstream-unauthorized';
    default:
      return 'upstream-error';
  }
}

/** Upstream fault -> the reason a card shows for an `unknown` state. */
export function reasonForUpstreamError(info: UpstreamErrorInfo): HealthReason {
  return {
    id: reasonId(info),
    severity: 'critical',
    message: `${info.upstream}: ${info.message}`,
  };
}

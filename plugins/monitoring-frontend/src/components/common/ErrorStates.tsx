import { Typography } from '@material-ui/core';
import { WarningPanel } from '@backstage/core-components';
import type { UpstreamErrorInfo } from '@fleet-monitoring/plugin-monitoring-common';
import { isFleetMonitoringError } from '../../api/FleetMonitoringError';

/** `thanos:central` -> `Thanos Query "central"`, and so on. */
export function describeUpstream(upstream: string | undefined): string {
  if (!upstream) return 'The upstream';
  const [type, ...rest] = upstream.split(':');
  const name = rest.join(':');
  switch (type) {
    case 'thanos':
      return `Thanos Query "${name}"`;
    case 'argocd':
      return `ArgoCD "${name}"`;
    case 'kubernetes':
      return `Kubernetes cluster "${name}"`;
    default:
      return upstream;
  }
}

const KIND_WORDS: Record<string, string> = {
  unreachable: 'could not be reached',
  timeout: 'did not answer in time',
  unauthorized: 'refused our credentials (401)',
  forbidden: 'denied access (403)',
  'not-found': 'answered 404 Not Found',
  'http-error': 'answered with an error',
  'bad-response': 'sent an answer we could not read',
  'too-large': 'sent an answer that was too large',
  'not-configured': 'is not configured',
};

/** Title naming the upstream and what went wrong, e.g. `Thanos Query "central" could not be reached`. */
export function upstreamErrorTitle(error: UpstreamErrorInfo): string {
  const words = KIND_WORDS[error.kind] ?? 'failed';
  const status =
    error.status && error.kind === 'http-error'
      ? ` (HTTP ${error.status})`
      : '';
  return `${describeUpstream(error.upstream)} ${words}${status}`;
}

/** An upstream fault reported inside a 200 answer (`state: unknown` + `error`). */
export function UpstreamErrorNotice({ error }: { error: UpstreamErrorInfo }) {
  const severity = error.kind === 'not-configured' ? 'warning' : 'error';
  return (
    <WarningPanel
      severity={severity}
      title={upstreamErrorTitle(error)}
      defaultExpanded
    >
      <Typography variant="body2" component="div" data-testid="upstream-error">
        {error.message}
      </Typography>
    </WarningPanel>
  );
}

/** A failed request to our own backend, explained by its status and Backstage error body. */
export function RequestErrorNotice({ error }: { error: unknown }) {
  if (isFleetMonitoringError(error)) {
    if (error.upstream) {
      return (
        <UpstreamErrorNotice
          error={{
            upstream: error.upstream,
            kind: error.kind ?? 'http-error',
            status: error.status,
            message: error.message,
          }}
        />
      );
    }
    let title: string;
    let severity: 'warning' | 'error' = 'error';
    if (error.status === 400) {
      title = /annotation/i.test(error.message)
        ? 'Not configured for this entity'
        : 'The request was rejected';
      severity = 'warning';
    } else if (error.status === 401 || error.status === 403) {
      title = 'You are not allowed to see this';
      severity = 'warning';
    } else if (error.status === 404) {
      title = 'Not found';
      severity = 'warning';
    } else if (error.status === 0) {
      title = 'The Fleet Monitoring backend could not be reached';
    } else {
      title = `The Fleet Monitoring backend answered HTTP ${error.status} (${error.errorName})`;
    }
    return (
      <WarningPanel severity={severity} title={title} defaultExpanded>
        <Typography variant="body2" component="div" data-testid="request-error">
          {error.message}
        </Typography>
      </WarningPanel>
    );
  }
  return (
    <WarningPanel severity="error" title="Something went wrong" defaultExpanded>
      <Typography variant="body2" component="div" data-testid="request-error">
        {String((error as Error)?.message ?? error)}
      </Typography>
    </WarningPanel>
  );
}

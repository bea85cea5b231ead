import { Alert } from '@backstage/ui';
import { ResponseErrorPanel } from '@backstage/core-components';
import type { UpstreamErrorInfo } from '@fleet-monitoring/plugin-monitoring-common';
import { backendMessage, statusOfError, upstreamOfError } from '../../api';

/** `thanos:central` -> `Thanos Query "central"`, `gitops:repository` -> `The GitOps repository`, and so on. */
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
    // Sources of the reconciled fleet (gitops:repository, catalog:backstage).
    case 'gitops':
      return 'The GitOps repository';
    case 'catalog':
      return 'The Backstage catalog';
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

/** An upstream fault, reported inside a 200 answer (`state: unknown` + `error`) or as a 502/504. */
export function UpstreamErrorNotice({ error }: { error: UpstreamErrorInfo }) {
  return (
    <Alert
      status={error.kind === 'not-configured' ? 'warning' : 'danger'}
      icon
      title={upstreamErrorTitle(error)}
      description={<span data-testid="upstream-error">{error.message}</span>}
      my="2"
    />
  );
}

/**
 * A failed request to our own backend. An upstream named in the body gets its own words; a 400,
 * 401/403 or 404 is a warning with the backend's message (what to add or who may see it); anything
 * else goes to Backstage's ResponseErrorPanel, which shows the status and the error body.
 */
export function RequestErrorNotice({ error }: { error: unknown }) {
  const upstream = upstreamOfError(error);
  if (upstream) return <UpstreamErrorNotice error={upstream} />;
  const status = statusOfError(error);
  const message = backendMessage(error);
  let title: string | undefined;
  if (status === 400)
    title = /annotation/i.test(message)
      ? 'Not configured for this entity'
      : 'The request was rejected';
  else if (status === 401 || status === 403)
    title = 'You are not allowed to see this';
  else if (status === 404) title = 'Not found';
  if (title) {
    return (
      <Alert
        status="warning"
        icon
        title={title}
        description={<span data-testid="request-error">{message}</span>}
        my="2"
      />
    );
  }
  const err =
    error instanceof Error ? error : new Error(String(error ?? 'Unknown'));
  return (
    <ResponseErrorPanel
      error={err}
      title={
        status === undefined
          ? `The Fleet Monitoring backend could not be reached: ${err.message}`
          : undefined
      }
    />
  );
}

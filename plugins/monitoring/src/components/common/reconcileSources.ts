import type {
  ReconcileSourceName,
  ReconcileSourceStatus,
} from '@fleet-monitoring/plugin-monitoring-common';

/** Each source of the reconciled fleet in words. */
export const SOURCE_LABELS: Record<ReconcileSourceName, string> = {
  catalog: 'Catalog',
  gitops: 'GitOps repository',
  argocd: 'ArgoCD',
  'remote-write': 'Remote write (Thanos)',
  receive: 'Thanos Receive',
  kubernetes: 'Kubernetes API',
};

/**
 * How a source answered the join: `ok`, `failed` (its columns are unknown, not empty) or
 * `not-configured` (no column, no reason from it). A source the answer does not list was not
 * consulted, which reads as not configured.
 */
export type SourceStatus = ReconcileSourceStatus['status'];

export function sourceStatusOf(
  sources: ReconcileSourceStatus[],
  name: ReconcileSourceName,
): SourceStatus {
  return sources.find(s => s.source === name)?.status ?? 'not-configured';
}

/**
 * What to show where a row has no value from a source: why it has none. Undefined when the source
 * answered (the value is then really absent, and the caller says what that means).
 */
export function missingBecause(status: SourceStatus): string | undefined {
  if (status === 'failed') return 'Unknown: the source could not be read';
  if (status === 'not-configured') return 'Not configured';
  return undefined;
}

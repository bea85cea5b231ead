import { parseEntityRef } from '@backstage/catalog-model';
import type {
  ReconciledReceive,
  ReconcileSourceName,
  ReconcileSourceStatus,
} from '@fleet-monitoring/plugin-monitoring-common';
import { formatNumber } from './format';

/** Each source of the reconciled fleet in words. */
export const SOURCE_LABELS: Record<ReconcileSourceName, string> = {
  catalog: 'Catalog',
  gitops: 'GitOps repository',
  argocd: 'ArgoCD',
  'remote-write': 'Remote write (Thanos)',
  receive: 'Thanos Receive',
  kubernetes: 'Kubernetes API',
  capacity: 'Fleet capacity (Thanos)',
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

/**
 * An owner ref as people say it: `group:default/platform-team` is `platform-team`; another kind or
 * namespace stays in (`user:alice`, `group:ops/sre`). A ref that does not parse is shown as it is.
 */
export function ownerName(ref: string): string {
  try {
    const r = parseEntityRef(ref, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const kind = r.kind.toLocaleLowerCase('en-US');
    return `${kind === 'group' ? '' : `${kind}:`}${r.namespace === 'default' ? '' : `${r.namespace}/`}${r.name}`;
  } catch {
    return ref;
  }
}

/**
 * A reconciled row's days to its tenant's head-series limit in words: "3.2 days" (with the
 * confidence and the date it reaches it), "at limit", "not growing", "no limit". Undefined without
 * a forecast (the caller says why: the source failed, or the tenant has no head series).
 */
export function forecastWords(
  receive: ReconciledReceive | undefined,
): { days: string; detail: string } | undefined {
  const f = receive?.forecast;
  if (!f) return undefined;
  let days = 'not growing';
  if (f.daysLeft === 0) days = 'at limit';
  else if (f.daysLeft !== undefined)
    days = `${formatNumber(f.daysLeft, f.daysLeft < 10 ? 1 : 0)} days`;
  else if (!receive?.limit) days = 'no limit';
  const detail = [
    f.confidence === 'none'
      ? 'too little history'
      : `${f.confidence} confidence`,
    f.reachesAt !== undefined && f.daysLeft !== 0
      ? `reaches it ${new Date(f.reachesAt * 1000).toISOString().slice(0, 10)}`
      : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return { days, detail };
}

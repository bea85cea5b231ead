/**
 * The overlay lint's rules: stable ids (each the anchor of its section on the lint page of the
 * handbook, `docs/plugins/overlay-lint.md`), a title and the severity a finding usually has.
 */

/** How bad a finding is: `error` breaks the cluster's monitoring, `warning` weakens it. @public */
export type OverlayLintSeverity = 'error' | 'warning';

/** Handbook page (path under docs/, without `.md`) with one section per rule id. @public */
export const OVERLAY_LINT_PAGE = 'plugins/overlay-lint';

/**
 * Every rule of the overlay lint. Adding one here without a section on the lint page fails the
 * overlay lint's docs test.
 * @public
 */
export const OVERLAY_LINT_RULES = {
  'yaml-invalid': {
    title: 'A file does not parse',
    severity: 'error',
  },
  'overlay-layout': {
    title: 'Overlay outside the repository layout',
    severity: 'warning',
  },
  'agent-flags': {
    title: 'The agent is not an agent for its chart version',
    severity: 'error',
  },
  'chart-ignored-key': {
    title: 'A value the chart ignores',
    severity: 'warning',
  },
  'remote-write-missing': {
    title: 'No remote write',
    severity: 'error',
  },
  'remote-write-429': {
    title: 'HTTP 429 is not retried',
    severity: 'warning',
  },
  'tenant-header': {
    title: 'Tenant header missing or not the cluster',
    severity: 'error',
  },
  'cluster-label': {
    title: 'The cluster external label is not the directory',
    severity: 'error',
  },
  'namespace-transformer': {
    title: "A namespace transformer moves other namespaces' objects",
    severity: 'error',
  },
  'hashring-replication': {
    title: 'Hashring endpoints below the replication factor',
    severity: 'error',
  },
  'hashring-invalid': {
    title: 'Hashring file Thanos refuses or misroutes',
    severity: 'error',
  },
  'hashring-unknown-endpoint': {
    title: 'Hashring lists pods that do not exist',
    severity: 'error',
  },
  'receive-self-monitoring': {
    title: 'Thanos Receive without self-monitoring',
    severity: 'warning',
  },
} as const satisfies Record<
  string,
  { title: string; severity: OverlayLintSeverity }
>;

/** Id of an overlay lint rule. @public */
export type OverlayLintRuleId = keyof typeof OVERLAY_LINT_RULES;

/** Every rule id, in the order of the lint page. @public */
export const OVERLAY_LINT_RULE_IDS = Object.keys(
  OVERLAY_LINT_RULES,
) as OverlayLintRuleId[];

/** Path of a rule's section, relative to the handbook root (`plugins/overlay-lint/#<id>`). @public */
export function overlayLintDocsPath(id: OverlayLintRuleId): string {
  return `${OVERLAY_LINT_PAGE}/#${id}`;
}

/** One thing the lint found in one file. @public */
export interface OverlayLintFinding {
  rule: OverlayLintRuleId;
  severity: OverlayLintSeverity;
  /** Repository-relative path of the file the finding is about. */
  path: string;
  /** The overlay's cluster (its directory name); absent for the base and the repository. */
  cluster?: string;
  message: string;
  /** {@link overlayLintDocsPath} of the rule. */
  docs: string;
}

/** What the lint answers for a repository. @public */
export interface OverlayLintReport {
  findings: OverlayLintFinding[];
  counts: { error: number; warning: number };
  /** The overlays it read: cluster, component and directory. */
  overlays: Array<{ cluster: string; component: string; path: string }>;
}

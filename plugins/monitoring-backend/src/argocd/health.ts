import {
  ArgocdAppSummary,
  ArgocdSyncWindowState,
  HintedReason,
  stateFromReasons,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { ArgoApplication } from './types';

/** FAQ Q3, "An ArgoCD Application is OutOfSync": what to check, in order. */
export function outOfSyncHints(app: string): string[] {
  return [
    'Check the changes in the Git repository (target revision vs. the live revision).',
    `Compare desired and live state: argocd app diff ${app}`,
    `Sync by hand: argocd app sync ${app}`,
    'Check that the sync policy is automated (spec.syncPolicy.automated).',
  ];
}

const FAILED_PHASES = new Set(['Failed', 'Error']);

/** Newest deployment time: status.history's newest deployedAt, else a succeeded operation's finishedAt. */
export function lastDeployedAt(app: ArgoApplication): string | undefined {
  let newest: string | undefined;
  for (const h of app.status?.history ?? []) {
    if (
      h.deployedAt &&
      (!newest || Date.parse(h.deployedAt) > Date.parse(newest))
    )
      newest = h.deployedAt;
  }
  const op = app.status?.operationState;
  if (!newest && op?.phase === 'Succeeded' && op.finishedAt)
    newest = op.finishedAt;
  return newest;
}

/** Reasons (FAQ Q3) for one application's sync, health, last operation and sync windows. */
export function appReasons(
  app: ArgoApplication,
  syncWindows?: ArgocdSyncWindowState,
): HintedReason[] {
  const name = app.metadata?.name ?? '?';
  const reasons: HintedReason[] = [];
  const sync = app.status?.sync?.status;
  const health = app.status?.health?.status;
  const healthMessage = app.status?.health?.message;
  const op = app.status?.operationState;
  if (sync === 'OutOfSync') {
    reasons.push({
      id: 'argocd-out-of-sync',
      severity: 'warning',
      message: `${name} is OutOfSync: the live state differs from Git${app.status?.sync?.revision ? ` (revision ${app.status.sync.revision.slice(0, 12)})` : ''}.`,
      hints: outOfSyncHints(name),
    });
  }
  if (health === 'Degraded') {
    reasons.push({
      id: 'argocd-degraded',
      severity: 'critical',
      message: `${name} is Degraded${healthMessage ? `: ${healthMessage}` : ''}.`,
      hints: [
        `Find the unhealthy resources: argocd app get ${name} (or the resources view).`,
      ],
    });
  }
  if (health === 'Missing') {
    reasons.push({
      id: 'argocd-missing',
      severity: 'critical',
      message: `${name} has resources that are Missing from the cluster${healthMessage ? `: ${healthMessage}` : ''}.`,
      hints: [`Sync to create them: argocd app sync ${name}`],
    });
  }
  if (op?.phase && FAILED_PHASES.has(op.phase)) {
    reasons.push({
      id: 'argocd-operation-failed',
      severity: 'critical',
      message: `The last sync of ${name} ended in ${op.phase}${op.message ? `: ${op.message}` : ''}.`,
    });
  }
  const blockedByOperation =
    op?.message &&
    /sync window/i.test(op.message) &&
    FAILED_PHASES.has(op.phase ?? '');
  if ((syncWindows && !syncWindows.canSync) || blockedByOperation) {
    reasons.push({
      id: 'argocd-sync-window-blocked',
      severity: 'warning',
      message: `A sync window currently blocks syncing ${name}.`,
      hints: [
        'Wait for the window to end, or sync manually if the window allows manual sync.',
      ],
    });
  }
  return reasons;
}

export function appState(
  reasons: HintedReason[],
  app: ArgoApplication,
): ArgocdAppSummary['state'] {
  const health = app.status?.health?.status;
  const base = health === 'Unknown' || !health ? 'unknown' : 'healthy';
  return stateFromReasons(reasons, base);
}

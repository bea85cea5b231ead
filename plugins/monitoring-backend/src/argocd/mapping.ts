import type {
  HealthState,
  ArgocdAppSummary,
  ArgocdHistoryEntry,
  ArgocdSyncWindowState,
  UpstreamErrorInfo,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { ArgocdInstanceConfig } from '../config';
import { appReasons, appState, lastDeployedAt } from './health';
import type { ArgoApplication, ArgoSyncWindows } from './types';

/** Pure mapping from ArgoCD's v1alpha1 objects to our API's shapes (no I/O). */

/** ArgoCD's words as our states, here once so no UI has to map them again. */
const SYNC_STATE: Record<string, HealthState> = {
  Synced: 'healthy',
  OutOfSync: 'degraded',
};
const HEALTH_STATE: Record<string, HealthState> = {
  Healthy: 'healthy',
  Progressing: 'unknown',
  Suspended: 'degraded',
  Degraded: 'failing',
  Missing: 'failing',
};
const OPERATION_STATE: Record<string, HealthState> = {
  Succeeded: 'healthy',
  Running: 'unknown',
  Terminating: 'unknown',
  Failed: 'failing',
  Error: 'failing',
};
const stateOf = (
  map: Record<string, HealthState>,
  word?: string,
): HealthState => (word && map[word]) || 'unknown';

/** The app's page in the ArgoCD UI. */
export function appUiUrl(
  instance: ArgocdInstanceConfig,
  app: ArgoApplication,
): string {
  const name = encodeURIComponent(app.metadata?.name ?? '');
  const ns = app.metadata?.namespace
    ? `${encodeURIComponent(app.metadata.namespace)}/`
    : '';
  return new URL(`applications/${ns}${name}`, instance.uiUrl).toString();
}

export function syncWindowState(body: ArgoSyncWindows): ArgocdSyncWindowState {
  return {
    canSync: body.canSync ?? true,
    activeWindows: (body.activeWindows ?? []).map(w => ({
      kind: w.kind,
      schedule: w.schedule,
      duration: w.duration,
      manualSync: w.manualSync,
    })),
  };
}

/** One application as the entity card shows it: status, source, last deployment, state and reasons. */
export function appSummary(
  instance: ArgocdInstanceConfig,
  app: ArgoApplication,
  windows?: ArgocdSyncWindowState,
  windowsError?: UpstreamErrorInfo,
): ArgocdAppSummary {
  const reasons = appReasons(app, windows);
  const source = app.spec?.source ?? app.spec?.sources?.[0];
  const op = app.status?.operationState;
  const syncStatus = app.status?.sync?.status ?? 'Unknown';
  const healthStatus = app.status?.health?.status ?? 'Unknown';
  return {
    instance: instance.name,
    name: app.metadata?.name ?? '',
    namespace: app.metadata?.namespace,
    project: app.spec?.project,
    syncStatus,
    syncState: stateOf(SYNC_STATE, syncStatus),
    healthStatus,
    healthState: stateOf(HEALTH_STATE, healthStatus),
    healthMessage: app.status?.health?.message,
    revision: app.status?.sync?.revision ?? app.status?.sync?.revisions?.[0],
    targetRevision: source?.targetRevision,
    repoURL: source?.repoURL,
    path: source?.path,
    chart: source?.chart,
    destination: app.spec?.destination,
    lastDeployedAt: lastDeployedAt(app),
    operation: op
      ? {
          phase: op.phase,
          message: op.message,
          startedAt: op.startedAt,
          finishedAt: op.finishedAt,
          state: stateOf(OPERATION_STATE, op.phase),
        }
      : undefined,
    syncWindows: windows,
    syncWindowsError: windowsError,
    uiUrl: appUiUrl(instance, app),
    state: appState(reasons, app),
    reasons,
  };
}

/** Deployment history, newest first. */
export function historyEntries(app: ArgoApplication): ArgocdHistoryEntry[] {
  return (app.status?.history ?? [])
    .map(h => {
      const source = h.source ?? h.sources?.[0];
      return {
        id: Number(h.id ?? 0),
        revision: h.revision,
        revisions: h.revisions,
        deployedAt: h.deployedAt,
        deployStartedAt: h.deployStartedAt,
        initiatedBy: h.initiatedBy,
        source: source
          ? {
              repoURL: source.repoURL,
              path: source.path,
              chart: source.chart,
              targetRevision: source.targetRevision,
            }
          : undefined,
      };
    })
    .sort((a, b) => b.id - a.id);
}

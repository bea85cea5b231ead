import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  checkLabelValue,
  CLUSTER_ANNOTATION,
  GitopsLintResponse,
  KubernetesClusterView,
  LabelMatcher,
  ArgocdAppSummary,
  ArgocdHistoryEntry,
  FleetCapacity,
  FleetSummary,
  HealthReason,
  HintedReason,
  TenantForecast,
  ThanosHealth,
  OverlayFact,
  OverlayHashring,
  UpstreamErrorInfo,
} from '@fleet-monitoring/plugin-monitoring-common';
import { isUpstreamError, UpstreamError } from '../upstream/errors';
import type {
  CapacityFacts,
  CatalogCluster,
  FleetApp,
  ReconcileSources,
} from './sources';

/** The slices' public methods the join reads (typed here so this slice imports no other). */
export interface SliceServices {
  catalog: CatalogService;
  auth: AuthService;
  gitops: {
    configured: boolean;
    repositoryFacts(): Promise<{
      overlays: OverlayFact[];
      hashrings: OverlayHashring[];
      lint: GitopsLintResponse;
    }>;
  };
  argocd: {
    instanceNames(): string[];
    fleetApplications(): Promise<
      Array<{
        instance: string;
        apps: Array<{
          summary: ArgocdAppSummary;
          history: ArgocdHistoryEntry[];
        }>;
        error?: UpstreamErrorInfo;
      }>
    >;
    revisionMetadata(
      instance: string,
      app: { name: string; namespace?: string; project?: string },
      revision: string,
    ): Promise<{ author?: string; message?: string }>;
  };
  remoteWrite: { fleetSummary(instance?: string): Promise<FleetSummary> };
  thanosComponents: {
    thanosHealth(
      instance: string | undefined,
      component: 'receive',
      selector: LabelMatcher[],
    ): Promise<ThanosHealth>;
  };
  kubernetes: {
    clusterNames(): string[];
    clusterView(cluster: string): Promise<KubernetesClusterView>;
  };
  receiveSelector: LabelMatcher[];
  /** Every tenant against its limit (one query for all); optional: without it no forecast column. */
  capacity?: {
    fleetCapacity(
      instance: string | undefined,
      options: { days: number; limit: number },
    ): Promise<FleetCapacity>;
  };
  /** The capacity slice's verdict on one tenant row and its horizon (plugin.ts passes them). */
  capacityJudge?: {
    days: number;
    reasons(t: TenantForecast): HealthReason[];
  };
}

/** A slice's reason with its one hint as the row's hints. */
function hinted({ hint, ...r }: HealthReason): HintedReason {
  return { ...r, ...(hint ? { hints: [hint] } : {}) };
}

/** The catalog's cluster Resources with their refs and owners (the plugin's own credentials). */
async function catalogClusterEntries(
  catalog: CatalogService,
  auth: AuthService,
): Promise<CatalogCluster[]> {
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'Resource' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.annotations',
        'spec.owner',
      ],
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  const out: CatalogCluster[] = [];
  for (const e of items) {
    const value = e.metadata.annotations?.[CLUSTER_ANNOTATION]?.trim();
    if (!value) continue;
    let cluster: string;
    try {
      cluster = checkLabelValue(value);
    } catch {
      continue; // the entity's own card says why
    }
    const owner = (e.spec as { owner?: unknown } | undefined)?.owner;
    out.push({
      cluster,
      entityRef: stringifyEntityRef(e),
      ...(typeof owner === 'string' ? { owner } : {}),
      ...(e.metadata.title ? { title: e.metadata.title } : {}),
    });
  }
  return out;
}

/** Who started a sync: the user, or ArgoCD's automated sync. */
function initiator(by: ArgocdHistoryEntry['initiatedBy']): {
  initiatedBy?: string;
} {
  if (by?.username) return { initiatedBy: by.username };
  if (by?.automated) return { initiatedBy: 'automated sync' };
  return {};
}

function fleetApp(
  instance: string,
  a: { summary: ArgocdAppSummary; history: ArgocdHistoryEntry[] },
): FleetApp {
  const s = a.summary;
  const newest = a.history[0];
  return {
    instance,
    name: s.name,
    ...(s.namespace ? { namespace: s.namespace } : {}),
    ...(s.project ? { project: s.project } : {}),
    syncStatus: s.syncStatus,
    healthStatus: s.healthStatus,
    ...(s.revision ? { revision: s.revision } : {}),
    ...(s.repoURL ? { repoURL: s.repoURL } : {}),
    ...(s.path ? { path: s.path } : {}),
    ...(s.destination?.name ? { destinationName: s.destination.name } : {}),
    uiUrl: s.uiUrl,
    history: a.history.map(h => ({
      ...(h.revision ? { revision: h.revision } : {}),
      ...(h.deployedAt ? { deployedAt: h.deployedAt } : {}),
      ...initiator(h.initiatedBy),
    })),
    ...(newest?.deployedAt || s.operation?.finishedAt
      ? { lastSyncedAt: newest?.deployedAt ?? s.operation?.finishedAt }
      : {}),
  };
}

/** The join's sources, from the slices' services (plugin.ts). */
export function reconcileSources(d: SliceServices): ReconcileSources {
  return {
    catalog: () => catalogClusterEntries(d.catalog, d.auth),
    gitops: d.gitops.configured
      ? async () => {
          const facts = await d.gitops.repositoryFacts();
          const lint: Record<string, { errors: number; warnings: number }> = {};
          for (const f of facts.lint.findings) {
            if (!f.cluster) continue;
            const l = (lint[f.cluster] ??= { errors: 0, warnings: 0 });
            if (f.severity === 'error') l.errors++;
            else l.warnings++;
          }
          return { overlays: facts.overlays, hashrings: facts.hashrings, lint };
        }
      : undefined,
    argocd:
      d.argocd.instanceNames().length > 0
        ? async () =>
            (await d.argocd.fleetApplications()).map(i => ({
              instance: i.instance,
              apps: i.apps.map(a => fleetApp(i.instance, a)),
              ...(i.error ? { error: i.error } : {}),
            }))
        : undefined,
    // Both answer an upstream failure as data (state unknown, `error`); for the join it is a failed source.
    remoteWrite: async instance => {
      const summary = await d.remoteWrite.fleetSummary(instance);
      if (summary.error) throw UpstreamError.fromInfo(summary.error);
      return summary;
    },
    receive: async instance => {
      const health = await d.thanosComponents.thanosHealth(
        instance,
        'receive',
        d.receiveSelector,
      );
      if (health.error) throw UpstreamError.fromInfo(health.error);
      return health;
    },
    kubernetes:
      d.kubernetes.clusterNames().length > 0
        ? () =>
            Promise.all(
              d.kubernetes.clusterNames().map(async cluster => {
                try {
                  return {
                    cluster,
                    view: await d.kubernetes.clusterView(cluster),
                  };
                } catch (e) {
                  if (!isUpstreamError(e)) throw e;
                  return { cluster, error: e.info };
                }
              }),
            )
        : undefined,
    capacity:
      d.capacity && d.capacityJudge
        ? async instance => {
            const { capacity, capacityJudge } = d;
            const fleet = await capacity!.fleetCapacity(instance, {
              days: capacityJudge!.days,
              // Every tenant: the join needs each cluster's, not the riskiest page.
              limit: Number.MAX_SAFE_INTEGER,
            });
            if (fleet.error) throw UpstreamError.fromInfo(fleet.error);
            const tenants: CapacityFacts['tenants'] = {};
            for (const t of fleet.tenants) {
              tenants[t.tenant] = {
                confidence: t.confidence ?? 'none',
                ...(t.daysLeft !== undefined ? { daysLeft: t.daysLeft } : {}),
                ...(t.reachesAt !== undefined
                  ? { reachesAt: t.reachesAt }
                  : {}),
                reasons: capacityJudge!.reasons(t).map(hinted),
              };
            }
            return { tenants };
          }
        : undefined,
    revisionMetadata: (instance, app, revision) =>
      d.argocd.revisionMetadata(instance, app, revision),
  };
}

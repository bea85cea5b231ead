import {
  catalogInfoSnippet,
  CLUSTER_LABEL,
  hashringRouter,
  HealthState,
  HintedReason,
  namedTenants,
  type ReasonId,
  ReconciledCluster,
  ReconciledSync,
  ReconcileSourceName,
  sameVersion,
  stateFromReasons,
  ThanosHealth,
  type HashringEntry,
  RECONCILE_SOURCES,
  worstState,
} from '@fleet-monitoring/plugin-monitoring-common';
import { reasonForUpstreamError } from '../upstream/reasons';
import { clusterOfApp, revisionUrl } from './appCluster';
import type {
  FleetApp,
  JoinInputs,
  KubernetesFleet,
  SourceAnswer,
} from './sources';

/** The order `knownFrom` lists sources in (capacity knows no cluster of its own). */
const ORDER: ReconcileSourceName[] = RECONCILE_SOURCES.filter(
  s => s !== 'capacity',
);

/** A sync that finished this long before the remote write turned bad is named as its likely cause. */
export const SYNC_BEFORE_BREAK_SECONDS = 30 * 60;
/** Remote-write states that count as broken. */
const BROKEN: ReadonlySet<HealthState> = new Set(['failing', 'degraded']);

const ok = <T>(a: SourceAnswer<T>): T | undefined =>
  a.status === 'ok' ? a.value : undefined;

const reason = (
  id: ReasonId,
  severity: HintedReason['severity'],
  message: string,
  hints?: string[],
): HintedReason => ({ id, severity, message, ...(hints ? { hints } : {}) });

interface Row extends ReconciledCluster {
  known: Set<ReconcileSourceName>;
}

/** The joined fleet: one row per cluster any source knows, and the fleet's own findings. */
export interface JoinedFleet {
  clusters: ReconciledCluster[];
  fleetReasons: HintedReason[];
}

/**
 * Joins the sources per cluster and names the ghosts, gaps and drift between them. Pure: the
 * service reads the sources. A reason is derived only from sources that answered: a failed
 * source leaves its columns out, adds its upstream reason and makes the row unknown, so a cluster
 * is never called a ghost because a source was down.
 */
export function joinFleet(input: JoinInputs): JoinedFleet {
  const catalog = ok(input.catalog);
  const gitops = ok(input.gitops);
  const argocd = ok(input.argocd);
  const summary = ok(input.remoteWrite);
  const observed = ok(input.observed);
  const receive = ok(input.receive);
  const kubernetes = ok(input.kubernetes);
  const capacity = input.capacity ? ok(input.capacity) : undefined;
  const argocdFailed = (argocd ?? []).filter(i => i.error);

  const rows = new Map<string, Row>();
  const row = (cluster: string, from?: ReconcileSourceName): Row => {
    let r = rows.get(cluster);
    if (!r) {
      r = {
        cluster,
        state: 'healthy',
        reasons: [],
        knownFrom: [],
        argocd: [],
        known: new Set(),
      };
      rows.set(cluster, r);
    }
    if (from) r.known.add(from);
    return r;
  };

  for (const c of catalog ?? []) {
    const r = row(c.cluster, 'catalog');
    r.catalog ??= {
      entityRef: c.entityRef,
      ...(c.owner ? { owner: c.owner } : {}),
      ...(c.title ? { title: c.title } : {}),
    };
  }
  for (const o of gitops?.overlays ?? []) {
    const r = row(o.cluster, 'gitops');
    // The edge agent (or the central's Prometheus) is the cluster's writer; other components
    // (a second overlay directory) only add to its lint counts.
    if (r.overlay && o.role !== 'edge' && r.overlay.component !== o.component)
      continue;
    const lint = gitops?.lint[o.cluster] ?? { errors: 0, warnings: 0 };
    r.overlay = {
      path: o.path,
      component: o.component,
      ...(o.chartVersion ? { chartVersion: o.chartVersion } : {}),
      ...(o.agentVersion ? { agentVersion: o.agentVersion } : {}),
      ...(o.tenant ? { tenant: o.tenant } : {}),
      externalLabels: o.externalLabels,
      lintErrors: lint.errors,
      lintWarnings: lint.warnings,
    };
  }
  for (const c of summary?.clusters ?? []) {
    const seen = c.knownFrom === undefined || c.knownFrom.includes('thanos');
    const r = row(c.cluster, seen ? 'remote-write' : undefined);
    r.remoteWrite = {
      state: c.state,
      reasons: c.reasons.map(x => x.id),
      ...(c.stats.lastSeen !== undefined ? { lastSeen: c.stats.lastSeen } : {}),
    };
  }
  for (const cluster of Object.keys(observed?.writers ?? {}))
    row(cluster, 'remote-write');
  for (const k of kubernetes ?? []) {
    if (!k.view) continue;
    const agents = k.view.agentPods;
    if (agents.length === 0) continue;
    row(k.cluster, 'kubernetes').agentPods = {
      kubernetesCluster: k.cluster,
      ready: agents.filter(p => p.ready).length,
      total: agents.length,
    };
  }
  const known = (c: string) => rows.has(c);
  const appsOf = new Map<string, FleetApp[]>();
  for (const inst of argocd ?? []) {
    for (const app of inst.apps) {
      const cluster = clusterOfApp(app, known);
      if (!cluster) continue;
      const r = row(cluster, 'argocd');
      r.argocd.push({
        instance: app.instance,
        name: app.name,
        ...(app.namespace ? { namespace: app.namespace } : {}),
        syncStatus: app.syncStatus,
        healthStatus: app.healthStatus,
        ...(app.revision ? { revision: app.revision } : {}),
        ...(app.lastSyncedAt ? { lastSyncedAt: app.lastSyncedAt } : {}),
        ...(app.repoURL ? { repoURL: app.repoURL } : {}),
        ...(app.path ? { path: app.path } : {}),
        uiUrl: app.uiUrl,
      });
      appsOf.set(cluster, [...(appsOf.get(cluster) ?? []), app]);
    }
  }

  // Hashring files: the GitOps repository's (intended) and each live ConfigMap (Kubernetes). A
  // tenant is routed when every file that is known routes it; a reason names the ones that do not.
  const hashringSources: Array<{ where: string; hashrings: HashringEntry[] }> =
    [
      ...(gitops?.hashrings ?? []).map(h => ({
        where: h.path,
        hashrings: h.hashrings,
      })),
      ...(kubernetes ?? []).flatMap(k =>
        // A ConfigMap that could not be read (absent, forbidden) is no hashring file.
        k.view?.hashring &&
        !k.view.hashring.error &&
        k.view.hashring.hashrings.length > 0
          ? [
              {
                where: `ConfigMap ${k.view.hashring.configMap} on ${k.cluster}`,
                hashrings: k.view.hashring.hashrings.map(h => ({
                  hashring: h.name,
                  tenants: h.tenants,
                  endpoints: h.endpoints,
                })),
              },
            ]
          : [],
      ),
    ];
  const hashrings = hashringSources.flatMap(f => f.hashrings);
  const hashringFiles = hashringSources.map(f => ({
    where: f.where,
    route: hashringRouter(f.hashrings),
  }));
  const overlayTenants = new Set(
    (gitops?.overlays ?? []).map(o => o.tenant ?? o.cluster),
  );
  if (gitops) {
    for (const tenant of namedTenants(hashrings)) {
      if (overlayTenants.has(tenant)) continue;
      row(tenant, 'receive').reasons.push(
        reason(
          'reconcile-tenant-no-overlay',
          'warning',
          `the hashring routes tenant ${tenant}, but no overlay in the GitOps repository writes as ${tenant}: a cluster that was removed, renamed, or never added to git`,
          [
            `Add deploy/overlays/${tenant}/ (fleet:create-edge) or remove ${tenant} from the hashring (fleet:hashring:register)`,
          ],
        ),
      );
    }
  }

  for (const r of rows.values()) {
    const seen =
      r.known.has('remote-write') ||
      (observed?.writers[r.cluster]?.length ?? 0) > 0;
    const writers = observed?.writers[r.cluster] ?? [];
    if (observed && writers.length > 0) {
      r.observed = {
        writers: writers.length,
        versions: [
          ...new Set(writers.map(w => w.labels.version).filter(Boolean)),
        ].sort(),
        labels: commonLabels(writers.map(w => w.labels)),
      };
    }
    const tenant =
      r.overlay?.tenant ?? observed?.tenants[r.cluster] ?? undefined;
    // Routing is judged for clusters that write as a tenant (an edge without the header is the
    // lint's tenant-header finding; a central that writes nowhere has none).
    if (tenant) {
      const t = tenant;
      const limits = observed?.tenantLimits[t];
      const routes = hashringFiles.map(f => ({
        where: f.where,
        hashring: f.route(t),
      }));
      const unrouted = routes.filter(x => x.hashring === undefined);
      const hashring = routes.find(x => x.hashring !== undefined)?.hashring;
      r.receive = {
        tenant: t,
        ...(routes.length ? { routed: unrouted.length === 0 } : {}),
        ...(hashring ? { hashring } : {}),
        ...(limits?.limit !== undefined ? { limit: limits.limit } : {}),
        ...(limits?.headSeries !== undefined
          ? { headSeries: limits.headSeries }
          : {}),
      };
      // The tenant's forecast and, at risk within the judge's horizon, its capacity reasons.
      const fact = capacity?.tenants[t];
      if (fact) {
        r.receive.forecast = {
          confidence: fact.confidence,
          ...(fact.daysLeft !== undefined ? { daysLeft: fact.daysLeft } : {}),
          ...(fact.reachesAt !== undefined
            ? { reachesAt: fact.reachesAt }
            : {}),
          atRisk: fact.reasons.length > 0,
        };
        r.reasons.push(...fact.reasons);
      }
      if (unrouted.length && r.overlay) {
        r.reasons.push(
          reason(
            'reconcile-tenant-not-routed',
            'critical',
            `the overlay writes as tenant ${t}, which ${unrouted.map(x => x.where).join(' and ')} does not route (no hashring lists it, none takes every tenant): Thanos Receive refuses its writes`,
            [
              `Add ${t} to a hashring's tenants (fleet:hashring:register), or add a hashring without tenants as the default`,
            ],
          ),
        );
      }
    }

    if (catalog && !r.catalog && seen) {
      r.reasons.push(
        reason(
          'reconcile-not-in-catalog',
          'warning',
          `${r.cluster} sends metrics but no catalog Resource carries fleet-monitoring.io/cluster: ${r.cluster}; nobody owns it in Backstage`,
          [
            `Register this catalog-info.yaml:\n${catalogInfoSnippet(r.cluster)}`,
          ],
        ),
      );
    }
    if (r.catalog && summary && observed && !seen) {
      r.reasons.push(
        reason(
          'reconcile-never-seen',
          'warning',
          `${r.catalog.entityRef} names cluster ${r.cluster}, but Thanos has no series with ${CLUSTER_LABEL}="${r.cluster}"`,
          r.overlay
            ? [
                `The overlay ${r.overlay.path} exists: check its ArgoCD Application and the agent's remote write`,
              ]
            : [
                `No overlay either: create one (fleet:create-edge), or fix the annotation if the cluster is named otherwise`,
              ],
        ),
      );
    }
    if (gitops && !r.overlay && (r.catalog || seen)) {
      r.reasons.push(
        reason(
          'reconcile-no-overlay',
          seen ? 'info' : 'warning',
          `no deploy/overlays/${r.cluster}/ in the GitOps repository${seen ? ': what runs there is not managed from git' : ''}`,
        ),
      );
    }
    if (
      r.overlay &&
      argocd &&
      argocdFailed.length === 0 &&
      r.argocd.length === 0
    ) {
      r.reasons.push(
        reason(
          'reconcile-no-application',
          'warning',
          `${r.overlay.path} is in git but no ArgoCD Application syncs it: changes to it reach no cluster`,
          [
            `Create an Application with source path ${r.overlay.path} (repoURL of the GitOps repository)`,
          ],
        ),
      );
    }
    for (const a of r.argocd) {
      const outOfSync = a.syncStatus === 'OutOfSync';
      const broken = ['Degraded', 'Missing'].includes(a.healthStatus);
      if (!outOfSync && !broken) continue;
      r.reasons.push(
        reason(
          'reconcile-application-drift',
          broken ? 'critical' : 'warning',
          `Application ${a.name} (ArgoCD ${a.instance}) is ${a.syncStatus}/${a.healthStatus}: what runs is not what git says`,
        ),
      );
    }
    if (writers.length > 1) {
      const differing = differingLabels(writers.map(w => w.labels));
      r.reasons.push(
        reason(
          'reconcile-duplicate-cluster-label',
          'warning',
          `${writers.length} Prometheus processes write under ${CLUSTER_LABEL}="${r.cluster}"${differing.length ? ` (they differ in ${differing.join(', ')})` : ''}: two clusters share one name, or one runs two agents; their series mix`,
          [
            'Give each cluster its own cluster external label (the overlay directory name); an intended HA pair needs a replica label Thanos deduplicates',
          ],
        ),
      );
    }
    if (r.overlay?.agentVersion && r.observed?.versions.length) {
      const want = r.overlay.agentVersion;
      if (!r.observed.versions.some(v => sameVersion(v, want))) {
        r.reasons.push(
          reason(
            'reconcile-version-drift',
            'warning',
            `the overlay deploys Prometheus ${want}, the cluster's series say ${r.observed.versions.join(', ')}`,
          ),
        );
      }
    }
    if (r.overlay && r.observed?.labels) {
      const seenLabels = r.observed.labels;
      const drift = Object.entries(r.overlay.externalLabels)
        .filter(([k, v]) => seenLabels[k] !== v)
        .map(
          ([k, v]) =>
            `${k}="${v}" in git, ${seenLabels[k] === undefined ? 'absent' : `"${seenLabels[k]}"`} on the series`,
        );
      if (drift.length) {
        r.reasons.push(
          reason(
            'reconcile-label-drift',
            'warning',
            `external labels differ: ${drift.join('; ')}`,
          ),
        );
      }
    }
    if (r.remoteWrite && BROKEN.has(r.remoteWrite.state)) {
      const brokeAt = observed?.brokeAt[r.cluster];
      if (brokeAt !== undefined)
        r.remoteWrite.since = new Date(brokeAt * 1000).toISOString();
      const sync =
        brokeAt !== undefined
          ? syncBefore(appsOf.get(r.cluster) ?? [], brokeAt)
          : undefined;
      if (sync) {
        r.changedBy = sync;
        r.reasons.push(
          reason(
            'reconcile-broke-after-sync',
            'warning',
            `remote write turned bad after ${sync.brokeAt} (its last clean check), ${Math.round((Date.parse(sync.brokeAt!) - Date.parse(sync.deployedAt)) / 60000)} min after ArgoCD synced ${sync.app} to ${sync.revision.slice(0, 12)}: the likely cause`,
            sync.revisionUrl
              ? [`See the change: ${sync.revisionUrl}`]
              : undefined,
          ),
        );
      }
    }
  }

  const fleetReasons: HintedReason[] = [];
  const disagree = receiversDisagree(receive, kubernetes);
  if (disagree) {
    fleetReasons.push(disagree.reason);
    if (rows.has(disagree.cluster))
      rows.get(disagree.cluster)!.reasons.push(disagree.reason);
  }
  const answers: Array<SourceAnswer<unknown>> = [
    input.catalog,
    input.gitops,
    input.argocd,
    input.remoteWrite,
    input.observed,
    input.receive,
    input.kubernetes,
    ...(input.capacity ? [input.capacity] : []),
  ];
  const failed = answers.flatMap(a => (a.status === 'failed' ? [a.error] : []));
  // One reason per distinct failure (the summary, Receive and the series query share one Thanos).
  const upstream = [
    ...new Map(
      [...failed, ...argocdFailed.map(i => i.error!)]
        .map(reasonForUpstreamError)
        .map(r => [`${r.id}:${r.message}`, r] as const),
    ).values(),
  ];
  fleetReasons.push(...upstream);

  const clusters = [...rows.values()]
    .map(({ known: sources, ...r }) => {
      let state: HealthState = r.remoteWrite?.state ?? 'healthy';
      if (state === 'no-data' && !r.catalog) state = 'healthy';
      state = worstState(state, stateFromReasons(r.reasons));
      if (upstream.length) state = worstState(state, 'unknown');
      return {
        ...r,
        state,
        reasons: [...r.reasons, ...upstream],
        knownFrom: ORDER.filter(s => sources.has(s)),
      };
    })
    // Code-unit order, as the fleet summary sorts names.
    .sort((a, b) => {
      if (a.cluster === b.cluster) return 0;
      return a.cluster < b.cluster ? -1 : 1;
    });
  return { clusters, fleetReasons };
}

/** Labels every writer carries with one value: the external labels are among them. */
function commonLabels(
  sets: Array<Record<string, string>>,
): Record<string, string> {
  const [first, ...rest] = sets;
  return Object.fromEntries(
    Object.entries(first ?? {}).filter(
      ([k, v]) =>
        k !== '__name__' && k !== 'version' && rest.every(s => s[k] === v),
    ),
  );
}

/** Label names whose values differ between writers (what tells them apart). */
function differingLabels(sets: Array<Record<string, string>>): string[] {
  const names = new Set(sets.flatMap(s => Object.keys(s)));
  return [...names]
    .filter(n => n !== '__name__' && new Set(sets.map(s => s[n])).size > 1)
    .sort();
}

/** The newest sync of the cluster's apps that finished at most SYNC_BEFORE_BREAK_SECONDS before the break. */
function syncBefore(
  apps: FleetApp[],
  brokeAt: number,
): ReconciledSync | undefined {
  let best:
    { app: FleetApp; h: FleetApp['history'][number]; at: number } | undefined;
  for (const app of apps) {
    for (const h of app.history) {
      const at = h.deployedAt ? Date.parse(h.deployedAt) / 1000 : NaN;
      if (!h.revision || !Number.isFinite(at)) continue;
      if (at > brokeAt || brokeAt - at > SYNC_BEFORE_BREAK_SECONDS) continue;
      if (!best || at > best.at) best = { app, h, at };
    }
  }
  if (!best) return undefined;
  const url = revisionUrl(best.app.repoURL, best.h.revision);
  return {
    instance: best.app.instance,
    app: best.app.name,
    revision: best.h.revision!,
    deployedAt: new Date(best.at * 1000).toISOString(),
    brokeAt: new Date(brokeAt * 1000).toISOString(),
    ...(best.h.initiatedBy ? { initiatedBy: best.h.initiatedBy } : {}),
    ...(url ? { revisionUrl: url } : {}),
    uiUrl: best.app.uiUrl,
  };
}

/**
 * A receiver down by its own metrics (Thanos health: instancesUp < instancesTotal) while the
 * Kubernetes API calls every receive pod Ready: one of the two is wrong (a scrape that fails, a
 * readiness probe that passes a stuck receiver), and nothing else notices.
 */
function receiversDisagree(
  receive: ThanosHealth | undefined,
  kubernetes: KubernetesFleet[] | undefined,
): { cluster: string; reason: HintedReason } | undefined {
  const up = receive?.receive?.instancesUp;
  const total = receive?.receive?.instancesTotal;
  if (up === undefined || total === undefined || up >= total) return undefined;
  for (const k of kubernetes ?? []) {
    const pods = k.view?.receivePods ?? [];
    // The same receivers (as many pods as the metrics count), every one Ready.
    if (pods.length !== total || !pods.every(p => p.ready)) continue;
    return {
      cluster: k.cluster,
      reason: reason(
        'reconcile-sources-disagree',
        'warning',
        `Thanos Receive's metrics say ${up} of ${total} receivers are up; the Kubernetes API of ${k.cluster} says all ${pods.length} receive pods are Ready`,
        [
          'Check the scrape of the receiver that is down (up == 0: target, port, NetworkPolicy) and whether its readiness probe passes while it cannot serve',
        ],
      ),
    };
  }
  return undefined;
}

import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ArgocdAppSummary,
  ArgocdEntityApps,
  ArgocdHistoryResponse,
  ArgocdInstanceResult,
  ArgocdResourcesResponse,
  ArgocdResourceSummary,
  ArgocdSelection,
  ArgocdSyncWindowState,
  HealthState,
  HintedReason,
  matchesLabelSelector,
  UpstreamErrorInfo,
  worstState,
} from '@fleet-monitoring/plugin-monitoring-common';
import { CachedLoader } from '../service/CachedLoader';
import { reasonForUpstreamError } from '../service/FleetHealthService';
import { isUpstreamError, UpstreamError } from '../upstream/errors';
import { ArgocdClient } from './ArgocdClient';
import type { ArgocdSettings } from './config';
import { appReasons, appState, lastDeployedAt } from './health';
import type {
  ArgoApplication,
  ArgoApplicationList,
  ArgoApplicationTree,
  ArgoResourceStatus,
  ArgoSyncWindows,
} from './types';

const KEY = 'fleet-monitoring:argocd:v1';

function appQuery(
  selection: Pick<ArgocdSelection, 'appNamespace' | 'project'>,
): URLSearchParams {
  const q = new URLSearchParams();
  if (selection.appNamespace) q.set('appNamespace', selection.appNamespace);
  if (selection.project) q.set('project', selection.project);
  return q;
}

/**
 * ArgoCD applications of catalog entities across the configured instances. The entity answer costs
 * one list call per instance (plus one sync-window call per OutOfSync app, capped); history and the
 * resource tree are fetched on demand, for apps that belong to the entity only.
 */
export class ArgocdService {
  private readonly clients = new Map<string, ArgocdClient>();
  private readonly loader: CachedLoader;

  constructor(
    private readonly settings: ArgocdSettings,
    private readonly logger: LoggerService,
    cache?: CacheService,
  ) {
    for (const instance of settings.instances)
      this.clients.set(instance.name, new ArgocdClient(instance));
    this.loader = new CachedLoader(cache, settings.cacheTtlSeconds);
  }

  instanceNames(): string[] {
    return [...this.clients.keys()];
  }

  instanceTitle(name: string): string | undefined {
    return this.clients.get(name)?.instance.title;
  }

  /** Total HTTP calls made to ArgoCD and logins, per instance (for benchmarks and tests). */
  stats(): Record<string, { calls: number; logins: number }> {
    return Object.fromEntries(
      [...this.clients].map(([n, c]) => [
        n,
        { calls: c.calls, logins: c.logins },
      ]),
    );
  }

  /** The instances an entity asks for, in its order; unknown names are errors of their own. */
  private instancesFor(
    selection: ArgocdSelection,
  ): Array<{ name: string; client?: ArgocdClient }> {
    const names = selection.instances ?? this.instanceNames();
    return names.map(name => ({ name, client: this.clients.get(name) }));
  }

  private uiLink(client: ArgocdClient, app: ArgoApplication): string {
    const name = encodeURIComponent(app.metadata?.name ?? '');
    const url = new URL(
      `applications/${app.metadata?.namespace ? `${encodeURIComponent(app.metadata.namespace)}/` : ''}${name}`,
      client.instance.uiUrl,
    );
    return url.toString();
  }

  private summarize(
    client: ArgocdClient,
    app: ArgoApplication,
    windows?: ArgocdSyncWindowState,
    windowsError?: UpstreamErrorInfo,
  ): ArgocdAppSummary {
    const reasons = appReasons(app, windows);
    const source = app.spec?.source ?? app.spec?.sources?.[0];
    const op = app.status?.operationState;
    const summary: ArgocdAppSummary = {
      instance: client.instance.name,
      name: app.metadata?.name ?? '',
      namespace: app.metadata?.namespace,
      project: app.spec?.project,
      syncStatus: app.status?.sync?.status ?? 'Unknown',
      healthStatus: app.status?.health?.status ?? 'Unknown',
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
          }
        : undefined,
      syncWindows: windows,
      syncWindowsError: windowsError,
      uiUrl: this.uiLink(client, app),
      state: appState(reasons, app),
      reasons,
    };
    return JSON.parse(JSON.stringify(summary)); // drop undefined fields (cache stores JSON)
  }

  /** One list call: by name (`name=`) or by label selector (`selector=`), plus namespace/project. */
  private async listApps(
    client: ArgocdClient,
    selection: ArgocdSelection,
  ): Promise<ArgoApplication[]> {
    const q = new URLSearchParams();
    if (selection.appName) q.set('name', selection.appName);
    else if (selection.selector) q.set('selector', selection.selector);
    if (selection.appNamespace) q.set('appNamespace', selection.appNamespace);
    if (selection.project) q.append('projects', selection.project);
    try {
      const list = await client.get<ArgoApplicationList>(
        'api/v1/applications',
        q,
        'listing applications',
      );
      const items = list.items ?? [];
      // Defence in depth: only apps that really match what the entity asked for.
      return items.filter(a =>
        selection.appName
          ? a.metadata?.name === selection.appName
          : matchesLabelSelector(
              a.metadata?.labels,
              selection.requirements ?? [],
            ),
      );
    } catch (e) {
      // ArgoCD answers 404 "application '<name>' not found" when `name` matches nothing: not an error.
      if (
        isUpstreamError(e) &&
        e.info.kind === 'not-found' &&
        selection.appName
      )
        return [];
      throw e;
    }
  }

  private async syncWindows(
    client: ArgocdClient,
    app: ArgoApplication,
  ): Promise<ArgocdSyncWindowState> {
    const name = app.metadata?.name ?? '';
    const body = await client.get<ArgoSyncWindows>(
      `api/v1/applications/${encodeURIComponent(name)}/syncwindows`,
      appQuery({
        appNamespace: app.metadata?.namespace,
        project: app.spec?.project,
      }),
      `reading the sync windows of ${name}`,
    );
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

  private async instanceApps(
    client: ArgocdClient,
    selection: ArgocdSelection,
    budget: { left: number },
  ) {
    const apps = await this.listApps(client, selection);
    return Promise.all(
      apps.map(async app => {
        if (app.status?.sync?.status !== 'OutOfSync' || budget.left <= 0)
          return this.summarize(client, app);
        budget.left--;
        try {
          return this.summarize(
            client,
            app,
            await this.syncWindows(client, app),
          );
        } catch (e) {
          if (!isUpstreamError(e)) throw e;
          return this.summarize(client, app, undefined, e.info);
        }
      }),
    );
  }

  private selectionKey(s: ArgocdSelection): string {
    return JSON.stringify([
      s.appName ?? null,
      s.selector ?? null,
      s.appNamespace ?? null,
      s.project ?? null,
      s.instances ?? null,
    ]);
  }

  /** The entity's applications across its instances; failing instances become per-instance errors. */
  async entityApps(selection: ArgocdSelection): Promise<ArgocdEntityApps> {
    const { value, cached } = await this.loader.load(
      `${KEY}:apps:${this.selectionKey(selection)}`,
      async () => {
        const before = this.totalCalls();
        const budget = { left: this.settings.maxSyncWindowChecks };
        const targets = this.instancesFor(selection);
        const results = await Promise.all(
          targets.map(async ({ name, client }) => {
            if (!client) {
              const error: UpstreamErrorInfo = {
                upstream: `argocd:${name}`,
                kind: 'not-configured',
                message: `argocd/instance-name names "${name}", which is not configured (fleetMonitoring.argocd); configured: ${this.instanceNames().join(', ') || 'none'}`,
              };
              return { name, apps: [] as ArgocdAppSummary[], error };
            }
            try {
              return {
                name,
                apps: await this.instanceApps(client, selection, budget),
              };
            } catch (e) {
              if (!isUpstreamError(e)) throw e;
              this.logger.warn(`ArgoCD ${name}: ${e.message}`);
              return { name, apps: [] as ArgocdAppSummary[], error: e.info };
            }
          }),
        );
        const applications = results.flatMap(r => r.apps);
        const errors = results.flatMap(r => (r.error ? [r.error] : []));
        const instances: ArgocdInstanceResult[] = results.map(r => ({
          name: r.name,
          applications: r.apps.length,
          ...(r.error ? { error: r.error } : {}),
        }));
        const reasons: HintedReason[] = [
          ...applications.flatMap(a => a.reasons),
          ...errors.map(reasonForUpstreamError),
        ];
        let state = applications.reduce<HealthState>(
          (s, a) => worstState(s, a.state),
          'healthy',
        );
        if (applications.length === 0)
          state = errors.length > 0 ? 'unknown' : 'no-data';
        else if (errors.length > 0) state = worstState(state, 'unknown');
        const answer: ArgocdEntityApps = {
          state,
          reasons,
          query: JSON.parse(
            JSON.stringify({
              appName: selection.appName,
              selector: selection.selector,
              appNamespace: selection.appNamespace,
              project: selection.project,
            }),
          ),
          applications,
          instances,
          errors,
          upstreamCalls: this.totalCalls() - before,
          generatedAt: new Date().toISOString(),
        };
        return answer as any;
      },
    );
    const result = value as unknown as ArgocdEntityApps;
    return cached ? { ...result, upstreamCalls: 0 } : result;
  }

  private totalCalls(): number {
    let n = 0;
    for (const c of this.clients.values()) n += c.calls;
    return n;
  }

  /** The app, if it belongs to the entity (it is in the entity's cached list); else 404. */
  private async ownedApp(
    selection: ArgocdSelection,
    instance: string,
    app: string,
  ): Promise<{ client: ArgocdClient; summary: ArgocdAppSummary }> {
    const client = this.clients.get(instance);
    const allowed = selection.instances ?? this.instanceNames();
    if (!client || !allowed.includes(instance)) {
      throw new NotFoundError(
        `ArgoCD instance "${instance}" is not one of this entity's instances`,
      );
    }
    const apps = await this.entityApps(selection);
    const summary = apps.applications.find(
      a => a.instance === instance && a.name === app,
    );
    if (!summary) {
      const failed = apps.errors.find(e => e.upstream === client.upstream);
      if (failed)
        throw new UpstreamError(
          failed.upstream,
          failed.kind,
          failed.message,
          failed.status,
        );
      throw new NotFoundError(
        `Application "${app}" in ArgoCD "${instance}" does not belong to this entity`,
      );
    }
    return { client, summary };
  }

  private async getApp(
    client: ArgocdClient,
    summary: ArgocdAppSummary,
  ): Promise<ArgoApplication> {
    return client.get<ArgoApplication>(
      `api/v1/applications/${encodeURIComponent(summary.name)}`,
      appQuery({ appNamespace: summary.namespace, project: summary.project }),
      `reading application ${summary.name}`,
    );
  }

  async history(
    selection: ArgocdSelection,
    instance: string,
    app: string,
  ): Promise<ArgocdHistoryResponse> {
    if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(app))
      throw new InputError(`Invalid application name "${app}"`);
    const { client, summary } = await this.ownedApp(selection, instance, app);
    const { value } = await this.loader.load(
      `${KEY}:history:${instance}:${summary.namespace ?? ''}:${app}`,
      async () => {
        const full = await this.getApp(client, summary);
        const history = [...(full.status?.history ?? [])]
          .map(h => {
            const source = h.source ?? h.sources?.[0];
            return JSON.parse(
              JSON.stringify({
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
              }),
            );
          })
          .sort((a, b) => b.id - a.id);
        return { instance, app, history } as ArgocdHistoryResponse as any;
      },
    );
    return value as unknown as ArgocdHistoryResponse;
  }

  async resources(
    selection: ArgocdSelection,
    instance: string,
    app: string,
  ): Promise<ArgocdResourcesResponse> {
    if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(app))
      throw new InputError(`Invalid application name "${app}"`);
    const { client, summary } = await this.ownedApp(selection, instance, app);
    const { value } = await this.loader.load(
      `${KEY}:resources:${instance}:${summary.namespace ?? ''}:${app}`,
      async () => {
        const [full, tree] = await Promise.all([
          this.getApp(client, summary),
          client.get<ArgoApplicationTree>(
            `api/v1/applications/${encodeURIComponent(app)}/resource-tree`,
            appQuery({
              appNamespace: summary.namespace,
              project: summary.project,
            }),
            `reading the resource tree of ${app}`,
          ),
        ]);
        const key = (r: ArgoResourceStatus) =>
          `${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
        const problems = new Map<string, ArgocdResourceSummary>();
        const toSummary = (r: ArgoResourceStatus): ArgocdResourceSummary =>
          JSON.parse(
            JSON.stringify({
              group: r.group || undefined,
              version: r.version,
              kind: r.kind ?? '?',
              namespace: r.namespace,
              name: r.name ?? '?',
              health: r.health?.status,
              healthMessage: r.health?.message,
              syncStatus: r.status,
              requiresPruning: r.requiresPruning,
            }),
          );
        const bad = (r: ArgoResourceStatus) =>
          (r.health?.status && r.health.status !== 'Healthy') ||
          (r.status && r.status !== 'Synced');
        for (const r of full.status?.resources ?? [])
          if (bad(r)) problems.set(key(r), toSummary(r));
        for (const n of tree.nodes ?? []) {
          if (!bad(n)) continue;
          const existing = problems.get(key(n));
          problems.set(
            key(n),
            existing
              ? {
                  ...toSummary(n),
                  ...existing,
                  health: existing.health ?? n.health?.status,
                }
              : toSummary(n),
          );
        }
        return {
          instance,
          app,
          totalNodes: tree.nodes?.length ?? 0,
          totalManaged: full.status?.resources?.length ?? 0,
          problems: [...problems.values()],
        } as ArgocdResourcesResponse as any;
      },
    );
    return value as unknown as ArgocdResourcesResponse;
  }
}

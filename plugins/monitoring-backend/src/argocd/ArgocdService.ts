import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ArgocdAppSummary,
  ArgocdEntityApps,
  ArgocdHistoryEntry,
  ArgocdHistoryResponse,
  ArgocdInstanceResult,
  ArgocdSelection,
  HealthState,
  HintedReason,
  matchesLabelSelector,
  UpstreamErrorInfo,
  worstState,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { ArgocdInstanceConfig, ArgocdSettings } from '../config';
import { CachedLoader } from '../core/CachedLoader';
import { cacheKey } from '../core/cacheKeys';
import { isUpstreamError, UpstreamError } from '../upstream/errors';
import { reasonForUpstreamError } from '../upstream/reasons';
import { ArgocdClient } from './ArgocdClient';
import { appSummary, historyEntries, syncWindowState } from './mapping';
import type {
  ArgoApplication,
  ArgoApplicationList,
  ArgoSyncWindows,
} from './types';

const APP_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** What one instance answered for an entity: its apps, or the error that kept them from us. */
interface InstanceApps {
  name: string;
  apps: ArgocdAppSummary[];
  error?: UpstreamErrorInfo;
  /** When ArgoCD was asked (an answer from the cache keeps its time). */
  fetchedAt: string;
}

function appQuery(
  selection: Pick<ArgocdSelection, 'appNamespace' | 'project'>,
): URLSearchParams {
  const q = new URLSearchParams();
  if (selection.appNamespace) q.set('appNamespace', selection.appNamespace);
  if (selection.project) q.set('project', selection.project);
  return q;
}

function selectionKey(s: ArgocdSelection): string {
  return JSON.stringify([
    s.appName ?? null,
    s.selector ?? null,
    s.appNamespace ?? null,
    s.project ?? null,
  ]);
}

/**
 * The admin's binding of app selectors on one instance (`selectorPolicy`): a selector that does not
 * pin a required label, or an entity without its project where one is required, is a 400 naming the
 * instance and the rule, before ArgoCD is asked anything.
 */
function refuseUnboundSelector(
  instance: ArgocdInstanceConfig,
  selection: ArgocdSelection,
): void {
  if (selection.appName && !selection.requirements) return;
  const { requiredLabels, requireProject } = instance.selectorPolicy;
  const pinned = (selection.requirements ?? []).filter(
    r => r.operator === '=' || r.operator === 'in',
  );
  if (
    requiredLabels.length > 0 &&
    !pinned.some(r => requiredLabels.includes(r.key))
  )
    throw new InputError(
      `argocd/app-selector must pin one of ${requiredLabels.join(', ')} to a value on ArgoCD instance "${instance.name}" (fleetMonitoring.argocd[${instance.name}].selectorPolicy.requiredLabels)`,
    );
  if (requireProject && !selection.project)
    throw new InputError(
      `ArgoCD instance "${instance.name}" requires argocd/project-name next to argocd/app-selector (fleetMonitoring.argocd[${instance.name}].selectorPolicy.requireProject)`,
    );
}

/**
 * ArgoCD applications of catalog entities across the configured instances. Each instance's answer
 * for an entity is loaded and cached on its own: the entity view waits for all of them, an app route
 * only for the instance it names. One list call per instance (plus one sync-window call per OutOfSync
 * app, capped); history is fetched on demand, for the entity's own apps only.
 */
export class ArgocdService {
  private readonly clients = new Map<string, ArgocdClient>();
  private readonly loader: CachedLoader;

  constructor(
    private readonly settings: ArgocdSettings,
    cacheTtlSeconds: number,
    private readonly logger: LoggerService,
    cache?: CacheService,
  ) {
    for (const instance of settings.instances)
      this.clients.set(instance.name, new ArgocdClient(instance));
    this.loader = new CachedLoader(cache, cacheTtlSeconds);
  }

  instanceNames(): string[] {
    return [...this.clients.keys()];
  }

  instanceTitle(name: string): string | undefined {
    return this.clients.get(name)?.instance.title;
  }

  /** Total HTTP calls made to ArgoCD and logins, per instance: the benchmarks' hook, not part of any answer. */
  stats(): Record<string, { calls: number; logins: number }> {
    return Object.fromEntries(
      [...this.clients].map(([n, c]) => [
        n,
        { calls: c.calls, logins: c.logins },
      ]),
    );
  }

  /** Releases every instance's connection pool. */
  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(c => c.close()));
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
      // Defence in depth: only apps that really match what the entity asked for.
      return (list.items ?? []).filter(a =>
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

  private async syncWindows(client: ArgocdClient, app: ArgoApplication) {
    const name = app.metadata?.name ?? '';
    const body = await client.get<ArgoSyncWindows>(
      `api/v1/applications/${encodeURIComponent(name)}/syncwindows`,
      appQuery({
        appNamespace: app.metadata?.namespace,
        project: app.spec?.project,
      }),
      `reading the sync windows of ${name}`,
    );
    return syncWindowState(body);
  }

  /** The entity's apps in one instance, with sync windows for up to maxSyncWindowChecks OutOfSync apps. */
  private async summarizeInstance(
    client: ArgocdClient,
    selection: ArgocdSelection,
  ): Promise<ArgocdAppSummary[]> {
    const apps = await this.listApps(client, selection);
    let budget = this.settings.maxSyncWindowChecks;
    return Promise.all(
      apps.map(async app => {
        if (app.status?.sync?.status !== 'OutOfSync' || budget <= 0)
          return appSummary(client.instance, app);
        budget--;
        try {
          return appSummary(
            client.instance,
            app,
            await this.syncWindows(client, app),
          );
        } catch (e) {
          if (!isUpstreamError(e)) throw e;
          return appSummary(client.instance, app, undefined, e.info);
        }
      }),
    );
  }

  /** One instance's answer for the entity, cached per instance; failures come back as data. */
  private async instanceApps(
    name: string,
    selection: ArgocdSelection,
  ): Promise<InstanceApps> {
    const client = this.clients.get(name);
    if (!client) {
      const error: UpstreamErrorInfo = {
        upstream: `argocd:${name}`,
        kind: 'not-configured',
        message: `argocd/instance-name names "${name}", which is not configured (fleetMonitoring.argocd); configured: ${this.instanceNames().join(', ') || 'none'}`,
      };
      return { name, apps: [], error, fetchedAt: new Date().toISOString() };
    }
    refuseUnboundSelector(client.instance, selection);
    const { value } = await this.loader.load(
      cacheKey('argocd-apps', name, selectionKey(selection)),
      async (): Promise<InstanceApps> => {
        try {
          const apps = await this.summarizeInstance(client, selection);
          return { name, apps, fetchedAt: new Date().toISOString() };
        } catch (e) {
          if (!isUpstreamError(e)) throw e;
          this.logger.warn(`ArgoCD ${name}: ${e.message}`);
          return {
            name,
            apps: [],
            error: e.info,
            fetchedAt: new Date().toISOString(),
          };
        }
      },
    );
    return value;
  }

  /**
   * Every Application of every instance, with its history (#22 reconcile: the fleet joined per
   * cluster). One list call per instance per cache period; a failing instance answers its error.
   * The backend's own account lists them (the route asking is fleet-permission guarded).
   */
  async fleetApplications(): Promise<
    Array<{
      instance: string;
      apps: Array<{ summary: ArgocdAppSummary; history: ArgocdHistoryEntry[] }>;
      error?: UpstreamErrorInfo;
    }>
  > {
    return Promise.all(
      [...this.clients].map(async ([name, client]) => {
        const { value } = await this.loader.load(
          cacheKey('argocd-fleet', name),
          async () => {
            try {
              const list = await client.get<ArgoApplicationList>(
                'api/v1/applications',
                undefined,
                'listing applications',
              );
              return {
                instance: name,
                apps: (list.items ?? []).map(app => ({
                  summary: appSummary(client.instance, app),
                  history: historyEntries(app),
                })),
              };
            } catch (e) {
              if (!isUpstreamError(e)) throw e;
              this.logger.warn(`ArgoCD ${name}: ${e.message}`);
              return { instance: name, apps: [], error: e.info };
            }
          },
        );
        return value;
      }),
    );
  }

  /** Author and message of a revision (ApplicationService_RevisionMetadata), cached per revision. */
  async revisionMetadata(
    instance: string,
    app: { name: string; namespace?: string; project?: string },
    revision: string,
  ): Promise<{ author?: string; message?: string; date?: string }> {
    const client = this.clients.get(instance);
    if (!client) throw new NotFoundError(`No ArgoCD instance "${instance}"`);
    if (!APP_NAME.test(app.name) || !/^[A-Za-z0-9._/-]{1,255}$/.test(revision))
      throw new InputError('Invalid application or revision');
    const { value } = await this.loader.load(
      cacheKey('argocd-revision', instance, app.name, revision),
      async () => {
        const body = await client.get<{
          author?: string;
          message?: string;
          date?: string;
        }>(
          `api/v1/applications/${encodeURIComponent(app.name)}/revisions/${encodeURIComponent(revision)}/metadata`,
          appQuery({ appNamespace: app.namespace, project: app.project }),
          `reading revision ${revision} of ${app.name}`,
        );
        return {
          ...(body.author ? { author: body.author } : {}),
          ...(body.message ? { message: body.message } : {}),
          ...(body.date ? { date: body.date } : {}),
        };
      },
    );
    return value;
  }

  /** The entity's applications across its instances; failing instances become per-instance errors. */
  async entityApps(selection: ArgocdSelection): Promise<ArgocdEntityApps> {
    const names = selection.instances ?? this.instanceNames();
    const results = await Promise.all(
      names.map(name => this.instanceApps(name, selection)),
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
    return {
      state,
      reasons,
      query: {
        appName: selection.appName,
        selector: selection.selector,
        appNamespace: selection.appNamespace,
        project: selection.project,
      },
      applications,
      instances,
      errors,
      // The age of the oldest part: ISO timestamps of one format sort as text.
      generatedAt:
        results.map(r => r.fetchedAt).sort()[0] ?? new Date().toISOString(),
    };
  }

  /**
   * The app, if it belongs to the entity (it is in the entity's cached list for that instance); else
   * 404. Only the named instance is asked: a slow unrelated instance does not delay the answer.
   */
  private async ownedApp(
    selection: ArgocdSelection,
    instance: string,
    app: string,
  ): Promise<{ client: ArgocdClient; summary: ArgocdAppSummary }> {
    if (!APP_NAME.test(app))
      throw new InputError(`Invalid application name "${app}"`);
    const client = this.clients.get(instance);
    const allowed = selection.instances ?? this.instanceNames();
    if (!client || !allowed.includes(instance)) {
      throw new NotFoundError(
        `ArgoCD instance "${instance}" is not one of this entity's instances`,
      );
    }
    const { apps, error } = await this.instanceApps(instance, selection);
    const summary = apps.find(a => a.name === app);
    if (summary) return { client, summary };
    if (error) throw UpstreamError.fromInfo(error);
    throw new NotFoundError(
      `Application "${app}" in ArgoCD "${instance}" does not belong to this entity`,
    );
  }

  private getApp(
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
    const { client, summary } = await this.ownedApp(selection, instance, app);
    const { value } = await this.loader.load(
      cacheKey('argocd-history', instance, summary.namespace ?? '', app),
      async (): Promise<ArgocdHistoryResponse> => ({
        instance,
        app,
        history: historyEntries(await this.getApp(client, summary)),
      }),
    );
    return value;
  }
}

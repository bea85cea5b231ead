import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  HintedReason,
  LabelMatcher,
  ReconciledCluster,
  ReconcileSourceStatus,
  UpstreamErrorInfo,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { CachedLoader } from '../core/CachedLoader';
import { cacheKey } from '../core/cacheKeys';
import type { ThanosInstances } from '../thanos/ThanosInstances';
import { isUpstreamError } from '../upstream/errors';
import { reasonForUpstreamError } from '../upstream/reasons';
import { clusterOfApp } from './appCluster';
import { joinFleet, SYNC_BEFORE_BREAK_SECONDS } from './join';
import {
  BREAK_LOOKBACK_SECONDS,
  breakStarts,
  observedQuery,
  parseObserved,
} from './observed';
import type {
  JoinInputs,
  ObservedFleet,
  ReconcileSources,
  SourceAnswer,
} from './sources';

/** Most revision-metadata calls (authors) per refresh. */
const MAX_AUTHOR_LOOKUPS = 20;

/** The joined fleet of one Thanos instance, as cached (the route cuts pages from it). */
export interface ReconciledFleetAnswer {
  instance: string;
  generatedAt: string;
  clusters: ReconciledCluster[];
  fleetReasons: HintedReason[];
  sources: ReconcileSourceStatus[];
}

/**
 * "Is every cluster we have monitored, and is what runs what we wrote?" (#22): every source read
 * at once, each failing alone, joined per cluster by joinFleet. One answer per Thanos instance
 * per cache period; the sources' own caches make a refresh cheap when the slices were asked.
 */
export class ReconcileService {
  constructor(
    private readonly o: {
      sources: ReconcileSources;
      loader: CachedLoader;
      logger: LoggerService;
      instances: Pick<ThanosInstances, 'client'>;
      clusterLabel: string;
      receiveSelector: LabelMatcher[];
      now?: () => number;
    },
  ) {}

  async fleet(instance?: string): Promise<ReconciledFleetAnswer> {
    const name = this.o.instances.client(instance).instance.name;
    const { value } = await this.o.loader.load(
      cacheKey('reconciled', name),
      () => this.compute(name),
    );
    return value;
  }

  /**
   * One source's answer. An upstream failure is data (the source's columns become unknown); any
   * other error is logged and made one too, naming the source, so no source can fail the page.
   */
  private async answer<T>(
    what: string,
    upstream: string,
    read: (() => Promise<T>) | undefined,
  ): Promise<SourceAnswer<T>> {
    if (!read) return { status: 'not-configured' };
    const fetchedAt = () => new Date().toISOString();
    try {
      const value = await read();
      return { status: 'ok', value, fetchedAt: fetchedAt() };
    } catch (e) {
      if (isUpstreamError(e)) {
        if (e.info.kind === 'not-configured')
          return { status: 'not-configured' };
        this.o.logger.warn(`Reconcile: ${what}: ${e.message}`);
        return { status: 'failed', error: e.info, fetchedAt: fetchedAt() };
      }
      this.o.logger.error(`Reconcile: reading ${what} failed`, e as Error);
      return {
        status: 'failed',
        error: {
          upstream,
          kind: 'bad-response',
          message: `reading ${what} failed (see the backend log)`,
        },
        fetchedAt: fetchedAt(),
      };
    }
  }

  private async compute(instance: string): Promise<ReconciledFleetAnswer> {
    const s = this.o.sources;
    const client = this.o.instances.client(instance);
    const now = (this.o.now ?? Date.now)() / 1000;
    const [
      catalog,
      gitops,
      argocd,
      remoteWrite,
      receive,
      kubernetes,
      seen,
      capacity,
    ] = await Promise.all([
      this.answer('the catalog', 'catalog:backstage', () => s.catalog()),
      this.answer('the GitOps repository', 'gitops:repository', s.gitops),
      this.answer('ArgoCD', 'argocd:all', s.argocd),
      this.answer('the remote-write summary', `thanos:${instance}`, () =>
        s.remoteWrite(instance),
      ),
      this.answer('Receive health', `thanos:${instance}`, () =>
        s.receive(instance),
      ),
      this.answer('Kubernetes', 'kubernetes:all', s.kubernetes),
      this.answer('the observed series', `thanos:${instance}`, async () => {
        const { result } = await client.query(
          observedQuery(this.o.clusterLabel, this.o.receiveSelector),
        );
        return parseObserved(result, this.o.clusterLabel);
      }),
      this.answer(
        'the fleet capacity',
        `thanos:${instance}`,
        s.capacity && (() => s.capacity!(instance)),
      ),
    ]);
    // Break starts for broken clusters (those with a sync in the lookback first: a sync may be
    // named for them), bounded by MAX_BREAK_LOOKUPS; healthy clusters need none.
    let breakLookupError: UpstreamErrorInfo | undefined;
    const observed: SourceAnswer<ObservedFleet> =
      seen.status === 'ok'
        ? { ...seen, value: { ...seen.value, brokeAt: {} } }
        : seen;
    if (observed.status === 'ok' && remoteWrite.status === 'ok') {
      const synced = new Set<string>();
      const since = now - BREAK_LOOKBACK_SECONDS - SYNC_BEFORE_BREAK_SECONDS;
      const inSummary = new Set(remoteWrite.value.clusters.map(c => c.cluster));
      if (argocd.status === 'ok')
        for (const i of argocd.value)
          for (const a of i.apps) {
            const cluster = clusterOfApp(a, c => inSummary.has(c));
            if (
              cluster &&
              a.history.some(
                h => h.deployedAt && Date.parse(h.deployedAt) / 1000 > since,
              )
            )
              synced.add(cluster);
          }
      const broken = remoteWrite.value.clusters
        .filter(c => ['failing', 'degraded'].includes(c.state))
        .map(c => c.cluster)
        .sort((a, b) => Number(synced.has(b)) - Number(synced.has(a)));
      const lookup = await this.answer(
        'break starts',
        `thanos:${instance}`,
        () => breakStarts(client, this.o.clusterLabel, broken, now),
      );
      if (lookup.status === 'ok') observed.value.brokeAt = lookup.value;
      else if (lookup.status === 'failed') breakLookupError = lookup.error;
    }
    const inputs: JoinInputs = {
      instance,
      catalog,
      gitops,
      argocd,
      remoteWrite,
      observed,
      receive,
      kubernetes,
      capacity,
    };
    const joined = joinFleet(inputs);
    // Without break starts no sync is named and no `since` given; the rest of the join stands.
    if (breakLookupError)
      joined.fleetReasons.push(reasonForUpstreamError(breakLookupError));
    await this.fillAuthors(joined.clusters, inputs);
    const status = (
      source: ReconcileSourceStatus['source'],
      ...answers: Array<SourceAnswer<unknown>>
    ): ReconcileSourceStatus => {
      const failed = answers.find(a => a.status === 'failed');
      if (failed && failed.status === 'failed')
        return {
          source,
          status: 'failed',
          error: failed.error,
          fetchedAt: failed.fetchedAt,
        };
      const good = answers.find(a => a.status === 'ok');
      if (good && good.status === 'ok')
        return { source, status: 'ok', fetchedAt: good.fetchedAt };
      return { source, status: 'not-configured' };
    };
    const argocdError =
      argocd.status === 'ok'
        ? argocd.value.find(i => i.error)?.error
        : undefined;
    return {
      instance,
      generatedAt: new Date().toISOString(),
      clusters: joined.clusters,
      fleetReasons: joined.fleetReasons,
      sources: [
        status('catalog', catalog),
        status('gitops', gitops),
        argocdError
          ? { source: 'argocd', status: 'failed', error: argocdError }
          : status('argocd', argocd),
        status('remote-write', remoteWrite),
        status('receive', receive, observed),
        status('kubernetes', kubernetes),
        status('capacity', capacity),
      ],
    };
  }

  /** Author and message of the syncs named as causes (ArgoCD revision metadata), bounded. */
  private async fillAuthors(
    clusters: ReconciledCluster[],
    inputs: JoinInputs,
  ): Promise<void> {
    const lookup = this.o.sources.revisionMetadata;
    if (!lookup || inputs.argocd.status !== 'ok') return;
    const apps = inputs.argocd.value;
    const named = clusters
      .filter(c => c.changedBy)
      .slice(0, MAX_AUTHOR_LOOKUPS);
    await Promise.all(
      named.map(async c => {
        const sync = c.changedBy!;
        const app = apps
          .find(i => i.instance === sync.instance)
          ?.apps.find(a => a.name === sync.app);
        if (!app) return;
        try {
          const meta = await lookup(sync.instance, app, sync.revision);
          if (meta?.author) {
            sync.author = meta.author;
            const r = c.reasons.find(
              x => x.id === 'reconcile-broke-after-sync',
            );
            if (r) r.message = `${r.message} (authored by ${meta.author})`;
          }
          if (meta?.message) sync.message = meta.message;
        } catch (e) {
          // The author is a nicety: the sync is still named without it.
          if (!isUpstreamError(e)) throw e;
          this.o.logger.info(
            `Reconcile: no metadata for ${sync.revision}: ${e.message}`,
          );
        }
      }),
    );
  }
}

/**
 * One cluster's row; a cluster no source knows gets an empty row that says so (the entity's
 * annotation names a cluster nothing else has heard of).
 */
export function entityRow(
  fleet: ReconciledFleetAnswer,
  cluster: string,
): ReconciledCluster {
  return (
    fleet.clusters.find(c => c.cluster === cluster) ?? {
      cluster,
      state: 'unknown',
      reasons: [
        {
          id: 'reconcile-never-seen',
          severity: 'warning',
          message: `no source knows cluster ${cluster}: not in the catalog's cluster list, no overlay, no Application, no series`,
        },
      ],
      knownFrom: [],
      argocd: [],
    }
  );
}

/**
 * What the GitOps repository says each cluster should run (#22 "intended"): per overlay its chart
 * and agent version, tenant and external labels, and the hashrings the central overlays route
 * tenants with. Read with the overlay lint's own parser, so the lint and the join read one layout.
 * Isomorphic (no Node APIs).
 */
import { CLUSTER_LABEL, HASHRING_KEY, TENANT_HEADER } from '../names';
import type { HashringEntry } from '../overlayLint/hashring';
import { chartFromBase, readComponent } from '../overlayLint/lint';
import {
  componentDirs,
  isObject,
  RepositoryFiles,
} from '../overlayLint/repository';

/**
 * One overlay of the repository as the join reads it.
 * @public
 */
export interface OverlayFact {
  cluster: string;
  component: string;
  /** `deploy/overlays/<cluster>/<component>`. */
  path: string;
  role?: 'edge' | 'central';
  chartVersion?: string;
  /** server.image.tag, else the Prometheus version the chart ships where known. */
  agentVersion?: string;
  /** THANOS-TENANT of its first remote write that sets one. */
  tenant?: string;
  externalLabels: Record<string, string>;
}

/**
 * A hashring file of a central overlay.
 * @public
 */
export interface OverlayHashring {
  /** The central overlay's cluster. */
  cluster: string;
  path: string;
  hashrings: HashringEntry[];
}

/**
 * The Prometheus version each `prometheus` chart version ships (its Chart.yaml appVersion at the
 * tag: prometheus-community/helm-charts prometheus-25.11.0 -> v2.49.1, prometheus-26.0.0 -> v3.0.0).
 * Only versions checked at the source; others leave the agent version unknown unless the overlay
 * pins server.image.tag.
 * @public
 */
export const PROMETHEUS_CHART_APP_VERSIONS: Readonly<Record<string, string>> = {
  '25.11.0': 'v2.49.1',
  '26.0.0': 'v3.0.0',
};

/**
 * `v2.49.1`, `2.49.1` and a distribution's build of it (`2.42.0+ds`: SemVer build metadata, which
 * does not change the version) are one version.
 * @public
 */
export function sameVersion(a: string, b: string): boolean {
  const norm = (v: string) => v.trim().replace(/^v/, '').replace(/\+.*$/, '');
  return norm(a) === norm(b);
}

function stringLabels(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => typeof x === 'string' || typeof x === 'number')
      .map(([k, x]) => [k, String(x)]),
  );
}

function tenantOf(writes: unknown): string | undefined {
  if (!Array.isArray(writes)) return undefined;
  for (const w of writes) {
    const headers = isObject(w) && isObject(w.headers) ? w.headers : {};
    const key = Object.keys(headers).find(
      h => h.toLowerCase() === TENANT_HEADER.toLowerCase(),
    );
    const value = key ? headers[key] : undefined;
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * The overlays and hashrings of a repository's files (path -> text).
 * @public
 */
export function overlayFacts(
  files: Map<string, string> | Record<string, string>,
): { overlays: OverlayFact[]; hashrings: OverlayHashring[] } {
  const repo = new RepositoryFiles(files);
  const { dirs } = componentDirs(repo);
  const components = dirs.map(d => readComponent(repo, d));
  const byDir = new Map(components.map(c => [c.dir, c]));
  const overlays: OverlayFact[] = [];
  const hashrings: OverlayHashring[] = [];
  for (const c of components) {
    if (!c.cluster) continue;
    const chart = c.chart ?? chartFromBase(c, byDir);
    const v: Record<string, any> = chart?.values ?? {};
    const fact: OverlayFact = {
      cluster: c.cluster,
      component: c.component,
      path: c.dir,
      role: c.role,
      chartVersion: chart?.version || undefined,
      externalLabels: {},
    };
    if (c.role === 'edge') {
      fact.externalLabels = stringLabels(v.server?.global?.external_labels);
      fact.tenant = tenantOf(v.server?.remoteWrite);
      const tag = v.server?.image?.tag;
      fact.agentVersion =
        typeof tag === 'string' && tag
          ? tag
          : chart && PROMETHEUS_CHART_APP_VERSIONS[chart.version];
    } else if (c.role === 'central') {
      const spec = v.prometheus?.prometheusSpec;
      fact.externalLabels = stringLabels(spec?.externalLabels);
      fact.tenant = tenantOf(spec?.remoteWrite);
      const tag = spec?.image?.tag;
      if (typeof tag === 'string' && tag) fact.agentVersion = tag;
      const path = `${c.dir}/${HASHRING_KEY}`;
      const json = repo.docs(path)[0];
      if (Array.isArray(json))
        hashrings.push({
          cluster: c.cluster,
          path,
          hashrings: json.filter(
            (h): h is HashringEntry =>
              isObject(h) && Array.isArray(h.endpoints),
          ),
        });
    }
    if (fact.agentVersion === undefined) delete fact.agentVersion;
    if (fact.tenant === undefined) delete fact.tenant;
    if (fact.chartVersion === undefined) delete fact.chartVersion;
    if (fact.role === undefined) delete fact.role;
    overlays.push(fact);
  }
  return { overlays, hashrings };
}

/** The `cluster` external label an overlay sets (undefined: none). @public */
export const overlayClusterLabel = (o: OverlayFact): string | undefined =>
  o.externalLabels[CLUSTER_LABEL];

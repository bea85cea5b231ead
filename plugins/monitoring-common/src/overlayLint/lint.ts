/**
 * The overlay lint: the rules the scaffolder enforces when it writes an overlay, applied to the
 * overlays already in the GitOps repository. Input: the repository's files (path -> text); output:
 * findings, each with a stable rule id, a severity, the file, a message and its docs section.
 * Isomorphic (no Node APIs): the scaffolder action, the backend and a browser can run it.
 */
import { CLUSTER_LABEL, HASHRING_KEY, TENANT_HEADER } from '../names';
import {
  agentModeFlag,
  AGENT_CHART_RANGE,
  IGNORED_AGENT_CHART_KEYS,
  prometheusMajorOfChart,
} from './agent';
import {
  HashringEntry,
  hashringProblems,
  hashringShapeProblem,
  staleHashringEndpoints,
} from './hashring';
import { FLEET_COMPONENTS, FleetRole, roleOfComponent } from './layout';
import { isReceiverStatefulSet, receiversFromManifests } from './receivers';
import {
  ComponentDir,
  componentDirs,
  isObject,
  joinPath,
  mergeValues,
  RepositoryFiles,
} from './repository';
import {
  OverlayLintFinding,
  OverlayLintReport,
  OverlayLintRuleId,
  OverlayLintSeverity,
  OVERLAY_LINT_RULES,
  overlayLintDocsPath,
} from './rules';

const KUSTOMIZATION_NAMES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** kube-prometheus-stack renders Services into kube-system (coredns, kube-proxy, kube-scheduler, ...). */
const CHARTS_RENDERING_INTO_OTHER_NAMESPACES = new Set([
  FLEET_COMPONENTS.central.chart,
]);

type Report = (
  rule: OverlayLintRuleId,
  path: string,
  message: string,
  severity?: OverlayLintSeverity,
) => void;

/** A component directory with its kustomization and the chart it inflates. */
export interface Component extends ComponentDir {
  kustomizationPath?: string;
  kustomization?: Record<string, any>;
  role?: FleetRole;
  chart?: {
    name: string;
    version: string;
    /** The file the chart values come from (for findings). */
    valuesPath: string;
    values: Record<string, any>;
  };
}

/**
 * Lints the overlays of a GitOps repository.
 * @public
 */
export function lintOverlays(
  files: Map<string, string> | Record<string, string>,
): OverlayLintReport {
  const repo = new RepositoryFiles(files);
  const findings: OverlayLintFinding[] = [];
  const reportFor =
    (cluster?: string): Report =>
    (rule, path, message, severity) =>
      findings.push({
        rule,
        severity: severity ?? OVERLAY_LINT_RULES[rule].severity,
        path,
        ...(cluster ? { cluster } : {}),
        message,
        docs: overlayLintDocsPath(rule),
      });

  for (const path of repo.parsedPaths()) {
    const parsed = repo.parse(path);
    if (parsed && 'error' in parsed) {
      reportFor(clusterOfPath(path))(
        'yaml-invalid',
        path,
        `${path} does not parse (${parsed.error}); kustomize and ArgoCD cannot render its directory`,
      );
    }
  }
  const { dirs, misplaced } = componentDirs(repo);
  for (const path of misplaced) {
    reportFor(clusterOfPath(path))(
      'overlay-layout',
      path,
      `${path} is not inside a component directory: overlays live in deploy/overlays/<cluster>/<component>/`,
    );
  }
  const components = dirs.map(d => readComponent(repo, d));
  const byDir = new Map(components.map(c => [c.dir, c]));
  for (const c of components) {
    const report = reportFor(c.cluster);
    if (!lintLayout(c, report)) continue;
    lintNamespaceTransformer(repo, c, report);
    const chart = c.chart ?? chartFromBase(c, byDir);
    if (c.role === 'edge' && chart) lintEdge(c, chart, report);
    if (c.role === 'central' && c.cluster) {
      if (chart) lintCentralValues(c, chart, report);
      lintHashring(repo, c, report);
      lintReceiveSelfMonitoring(repo, c, report);
    }
  }
  findings.sort(
    (a, b) =>
      a.path.localeCompare(b.path) ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
  return {
    findings,
    counts: {
      error: findings.filter(f => f.severity === 'error').length,
      warning: findings.filter(f => f.severity === 'warning').length,
    },
    overlays: components
      .filter(c => c.cluster)
      .map(c => ({
        cluster: c.cluster!,
        component: c.component,
        path: c.dir,
      })),
  };
}

function clusterOfPath(path: string): string | undefined {
  return /^deploy\/overlays\/([^/]+)\//.exec(path)?.[1];
}

/** A component directory read: its kustomization and the chart it inflates (also read by reconcile/). */
export function readComponent(
  repo: RepositoryFiles,
  d: ComponentDir,
): Component {
  const kustomizationPath = KUSTOMIZATION_NAMES.map(n => `${d.dir}/${n}`).find(
    p => repo.has(p),
  );
  const first = kustomizationPath ? repo.docs(kustomizationPath)[0] : undefined;
  const kustomization = isObject(first) ? first : undefined;
  const entries: unknown[] = Array.isArray(kustomization?.helmCharts)
    ? kustomization!.helmCharts
    : [];
  const entry = entries.find(
    (e): e is Record<string, any> =>
      isObject(e) &&
      typeof e.name === 'string' &&
      roleOfComponent(e.name) !== undefined,
  );
  const c: Component = {
    ...d,
    kustomizationPath,
    kustomization,
    role: entry ? roleOfComponent(entry.name) : roleOfComponent(d.component),
  };
  if (entry) {
    const valuesPath =
      typeof entry.valuesFile === 'string'
        ? joinPath(d.dir, entry.valuesFile)
        : undefined;
    const fromFile = valuesPath ? repo.docs(valuesPath)[0] : undefined;
    const values = mergeValues(
      isObject(fromFile) ? fromFile : {},
      isObject(entry.valuesInline) ? entry.valuesInline : {},
    ) as Record<string, any>;
    c.chart = {
      name: entry.name,
      version: String(entry.version ?? ''),
      valuesPath: valuesPath ?? kustomizationPath!,
      values,
    };
  }
  return c;
}

/**
 * An overlay without its own helmCharts that lists the base as a resource (the reference
 * material's layout) renders the base's chart with the base's values.
 */
export function chartFromBase(
  c: Component,
  byDir: Map<string, Component>,
): Component['chart'] {
  for (const r of localResources(c)) {
    const target = byDir.get(r);
    if (target?.chart && !target.cluster) {
      c.role ??= target.role;
      return target.chart;
    }
  }
  return undefined;
}

/** Repository paths of the kustomization's local resources (files and directories). */
function localResources(c: Component): string[] {
  const resources: unknown[] = Array.isArray(c.kustomization?.resources)
    ? c.kustomization!.resources
    : [];
  return resources
    .filter((r): r is string => typeof r === 'string' && !r.includes('://'))
    .map(r => joinPath(c.dir, r.replace(/\/$/, '')))
    .filter((p): p is string => p !== undefined);
}

/** Documents of the resource files an overlay renders, with their paths. */
function renderedObjects(
  repo: RepositoryFiles,
  c: Component,
): Array<{ path: string; doc: Record<string, any> }> {
  return localResources(c)
    .filter(p => repo.has(p))
    .flatMap(path =>
      repo
        .docs(path)
        .filter(isObject)
        .map(doc => ({ path, doc })),
    );
}

/** False when the directory cannot be linted further (no kustomization). */
function lintLayout(c: Component, report: Report): boolean {
  if (c.cluster && !DNS1123_LABEL.test(c.cluster)) {
    report(
      'overlay-layout',
      c.dir,
      `cluster directory ${JSON.stringify(c.cluster)} is not a DNS-1123 label; the cluster name is used as tenant, external label and Application name`,
    );
  }
  if (!c.kustomizationPath) {
    report(
      'overlay-layout',
      c.dir,
      `${c.dir} has no kustomization.yaml: kustomize and ArgoCD cannot render it`,
    );
    return false;
  }
  return c.kustomization !== undefined;
}

function lintNamespaceTransformer(
  repo: RepositoryFiles,
  c: Component,
  report: Report,
) {
  const ns = c.kustomization?.namespace;
  if (typeof ns !== 'string' || !c.kustomizationPath) return;
  const charts: unknown[] = Array.isArray(c.kustomization?.helmCharts)
    ? c.kustomization!.helmCharts
    : [];
  for (const e of charts) {
    if (
      isObject(e) &&
      CHARTS_RENDERING_INTO_OTHER_NAMESPACES.has(
        e.name as 'kube-prometheus-stack',
      )
    ) {
      report(
        'namespace-transformer',
        c.kustomizationPath,
        `namespace: ${ns} moves every object ${e.name} renders, also its Services in kube-system (coredns, kube-proxy, kube-scheduler, kube-controller-manager, kube-etcd), which then select no pods; KubeSchedulerDown and friends fire for ever. Remove the top-level namespace: helmCharts[].namespace places the chart`,
      );
    }
  }
  const moved = renderedObjects(repo, c).filter(
    ({ doc }) =>
      typeof doc.metadata?.namespace === 'string' &&
      doc.metadata.namespace !== ns,
  );
  for (const path of new Set(moved.map(m => m.path))) {
    const names = moved
      .filter(m => m.path === path)
      .map(
        m =>
          `${m.doc.kind}/${m.doc.metadata?.name} (${m.doc.metadata.namespace})`,
      );
    report(
      'namespace-transformer',
      c.kustomizationPath,
      `namespace: ${ns} moves ${names.join(', ')} of ${path} out of the namespace it names; remove the top-level namespace and let each object carry its own`,
    );
  }
}

function lintEdge(
  c: Component,
  chart: NonNullable<Component['chart']>,
  report: Report,
) {
  const v = chart.values;
  const at = c.chart?.valuesPath ?? chart.valuesPath;
  for (const [key, why] of Object.entries(IGNORED_AGENT_CHART_KEYS)) {
    if (valueAt(v, key) !== undefined)
      report('chart-ignored-key', at, `${key} is set: ${why}`);
  }
  lintAgentFlags(chart, at, report);
  if (!c.cluster) return; // the base holds fleet-wide defaults; identity and remote write are per cluster
  lintIdentity(
    c.cluster,
    at,
    v.server?.global?.external_labels,
    'server.global.external_labels',
    report,
  );
  const writes = v.server?.remoteWrite;
  if (!Array.isArray(writes) || writes.length === 0) {
    report(
      'remote-write-missing',
      at,
      `the agent of ${c.cluster} has no server.remoteWrite: it scrapes and sends nothing anywhere`,
    );
    return;
  }
  writes.forEach((w: unknown, i: number) => {
    const where = `server.remoteWrite[${i}]`;
    const entry = isObject(w) ? w : {};
    if (entry.queue_config?.retry_on_http_429 !== true) {
      report(
        'remote-write-429',
        at,
        `${where}.queue_config.retry_on_http_429 is not true: Thanos Receive answers 429 when the tenant is over its series limit, and Prometheus (v2 and v3, default false) then drops the batch; set it to true to keep the samples queued`,
      );
    }
    lintTenantHeader(c.cluster!, at, where, entry.headers, report);
  });
}

function lintAgentFlags(
  chart: NonNullable<Component['chart']>,
  at: string,
  report: Report,
) {
  const major = prometheusMajorOfChart(chart.version);
  if (!major) {
    report(
      'agent-flags',
      at,
      `prometheus chart version ${JSON.stringify(chart.version)} was not checked (the agent values are known for ${AGENT_CHART_RANGE.min}.x and later); use 25.x (Prometheus v2) or >= 26.0.0 (Prometheus v3)`,
      'warning',
    );
    return;
  }
  const v = chart.values;
  const flags: unknown = v.server?.defaultFlagsOverride;
  const want = agentModeFlag(major);
  const other = agentModeFlag(major === 3 ? 2 : 3);
  if (!Array.isArray(flags)) {
    report(
      'agent-flags',
      at,
      `no server.defaultFlagsOverride: prometheus chart ${chart.version} starts a full Prometheus server, not an agent; set it to the agent flags (${want}, --storage.agent.path=/data, ...)`,
    );
  } else if (flags.includes(other) && !flags.includes(want)) {
    report(
      'agent-flags',
      at,
      `server.defaultFlagsOverride has ${other}, but chart ${chart.version} ships Prometheus v${major}, which needs ${want}${major === 3 ? ' (v3 ignores the old flag and exits on --storage.agent.path)' : ''}`,
    );
  } else if (!flags.includes(want)) {
    report(
      'agent-flags',
      at,
      `server.defaultFlagsOverride lacks ${want}: Prometheus v${major} (chart ${chart.version}) does not run as an agent`,
    );
  }
  const ruleFiles = v.serverFiles?.['prometheus.yml']?.rule_files;
  if (!Array.isArray(ruleFiles) || ruleFiles.length > 0) {
    report(
      'agent-flags',
      at,
      `serverFiles."prometheus.yml".rule_files is not []: the chart's default rule files are rendered and agent mode refuses rule_files at start`,
    );
  }
  if (v.alertmanager?.enabled !== false) {
    report(
      'agent-flags',
      at,
      'alertmanager.enabled is not false: the chart then renders an alerting section, which agent mode refuses at start',
    );
  }
}

function lintCentralValues(
  c: Component,
  chart: NonNullable<Component['chart']>,
  report: Report,
) {
  const spec = chart.values.prometheus?.prometheusSpec;
  const at = chart.valuesPath;
  lintIdentity(
    c.cluster!,
    at,
    spec?.externalLabels,
    'prometheus.prometheusSpec.externalLabels',
    report,
  );
  const writes = spec?.remoteWrite;
  if (Array.isArray(writes)) {
    writes.forEach((w: unknown, i: number) =>
      lintTenantHeader(
        c.cluster!,
        at,
        `prometheus.prometheusSpec.remoteWrite[${i}]`,
        isObject(w) ? w.headers : undefined,
        report,
      ),
    );
  }
}

function lintIdentity(
  cluster: string,
  at: string,
  labels: unknown,
  where: string,
  report: Report,
) {
  const value = isObject(labels) ? labels[CLUSTER_LABEL] : undefined;
  if (value !== cluster) {
    report(
      'cluster-label',
      at,
      value === undefined
        ? `${where}.${CLUSTER_LABEL} is not set: the series of ${cluster} carry no cluster label and the fleet cannot tell them apart`
        : `${where}.${CLUSTER_LABEL} is ${JSON.stringify(value)} but the overlay is ${cluster}: its series are shown (and mixed) under another cluster`,
    );
  }
}

function lintTenantHeader(
  cluster: string,
  at: string,
  where: string,
  headers: unknown,
  report: Report,
) {
  const key = isObject(headers)
    ? Object.keys(headers).find(
        h => h.toLowerCase() === TENANT_HEADER.toLowerCase(),
      )
    : undefined;
  const tenant = key ? (headers as Record<string, unknown>)[key] : undefined;
  if (tenant === undefined || tenant === '') {
    report(
      'tenant-header',
      at,
      `${where} sends no ${TENANT_HEADER} header: Thanos Receive files the samples under its default tenant, not ${cluster}'s`,
    );
  } else if (tenant !== cluster) {
    report(
      'tenant-header',
      at,
      `${where} writes as tenant ${JSON.stringify(tenant)}, not ${cluster}: per-tenant limits and the Receive card count it under that tenant; make sure the hashring routes it`,
      'warning',
    );
  }
}

function lintHashring(repo: RepositoryFiles, c: Component, report: Report) {
  const path = `${c.dir}/${HASHRING_KEY}`;
  const parsed = repo.parse(path);
  if (!parsed || !('docs' in parsed)) return; // absent, or reported as yaml-invalid
  const json = parsed.docs[0];
  const shape = hashringShapeProblem(json);
  if (shape) {
    report(
      'hashring-invalid',
      path,
      `${path} is not a Thanos hashring file (${shape}): the receivers refuse to load it`,
    );
    return;
  }
  const objects = renderedObjects(repo, c).map(o => o.doc);
  if (!objects.some(isReceiverStatefulSet)) return; // receivers defined elsewhere: nothing to compare with
  const patches: unknown[] = Array.isArray(c.kustomization?.patches)
    ? c.kustomization!.patches
    : [];
  const patchDocs = patches
    .map(p => (isObject(p) && typeof p.path === 'string' ? p.path : undefined))
    .filter((p): p is string => p !== undefined)
    .map(p => joinPath(c.dir, p))
    .filter((p): p is string => p !== undefined)
    .flatMap(p => repo.docs(p));
  const known = receiversFromManifests({
    receiverDocs: objects,
    patchDocs,
    kustomization: c.kustomization,
  });
  if ('problem' in known) {
    report(
      'hashring-invalid',
      path,
      `cannot check ${path} against the receivers: ${known.problem}`,
    );
    return;
  }
  const hashrings = json as HashringEntry[];
  for (const p of hashringProblems(hashrings, known.receivers))
    report(p.rule, path, p.message);
  const stale = staleHashringEndpoints(hashrings, known.receivers);
  if (stale.length) {
    report(
      'hashring-unknown-endpoint',
      path,
      `${path} lists endpoint(s) that are not among the overlay's ${known.receivers.replicas} receivers: ${stale.join(', ')}; writes forwarded to them fail. Remove them from every hashring`,
    );
  }
}

/**
 * The central's Prometheus must scrape Receive (kube-thanos ships a ServiceMonitor on the http
 * port): a ServiceMonitor selecting a Service of the receiver pods, or a PodMonitor selecting the pods.
 */
function lintReceiveSelfMonitoring(
  repo: RepositoryFiles,
  c: Component,
  report: Report,
) {
  const objects = renderedObjects(repo, c);
  const sts = objects.find(o => isReceiverStatefulSet(o.doc));
  if (!sts) return;
  const podLabels: Record<string, unknown> =
    sts.doc.spec?.template?.metadata?.labels ?? {};
  const matches = (selector: unknown, labels: Record<string, unknown>) => {
    if (!isObject(selector)) return false;
    const ml = isObject(selector.matchLabels) ? selector.matchLabels : {};
    const keys = Object.keys(ml);
    if (!keys.length) return Array.isArray(selector.matchExpressions);
    return keys.every(k => labels[k] === ml[k]);
  };
  const receiverServices = objects
    .map(o => o.doc)
    .filter(
      d =>
        d.kind === 'Service' &&
        isObject(d.spec?.selector) &&
        Object.keys(d.spec.selector).length > 0 &&
        Object.entries(d.spec.selector).every(([k, v]) => podLabels[k] === v),
    );
  const monitored = objects.some(({ doc }) => {
    if (doc.kind === 'PodMonitor')
      return matches(doc.spec?.selector, podLabels);
    if (doc.kind !== 'ServiceMonitor') return false;
    return receiverServices.some(s =>
      matches(doc.spec?.selector, s.metadata?.labels ?? {}),
    );
  });
  if (!monitored) {
    report(
      'receive-self-monitoring',
      c.kustomizationPath!,
      `${c.dir} runs Thanos Receive (${sts.path}) but renders no ServiceMonitor or PodMonitor for it: nothing scrapes thanos_receive_*, so the Receive card has no series to judge`,
    );
  }
}

function valueAt(values: unknown, dotted: string): unknown {
  let v: unknown = values;
  for (const k of dotted.split('.')) {
    if (!isObject(v)) return undefined;
    v = v[k];
  }
  return v;
}

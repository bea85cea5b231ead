/**
 * The central Prometheus' scrape config, derived from the generated ServiceMonitors the way the
 * Prometheus Operator derives it, with Kubernetes service discovery replaced by static targets.
 *
 * The operator (prometheus-operator v0.73.0, the one kube-prometheus-stack 58.0.0 ships,
 * `pkg/prometheus/promcfg.go` generateServiceMonitorConfig) writes one job per ServiceMonitor
 * endpoint, `serviceMonitor/<ns>/<name>/<i>`, over `kubernetes_sd_configs` role `endpoints`, and
 * relabels the discovered targets: keep the Services whose labels match `spec.selector`, keep the
 * endpoint port named `endpoints[].port`, set namespace/service/pod/container, `job` = the Service
 * name (or the value of the Service label named by `spec.jobLabel`), `endpoint` = the port name, then
 * the endpoint's own `relabelings`. Debian's Prometheus 2.42 has no Kubernetes SD, so each target
 * discovery would return is written as a static target carrying the same `__meta_kubernetes_*`
 * labels, and the operator's relabel_configs run on them unchanged: a ServiceMonitor whose selector,
 * port or job does not fit the generated Services ends up with no target or the wrong job, as in a
 * cluster.
 */
import type { K8sObject } from './scaffoldedFleet';

/** One pod port that Kubernetes SD would discover behind a Service. */
export interface DiscoveredPod {
  namespace: string;
  /** StatefulSet pods are `<name>-<ordinal>`; Deployment pods get `<name>-<index>` here (no hash). */
  pod: string;
  /** The workload (StatefulSet or Deployment) the pod belongs to. */
  workload: string;
  ordinal: number;
  container: string;
  containerPort: { name?: string; containerPort: number };
  podLabels: Record<string, string>;
}

/** A discovered target of one ServiceMonitor endpoint, with the labels SD attaches. */
export interface DiscoveredTarget extends DiscoveredPod {
  monitor: string;
  endpointIndex: number;
  service: K8sObject;
  servicePortName: string;
  /** The endpoint's scrape path (`/metrics` when unset, Prometheus' default). */
  path: string;
}

export interface ServiceMonitorJobs {
  /** One scrape job per ServiceMonitor endpoint, targets addressed through `addressOf`. */
  scrapeConfigs: Record<string, unknown>[];
  targets: DiscoveredTarget[];
}

const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');

const matchesLabels = (
  labels: Record<string, string> | undefined,
  selector: Record<string, string> | undefined,
) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/** Pods of the StatefulSets and Deployments in the render, with their template labels. */
function podsOf(
  docs: K8sObject[],
): Omit<DiscoveredPod, 'container' | 'containerPort'>[] {
  const pods: Omit<DiscoveredPod, 'container' | 'containerPort'>[] = [];
  for (const d of docs) {
    if (d.kind !== 'StatefulSet' && d.kind !== 'Deployment') continue;
    const replicas = d.spec?.replicas ?? 1;
    for (let i = 0; i < replicas; i++) {
      pods.push({
        namespace: d.metadata.namespace ?? 'default',
        pod: `${d.metadata.name}-${i}`,
        workload: d.metadata.name,
        ordinal: i,
        podLabels: d.spec?.template?.metadata?.labels ?? {},
      });
    }
  }
  return pods;
}

function workloadContainers(
  docs: K8sObject[],
  workload: string,
  namespace: string,
) {
  const w = docs.find(
    d =>
      (d.kind === 'StatefulSet' || d.kind === 'Deployment') &&
      d.metadata.name === workload &&
      (d.metadata.namespace ?? 'default') === namespace,
  );
  return (w?.spec?.template?.spec?.containers ?? []) as Array<{
    name: string;
    ports?: Array<{ name?: string; containerPort: number }>;
  }>;
}

/** What Kubernetes SD (role endpoints) would discover for every ServiceMonitor endpoint in the render. */
export function discoverTargets(docs: K8sObject[]): DiscoveredTarget[] {
  const pods = podsOf(docs);
  const targets: DiscoveredTarget[] = [];
  for (const sm of selectedServiceMonitors(docs)) {
    const smNamespace = sm.metadata.namespace ?? 'default';
    const nsSel = sm.spec?.namespaceSelector ?? {};
    const namespaces: string[] | 'any' = nsSel.any
      ? 'any'
      : (nsSel.matchNames ?? [smNamespace]);
    // Every Service in the selected namespaces: the selector itself is applied by relabeling below
    // (the operator's default "relabel" selector mechanism), as in the cluster.
    const services = docs.filter(
      d =>
        d.kind === 'Service' &&
        (namespaces === 'any' ||
          namespaces.includes(d.metadata.namespace ?? 'default')),
    );
    (sm.spec?.endpoints ?? []).forEach((ep: any, endpointIndex: number) => {
      for (const service of services) {
        const svcNamespace = service.metadata.namespace ?? 'default';
        for (const port of service.spec?.ports ?? []) {
          for (const p of pods) {
            if (p.namespace !== svcNamespace) continue;
            if (!matchesLabels(p.podLabels, service.spec?.selector)) continue;
            // The Service's targetPort names a container port (or is a number).
            const target = port.targetPort ?? port.port;
            for (const c of workloadContainers(docs, p.workload, p.namespace)) {
              const cp = (c.ports ?? []).find(x =>
                typeof target === 'number'
                  ? x.containerPort === target
                  : x.name === target,
              );
              if (!cp) continue;
              targets.push({
                ...p,
                container: c.name,
                containerPort: cp,
                monitor: `${smNamespace}/${sm.metadata.name}`,
                endpointIndex,
                service,
                servicePortName: port.name ?? '',
                path: ep.path ?? '/metrics',
              });
            }
          }
        }
      }
    });
  }
  return targets;
}

/** The `__meta_kubernetes_*` labels role `endpoints` attaches to a target. */
function metaLabels(t: DiscoveredTarget): Record<string, string> {
  const labels: Record<string, string> = {
    __meta_kubernetes_namespace: t.namespace,
    __meta_kubernetes_service_name: t.service.metadata.name,
    __meta_kubernetes_endpoint_port_name: t.servicePortName,
    __meta_kubernetes_endpoint_ready: 'true',
    __meta_kubernetes_endpoint_address_target_kind: 'Pod',
    __meta_kubernetes_endpoint_address_target_name: t.pod,
    __meta_kubernetes_pod_name: t.pod,
    __meta_kubernetes_pod_container_name: t.container,
    __meta_kubernetes_pod_container_port_name: t.containerPort.name ?? '',
    __meta_kubernetes_pod_container_port_number: String(
      t.containerPort.containerPort,
    ),
    __meta_kubernetes_pod_phase: 'Running',
    __meta_kubernetes_pod_ready: 'true',
  };
  for (const [k, v] of Object.entries(t.service.metadata.labels ?? {})) {
    labels[`__meta_kubernetes_service_label_${sanitize(k)}`] = v;
    labels[`__meta_kubernetes_service_labelpresent_${sanitize(k)}`] = 'true';
  }
  for (const [k, v] of Object.entries(t.podLabels)) {
    labels[`__meta_kubernetes_pod_label_${sanitize(k)}`] = v;
    labels[`__meta_kubernetes_pod_labelpresent_${sanitize(k)}`] = 'true';
  }
  return labels;
}

/** A ServiceMonitor RelabelConfig (camelCase CRD fields) as Prometheus config. */
function relabelConfig(r: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.sourceLabels) out.source_labels = r.sourceLabels;
  if (r.separator !== undefined) out.separator = r.separator;
  if (r.targetLabel) out.target_label = r.targetLabel;
  if (r.regex !== undefined) out.regex = r.regex;
  if (r.modulus !== undefined) out.modulus = r.modulus;
  if (r.replacement !== undefined) out.replacement = r.replacement;
  if (r.action) out.action = String(r.action).toLowerCase();
  return out;
}

/** The operator's relabel_configs for one ServiceMonitor endpoint (v0.73.0 promcfg.go, in order). */
function operatorRelabelings(
  sm: K8sObject,
  ep: any,
): Record<string, unknown>[] {
  const r: Record<string, unknown>[] = [
    { source_labels: ['job'], target_label: '__tmp_prometheus_job_name' },
  ];
  const selector = sm.spec?.selector ?? {};
  for (const k of Object.keys(selector.matchLabels ?? {}).sort()) {
    r.push({
      action: 'keep',
      source_labels: [
        `__meta_kubernetes_service_label_${sanitize(k)}`,
        `__meta_kubernetes_service_labelpresent_${sanitize(k)}`,
      ],
      regex: `(${selector.matchLabels[k]});true`,
    });
  }
  for (const e of selector.matchExpressions ?? []) {
    const key = sanitize(e.key);
    const values = `(${(e.values ?? []).join('|')});true`;
    const both = [
      `__meta_kubernetes_service_label_${key}`,
      `__meta_kubernetes_service_labelpresent_${key}`,
    ];
    const present = [`__meta_kubernetes_service_labelpresent_${key}`];
    if (e.operator === 'In')
      r.push({ action: 'keep', source_labels: both, regex: values });
    if (e.operator === 'NotIn')
      r.push({ action: 'drop', source_labels: both, regex: values });
    if (e.operator === 'Exists')
      r.push({ action: 'keep', source_labels: present, regex: 'true' });
    if (e.operator === 'DoesNotExist')
      r.push({ action: 'drop', source_labels: present, regex: 'true' });
  }
  if (ep.port) {
    r.push({
      action: 'keep',
      source_labels: ['__meta_kubernetes_endpoint_port_name'],
      regex: ep.port,
    });
  } else if (ep.targetPort !== undefined) {
    r.push({
      action: 'keep',
      source_labels: [
        typeof ep.targetPort === 'number'
          ? '__meta_kubernetes_pod_container_port_number'
          : '__meta_kubernetes_pod_container_port_name',
      ],
      regex: String(ep.targetPort),
    });
  }
  const targetRef = [
    '__meta_kubernetes_endpoint_address_target_kind',
    '__meta_kubernetes_endpoint_address_target_name',
  ];
  r.push(
    {
      source_labels: targetRef,
      separator: ';',
      regex: 'Node;(.*)',
      replacement: '${1}',
      target_label: 'node',
    },
    {
      source_labels: targetRef,
      separator: ';',
      regex: 'Pod;(.*)',
      replacement: '${1}',
      target_label: 'pod',
    },
    {
      source_labels: ['__meta_kubernetes_namespace'],
      target_label: 'namespace',
    },
    {
      source_labels: ['__meta_kubernetes_service_name'],
      target_label: 'service',
    },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    {
      source_labels: ['__meta_kubernetes_pod_container_name'],
      target_label: 'container',
    },
  );
  if (ep.filterRunning !== false) {
    r.push({
      action: 'drop',
      source_labels: ['__meta_kubernetes_pod_phase'],
      regex: '(Failed|Succeeded)',
    });
  }
  for (const l of sm.spec?.targetLabels ?? []) {
    r.push({
      source_labels: [`__meta_kubernetes_service_label_${sanitize(l)}`],
      target_label: sanitize(l),
      regex: '(.+)',
      replacement: '${1}',
    });
  }
  for (const l of sm.spec?.podTargetLabels ?? []) {
    r.push({
      source_labels: [`__meta_kubernetes_pod_label_${sanitize(l)}`],
      target_label: sanitize(l),
      regex: '(.+)',
      replacement: '${1}',
    });
  }
  r.push({
    source_labels: ['__meta_kubernetes_service_name'],
    target_label: 'job',
    replacement: '${1}',
  });
  if (sm.spec?.jobLabel) {
    r.push({
      source_labels: [
        `__meta_kubernetes_service_label_${sanitize(sm.spec.jobLabel)}`,
      ],
      target_label: 'job',
      regex: '(.+)',
      replacement: '${1}',
    });
  }
  if (ep.port) r.push({ target_label: 'endpoint', replacement: ep.port });
  else if (ep.targetPort !== undefined)
    r.push({ target_label: 'endpoint', replacement: String(ep.targetPort) });
  r.push(...(ep.relabelings ?? []).map(relabelConfig));
  return r;
}

/**
 * The ServiceMonitors the Prometheus resource selects (`spec.serviceMonitorSelector`: `{}` selects
 * all, absent selects none). Namespaces: kube-prometheus-stack renders
 * `serviceMonitorNamespaceSelector: {}` (all) by default, so every namespace counts.
 */
export function selectedServiceMonitors(docs: K8sObject[]): K8sObject[] {
  const prometheus = docs.find(d => d.kind === 'Prometheus');
  const selector = prometheus?.spec?.serviceMonitorSelector;
  if (!selector) return [];
  return docs.filter(
    d =>
      d.kind === 'ServiceMonitor' &&
      matchesLabels(d.metadata.labels, selector.matchLabels),
  );
}

/**
 * Scrape jobs for every ServiceMonitor the central's Prometheus selects. `addressOf` gives the
 * 127.0.0.1 address that stands in for a discovered pod port (its podIP:containerPort in a cluster).
 */
export function serviceMonitorJobs(
  docs: K8sObject[],
  addressOf: (t: DiscoveredTarget) => string,
): ServiceMonitorJobs {
  const targets = discoverTargets(docs);
  const scrapeConfigs: Record<string, unknown>[] = [];
  for (const sm of selectedServiceMonitors(docs)) {
    const smNamespace = sm.metadata.namespace ?? 'default';
    (sm.spec?.endpoints ?? []).forEach((ep: any, i: number) => {
      const mine = targets.filter(
        t =>
          t.monitor === `${smNamespace}/${sm.metadata.name}` &&
          t.endpointIndex === i,
      );
      const job: Record<string, unknown> = {
        job_name: `serviceMonitor/${smNamespace}/${sm.metadata.name}/${i}`,
        honor_labels: Boolean(ep.honorLabels),
        static_configs: mine.map(t => ({
          targets: [addressOf(t)],
          labels: metaLabels(t),
        })),
        relabel_configs: operatorRelabelings(sm, ep),
      };
      if (ep.interval) job.scrape_interval = ep.interval;
      if (ep.scrapeTimeout) job.scrape_timeout = ep.scrapeTimeout;
      if (ep.path) job.metrics_path = ep.path;
      if (ep.params) job.params = ep.params;
      if (ep.scheme) job.scheme = ep.scheme;
      if (ep.metricRelabelings?.length)
        job.metric_relabel_configs = ep.metricRelabelings.map(relabelConfig);
      scrapeConfigs.push(job);
    });
  }
  return { scrapeConfigs, targets };
}

/**
 * `global` and `remote_write` of the central Prometheus from the rendered `Prometheus` resource, as
 * the operator writes them: external labels plus its own `prometheus` (`<ns>/<name>`) and
 * `prometheus_replica` (the pod name) labels (promcfg.go buildExternalLabels), remote write as
 * given. `scrapeInterval` stands in for the operator's default (30s when the resource sets none):
 * a test cannot wait for 30 s scrapes.
 */
export function centralPrometheusConfig(
  prometheus: K8sObject,
  opts: { scrapeInterval: string; remoteWriteUrl: (url: string) => string },
): Record<string, unknown> {
  const namespace = prometheus.metadata.namespace ?? 'monitoring';
  const name = prometheus.metadata.name;
  return {
    global: {
      scrape_interval: opts.scrapeInterval,
      evaluation_interval: opts.scrapeInterval,
      external_labels: {
        prometheus: `${namespace}/${name}`,
        prometheus_replica: `prometheus-${name}-0`,
        ...(prometheus.spec?.externalLabels ?? {}),
      },
    },
    remote_write: (prometheus.spec?.remoteWrite ?? []).map((rw: any) => ({
      url: opts.remoteWriteUrl(rw.url),
      ...(rw.name ? { name: rw.name } : {}),
      ...(rw.headers ? { headers: rw.headers } : {}),
    })),
  };
}

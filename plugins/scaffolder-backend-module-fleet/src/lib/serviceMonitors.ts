/**
 * ServiceMonitors (monitoring.coreos.com/v1) through which the central's own Prometheus
 * (kube-prometheus-stack) scrapes the Thanos components, so the Receive and Query cards have series
 * to judge: `thanos_receive_*`, `http_requests_total{handler="receive"}`, `thanos_shipper_*` and
 * `up{job="thanos-receive"}`. After kube-thanos (`kube-thanos-receive.libsonnet` withServiceMonitor):
 * the `http` port, `/metrics`.
 * - The `job` label is set to the names module's THANOS_JOBS (the backend's default selectors match
 *   them) instead of the operator's default (the Service name), so it does not depend on how the
 *   user named a Store gateway or Compactor Service.
 * - Each carries `release: <kube-prometheus-stack release>`, which the chart's default
 *   serviceMonitorSelector asks for; the central base also widens that selector to every
 *   ServiceMonitor (serviceMonitorSelectorNilUsesHelmValues: false), so either way they are picked.
 */
import { THANOS_JOBS } from '@fleet-monitoring/plugin-monitoring-common';
import { CHARTS } from './charts';

export type ScrapedService = {
  job: string;
  /** Where the ServiceMonitor lives: the central's namespace, next to its Prometheus. */
  namespace: string;
  /** Namespace of the Service to scrape (default: the same). */
  serviceNamespace?: string;
  /** Labels of the one Service to scrape. */
  selector: Record<string, string>;
  /** Name of its metrics port. */
  port: string;
};

export const METRICS_PATH = '/metrics';

export function serviceMonitor(s: ScrapedService) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: {
      name: s.job,
      namespace: s.namespace,
      labels: {
        'app.kubernetes.io/name': s.job,
        release: CHARTS.central.releaseName,
      },
    },
    spec: {
      namespaceSelector: { matchNames: [s.serviceNamespace ?? s.namespace] },
      selector: { matchLabels: s.selector },
      endpoints: [
        {
          port: s.port,
          path: METRICS_PATH,
          relabelings: [
            { action: 'replace', targetLabel: 'job', replacement: s.job },
          ],
        },
      ],
    },
  };
}

/** A Thanos component the user runs next to the central (Store gateway, Compactor). */
export type ExternalComponent = {
  namespace?: string;
  serviceLabels: Record<string, string>;
  metricsPort: string;
};

export function externalComponentMonitor(
  kind: 'store' | 'compact',
  c: ExternalComponent,
  centralNamespace: string,
) {
  return serviceMonitor({
    job: THANOS_JOBS[kind],
    namespace: centralNamespace,
    serviceNamespace: c.namespace ?? centralNamespace,
    selector: c.serviceLabels,
    port: c.metricsPort,
  });
}

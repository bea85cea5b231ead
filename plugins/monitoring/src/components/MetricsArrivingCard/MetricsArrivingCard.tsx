import { Cell, CellText, Link, Table, Text } from '@backstage/ui';
// Backstage's CodeSnippet (syntax highlighting + copy button): BUI has no code block.
import { CodeSnippet } from '@backstage/core-components';
import {
  isMetricsArrivingAvailable,
  METRICS_SELECTOR_ANNOTATION,
  reasonDocsPath,
  type ArrivingByCluster,
  type MetricsArriving,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  formatDuration,
  formatNumber,
  ReasonList,
  StateBadge,
  StateHeader,
  UpstreamErrorNotice,
  useDocsBaseUrl,
  EntityHealthCard,
} from '../common';
import { ManualCheck } from './ManualCheck';

const step = { marginBottom: 'var(--bui-space-3)' };

/** The agent's pod and namespace as the reference deploys them. */
const AGENT_LOG_COMMAND =
  'kubectl logs -n monitoring prometheus-agent-0 | grep "remote_write"';

/** Sub-second ages come from rounding between the query time and the sample's. */
function sampleAge(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  if (seconds < 1) return 'just now';
  return `${formatDuration(seconds)} ago`;
}

function clusterState(c: ArrivingByCluster) {
  if (c.targetsTotal > 0 && c.targetsUp === 0) return 'failing' as const;
  if (c.targetsUp < c.targetsTotal) return 'degraded' as const;
  return 'healthy' as const;
}

function ClusterTable({ clusters }: { clusters: ArrivingByCluster[] }) {
  return (
    <div role="region" aria-label="Metrics per cluster">
      <Table
        pagination={{ type: 'none' }}
        data={clusters.map(c => ({ id: c.cluster, c }))}
        columnConfig={[
          {
            id: 'cluster',
            label: 'Cluster',
            isRowHeader: true,
            cell: ({ c }) => <CellText title={c.cluster} />,
          },
          {
            id: 'targets',
            label: 'Targets up',
            cell: ({ c }) => (
              <Cell>
                <StateBadge state={clusterState(c)} /> {c.targetsUp} of{' '}
                {c.targetsTotal}
              </Cell>
            ),
          },
          {
            id: 'last',
            label: 'Last sample',
            cell: ({ c }) => (
              <CellText title={sampleAge(c.lastSampleAgeSeconds)} />
            ),
          },
          {
            id: 'series',
            label: 'Series',
            cell: ({ c }) => <CellText title={formatNumber(c.seriesCount)} />,
          },
        ]}
      />
    </div>
  );
}

/** The reference's "metrics are missing" checklist, with this entity's query filled in. */
export function MissingMetricsChecklist({
  instance,
  query,
}: {
  instance: string;
  query: string;
}) {
  const docsBase = useDocsBaseUrl();
  return (
    <div
      style={{ marginTop: 'var(--bui-space-4)' }}
      data-testid="missing-metrics-checklist"
    >
      <Text as="h3" variant="title-x-small">
        Nothing arrives: check, in order
      </Text>
      <ol style={{ paddingLeft: 'var(--bui-space-5)' }}>
        <li style={step}>
          <Text as="p" variant="body-small">
            Is the cluster's Prometheus agent remote-writing? Look for errors in
            its log:
          </Text>
          <CodeSnippet
            language="bash"
            text={AGENT_LOG_COMMAND}
            showCopyCodeButton
          />
        </li>
        <li style={step}>
          <Text as="p" variant="body-small">
            Does the agent set the <code>cluster</code> external label? Every
            series is found by it:
          </Text>
          <CodeSnippet
            language="yaml"
            text={'global:\n  external_labels:\n    cluster: <cluster-name>'}
          />
        </li>
        <li style={step}>
          <ManualCheck instance={instance} query={query} />
        </li>
      </ol>
      <Link href={`${docsBase}${reasonDocsPath('metrics-not-arriving')}`}>
        Troubleshooting: metrics are not arriving
      </Link>
    </div>
  );
}

export function MetricsArrivingDetails({ data }: { data: MetricsArriving }) {
  const nothing = !data.error && data.clusters.length === 0;
  return (
    <>
      <StateHeader state={data.state}>
        series matching <code>{data.selector}</code> on Thanos instance{' '}
        <strong>{data.instance}</strong>
      </StateHeader>
      {data.error && <UpstreamErrorNotice error={data.error} />}
      <ReasonList reasons={data.reasons} />
      {data.clusters.length > 0 && (
        <>
          <ClusterTable clusters={data.clusters} />
          <div style={{ marginTop: 'var(--bui-space-3)' }}>
            <ManualCheck instance={data.instance} query={data.query} />
          </div>
        </>
      )}
      {nothing && (
        <MissingMetricsChecklist instance={data.instance} query={data.query} />
      )}
    </>
  );
}

/** Whether the service's metrics reach the central store (`fleet-monitoring.io/metrics-selector`). */
export function MetricsArrivingCard() {
  return (
    <EntityHealthCard
      title="Metrics arriving"
      isAvailable={isMetricsArrivingAvailable}
      annotation={METRICS_SELECTOR_ANNOTATION}
      load={(api, ref) => api.getMetricsArriving(ref)}
      render={data => <MetricsArrivingDetails data={data} />}
    />
  );
}

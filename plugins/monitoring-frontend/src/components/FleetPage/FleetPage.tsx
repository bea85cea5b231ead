import { useEffect, useMemo, useState } from 'react';
import { Box, IconButton, makeStyles, Typography } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  Select,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type {
  ClusterHealth,
  FleetSummary,
  HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef } from '../../api';
import {
  DemoNotice,
  formatAgo,
  formatDuration,
  formatPercent,
  formatRate,
  formatTime,
  reasonDocsUrl,
  reasonTitle,
  RequestErrorNotice,
  STATE_LABELS,
  StateBadge,
  UpstreamErrorNotice,
  useDocsBaseUrl,
} from '../common';

const useStyles = makeStyles(theme => ({
  counts: {
    display: 'flex',
    gap: theme.spacing(3),
    flexWrap: 'wrap',
    margin: theme.spacing(1, 0, 2),
  },
  reasons: { margin: 0, paddingLeft: theme.spacing(2) },
  toolbar: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
}));

/**
 * Link to a cluster's Resource entity page through the catalog's entity route; the catalog's
 * default path when the app has no catalog route bound (useRouteRef throws after running its hooks).
 */
function useClusterLink(): (cluster: string) => string {
  let route:
    | ((params: { kind: string; namespace: string; name: string }) => string)
    | undefined;
  try {
    // useRouteRef always runs all of its own hooks before it throws for an unbound route, so the
    // hook order is the same on every render; the rule flags any hook inside a try block.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    route = useRouteRef(entityRouteRef);
  } catch {
    route = undefined;
  }
  return (cluster: string) =>
    route
      ? route({
          kind: 'resource',
          namespace: 'default',
          name: encodeURIComponent(cluster),
        })
      : `/catalog/default/resource/${encodeURIComponent(cluster)}`;
}

/** Worst first, so an ascending sort on state puts the clusters that need attention on top. */
const STATE_RANK: Record<HealthState, number> = {
  failing: 0,
  degraded: 1,
  'no-data': 2,
  unknown: 3,
  healthy: 4,
};

interface Row {
  cluster: string;
  /** The state's word, so the table's search and filter work on what is shown. */
  state: string;
  health: ClusterHealth;
  lag?: number;
  throughput?: number;
  failureRatio?: number;
  lastSeen?: number;
  reasonText: string;
}

function toRows(summary: FleetSummary): Row[] {
  return summary.clusters.map(c => ({
    cluster: c.cluster,
    state: STATE_LABELS[c.state] ?? c.state,
    health: c,
    lag: c.stats.lagSeconds,
    throughput: c.stats.samplesPerSecond,
    failureRatio: c.stats.failureRatio,
    lastSeen: c.stats.lastSeen,
    reasonText: c.reasons.map(r => reasonTitle(r.id)).join(', '),
  }));
}

const numSort =
  (key: 'lag' | 'throughput' | 'failureRatio' | 'lastSeen') =>
  (a: Row, b: Row) =>
    (a[key] ?? -Infinity) - (b[key] ?? -Infinity);

function ClusterTable({ summary }: { summary: FleetSummary }) {
  const classes = useStyles();
  const clusterLink = useClusterLink();
  const docsBase = useDocsBaseUrl();
  const rows = useMemo(() => toRows(summary), [summary]);
  const columns: TableColumn<Row>[] = [
    {
      title: 'Cluster',
      field: 'cluster',
      highlight: true,
      render: row => <Link to={clusterLink(row.cluster)}>{row.cluster}</Link>,
    },
    {
      title: 'State',
      field: 'state',
      customSort: (a, b) =>
        STATE_RANK[a.health.state] - STATE_RANK[b.health.state],
      render: row => <StateBadge state={row.health.state} />,
    },
    {
      title: 'Lag',
      field: 'lag',
      type: 'numeric',
      customSort: numSort('lag'),
      render: row => formatDuration(row.lag),
    },
    {
      title: 'Samples sent',
      field: 'throughput',
      type: 'numeric',
      customSort: numSort('throughput'),
      render: row => formatRate(row.throughput),
    },
    {
      title: 'Failure ratio',
      field: 'failureRatio',
      type: 'numeric',
      customSort: numSort('failureRatio'),
      render: row => formatPercent(row.failureRatio),
    },
    {
      title: 'Last data',
      field: 'lastSeen',
      customSort: numSort('lastSeen'),
      render: row => (
        <span title={formatTime(row.lastSeen)}>{formatAgo(row.lastSeen)}</span>
      ),
    },
    {
      title: 'Reasons',
      field: 'reasonText',
      sorting: false,
      render: row =>
        row.health.reasons.length === 0 ? (
          '—'
        ) : (
          <ul className={classes.reasons}>
            {row.health.reasons.map(r => (
              <li key={r.id}>
                <Link
                  to={reasonDocsUrl(docsBase, r.id) ?? docsBase}
                  title={r.message}
                >
                  {reasonTitle(r.id)}
                </Link>
              </li>
            ))}
          </ul>
        ),
    },
  ];
  return (
    <Table<Row>
      title={`Clusters of ${summary.instance} (${rows.length})`}
      options={{
        paging: rows.length > 50,
        pageSize: 50,
        pageSizeOptions: [50, 100, 500],
        search: true,
        padding: 'dense',
      }}
      columns={columns}
      data={rows}
      filters={[{ column: 'State', type: 'multiple-select' }]}
      emptyContent={
        <Box p={2}>
          <Typography>
            No cluster has sent remote-write metrics to this instance in the
            last hour.
          </Typography>
        </Box>
      }
    />
  );
}

function Counts({ summary }: { summary: FleetSummary }) {
  const classes = useStyles();
  const order: HealthState[] = [
    'failing',
    'degraded',
    'no-data',
    'unknown',
    'healthy',
  ];
  return (
    <div className={classes.counts} aria-label="Clusters per state">
      {order.map(s => (
        <span key={s}>
          <StateBadge state={s} /> <strong>{summary.counts?.[s] ?? 0}</strong>
        </span>
      ))}
    </div>
  );
}

/** Every cluster of a Thanos instance, with its remote-write state. */
export function FleetContent() {
  const classes = useStyles();
  const api = useApi(fleetMonitoringApiRef);
  const instances = useAsync(() => api.getInstances(), [api]);
  const [instance, setInstance] = useState<string | undefined>();
  const names = useMemo(() => instances.value?.thanos ?? [], [instances.value]);
  useEffect(() => {
    if (!instance && names.length > 0) setInstance(names[0].name);
  }, [instance, names]);
  const summary = useAsyncRetry(
    async () => (instance ? api.getFleetSummary(instance) : undefined),
    [api, instance],
  );

  if (instances.loading) return <Progress />;
  if (instances.error) return <RequestErrorNotice error={instances.error} />;
  if (names.length === 0) {
    return (
      <EmptyState
        missing="field"
        title="No Thanos instance is configured"
        description="Add one under fleetMonitoring.thanos in app-config.yaml, e.g. { name: central, baseUrl: http://thanos-query.monitoring:10902 }."
      />
    );
  }
  return (
    <>
      <ContentHeader title="Remote-write health of every cluster">
        <div className={classes.toolbar}>
          <DemoNotice />
          {names.length > 1 && (
            <Select
              label="Thanos instance"
              selected={instance}
              items={names.map(n => ({
                label: n.title ?? n.name,
                value: n.name,
              }))}
              onChange={v => setInstance(String(v))}
            />
          )}
          <IconButton
            aria-label="Refresh fleet"
            title="Refresh"
            onClick={summary.retry}
            disabled={summary.loading}
          >
            <RefreshIcon />
          </IconButton>
        </div>
      </ContentHeader>
      {summary.loading && !summary.value && <Progress />}
      {summary.error && <RequestErrorNotice error={summary.error} />}
      {summary.value && !summary.error && (
        <>
          {summary.value.error && (
            <UpstreamErrorNotice error={summary.value.error} />
          )}
          <Counts summary={summary.value} />
          <Typography variant="caption" color="textSecondary" component="p">
            Thanos instance {summary.value.instance}, computed{' '}
            {formatTime(summary.value.generatedAt)}
          </Typography>
          <ClusterTable summary={summary.value} />
        </>
      )}
    </>
  );
}

/** The fleet page: header plus {@link FleetContent}. */
export function FleetPage(props: { title?: string; noHeader?: boolean }) {
  const content = (
    <Content>
      <FleetContent />
    </Content>
  );
  if (props.noHeader) return content;
  return (
    <Page themeId="tool">
      <Header
        title={props.title ?? 'Fleet monitoring'}
        subtitle="Prometheus agents → Thanos Receive"
      />
      {content}
    </Page>
  );
}

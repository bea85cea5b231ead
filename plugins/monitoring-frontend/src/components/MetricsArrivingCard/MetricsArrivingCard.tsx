import {
  makeStyles,
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { CodeSnippet, Link } from '@backstage/core-components';
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

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  steps: {
    paddingLeft: theme.spacing(2.5),
    '& > li': { marginBottom: theme.spacing(1.5) },
  },
}));

/** The agent's pod and namespace as the reference deploys them. */
const AGENT_LOG_COMMAND =
  'kubectl logs -n monitoring prometheus-agent-0 | grep "remote_write"';

function clusterState(c: ArrivingByCluster) {
  if (c.targetsTotal > 0 && c.targetsUp === 0) return 'failing' as const;
  if (c.targetsUp < c.targetsTotal) return 'degraded' as const;
  return 'healthy' as const;
}

function ClusterTable({ clusters }: { clusters: ArrivingByCluster[] }) {
  return (
    <MuiTable size="small" aria-label="Metrics per cluster">
      <TableHead>
        <TableRow>
          <TableCell>Cluster</TableCell>
          <TableCell>Targets up</TableCell>
          <TableCell>Last sample</TableCell>
          <TableCell align="right">Series</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {clusters.map(c => (
          <TableRow key={c.cluster}>
            <TableCell>{c.cluster}</TableCell>
            <TableCell>
              <StateBadge state={clusterState(c)} /> {c.targetsUp} of{' '}
              {c.targetsTotal}
            </TableCell>
            <TableCell>
              {c.lastSampleAgeSeconds === undefined
                ? '—'
                : `${formatDuration(c.lastSampleAgeSeconds)} ago`}
            </TableCell>
            <TableCell align="right">{formatNumber(c.seriesCount)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}

/** The reference's "metrics are missing" checklist, with this entity's query filled in. */
export function MissingMetricsChecklist({ query }: { query: string }) {
  const classes = useStyles();
  const docsBase = useDocsBaseUrl();
  return (
    <div className={classes.section} data-testid="missing-metrics-checklist">
      <Typography variant="subtitle2" component="h3">
        Nothing arrives: check, in order
      </Typography>
      <ol className={classes.steps}>
        <li>
          <Typography variant="body2">
            Is the cluster's Prometheus agent remote-writing? Look for errors in
            its log:
          </Typography>
          <CodeSnippet
            language="bash"
            text={AGENT_LOG_COMMAND}
            showCopyCodeButton
          />
        </li>
        <li>
          <Typography variant="body2">
            Does the agent set the <code>cluster</code> external label? Every
            series is found by it:
          </Typography>
          <CodeSnippet
            language="yaml"
            text={'global:\n  external_labels:\n    cluster: <cluster-name>'}
          />
        </li>
        <li>
          <Typography variant="body2">
            Run the query that should find the series by hand in Thanos Query:
          </Typography>
          <CodeSnippet language="promql" text={query} showCopyCodeButton />
        </li>
      </ol>
      <Link to={`${docsBase}${reasonDocsPath('metrics-not-arriving')}`}>
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
      {data.clusters.length > 0 && <ClusterTable clusters={data.clusters} />}
      {nothing && <MissingMetricsChecklist query={data.query} />}
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

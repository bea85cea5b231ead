import {
  makeStyles,
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { WarningPanel } from '@backstage/core-components';
import {
  isThanosAvailable,
  THANOS_COMPONENT_ANNOTATION,
  type StoreEndpoint,
  type ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  formatDuration,
  formatPercent,
  formatRate,
  formatNumber,
  formatTime,
  ReasonList,
  StateBadge,
  StateHeader,
  StatGrid,
  UpstreamErrorNotice,
  EntityHealthCard,
} from '../common';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  error: { color: theme.palette.error.main, wordBreak: 'break-word' },
}));

function ReceiveStats({ health }: { health: ThanosHealth }) {
  const r = health.receive ?? {};
  let reload = '—';
  if (r.configReloadSuccessful !== undefined) {
    reload = r.configReloadSuccessful
      ? 'Last reload succeeded'
      : 'Last reload FAILED';
  }
  let hashring = '—';
  if (r.hashringFileErrorsPerSecond !== undefined) {
    hashring =
      r.hashringFileErrorsPerSecond > 0
        ? `File errors: ${formatRate(r.hashringFileErrorsPerSecond)}`
        : 'File read OK';
  }
  return (
    <StatGrid
      items={[
        {
          label: 'Receive error ratio (5xx)',
          value: formatPercent(r.httpErrorRatio),
        },
        {
          label: 'p99 write latency',
          value: formatDuration(r.p99LatencySeconds),
        },
        {
          label: 'Replication failures',
          value: formatPercent(r.replicationFailureRatio),
        },
        {
          label: 'Forward failures',
          value: formatPercent(r.forwardFailureRatio),
        },
        { label: 'Hashring', value: hashring },
        { label: 'Config reload', value: reload },
        {
          label: 'Head-series limited',
          value:
            r.headSeriesLimitedPerSecond === undefined
              ? '—'
              : `${formatRate(r.headSeriesLimitedPerSecond)} requests`,
        },
        {
          label: 'Replication factor',
          value: formatNumber(r.replicationFactor),
        },
        { label: 'Hashring nodes', value: formatNumber(r.hashringNodes) },
      ]}
    />
  );
}

function labelSets(store: StoreEndpoint): string {
  return store.labelSets
    .map(ls =>
      Object.entries(ls)
        .map(([k, v]) => `${k}="${v}"`)
        .join(', '),
    )
    .join('; ');
}

function StoreTable({ stores }: { stores: StoreEndpoint[] }) {
  const classes = useStyles();
  if (stores.length === 0) {
    return (
      <Typography variant="body2">
        The querier reports no store endpoints.
      </Typography>
    );
  }
  return (
    <MuiTable size="small" aria-label="Store endpoints">
      <TableHead>
        <TableRow>
          <TableCell>Endpoint</TableCell>
          <TableCell>Type</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Last check</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {stores.map(store => (
          <TableRow key={`${store.type}-${store.name}`}>
            <TableCell>
              <div>{store.name}</div>
              {store.labelSets.length > 0 && (
                <Typography variant="caption" color="textSecondary">
                  {labelSets(store)}
                </Typography>
              )}
            </TableCell>
            <TableCell>{store.type}</TableCell>
            <TableCell>
              {store.lastError ? (
                <>
                  <StateBadge state="failing" />
                  <div className={classes.error}>{store.lastError}</div>
                </>
              ) : (
                <StateBadge state="healthy" />
              )}
            </TableCell>
            <TableCell>{formatTime(store.lastCheck)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}

export function ThanosDetails({ health }: { health: ThanosHealth }) {
  const classes = useStyles();
  const what =
    health.component === 'receive' ? 'Thanos Receive' : 'Thanos Query';
  return (
    <>
      <StateHeader state={health.state}>
        {what} via Thanos instance <strong>{health.instance}</strong>
      </StateHeader>
      {health.error && <UpstreamErrorNotice error={health.error} />}
      <ReasonList reasons={health.reasons} />
      {!health.error && health.component === 'receive' && (
        <ReceiveStats health={health} />
      )}
      {!health.error && health.component === 'query' && !health.isThanos && (
        <WarningPanel
          severity="info"
          title="Not a Thanos querier"
          defaultExpanded
        >
          The upstream answered 404 on <code>/api/v1/stores</code>: it is a
          plain Prometheus (or another PromQL API), so there are no store
          endpoints to check. The PromQL-based checks still work.
        </WarningPanel>
      )}
      {!health.error && health.component === 'query' && health.isThanos && (
        <div className={classes.section}>
          <Typography variant="subtitle2" component="h3">
            Store endpoints
          </Typography>
          <StoreTable stores={health.stores ?? []} />
        </div>
      )}
      {health.warnings.length > 0 && (
        <div className={classes.section}>
          <WarningPanel
            severity="warning"
            title={`Partial response: ${health.warnings.length} warning(s)`}
            defaultExpanded
          >
            <ul aria-label="Partial-response warnings">
              {health.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </WarningPanel>
        </div>
      )}
    </>
  );
}

/** Health of the Thanos Receive or Query component the entity is (`fleet-monitoring.io/thanos-component`). */
export function ThanosCard() {
  return (
    <EntityHealthCard
      title={(value: ThanosHealth | undefined) => {
        if (!value) return 'Thanos health';
        return value.component === 'query'
          ? 'Thanos Query health'
          : 'Thanos Receive health';
      }}
      isAvailable={isThanosAvailable}
      annotation={THANOS_COMPONENT_ANNOTATION}
      load={(api, ref) => api.getThanosHealth(ref)}
      render={health => <ThanosDetails health={health} />}
    />
  );
}

import { useState } from 'react';
import {
  Button,
  makeStyles,
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Link, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  isArgocdAvailable,
  type ArgocdAppSummary,
  type ArgocdEntityApps,
  type HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef, isFleetMonitoringError } from '../../api';
import {
  DemoNotice,
  FleetCard,
  formatAgo,
  formatTime,
  ReasonList,
  RequestErrorNotice,
  StateBadge,
  UpstreamErrorNotice,
  useEntityRequest,
} from '../common';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  status: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  history: { background: theme.palette.background.default },
  mono: { fontFamily: 'monospace' },
  nowrap: { whiteSpace: 'nowrap' },
  scroll: { overflowX: 'auto' },
  historyList: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(3) },
  srOnly: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));

const SYNC_STATE: Record<string, HealthState> = {
  Synced: 'healthy',
  OutOfSync: 'degraded',
};
const HEALTH_STATE: Record<string, HealthState> = {
  Healthy: 'healthy',
  Progressing: 'unknown',
  Suspended: 'degraded',
  Degraded: 'failing',
  Missing: 'failing',
};
const OPERATION_STATE: Record<string, HealthState> = {
  Succeeded: 'healthy',
  Running: 'unknown',
  Terminating: 'unknown',
  Failed: 'failing',
  Error: 'failing',
};

/** ArgoCD's own word for a status, with the matching icon. */
function ArgoStatus({
  text,
  map,
}: {
  text?: string;
  map: Record<string, HealthState>;
}) {
  const classes = useStyles();
  if (!text) return <>—</>;
  return (
    <span className={classes.status}>
      <StateBadge state={map[text] ?? 'unknown'} label={text} />
    </span>
  );
}

const shortRev = (rev?: string) =>
  rev && /^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 7) : (rev ?? '—');

function AppRows({ app }: { app: ArgocdAppSummary }) {
  const api = useApi(fleetMonitoringApiRef);
  const { entity } = useEntity();
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const [state, load] = useAsyncFn(
    () =>
      api.getArgocdHistory(
        getCompoundEntityRef(entity),
        app.instance,
        app.name,
      ),
    [api, entity, app.instance, app.name],
  );
  const toggle = () => {
    if (!open && !state.value && !state.loading) load();
    setOpen(!open);
  };
  return (
    <>
      <TableRow>
        <TableCell>
          <Link
            to={app.uiUrl}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={`${app.name} in ArgoCD (opens a new tab)`}
          >
            {app.name}
          </Link>
          <Typography variant="caption" display="block" color="textSecondary">
            {app.instance}
            {app.project ? ` · project ${app.project}` : ''}
          </Typography>
        </TableCell>
        <TableCell>
          <ArgoStatus text={app.syncStatus} map={SYNC_STATE} />
        </TableCell>
        <TableCell>
          <ArgoStatus text={app.healthStatus} map={HEALTH_STATE} />
          {app.healthMessage && (
            <Typography variant="caption" display="block">
              {app.healthMessage}
            </Typography>
          )}
        </TableCell>
        <TableCell>
          <ArgoStatus text={app.operation?.phase} map={OPERATION_STATE} />
          {app.operation?.message && (
            <Typography variant="caption" display="block">
              {app.operation.message}
            </Typography>
          )}
        </TableCell>
        <TableCell className={classes.mono} title={app.revision}>
          {shortRev(app.revision)}
        </TableCell>
        <TableCell
          title={formatTime(app.lastDeployedAt)}
          className={classes.nowrap}
        >
          {app.lastDeployedAt
            ? formatAgo(Date.parse(app.lastDeployedAt) / 1000)
            : '—'}
        </TableCell>
        <TableCell>
          <Button
            size="small"
            variant="outlined"
            onClick={toggle}
            aria-expanded={open}
            aria-label={`${open ? 'Hide' : 'Show'} deploy history of ${app.name}`}
            className={classes.nowrap}
          >
            {open ? 'Hide history' : 'History'}
          </Button>
        </TableCell>
      </TableRow>
      {open && (
        <TableRow className={classes.history}>
          <TableCell colSpan={7}>
            <div role="region" aria-label={`Deploy history of ${app.name}`}>
              {state.loading && <Progress />}
              {state.error && <RequestErrorNotice error={state.error} />}
              {state.value && state.value.history.length === 0 && (
                <Typography variant="body2">No deploys recorded.</Typography>
              )}
              {state.value && state.value.history.length > 0 && (
                <ol className={classes.historyList}>
                  {state.value.history.slice(0, 10).map(h => (
                    <li key={h.id}>
                      <span className={classes.mono}>
                        {shortRev(h.revision ?? h.revisions?.[0])}
                      </span>{' '}
                      deployed{' '}
                      <span title={formatTime(h.deployedAt)}>
                        {formatAgo(
                          h.deployedAt
                            ? Date.parse(h.deployedAt) / 1000
                            : undefined,
                        )}
                      </span>
                      {h.initiatedBy?.automated
                        ? ' (automated)'
                        : h.initiatedBy?.username
                          ? ` by ${h.initiatedBy.username}`
                          : ''}
                      {h.source?.path
                        ? ` from ${h.source.path}`
                        : h.source?.chart
                          ? ` from chart ${h.source.chart}`
                          : ''}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </TableCell>
        </TableRow>
      )}
    </>
  );
}

function AppsTable({ apps }: { apps: ArgocdAppSummary[] }) {
  const classes = useStyles();
  return (
    <div className={classes.scroll}>
      <MuiTable size="small" aria-label="ArgoCD applications">
        <TableHead>
          <TableRow>
            <TableCell>Application</TableCell>
            <TableCell>Sync</TableCell>
            <TableCell>Health</TableCell>
            <TableCell>Last operation</TableCell>
            <TableCell>Revision</TableCell>
            <TableCell>Last deploy</TableCell>
            <TableCell>
              <span className={classes.srOnly}>Actions</span>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {apps.map(app => (
            <AppRows
              key={`${app.instance}/${app.namespace ?? ''}/${app.name}`}
              app={app}
            />
          ))}
        </TableBody>
      </MuiTable>
    </div>
  );
}

export function ArgocdDetails({ data }: { data: ArgocdEntityApps }) {
  const classes = useStyles();
  const what = data.query.appName
    ? `application ${data.query.appName}`
    : `applications matching ${data.query.selector}`;
  return (
    <>
      <div className={classes.header}>
        <StateBadge state={data.state} variant="h6" />
        <Typography variant="body2" color="textSecondary">
          {what}
        </Typography>
        <DemoNotice />
      </div>
      {data.errors.map(e => (
        <UpstreamErrorNotice key={e.upstream} error={e} />
      ))}
      <ReasonList
        reasons={data.reasons.filter(r => !r.id.startsWith('upstream-'))}
      />
      {data.instances.length === 0 && (
        <WarningPanel
          severity="info"
          title="ArgoCD is not configured"
          defaultExpanded
        >
          The backend has no ArgoCD instance; add one under{' '}
          <code>fleetMonitoring.argocd</code> in app-config.
        </WarningPanel>
      )}
      {data.applications.length > 0 ? (
        <AppsTable apps={data.applications} />
      ) : (
        data.instances.length > 0 && (
          <Typography variant="body2">
            No application matches in{' '}
            {data.instances.map(i => i.name).join(', ')}.
          </Typography>
        )
      )}
    </>
  );
}

/** The entity's ArgoCD applications (`argocd/app-name` or `argocd/app-selector`). */
export function ArgocdCard() {
  const { entity } = useEntity();
  const available = isArgocdAvailable(entity);
  const { value, loading, error, retry } = useEntityRequest(
    available,
    (api, ref) => api.getArgocd(ref),
  );
  const title = 'ArgoCD';
  if (!available) {
    return (
      <FleetCard title={title}>
        <MissingAnnotationEmptyState
          annotation={[
            ARGOCD_APP_NAME_ANNOTATION,
            ARGOCD_APP_SELECTOR_ANNOTATION,
          ]}
        />
      </FleetCard>
    );
  }
  // A backend without the ArgoCD routes answers 404 with no upstream: not configured, not broken.
  const notConfigured =
    isFleetMonitoringError(error) && error.status === 404 && !error.upstream;
  return (
    <FleetCard
      title={title}
      subheader="Applications, sync and health"
      onRefresh={retry}
      refreshing={loading}
    >
      {loading && !value && <Progress />}
      {error && notConfigured && (
        <WarningPanel
          severity="info"
          title="ArgoCD is not configured"
          defaultExpanded
        >
          The Fleet Monitoring backend does not serve ArgoCD data (
          {error.message}). Configure
          <code> fleetMonitoring.argocd</code> in app-config.
        </WarningPanel>
      )}
      {error && !notConfigured && <RequestErrorNotice error={error} />}
      {value && !error && <ArgocdDetails data={value} />}
    </FleetCard>
  );
}

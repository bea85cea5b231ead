import { useState } from 'react';
import { Button, makeStyles, Typography } from '@material-ui/core';
import { Link, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  isArgocdAvailable,
  type ArgocdAppSummary,
  type ArgocdEntityApps,
  type ArgocdHistoryEntry,
  type HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef, isFleetMonitoringError } from '../../api';
import {
  DemoNotice,
  formatAgo,
  formatTime,
  ReasonList,
  RequestErrorNotice,
  StateBadge,
  StateHeader,
  StatGrid,
  UpstreamErrorNotice,
  EntityHealthCard,
} from '../common';

const useStyles = makeStyles(theme => ({
  status: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  history: {
    background: theme.palette.background.default,
    padding: theme.spacing(1),
  },
  mono: { fontFamily: 'monospace' },
  nowrap: { whiteSpace: 'nowrap' },
  apps: { listStyle: 'none', padding: 0, margin: theme.spacing(1, 0, 0) },
  app: {
    borderTop: `1px solid ${theme.palette.divider}`,
    padding: theme.spacing(1.5, 0),
  },
  appHeader: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
  historyList: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(3) },
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

function initiatorText(h: ArgocdHistoryEntry): string {
  if (h.initiatedBy?.automated) return ' (automated)';
  if (h.initiatedBy?.username) return ` by ${h.initiatedBy.username}`;
  return '';
}

function sourceText(h: ArgocdHistoryEntry): string {
  if (h.source?.path) return ` from ${h.source.path}`;
  if (h.source?.chart) return ` from chart ${h.source.chart}`;
  return '';
}

function AppItem({ app }: { app: ArgocdAppSummary }) {
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
    <li className={classes.app} aria-label={app.name}>
      <div className={classes.appHeader}>
        <div>
          <Link
            to={app.uiUrl}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={`${app.name} in ArgoCD (opens a new tab)`}
          >
            <strong>{app.name}</strong>
          </Link>
          <Typography variant="caption" display="block" color="textSecondary">
            ArgoCD {app.instance}
            {app.project ? ` · project ${app.project}` : ''}
            {app.destination?.namespace
              ? ` · namespace ${app.destination.namespace}`
              : ''}
          </Typography>
        </div>
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
      </div>
      <StatGrid
        items={[
          {
            label: 'Sync',
            value: <ArgoStatus text={app.syncStatus} map={SYNC_STATE} />,
          },
          {
            label: 'Health',
            value: <ArgoStatus text={app.healthStatus} map={HEALTH_STATE} />,
            title: app.healthMessage,
          },
          {
            label: 'Last operation',
            value: (
              <ArgoStatus text={app.operation?.phase} map={OPERATION_STATE} />
            ),
            title: app.operation?.message,
          },
          {
            label: 'Revision',
            value: (
              <span className={classes.mono}>{shortRev(app.revision)}</span>
            ),
            title: app.revision,
          },
          {
            label: 'Last deploy',
            value: app.lastDeployedAt
              ? formatAgo(Date.parse(app.lastDeployedAt) / 1000)
              : '—',
            title: formatTime(app.lastDeployedAt),
          },
        ]}
      />
      {app.operation?.message && app.operation.phase !== 'Succeeded' && (
        <Typography variant="body2">{app.operation.message}</Typography>
      )}
      {app.healthMessage && (
        <Typography variant="body2">{app.healthMessage}</Typography>
      )}
      {open && (
        <div
          role="region"
          aria-label={`Deploy history of ${app.name}`}
          className={classes.history}
        >
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
                  {initiatorText(h)}
                  {sourceText(h)}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </li>
  );
}

function AppsList({ apps }: { apps: ArgocdAppSummary[] }) {
  const classes = useStyles();
  return (
    <ul className={classes.apps} aria-label="ArgoCD applications">
      {apps.map(app => (
        <AppItem
          key={`${app.instance}/${app.namespace ?? ''}/${app.name}`}
          app={app}
        />
      ))}
    </ul>
  );
}

export function ArgocdDetails({ data }: { data: ArgocdEntityApps }) {
  const what = data.query.appName
    ? `application ${data.query.appName}`
    : `applications matching ${data.query.selector}`;
  return (
    <>
      <StateHeader state={data.state} extra={<DemoNotice />}>
        {what}
      </StateHeader>
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
        <AppsList apps={data.applications} />
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
  return (
    <EntityHealthCard
      title="ArgoCD"
      subheader="Applications, sync and health"
      isAvailable={isArgocdAvailable}
      annotation={[ARGOCD_APP_NAME_ANNOTATION, ARGOCD_APP_SELECTOR_ANNOTATION]}
      load={(api, ref) => api.getArgocd(ref)}
      render={data => <ArgocdDetails data={data} />}
      renderError={error =>
        // A backend without the ArgoCD routes answers 404 with no upstream: not configured, not broken.
        isFleetMonitoringError(error) &&
        error.status === 404 &&
        !error.upstream ? (
          <WarningPanel
            severity="info"
            title="ArgoCD is not configured"
            defaultExpanded
          >
            The Fleet Monitoring backend does not serve ArgoCD data (
            {error.message}). Configure
            <code> fleetMonitoring.argocd</code> in app-config.
          </WarningPanel>
        ) : undefined
      }
    />
  );
}

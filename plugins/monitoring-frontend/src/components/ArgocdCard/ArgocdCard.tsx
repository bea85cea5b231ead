import { useState } from 'react';
import { Alert, Button, Flex, Link, Text } from '@backstage/ui';
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
import {
  backendMessage,
  fleetMonitoringApiRef,
  statusOfError,
  upstreamOfError,
} from '../../api';
import {
  DemoNotice,
  formatAgo,
  formatTime,
  Loading,
  ReasonList,
  RequestErrorNotice,
  StateBadge,
  StateHeader,
  StatGrid,
  UpstreamErrorNotice,
  EntityHealthCard,
} from '../common';

const mono = { fontFamily: 'monospace' };

/** ArgoCD's own word for a status, with the icon of the state the backend mapped it to. */
function ArgoStatus({ text, state }: { text?: string; state?: HealthState }) {
  if (!text) return <>—</>;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <StateBadge state={state ?? 'unknown'} label={text} />
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
    <li
      aria-label={app.name}
      style={{
        borderTop: '1px solid var(--bui-border-1)',
        padding: 'var(--bui-space-3) 0',
      }}
    >
      <Flex justify="between" align="start" gap="2">
        <div>
          <Link
            href={app.uiUrl}
            target="_blank"
            rel="noopener noreferrer"
            weight="bold"
            aria-label={`${app.name} in ArgoCD (opens a new tab)`}
          >
            {app.name}
          </Link>
          <Text as="p" variant="body-x-small" color="secondary">
            ArgoCD {app.instance}
            {app.project ? ` · project ${app.project}` : ''}
            {app.destination?.namespace
              ? ` · namespace ${app.destination.namespace}`
              : ''}
          </Text>
        </div>
        <Button
          size="small"
          variant="secondary"
          onPress={toggle}
          aria-expanded={open}
          aria-label={`${open ? 'Hide' : 'Show'} deploy history of ${app.name}`}
          style={{ whiteSpace: 'nowrap' }}
        >
          {open ? 'Hide history' : 'History'}
        </Button>
      </Flex>
      <StatGrid
        items={[
          {
            label: 'Sync',
            value: <ArgoStatus text={app.syncStatus} state={app.syncState} />,
          },
          {
            label: 'Health',
            value: (
              <ArgoStatus text={app.healthStatus} state={app.healthState} />
            ),
            title: app.healthMessage,
          },
          {
            label: 'Last operation',
            value: (
              <ArgoStatus
                text={app.operation?.phase}
                state={app.operation?.state}
              />
            ),
            title: app.operation?.message,
          },
          {
            label: 'Revision',
            value: <span style={mono}>{shortRev(app.revision)}</span>,
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
        <Text as="p" variant="body-small">
          {app.operation.message}
        </Text>
      )}
      {app.healthMessage && (
        <Text as="p" variant="body-small">
          {app.healthMessage}
        </Text>
      )}
      {open && (
        <div
          role="region"
          aria-label={`Deploy history of ${app.name}`}
          style={{
            background: 'var(--bui-bg-neutral-2)',
            padding: 'var(--bui-space-2)',
          }}
        >
          {state.loading && <Loading label="Loading deploy history" />}
          {state.error && <RequestErrorNotice error={state.error} />}
          {state.value && state.value.history.length === 0 && (
            <Text as="p" variant="body-small">
              No deploys recorded.
            </Text>
          )}
          {state.value && state.value.history.length > 0 && (
            <ol
              style={{
                margin: 'var(--bui-space-1) 0',
                paddingLeft: 'var(--bui-space-6)',
              }}
            >
              {state.value.history.slice(0, 10).map(h => (
                <li key={h.id}>
                  <span style={mono}>
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
  return (
    <ul
      aria-label="ArgoCD applications"
      style={{
        listStyle: 'none',
        padding: 0,
        margin: 'var(--bui-space-2) 0 0',
      }}
    >
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
        <Alert
          status="info"
          icon
          title="ArgoCD is not configured"
          description={
            <>
              The backend has no ArgoCD instance; add one under{' '}
              <code>fleetMonitoring.argocd</code> in app-config.
            </>
          }
        />
      )}
      {data.applications.length > 0 ? (
        <AppsList apps={data.applications} />
      ) : (
        data.instances.length > 0 && (
          <Text as="p" variant="body-small">
            No application matches in{' '}
            {data.instances.map(i => i.name).join(', ')}.
          </Text>
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
        statusOfError(error) === 404 && !upstreamOfError(error) ? (
          <Alert
            status="info"
            icon
            title="ArgoCD is not configured"
            description={
              <>
                The Fleet Monitoring backend does not serve ArgoCD data (
                {backendMessage(error)}). Configure
                <code> fleetMonitoring.argocd</code> in app-config.
              </>
            }
          />
        ) : undefined
      }
    />
  );
}

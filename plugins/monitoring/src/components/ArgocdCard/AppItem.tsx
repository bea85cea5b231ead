import { useState } from 'react';
import { Button, Flex, Link, Text } from '@backstage/ui';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type {
  ArgocdAppSummary,
  HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef } from '../../api';
import { formatAgo, formatTime, StateBadge, StatGrid } from '../common';
import { DeployHistory, mono, shortRev } from './DeployHistory';

/** ArgoCD's own word for a status, with the icon of the state the backend mapped it to. */
function ArgoStatus({ text, state }: { text?: string; state?: HealthState }) {
  if (!text) return <>—</>;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <StateBadge state={state ?? 'unknown'} label={text} />
    </span>
  );
}

/** The application's name (a link into ArgoCD), where it lives, and the history toggle. */
function AppHeader(props: {
  app: ArgocdAppSummary;
  historyOpen: boolean;
  onToggleHistory: () => void;
}) {
  const { app, historyOpen } = props;
  return (
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
        onPress={props.onToggleHistory}
        aria-expanded={historyOpen}
        aria-label={`${historyOpen ? 'Hide' : 'Show'} deploy history of ${app.name}`}
        style={{ whiteSpace: 'nowrap' }}
      >
        {historyOpen ? 'Hide history' : 'History'}
      </Button>
    </Flex>
  );
}

/** Sync, health, last operation, revision and last deploy of one application. */
function AppStats({ app }: { app: ArgocdAppSummary }) {
  return (
    <StatGrid
      items={[
        {
          label: 'Sync',
          value: <ArgoStatus text={app.syncStatus} state={app.syncState} />,
        },
        {
          label: 'Health',
          value: <ArgoStatus text={app.healthStatus} state={app.healthState} />,
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
  );
}

/** ArgoCD's messages worth reading: a failed operation's and the health message. */
function AppMessages({ app }: { app: ArgocdAppSummary }) {
  return (
    <>
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
    </>
  );
}

/** One ArgoCD application; its deploy history is loaded the first time it is opened. */
export function AppItem({ app }: { app: ArgocdAppSummary }) {
  const api = useApi(fleetMonitoringApiRef);
  const { entity } = useEntity();
  const [open, setOpen] = useState(false);
  const [history, load] = useAsyncFn(
    () =>
      api.getArgocdHistory(
        getCompoundEntityRef(entity),
        app.instance,
        app.name,
      ),
    [api, entity, app.instance, app.name],
  );
  const toggle = () => {
    if (!open && !history.value && !history.loading) load();
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
      <AppHeader app={app} historyOpen={open} onToggleHistory={toggle} />
      <AppStats app={app} />
      <AppMessages app={app} />
      {open && <DeployHistory appName={app.name} state={history} />}
    </li>
  );
}

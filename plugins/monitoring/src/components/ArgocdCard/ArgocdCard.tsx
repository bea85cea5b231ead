import { Alert, Text } from '@backstage/ui';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  isArgocdAvailable,
  type ArgocdAppSummary,
  type ArgocdEntityApps,
} from '@fleet-monitoring/plugin-monitoring-common';
import { backendMessage, statusOfError, upstreamOfError } from '../../api';
import {
  DemoNotice,
  ReasonList,
  StateHeader,
  UpstreamErrorNotice,
  EntityHealthCard,
} from '../common';
import { AppItem } from './AppItem';

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

import type { ReactNode } from 'react';
import { Alert, Flex, Link, Text } from '@backstage/ui';
import {
  CLUSTER_ANNOTATION,
  type EntityReconciled,
  type ReconcileSourceName,
  type ReconcileSourceStatus,
  type ReconciledApplication,
  type ReconciledCluster,
  type ReconciledSync,
} from '@fleet-monitoring/plugin-monitoring-common';
import { backendMessage, statusOfError, upstreamOfError } from '../../api';
import {
  EntityHealthCard,
  forecastWords,
  formatAgo,
  formatCount,
  formatPercent,
  formatTime,
  MISSING,
  missingBecause,
  ownerName,
  ReasonList,
  reasonTitle,
  SOURCE_LABELS,
  sourceStatusOf,
  type SourceStatus,
  StateBadge,
  StateHeader,
  StatGrid,
  UpstreamErrorNotice,
} from '../common';
import { isReconcileAvailable } from './available';

const mono = { fontFamily: 'monospace' };

/** A git SHA shortened to 7 characters; any other revision (a tag, a chart version) as it is. */
const shortRev = (rev?: string) =>
  rev && /^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 7) : (rev ?? MISSING);

const agoOf = (iso: string | undefined) =>
  iso ? formatAgo(Date.parse(iso) / 1000) : MISSING;

/**
 * One source's part of the row, under its own heading. Without a value it says why: the source
 * failed (unknown, not empty), is not configured, or answered and has nothing (`absent`).
 */
function SourceSection(props: {
  title: string;
  source: ReconcileSourceName;
  sources: ReconcileSourceStatus[];
  present: boolean;
  absent: string;
  children: ReactNode;
}) {
  const status = sourceStatusOf(props.sources, props.source);
  const why = missingBecause(status);
  let body: ReactNode = props.children;
  if (!props.present)
    body = (
      <Text as="p" variant="body-small" color="secondary">
        {why ?? props.absent}
      </Text>
    );
  return (
    <section
      aria-label={props.title}
      data-source={props.source}
      data-source-status={status}
      style={{ marginTop: 'var(--bui-space-3)' }}
    >
      <Text as="h3" variant="body-medium" weight="bold">
        {props.title}
      </Text>
      {body}
    </section>
  );
}

/** Failed sources with their error, and the ones not configured in one line. */
function SourceNotices({ sources }: { sources: ReconcileSourceStatus[] }) {
  const failed = sources.filter(s => s.status === 'failed');
  const off = sources.filter(s => s.status === 'not-configured');
  return (
    <>
      {failed.map(s =>
        s.error ? (
          <UpstreamErrorNotice key={s.source} error={s.error} />
        ) : (
          <Alert
            key={s.source}
            status="danger"
            icon
            title={`${SOURCE_LABELS[s.source]} could not be read`}
            my="2"
          />
        ),
      )}
      {off.length > 0 && (
        <Text as="p" variant="body-x-small" color="secondary">
          Not configured in the backend:{' '}
          {off.map(s => SOURCE_LABELS[s.source]).join(', ')}.
        </Text>
      )}
    </>
  );
}

/** The ArgoCD sync that finished just before the remote write turned bad: the likely cause. */
function ChangedBy({ sync }: { sync: ReconciledSync }) {
  const by = sync.author ?? sync.initiatedBy;
  return (
    <section
      aria-label="What changed"
      style={{
        marginTop: 'var(--bui-space-3)',
        padding: 'var(--bui-space-2) var(--bui-space-3)',
        borderLeft: '3px solid var(--bui-fg-warning)',
      }}
    >
      <Text as="p">
        <strong>What changed:</strong> remote write turned bad
        {sync.brokeAt ? ` after ${formatTime(sync.brokeAt)}` : ''}, just after
        ArgoCD synced{' '}
        <Link
          href={sync.uiUrl}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`${sync.app} in ArgoCD (opens a new tab)`}
        >
          {sync.app}
        </Link>{' '}
        to revision{' '}
        {sync.revisionUrl ? (
          <Link
            href={sync.revisionUrl}
            target="_blank"
            rel="noopener noreferrer"
            style={mono}
            aria-label={`Revision ${sync.revision} (opens a new tab)`}
          >
            {shortRev(sync.revision)}
          </Link>
        ) : (
          <span style={mono}>{shortRev(sync.revision)}</span>
        )}{' '}
        at {formatTime(sync.deployedAt)}
        {by ? ` by ${by}` : ''}.
      </Text>
      {sync.message && (
        <Text as="p" variant="body-small" color="secondary">
          {sync.message}
        </Text>
      )}
    </section>
  );
}

function CatalogPart({ row }: { row: ReconciledCluster }) {
  const c = row.catalog!;
  return (
    <StatGrid
      items={[
        {
          label: 'Resource',
          value: c.title ?? c.entityRef,
          title: c.entityRef,
        },
        {
          label: 'Owner',
          value: c.owner ? ownerName(c.owner) : MISSING,
          title: c.owner,
        },
      ]}
    />
  );
}

function OverlayPart({ row }: { row: ReconciledCluster }) {
  const o = row.overlay!;
  const observed = row.observed?.versions ?? [];
  const labels = Object.entries(o.externalLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return (
    <>
      <Text as="p" variant="body-small">
        <code>{o.path}</code> ({o.component})
      </Text>
      <StatGrid
        items={[
          { label: 'Chart version', value: o.chartVersion ?? MISSING },
          {
            label: 'Agent version',
            value: o.agentVersion ?? MISSING,
            title:
              observed.length > 0
                ? `Running: ${observed.join(', ')} (prometheus_build_info)`
                : undefined,
          },
          {
            label: 'Running',
            value: observed.length ? observed.join(', ') : MISSING,
            title: 'prometheus_build_info{version} of the series',
          },
          { label: 'Tenant', value: o.tenant ?? 'none set' },
          { label: 'External labels', value: labels || 'none' },
          {
            label: 'Lint',
            value: `${o.lintErrors} error${o.lintErrors === 1 ? '' : 's'}, ${o.lintWarnings} warning${o.lintWarnings === 1 ? '' : 's'}`,
          },
        ]}
      />
    </>
  );
}

function AppRow({ app }: { app: ReconciledApplication }) {
  return (
    <li
      aria-label={app.name}
      style={{ padding: 'var(--bui-space-1) 0' }}
      data-sync={app.syncStatus}
      data-health={app.healthStatus}
    >
      <Flex gap="3" align="baseline" style={{ flexWrap: 'wrap' }}>
        <Link
          href={app.uiUrl}
          target="_blank"
          rel="noopener noreferrer"
          weight="bold"
          aria-label={`${app.name} in ArgoCD (opens a new tab)`}
        >
          {app.name}
        </Link>
        <Text variant="body-small">
          {app.syncStatus} · {app.healthStatus}
        </Text>
        <Text variant="body-small" title={app.revision}>
          revision <span style={mono}>{shortRev(app.revision)}</span>
        </Text>
        <Text
          variant="body-small"
          color="secondary"
          title={formatTime(app.lastSyncedAt)}
        >
          last sync {agoOf(app.lastSyncedAt)}
        </Text>
        <Text variant="body-x-small" color="secondary">
          ArgoCD {app.instance}
          {app.path ? ` · ${app.path}` : ''}
        </Text>
      </Flex>
    </li>
  );
}

function RemoteWritePart({ row }: { row: ReconciledCluster }) {
  const rw = row.remoteWrite!;
  const writers = row.observed?.writers;
  return (
    <StatGrid
      items={[
        { label: 'State', value: <StateBadge state={rw.state} /> },
        {
          label: 'Last data',
          value: rw.lastSeen !== undefined ? formatAgo(rw.lastSeen) : MISSING,
          title: formatTime(rw.lastSeen),
        },
        ...(rw.since
          ? [{ label: 'Bad since', value: formatTime(rw.since) }]
          : []),
        ...(writers !== undefined
          ? [
              {
                label: 'Writers',
                value: String(writers),
                title:
                  'Prometheus processes writing under this cluster label (prometheus_build_info)',
              },
            ]
          : []),
        {
          label: 'Why',
          value: rw.reasons.length
            ? rw.reasons.map(reasonTitle).join('; ')
            : 'nothing wrong',
        },
      ]}
    />
  );
}

/** Days to the tenant's limit (fleet capacity), or why there is no forecast. */
function daysToLimit(row: ReconciledCluster, capacity: SourceStatus): string {
  const words = forecastWords(row.receive);
  if (words) return `${words.days} (${words.detail})`;
  return missingBecause(capacity) ?? 'no head series for the tenant';
}

function ReceivePart({
  row,
  capacity,
}: {
  row: ReconciledCluster;
  capacity: SourceStatus;
}) {
  const r = row.receive!;
  let routed = MISSING;
  if (r.routed !== undefined) routed = r.routed ? 'yes' : 'no';
  return (
    <StatGrid
      items={[
        { label: 'Tenant', value: <code>{r.tenant}</code> },
        {
          label: 'Routed',
          value: `${routed}${r.hashring ? ` (hashring ${r.hashring})` : ''}`,
        },
        { label: 'Head series', value: formatCount(r.headSeries) },
        { label: 'Limit', value: r.limit ? formatCount(r.limit) : 'none' },
        {
          label: 'Used',
          value:
            r.limit && r.headSeries !== undefined
              ? formatPercent(r.headSeries / r.limit)
              : MISSING,
          title:
            'Head series (every replica copy, as the limiter counts) / limit',
        },
        {
          label: 'Days to limit',
          value: daysToLimit(row, capacity),
          title:
            "At the last week's growth (else the day's), from the fleet capacity",
        },
      ]}
    />
  );
}

function PodsPart({ row }: { row: ReconciledCluster }) {
  const p = row.agentPods!;
  return (
    <StatGrid
      items={[
        { label: 'Ready', value: `${p.ready} of ${p.total}` },
        { label: 'Kubernetes cluster', value: p.kubernetesCluster },
      ]}
    />
  );
}

/** The joined row of one cluster: its state and reasons, the likely cause, then every source's part. */
export function ReconcileDetails({ data }: { data: EntityReconciled }) {
  const row = data.cluster;
  const { sources } = data;
  const section = { sources };
  return (
    <>
      <StateHeader state={row.state}>
        cluster <strong>{row.cluster}</strong> on Thanos instance{' '}
        <strong>{data.instance}</strong>
        {row.knownFrom.length > 0 &&
          ` · known to ${row.knownFrom.map(s => SOURCE_LABELS[s]).join(', ')}`}
      </StateHeader>
      <SourceNotices sources={sources} />
      <ReasonList reasons={row.reasons} />
      {row.changedBy && <ChangedBy sync={row.changedBy} />}
      {data.fleetReasons.length > 0 && (
        <>
          <Text as="h3" variant="body-medium" weight="bold">
            About the fleet
          </Text>
          <ReasonList reasons={data.fleetReasons} label="Fleet reasons" />
        </>
      )}
      <SourceSection
        {...section}
        title="Catalog"
        source="catalog"
        present={Boolean(row.catalog)}
        absent="Not in the catalog."
      >
        {row.catalog && <CatalogPart row={row} />}
      </SourceSection>
      <SourceSection
        {...section}
        title="GitOps overlay"
        source="gitops"
        present={Boolean(row.overlay)}
        absent={`No overlay under deploy/overlays/${row.cluster}/.`}
      >
        {row.overlay && <OverlayPart row={row} />}
      </SourceSection>
      <SourceSection
        {...section}
        title="ArgoCD applications"
        source="argocd"
        present={row.argocd.length > 0}
        absent="No ArgoCD Application deploys this cluster's overlay."
      >
        <ul
          aria-label="Applications deploying this cluster"
          style={{ listStyle: 'none', padding: 0, margin: 0 }}
        >
          {row.argocd.map(app => (
            <AppRow key={`${app.instance}/${app.name}`} app={app} />
          ))}
        </ul>
      </SourceSection>
      <SourceSection
        {...section}
        title="Remote write"
        source="remote-write"
        present={Boolean(row.remoteWrite)}
        absent="No remote-write metrics of this cluster reached Thanos."
      >
        {row.remoteWrite && <RemoteWritePart row={row} />}
      </SourceSection>
      <SourceSection
        {...section}
        title="Thanos Receive tenant"
        source="receive"
        present={Boolean(row.receive)}
        absent="No Receive tenant is known for this cluster."
      >
        {row.receive && (
          <ReceivePart
            row={row}
            capacity={sourceStatusOf(sources, 'capacity')}
          />
        )}
      </SourceSection>
      <SourceSection
        {...section}
        title="Agent pods"
        source="kubernetes"
        present={Boolean(row.agentPods)}
        absent="No agent pod seen: no Kubernetes cluster of this name is configured, or it runs none."
      >
        {row.agentPods && <PodsPart row={row} />}
      </SourceSection>
      <Text as="p" variant="body-x-small" color="secondary">
        Joined {formatTime(data.generatedAt)}
      </Text>
    </>
  );
}

/**
 * One cluster, reconciled: its catalog Resource and owner, its overlay in the GitOps repository,
 * the ArgoCD Applications that deploy it, its remote write, its Receive tenant and limit and its
 * agent pods, in one card, with the ghosts, gaps and drift between them named as reasons.
 */
export function ReconcileCard() {
  return (
    <EntityHealthCard
      title="Reconciliation"
      subheader="Catalog, GitOps overlay, ArgoCD, remote write, Receive and pods, joined"
      isAvailable={isReconcileAvailable}
      annotation={CLUSTER_ANNOTATION}
      load={(api, ref) => api.getEntityReconciled(ref)}
      render={data => <ReconcileDetails data={data} />}
      renderError={error =>
        // A backend without the reconciliation route answers 404 with no upstream: not served, not broken.
        statusOfError(error) === 404 && !upstreamOfError(error) ? (
          <Alert
            status="info"
            icon
            title="Reconciliation is not available"
            description={
              <>
                The Fleet Monitoring backend does not serve the reconciled fleet
                here ({backendMessage(error)}).
              </>
            }
          />
        ) : undefined
      }
    />
  );
}

import { memo, useMemo, type ReactElement } from 'react';
import { Cell, CellText, Table, Text, type ColumnConfig } from '@backstage/ui';
import {
  catalogInfoSnippet,
  RECONCILE_SOURCES,
  type ReconciledCluster,
  type ReconciledFleet,
  type ReconciledReceive,
  type ReconcileSourceName,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  forecastWords,
  formatCount,
  formatPercent,
  MISSING,
  ownerName,
  sourceStatusOf,
  StateBadge,
  type SourceStatus,
} from '../common';
import type { ReconciledFleetQuery } from '../../api';
import type { ClusterLink } from './clusterLink';
import { ReasonLinks } from './ReasonLinks';
import { serverPagination } from './pagination';
import type { UpdateFleetView } from './useFleetView';

type Row = ReconciledCluster & { id: string };
type Statuses = Record<ReconcileSourceName, SourceStatus>;

/**
 * A source's cell: its value, or why there is none. A failed source is "unknown" (its columns are
 * left out of every row, which must not read as "none"); one not configured is a dash.
 */
function SourceCell(props: {
  status: SourceStatus;
  present: boolean;
  absent: string;
  /** The value's cell (a Cell or CellText: a table cell must be one at the top). */
  children?: ReactElement | false;
}) {
  if (props.present && props.children) return props.children;
  if (props.status === 'failed')
    return <CellText title="unknown" description="source could not be read" />;
  if (props.status === 'not-configured')
    return <CellText title={MISSING} description="not configured" />;
  return <CellText title={props.absent} />;
}

/**
 * A cluster without a catalog Resource: no entity page to link. One that sends metrics gets the
 * catalog-info.yaml that registers it, folded so the row stays one line.
 */
function GhostCell({ row }: { row: ReconciledCluster }) {
  const sending = row.reasons.some(r => r.id === 'reconcile-not-in-catalog');
  return (
    <Cell>
      <Text as="p">{row.cluster}</Text>
      <Text as="p" variant="body-x-small" color="secondary">
        no catalog entity
      </Text>
      {sending && (
        <details>
          <summary>
            <Text variant="body-x-small">catalog-info.yaml</Text>
          </summary>
          <pre
            aria-label={`catalog-info.yaml for ${row.cluster}`}
            style={{
              margin: 'var(--bui-space-1) 0',
              padding: 'var(--bui-space-2)',
              background: 'var(--bui-bg-neutral-2)',
              fontSize: '0.8em',
            }}
          >
            {catalogInfoSnippet(row.cluster)}
          </pre>
        </details>
      )}
    </Cell>
  );
}

/** The tenant's head series (every replica copy, as the limiter counts) against its limit. */
function SeriesCell({ receive }: { receive: ReconciledReceive }) {
  const series =
    receive.headSeries === undefined
      ? MISSING
      : formatCount(receive.headSeries);
  const limit = receive.limit ? formatCount(receive.limit) : 'no limit';
  const used =
    receive.limit && receive.headSeries !== undefined
      ? formatPercent(receive.headSeries / receive.limit)
      : undefined;
  const routed = receive.routed === false ? 'not routed' : undefined;
  return (
    <CellText
      title={`${series} / ${limit}`}
      description={[used, `tenant ${receive.tenant}`, routed]
        .filter(Boolean)
        .join(' · ')}
    />
  );
}

/**
 * Days until the tenant reaches its head-series limit, with the forecast's confidence. Without a
 * forecast: unknown when the fleet capacity failed, else why there is none.
 */
function ForecastCell({
  receive,
  status,
}: {
  receive?: ReconciledReceive;
  status: SourceStatus;
}) {
  const words = forecastWords(receive);
  if (words) return <CellText title={words.days} description={words.detail} />;
  if (status === 'failed')
    return (
      <CellText
        title="unknown"
        description="fleet capacity could not be read"
      />
    );
  if (status === 'not-configured' || !receive)
    return <CellText title={MISSING} />;
  return (
    <CellText title={MISSING} description="no head series for the tenant" />
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function columns(clusterLink: ClusterLink, s: Statuses): ColumnConfig<Row>[] {
  return [
    {
      id: 'cluster',
      label: 'Cluster',
      isRowHeader: true,
      // Ten columns share the width: the name people look for and the reasons get more of it.
      defaultWidth: '1.5fr',
      minWidth: 150,
      cell: c =>
        c.catalog ? (
          <CellText
            title={c.cluster}
            href={clusterLink(c.cluster, c.catalog.entityRef)}
          />
        ) : (
          <GhostCell row={c} />
        ),
    },
    {
      id: 'state',
      label: 'State',
      minWidth: 110,
      cell: c => (
        <Cell>
          <StateBadge state={c.state} />
        </Cell>
      ),
    },
    {
      id: 'owner',
      label: 'Owner',
      cell: c => (
        <SourceCell
          status={s.catalog}
          present={Boolean(c.catalog)}
          absent="not in catalog"
        >
          <CellText
            title={c.catalog?.owner ? ownerName(c.catalog.owner) : MISSING}
          />
        </SourceCell>
      ),
    },
    {
      id: 'overlay',
      label: 'Overlay',
      cell: c => (
        <SourceCell
          status={s.gitops}
          present={Boolean(c.overlay)}
          absent="none"
        >
          <CellText
            title={c.overlay?.component ?? ''}
            description={[
              c.overlay?.chartVersion && `chart ${c.overlay.chartVersion}`,
              c.overlay?.agentVersion,
              c.overlay?.tenant && `tenant ${c.overlay.tenant}`,
            ]
              .filter(Boolean)
              .join(' · ')}
          />
        </SourceCell>
      ),
    },
    {
      id: 'argocd',
      label: 'ArgoCD',
      cell: c => {
        const [first, ...more] = c.argocd;
        return (
          <SourceCell status={s.argocd} present={Boolean(first)} absent="none">
            {first && (
              <CellText
                title={`${first.syncStatus} · ${first.healthStatus}`}
                description={`${first.name}${more.length ? ` +${plural(more.length, 'more app')}` : ''}`}
              />
            )}
          </SourceCell>
        );
      },
    },
    {
      id: 'remoteWrite',
      label: 'Remote write',
      cell: c => (
        <SourceCell
          status={s['remote-write']}
          present={Boolean(c.remoteWrite)}
          absent="never seen"
        >
          {c.remoteWrite && (
            <Cell>
              <StateBadge state={c.remoteWrite.state} />
            </Cell>
          )}
        </SourceCell>
      ),
    },
    {
      id: 'series',
      label: 'Head series / limit',
      cell: c => (
        <SourceCell
          status={s.receive}
          present={Boolean(c.receive)}
          absent="none"
        >
          {c.receive && <SeriesCell receive={c.receive} />}
        </SourceCell>
      ),
    },
    {
      id: 'daysToLimit',
      label: 'Days to limit',
      cell: c => <ForecastCell receive={c.receive} status={s.capacity} />,
    },
    {
      id: 'pods',
      label: 'Agent pods',
      cell: c => (
        <SourceCell
          status={s.kubernetes}
          present={Boolean(c.agentPods)}
          absent="none seen"
        >
          {c.agentPods && (
            <CellText
              title={`${c.agentPods.ready}/${c.agentPods.total} ready`}
              description={c.agentPods.kubernetesCluster}
            />
          )}
        </SourceCell>
      ),
    },
    {
      id: 'reasons',
      label: 'Reasons',
      defaultWidth: '1.5fr',
      minWidth: 160,
      cell: c => <ReasonLinks reasons={c.reasons} />,
    },
  ];
}

/** Each source's status, for the columns' headers. */
function statusesOf(sources: ReconciledFleet['sources']): Statuses {
  return Object.fromEntries(
    RECONCILE_SOURCES.map(name => [name, sourceStatusOf(sources, name)]),
  ) as Statuses;
}

/**
 * One page of the reconciled fleet as the backend cut it for `applied`. Memoised, with its rows
 * and columns, like the summary's table: a keystroke or a URL change that leaves its props alone
 * does not render 100 rows again.
 */
export const ReconciledTable = memo(function ReconciledTablePage({
  fleet,
  applied,
  update,
  pending,
  pageSize: viewPageSize,
  clusterLink,
}: {
  fleet: ReconciledFleet;
  applied: ReconciledFleetQuery;
  pageSize: number;
  update: UpdateFleetView;
  pending: boolean;
  clusterLink: ClusterLink;
}) {
  const offset = applied.offset ?? 0;
  const pageSize = applied.limit ?? viewPageSize;
  const total = fleet.page.total;
  const rows: Row[] = useMemo(
    () => fleet.clusters.map(c => ({ ...c, id: c.cluster })),
    [fleet],
  );
  const columnConfig = useMemo(
    () => columns(clusterLink, statusesOf(fleet.sources)),
    [clusterLink, fleet.sources],
  );
  const pagination = useMemo(
    () => serverPagination(offset, pageSize, total, update),
    [offset, pageSize, total, update],
  );
  return (
    <div
      role="region"
      aria-label="Reconciled clusters"
      aria-busy={pending}
      // What the rows show right now: tests and the bench wait on these, not on a timer.
      data-applied-query={applied.name ?? ''}
      data-applied-reasons={(applied.reason ?? []).join(',')}
      data-applied-states={(applied.state ?? []).join(',')}
      data-total={total}
    >
      <Text as="p" variant="body-small" color="secondary">
        Clusters known to any source: {total} of {fleet.counts.clusters} shown
      </Text>
      <Table<Row>
        columnConfig={columnConfig}
        data={rows}
        isStale={pending}
        pagination={pagination}
        emptyState={
          <Text as="p">
            {fleet.counts.clusters === 0
              ? 'No source knows a cluster yet.'
              : 'No cluster matches the filter.'}
          </Text>
        }
      />
    </div>
  );
});

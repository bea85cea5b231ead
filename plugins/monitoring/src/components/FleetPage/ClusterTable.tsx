import { memo, useMemo } from 'react';
import {
  Cell,
  CellText,
  Table,
  Text,
  type ColumnConfig,
  type SortDescriptor,
} from '@backstage/ui';
import type {
  ClusterHealth,
  FleetSummary,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  formatAgo,
  formatDuration,
  formatPercent,
  formatRate,
  formatTime,
  STATE_LABELS,
  StateBadge,
} from '../common';
import { ReasonLinks } from './ReasonLinks';
import type { ClusterLink } from './clusterLink';
import type { FleetSummaryQuery } from '../../api';
import type { SortKey } from './fleetView';
import { serverPagination } from './pagination';
import type { UpdateFleetView } from './useFleetView';

type Row = ClusterHealth & { id: string };

/** The table's columns; the cluster name links to its entity page. */
function clusterColumns(clusterLink: ClusterLink): ColumnConfig<Row>[] {
  return [
    {
      id: 'cluster',
      label: 'Cluster',
      isRowHeader: true,
      isSortable: true,
      cell: c => <CellText title={c.cluster} href={clusterLink(c.cluster)} />,
    },
    {
      id: 'state',
      label: 'State',
      isSortable: true,
      cell: c => (
        <Cell>
          <StateBadge state={c.state} />
          {c.lastKnownState && c.lastKnownState !== c.state && (
            <Text as="p" variant="body-x-small" color="secondary">
              last known: {STATE_LABELS[c.lastKnownState]}
            </Text>
          )}
        </Cell>
      ),
    },
    {
      id: 'lag',
      label: 'Lag',
      isSortable: true,
      cell: c => <CellText title={formatDuration(c.stats.lagSeconds)} />,
    },
    {
      id: 'throughput',
      label: 'Samples sent',
      isSortable: true,
      cell: c => <CellText title={formatRate(c.stats.samplesPerSecond)} />,
    },
    {
      id: 'failureRatio',
      label: 'Failure ratio',
      isSortable: true,
      cell: c => <CellText title={formatPercent(c.stats.failureRatio)} />,
    },
    {
      id: 'lastSeen',
      label: 'Last data',
      isSortable: true,
      cell: c => (
        <CellText
          title={formatAgo(c.stats.lastSeen)}
          description={formatTime(c.stats.lastSeen)}
        />
      ),
    },
    {
      id: 'reasons',
      label: 'Reasons',
      cell: c => <ReasonLinks reasons={c.reasons} />,
    },
  ];
}

/**
 * One page of the fleet's clusters as the backend cut it for `applied` (the query of the answer
 * shown; the view may already ask for the next one). Memoised, with its rows and columns: a table
 * of 100 rows costs a long task to render, so a keystroke or a URL change that leaves its props
 * alone must not render it again.
 */
export const ClusterTable = memo(function ClusterTablePage({
  summary,
  applied,
  sortKey,
  descending,
  pageSize: viewPageSize,
  update,
  pending,
  clusterLink,
}: {
  summary: FleetSummary;
  applied: FleetSummaryQuery;
  sortKey: SortKey;
  descending: boolean;
  pageSize: number;
  update: UpdateFleetView;
  pending: boolean;
  clusterLink: ClusterLink;
}) {
  const offset = applied.offset ?? 0;
  const pageSize = applied.limit ?? viewPageSize;
  // A backend answer without `page` is the whole fleet (no paging asked for): cut it here.
  const total = summary.page?.total ?? summary.clusters.length;
  const fleetSize = Object.values(summary.counts).reduce((a, b) => a + b, 0);
  const rows: Row[] = useMemo(
    () =>
      (summary.page
        ? summary.clusters
        : summary.clusters.slice(offset, offset + pageSize)
      ).map(c => ({ ...c, id: c.cluster })),
    [summary, offset, pageSize],
  );
  const columns = useMemo(() => clusterColumns(clusterLink), [clusterLink]);
  const sort = useMemo(
    () => ({
      descriptor: {
        column: sortKey,
        direction: descending ? 'descending' : 'ascending',
      } satisfies SortDescriptor,
      onSortChange: (d: SortDescriptor) =>
        update({
          sort: String(d.column) as SortKey,
          descending: d.direction === 'descending',
          page: 1,
        }),
    }),
    [sortKey, descending, update],
  );
  const pagination = useMemo(
    () => serverPagination(offset, pageSize, total, update),
    [offset, pageSize, total, update],
  );
  return (
    <div
      role="region"
      aria-label="Clusters"
      aria-busy={pending}
      // What the rows show right now: tests and the bench wait on these, not on a timer.
      data-applied-query={applied.name ?? ''}
      data-applied-states={(applied.state ?? []).join(',')}
      data-total={total}
    >
      <Text as="p" variant="body-small" color="secondary">
        Clusters of {summary.instance}: {total} of {fleetSize} shown
      </Text>
      <Table<Row>
        columnConfig={columns}
        data={rows}
        isStale={pending}
        sort={sort}
        pagination={pagination}
        emptyState={
          <Text as="p">
            {fleetSize === 0
              ? 'No cluster has sent remote-write metrics to this instance in the last hour.'
              : 'No cluster matches the filter.'}
          </Text>
        }
      />
    </div>
  );
});

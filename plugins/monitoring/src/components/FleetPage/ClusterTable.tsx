import { useMemo } from 'react';
import {
  Cell,
  CellText,
  Flex,
  Link,
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
  reasonDocsUrl,
  reasonTitle,
  STATE_LABELS,
  StateBadge,
  useDocsBaseUrl,
} from '../common';
import type { ClusterLink } from './clusterLink';
import {
  filterClusters,
  PAGE_SIZES,
  pageOf,
  sortClusters,
  type FleetView,
  type SortKey,
} from './fleetView';
import type { UpdateFleetView } from './useFleetView';

type Row = ClusterHealth & { id: string };

function ReasonsCell({ cluster }: { cluster: ClusterHealth }) {
  const docsBase = useDocsBaseUrl();
  if (cluster.reasons.length === 0) return <CellText title="—" />;
  return (
    <Cell>
      <Flex direction="column" gap="0.5">
        {cluster.reasons.map(r => (
          <Link
            key={r.id}
            href={reasonDocsUrl(docsBase, r.id) ?? docsBase}
            title={r.message}
            variant="body-small"
          >
            {reasonTitle(r.id)}
          </Link>
        ))}
      </Flex>
    </Cell>
  );
}

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
      cell: c => <ReasonsCell cluster={c} />,
    },
  ];
}

/** One page of the fleet's clusters, sorted and filtered as the view says. */
export function ClusterTable({
  summary,
  view,
  update,
  pending,
  clusterLink,
}: {
  summary: FleetSummary;
  view: FleetView;
  update: UpdateFleetView;
  pending: boolean;
  clusterLink: ClusterLink;
}) {
  // Sorting 10,000 clusters happens once per summary and sort order, not per keystroke.
  const sorted = useMemo(
    () => sortClusters(summary.clusters, view.sort, view.descending),
    [summary.clusters, view.sort, view.descending],
  );
  const filtered = useMemo(
    () => filterClusters(sorted, view.query, view.states),
    [sorted, view.query, view.states],
  );
  const page = pageOf(filtered, view.page, view.pageSize);
  const rows: Row[] = page.rows.map(c => ({ ...c, id: c.cluster }));
  const columns = clusterColumns(clusterLink);
  const sort: SortDescriptor = {
    column: view.sort,
    direction: view.descending ? 'descending' : 'ascending',
  };
  return (
    <div
      role="region"
      aria-label="Clusters"
      aria-busy={pending}
      // What the rows show right now: tests and the bench wait on these, not on a timer.
      data-applied-query={view.query}
      data-applied-states={view.states.join(',')}
      data-total={page.total}
    >
      <Text as="p" variant="body-small" color="secondary">
        Clusters of {summary.instance}: {page.total} of{' '}
        {summary.clusters.length} shown
      </Text>
      <Table<Row>
        columnConfig={columns}
        data={rows}
        isStale={pending}
        sort={{
          descriptor: sort,
          onSortChange: d =>
            update({
              sort: String(d.column) as SortKey,
              descending: d.direction === 'descending',
              page: 1,
            }),
        }}
        pagination={{
          type: 'page',
          pageSize: view.pageSize,
          pageSizeOptions: [...PAGE_SIZES],
          offset: (page.page - 1) * view.pageSize,
          totalCount: page.total,
          hasNextPage: page.page < page.pageCount,
          hasPreviousPage: page.page > 1,
          onNextPage: () => update({ page: page.page + 1 }),
          onPreviousPage: () => update({ page: page.page - 1 }),
          onPageSizeChange: size => update({ pageSize: size, page: 1 }),
        }}
        emptyState={
          <Text as="p">
            {summary.clusters.length === 0
              ? 'No cluster has sent remote-write metrics to this instance in the last hour.'
              : 'No cluster matches the filter.'}
          </Text>
        }
      />
    </div>
  );
}

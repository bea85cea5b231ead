import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useState,
} from 'react';
// MUI only for the icon: @backstage/ui ships no icon set of its own.
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  Alert,
  ButtonIcon,
  Cell,
  CellText,
  Container,
  Flex,
  Link,
  SearchField,
  Select,
  Table,
  Text,
  ToggleButton,
  ToggleButtonGroup,
  type ColumnConfig,
  type SortDescriptor,
} from '@backstage/ui';
// The legacy page frame (Page/Header/Content, MUI inside) only for legacy apps: in the new frontend
// system the PageBlueprint draws the header.
import { Content, Header, Page } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type {
  ClusterHealth,
  FleetSummary,
  HealthState,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef } from '../../api';
import {
  DemoNotice,
  describeUpstream,
  formatAgo,
  formatDuration,
  formatPercent,
  formatRate,
  formatTime,
  Loading,
  reasonDocsUrl,
  reasonTitle,
  RequestErrorNotice,
  STATE_LABELS,
  StateBadge,
  StateIcon,
  UpstreamErrorNotice,
  useDocsBaseUrl,
} from '../common';
import {
  filterClusters,
  PAGE_SIZES,
  pageOf,
  sortClusters,
  STATES_WORST_FIRST,
  viewFromSearch,
  viewToSearch,
  type FleetView,
  type SortKey,
} from './fleetView';

/**
 * Link to a cluster's Resource entity page through the catalog's entity route; the catalog's
 * default path when the app has no catalog route bound (useRouteRef throws after running its hooks).
 */
function useClusterLink(): (cluster: string) => string {
  let route:
    | ((params: { kind: string; namespace: string; name: string }) => string)
    | undefined;
  try {
    // useRouteRef always runs all of its own hooks before it throws for an unbound route, so the
    // hook order is the same on every render; the rule flags any hook inside a try block.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    route = useRouteRef(entityRouteRef);
  } catch {
    route = undefined;
  }
  return (cluster: string) =>
    route
      ? route({
          kind: 'resource',
          namespace: 'default',
          name: encodeURIComponent(cluster),
        })
      : `/catalog/default/resource/${encodeURIComponent(cluster)}`;
}

type Row = ClusterHealth & { id: string };

/**
 * The fleet view lives in the URL (shareable link); the name filter is also kept locally so typing
 * stays instant, and the table follows a deferred copy of it: React renders the keystroke first
 * and the (cheap, one-page) table after, so the tab never freezes at 10,000 clusters.
 */
function useFleetView() {
  const [params, setParams] = useAppSearchParams();
  const view = useMemo(() => viewFromSearch(params), [params]);
  const [query, setQuery] = useState(view.query);
  const appliedQuery = useDeferredValue(query);
  const update = useCallback(
    (change: Partial<FleetView>, options?: { replace?: boolean }) =>
      setParams(
        prev => viewToSearch({ ...viewFromSearch(prev), ...change }, prev),
        options,
      ),
    [setParams],
  );
  useEffect(() => {
    if (appliedQuery !== view.query)
      update({ query: appliedQuery, page: 1 }, { replace: true });
  }, [appliedQuery, view.query, update]);
  return {
    view: { ...view, query: appliedQuery },
    query,
    setQuery,
    update,
    instance: params.get('instance') ?? undefined,
    setInstance: (instance: string) =>
      setParams(prev => {
        const next = new URLSearchParams(prev);
        next.set('instance', instance);
        next.delete('page');
        return next;
      }),
  };
}

function StateFilter(props: {
  summary: FleetSummary;
  selected: HealthState[];
  onChange: (states: HealthState[]) => void;
}) {
  return (
    <ToggleButtonGroup
      aria-label="Filter by state"
      selectionMode="multiple"
      selectedKeys={props.selected}
      onSelectionChange={keys =>
        props.onChange(
          STATES_WORST_FIRST.filter(s => (keys as Set<string>).has(s)),
        )
      }
    >
      {STATES_WORST_FIRST.map(s => (
        <ToggleButton
          key={s}
          id={s}
          size="small"
          iconStart={<StateIcon state={s} />}
          aria-label={`${STATE_LABELS[s]}: ${props.summary.counts?.[s] ?? 0}`}
        >
          {STATE_LABELS[s]} {props.summary.counts?.[s] ?? 0}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}

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

function ClusterTable({
  summary,
  view,
  update,
  pending,
}: {
  summary: FleetSummary;
  view: FleetView;
  update: (change: Partial<FleetView>) => void;
  pending: boolean;
}) {
  const clusterLink = useClusterLink();
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
  const columns: ColumnConfig<Row>[] = [
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

/** Every cluster of a Thanos instance, with its remote-write state: worst first, filterable, paged. */
export function FleetContent() {
  const api = useApi(fleetMonitoringApiRef);
  const instances = useAsync(() => api.getInstances(), [api]);
  const {
    view,
    query,
    setQuery,
    update,
    instance: chosen,
    setInstance,
  } = useFleetView();
  const names = useMemo(() => instances.value?.thanos ?? [], [instances.value]);
  const instance =
    chosen && names.some(n => n.name === chosen) ? chosen : names[0]?.name;
  const summary = useAsyncRetry(
    async () => (instance ? api.getFleetSummary(instance) : undefined),
    [api, instance],
  );

  if (instances.loading) return <Loading />;
  if (instances.error) return <RequestErrorNotice error={instances.error} />;
  if (names.length === 0) {
    return (
      <Alert
        status="warning"
        icon
        title="No Thanos instance is configured"
        description="Add one under fleetMonitoring.thanos in app-config.yaml, e.g. { name: central, baseUrl: http://thanos-query.monitoring:10902 }."
      />
    );
  }
  return (
    <Flex direction="column" gap="3">
      <Flex justify="between" align="end" style={{ flexWrap: 'wrap' }} gap="3">
        <Text as="h2" variant="title-small">
          Remote-write health of every cluster
        </Text>
        <Flex align="end" gap="2">
          <DemoNotice />
          {names.length > 1 && (
            <Select
              label="Thanos instance"
              options={names.map(n => ({
                id: n.name,
                label: n.title ?? n.name,
              }))}
              selectedKey={instance}
              onSelectionChange={key => key && setInstance(String(key))}
            />
          )}
          <ButtonIcon
            aria-label="Refresh fleet"
            variant="secondary"
            icon={<RefreshIcon fontSize="small" />}
            onPress={summary.retry}
            isDisabled={summary.loading}
          />
        </Flex>
      </Flex>
      {summary.loading && !summary.value && (
        <Loading label="Loading the fleet" />
      )}
      {summary.error && <RequestErrorNotice error={summary.error} />}
      {summary.value && !summary.error && (
        <>
          {summary.value.error && (
            <UpstreamErrorNotice error={summary.value.error} />
          )}
          {summary.value.stale && (
            <Alert
              status="warning"
              icon
              title={`Showing the last known fleet, ${formatDuration(summary.value.stale.ageSeconds)} old`}
              description={`${describeUpstream(summary.value.stale.upstream)} failed just now; every cluster is shown as Unknown with its last known state.`}
            />
          )}
          <Flex gap="3" align="end" style={{ flexWrap: 'wrap' }}>
            <SearchField
              aria-label="Filter clusters by name"
              placeholder="Filter by cluster name"
              value={query}
              onChange={setQuery}
              size="small"
            />
            <StateFilter
              summary={summary.value}
              selected={view.states}
              onChange={states => update({ states, page: 1 })}
            />
          </Flex>
          <Text as="p" variant="body-x-small" color="secondary">
            Thanos instance {summary.value.instance}, computed{' '}
            {formatTime(summary.value.generatedAt)}
          </Text>
          <ClusterTable
            summary={summary.value}
            view={view}
            update={update}
            pending={query !== view.query}
          />
        </>
      )}
    </Flex>
  );
}

/** The fleet page: {@link FleetContent}, with Backstage's page header unless the app draws one. */
export function FleetPage(props: { title?: string; noHeader?: boolean }) {
  if (props.noHeader) {
    return (
      <Container py="4">
        <FleetContent />
      </Container>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title={props.title ?? 'Fleet monitoring'}
        subtitle="Prometheus agents → Thanos Receive"
      />
      <Content>
        <FleetContent />
      </Content>
    </Page>
  );
}

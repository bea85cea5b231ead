import { useEffect, useMemo, useRef } from 'react';
// MUI only for the icon: @backstage/ui ships no icon set of its own.
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  Alert,
  ButtonIcon,
  Flex,
  SearchField,
  Select,
  Text,
} from '@backstage/ui';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type {
  FleetSummary,
  InstancesResponse,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef, type FleetSummaryQuery } from '../../api';
import {
  DemoNotice,
  describeUpstream,
  formatDuration,
  formatTime,
  LiveStatus,
  Loading,
  RefreshFailedBanner,
  RequestErrorNotice,
  UpstreamErrorNotice,
  useLiveRequest,
} from '../common';
import { ClusterTable } from './ClusterTable';
import type { ClusterLink } from './clusterLink';
import { pageCountOf, pageQuery } from './fleetView';
import { StateFilter } from './StateFilter';
import { useFleetView } from './useFleetView';

/** A page of the fleet and the query it answers. */
interface FleetAnswer {
  query: FleetSummaryQuery;
  summary: FleetSummary;
}

/** Heading, instance picker and refresh button. */
function FleetToolbar(props: {
  instances: InstancesResponse['thanos'];
  instance: string | undefined;
  onInstance: (name: string) => void;
  onRefresh: () => void;
  loading: boolean;
  fetchedAt?: number;
}) {
  return (
    <Flex justify="between" align="end" style={{ flexWrap: 'wrap' }} gap="3">
      <Text as="h2" variant="title-small">
        Remote-write health of every cluster
      </Text>
      <Flex align="end" gap="2">
        <DemoNotice />
        <LiveStatus fetchedAt={props.fetchedAt} what="the fleet" />
        {props.instances.length > 1 && (
          <Select
            label="Thanos instance"
            options={props.instances.map(n => ({
              id: n.name,
              label: n.title ?? n.name,
            }))}
            selectedKey={props.instance}
            onSelectionChange={key => key && props.onInstance(String(key))}
          />
        )}
        <ButtonIcon
          aria-label="Refresh fleet"
          variant="secondary"
          icon={<RefreshIcon fontSize="small" />}
          onPress={props.onRefresh}
          isDisabled={props.loading}
        />
      </Flex>
    </Flex>
  );
}

/** One instance's fleet: its notices, the filters and the table. */
function FleetSummaryView(props: {
  answer: FleetAnswer;
  /** True while the page shown is not yet the one the view asks for. */
  loading: boolean;
  fleetView: ReturnType<typeof useFleetView>;
  clusterLink: ClusterLink;
}) {
  const { clusterLink } = props;
  const { summary, query: applied } = props.answer;
  const { view, query, setQuery, update } = props.fleetView;
  // A link or a filter can point past the last page: go to the last one there is.
  const total = summary.page?.total;
  useEffect(() => {
    if (total === undefined || summary.clusters.length > 0) return;
    const last = pageCountOf(total, view.pageSize);
    if (view.page > last) update({ page: last }, { replace: true });
  }, [total, summary.clusters.length, view.page, view.pageSize, update]);
  return (
    <>
      {summary.error && <UpstreamErrorNotice error={summary.error} />}
      {summary.stale && (
        <Alert
          status="warning"
          icon
          title={`Showing the last known fleet, ${formatDuration(summary.stale.ageSeconds)} old`}
          description={`${describeUpstream(summary.stale.upstream)} failed just now; every cluster is shown as Unknown with its last known state.`}
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
          summary={summary}
          selected={view.states}
          onChange={states => update({ states, page: 1 })}
        />
      </Flex>
      <Text as="p" variant="body-x-small" color="secondary">
        Thanos instance {summary.instance}, computed{' '}
        {formatTime(summary.generatedAt)}
      </Text>
      <ClusterTable
        summary={summary}
        applied={applied}
        view={view}
        update={update}
        pending={query !== view.query || props.loading}
        clusterLink={clusterLink}
      />
    </>
  );
}

/** Every cluster of a Thanos instance, with its remote-write state: worst first, filterable, paged. */
export function FleetContent(props: { clusterLink: ClusterLink }) {
  const api = useApi(fleetMonitoringApiRef);
  const instances = useAsync(() => api.getInstances(), [api]);
  const fleetView = useFleetView();
  const names = useMemo(() => instances.value?.thanos ?? [], [instances.value]);
  const chosen = fleetView.instance;
  const instance =
    chosen && names.some(n => n.name === chosen) ? chosen : names[0]?.name;
  // The backend filters, sorts and pages: each view asks for its page (and the whole fleet's
  // counts), never for the fleet.
  const query = pageQuery(fleetView.view);
  const queryKey = JSON.stringify(query);
  const summary = useLiveRequest<FleetAnswer>(
    async () => ({
      query,
      summary: await api.getFleetSummary(instance!, query),
    }),
    [api, instance, queryKey],
    instance !== undefined,
  );
  // While the next page loads, the last one stays (same instance): filters keep focus, no flash.
  const last = useRef<{ instance?: string; answer: FleetAnswer }>();
  if (summary.value) last.current = { instance, answer: summary.value };
  const shown =
    summary.value ??
    (last.current?.instance === instance ? last.current?.answer : undefined);

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
      <FleetToolbar
        instances={names}
        instance={instance}
        onInstance={fleetView.setInstance}
        onRefresh={summary.retry}
        loading={summary.loading}
        fetchedAt={summary.fetchedAt}
      />
      {summary.loading && !shown && <Loading label="Loading the fleet" />}
      {summary.error && !summary.value && (
        <RequestErrorNotice error={summary.error} />
      )}
      {summary.error && summary.value && (
        <RefreshFailedBanner fetchedAt={summary.fetchedAt} />
      )}
      {shown && !(summary.error && !summary.value) && (
        <FleetSummaryView
          answer={shown}
          loading={!summary.value}
          fleetView={fleetView}
          clusterLink={props.clusterLink}
        />
      )}
    </Flex>
  );
}

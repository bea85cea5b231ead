import { useEffect, useMemo } from 'react';
import { Alert, Flex, SearchField, Text } from '@backstage/ui';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type { FleetSummary } from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef, type FleetSummaryQuery } from '../../api';
import {
  describeUpstream,
  formatDuration,
  formatTime,
  Loading,
  RequestErrorNotice,
  UpstreamErrorNotice,
} from '../common';
import { ClusterTable } from './ClusterTable';
import type { ClusterLink } from './clusterLink';
import {
  FleetRequestStates,
  FleetToolbar,
  type FleetViewProps,
} from './FleetToolbar';
import { pageCountOf, pageQuery, type FleetMode } from './fleetView';
import { ReconciledFleetView } from './ReconciledFleet';
import { StateFilter } from './StateFilter';
import { useFleetAnswer, type FleetAnswer } from './useFleetAnswer';
import { useFleetView } from './useFleetView';

type SummaryAnswer = FleetAnswer<FleetSummaryQuery, FleetSummary>;

/** One instance's remote-write summary: its notices, the filters and the table. */
function FleetSummaryView(props: {
  answer: SummaryAnswer;
  /** True while the page shown is not yet the one the view asks for. */
  loading: boolean;
  fleetView: ReturnType<typeof useFleetView>;
  clusterLink: ClusterLink;
}) {
  const { clusterLink } = props;
  const { value: summary, query: applied } = props.answer;
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
          counts={summary.counts}
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
        sortKey={view.sort}
        descending={view.descending}
        pageSize={view.pageSize}
        update={update}
        pending={query !== view.query || props.loading}
        clusterLink={clusterLink}
      />
    </>
  );
}

/** The remote-write summary of every cluster: worst first, filterable, paged on the server. */
function RemoteWriteFleetView(props: FleetViewProps) {
  const api = useApi(fleetMonitoringApiRef);
  const { fleetView, instance } = props;
  // The backend filters, sorts and pages: each view asks for its page (and the whole fleet's
  // counts), never for the fleet.
  const { request, shown } = useFleetAnswer(
    instance,
    pageQuery(fleetView.view),
    (name, query) => api.getFleetSummary(name, query),
    [api],
  );
  return (
    <Flex direction="column" gap="3">
      <FleetToolbar
        mode="remote-write"
        onMode={props.onMode}
        instances={props.instances}
        instance={instance}
        onInstance={fleetView.setInstance}
        onRefresh={request.retry}
        loading={request.loading}
        fetchedAt={request.fetchedAt}
      />
      <FleetRequestStates request={request} shown={shown}>
        {shown && (
          <FleetSummaryView
            answer={shown}
            loading={!request.value}
            fleetView={fleetView}
            clusterLink={props.clusterLink}
          />
        )}
      </FleetRequestStates>
    </Flex>
  );
}

/**
 * Every cluster of a Thanos instance, in one of two views: its remote-write state (the summary) or
 * every source joined (the reconciled fleet). Each view asks its own route for one page.
 */
export function FleetContent(props: { clusterLink: ClusterLink }) {
  const api = useApi(fleetMonitoringApiRef);
  const instances = useAsync(() => api.getInstances(), [api]);
  const fleetView = useFleetView();
  const names = useMemo(() => instances.value?.thanos ?? [], [instances.value]);
  const chosen = fleetView.instance;
  const instance =
    chosen && names.some(n => n.name === chosen) ? chosen : names[0]?.name;
  // Reason filters belong to the reconciled view; a switch starts at the first page.
  const onMode = (mode: FleetMode) =>
    fleetView.update({ mode, reasons: [], page: 1 });

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
  const viewProps: FleetViewProps = {
    instances: names,
    instance,
    fleetView,
    clusterLink: props.clusterLink,
    onMode,
  };
  return fleetView.view.mode === 'reconciled' ? (
    <ReconciledFleetView {...viewProps} />
  ) : (
    <RemoteWriteFleetView {...viewProps} />
  );
}

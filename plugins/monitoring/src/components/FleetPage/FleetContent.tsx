import { useMemo } from 'react';
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
import { fleetMonitoringApiRef } from '../../api';
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
import { StateFilter } from './StateFilter';
import { useFleetView } from './useFleetView';

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
  summary: FleetSummary;
  fleetView: ReturnType<typeof useFleetView>;
  clusterLink: ClusterLink;
}) {
  const { summary, clusterLink } = props;
  const { view, query, setQuery, update } = props.fleetView;
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
        view={view}
        update={update}
        pending={query !== view.query}
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
  const summary = useLiveRequest(
    () => api.getFleetSummary(instance!),
    [api, instance],
    instance !== undefined,
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
      <FleetToolbar
        instances={names}
        instance={instance}
        onInstance={fleetView.setInstance}
        onRefresh={summary.retry}
        loading={summary.loading}
        fetchedAt={summary.fetchedAt}
      />
      {summary.loading && !summary.value && (
        <Loading label="Loading the fleet" />
      )}
      {summary.error && !summary.value && (
        <RequestErrorNotice error={summary.error} />
      )}
      {summary.error && summary.value && (
        <RefreshFailedBanner fetchedAt={summary.fetchedAt} />
      )}
      {summary.value && (
        <FleetSummaryView
          summary={summary.value}
          fleetView={fleetView}
          clusterLink={props.clusterLink}
        />
      )}
    </Flex>
  );
}

import { useEffect } from 'react';
import { Flex, SearchField, Text } from '@backstage/ui';
import { useApi } from '@backstage/core-plugin-api';
import type {
  ReconciledFleet,
  ReconcileSourceStatus,
} from '@fleet-monitoring/plugin-monitoring-common';
import { fleetMonitoringApiRef, type ReconciledFleetQuery } from '../../api';
import {
  formatTime,
  ReasonList,
  SOURCE_LABELS,
  UpstreamErrorNotice,
} from '../common';
import {
  FleetRequestStates,
  FleetToolbar,
  type FleetViewProps,
} from './FleetToolbar';
import { pageCountOf, reconciledQuery } from './fleetView';
import { ReasonFilter } from './ReasonFilter';
import { ReconciledTable } from './ReconciledTable';
import { StateFilter } from './StateFilter';
import { useFleetAnswer, type FleetAnswer } from './useFleetAnswer';

/** Sources that failed (each with its error) and the ones not configured, in one line. */
function SourceNotices({ sources }: { sources: ReconcileSourceStatus[] }) {
  const off = sources.filter(s => s.status === 'not-configured');
  return (
    <>
      {sources
        .filter(s => s.status === 'failed' && s.error)
        .map(s => (
          <UpstreamErrorNotice key={s.source} error={s.error!} />
        ))}
      {off.length > 0 && (
        <Text as="p" variant="body-x-small" color="secondary">
          Not configured in the backend:{' '}
          {off.map(s => SOURCE_LABELS[s.source]).join(', ')}.
        </Text>
      )}
    </>
  );
}

function ReconciledBody(props: {
  answer: FleetAnswer<ReconciledFleetQuery, ReconciledFleet>;
  loading: boolean;
  fleetView: FleetViewProps['fleetView'];
  clusterLink: FleetViewProps['clusterLink'];
}) {
  const { value: fleet, query: applied } = props.answer;
  const { view, query, setQuery, update } = props.fleetView;
  // A link or a filter can point past the last page: go to the last one there is.
  const total = fleet.page.total;
  useEffect(() => {
    if (fleet.clusters.length > 0) return;
    const last = pageCountOf(total, view.pageSize);
    if (view.page > last) update({ page: last }, { replace: true });
  }, [total, fleet.clusters.length, view.page, view.pageSize, update]);
  return (
    <>
      <SourceNotices sources={fleet.sources} />
      <ReasonList reasons={fleet.fleetReasons} label="Fleet reasons" />
      <Flex gap="3" align="end" style={{ flexWrap: 'wrap' }}>
        <SearchField
          aria-label="Filter clusters by name"
          placeholder="Filter by cluster name"
          value={query}
          onChange={setQuery}
          size="small"
        />
        <StateFilter
          counts={fleet.counts.states}
          selected={view.states}
          onChange={states => update({ states, page: 1 })}
        />
      </Flex>
      <ReasonFilter
        counts={fleet.counts.reasons}
        selected={view.reasons}
        onChange={reasons => update({ reasons, page: 1 })}
      />
      <Text as="p" variant="body-x-small" color="secondary">
        Thanos instance {fleet.instance}, joined {formatTime(fleet.generatedAt)}
      </Text>
      <ReconciledTable
        fleet={fleet}
        applied={applied}
        pageSize={view.pageSize}
        update={update}
        pending={query !== view.query || props.loading}
        clusterLink={props.clusterLink}
      />
    </>
  );
}

/**
 * One row per cluster known to any source (catalog, GitOps overlays, ArgoCD, remote write,
 * Receive, Kubernetes), filterable by reason (ghosts, broke after a sync, ...), paged on the server.
 */
export function ReconciledFleetView(props: FleetViewProps) {
  const api = useApi(fleetMonitoringApiRef);
  const { fleetView, instance } = props;
  const { request, shown } = useFleetAnswer(
    instance,
    reconciledQuery(fleetView.view),
    (name, query) => api.getReconciledFleet(name, query),
    [api],
  );
  return (
    <Flex direction="column" gap="3">
      <FleetToolbar
        mode="reconciled"
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
          <ReconciledBody
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

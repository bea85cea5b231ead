import { Flex } from '@backstage/ui';
import {
  CLUSTER_ANNOTATION,
  isRemoteWriteAvailable,
  type ClusterDetail,
  type ReasonId,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  formatAgo,
  formatDuration,
  formatNumber,
  formatRate,
  formatTime,
  ReasonList,
  TimeSeriesChart,
  StateHeader,
  StatGrid,
  UpstreamErrorNotice,
  EntityHealthCard,
} from '../common';

/** The threshold of a rule that fired, to draw on the graph of the value it is about. */
function firedThreshold(
  detail: ClusterDetail,
  id: ReasonId,
): number | undefined {
  return detail.reasons.find(r => r.id === id && r.threshold !== undefined)
    ?.threshold;
}

export interface RemoteWriteCardProps {
  /** Seconds of history in the graphs. Default 3600. */
  rangeSeconds?: number;
}

function shardsText(d: ClusterDetail): string {
  const { shards, desiredShards, maxShards } = d.stats;
  if (shards === undefined && desiredShards === undefined) return '—';
  const max =
    maxShards !== undefined ? ` (max ${formatNumber(maxShards)})` : '';
  return `${formatNumber(shards)} of ${formatNumber(desiredShards)} desired${max}`;
}

export function RemoteWriteDetails({ detail }: { detail: ClusterDetail }) {
  const s = detail.stats;
  const failures = detail.series.failedPerSecond;
  const retries = detail.series.retriedPerSecond;
  // Retries without failures: the receiver recovered, show what the agent did meanwhile.
  const showRetries =
    retries.some(p => p[1] > 0) && !failures.some(p => p[1] > 0);
  return (
    <>
      <StateHeader state={detail.state}>
        cluster <strong>{detail.cluster}</strong> on Thanos instance{' '}
        <strong>{detail.instance}</strong>
      </StateHeader>
      {detail.error && <UpstreamErrorNotice error={detail.error} />}
      <ReasonList reasons={detail.reasons} />
      {!detail.error && (
        <StatGrid
          items={[
            { label: 'Lag', value: formatDuration(s.lagSeconds) },
            { label: 'Samples sent', value: formatRate(s.samplesPerSecond) },
            { label: 'Failed', value: formatRate(s.failedPerSecond) },
            { label: 'Retried', value: formatRate(s.retriedPerSecond) },
            { label: 'Dropped', value: formatRate(s.droppedPerSecond) },
            { label: 'Pending samples', value: formatNumber(s.pendingSamples) },
            { label: 'Shards', value: shardsText(detail) },
            {
              label: 'Last data seen',
              value: formatAgo(s.lastSeen),
              title: formatTime(s.lastSeen),
            },
          ]}
        />
      )}
      {!detail.error && (
        <Flex
          gap="4"
          style={{ flexWrap: 'wrap', marginTop: 'var(--bui-space-2)' }}
          aria-label="Remote-write history"
        >
          <TimeSeriesChart
            label="Lag"
            points={detail.series.lagSeconds}
            format={formatDuration}
            threshold={firedThreshold(detail, 'remote-write-behind')}
          />
          <TimeSeriesChart
            label="Samples sent"
            points={detail.series.samplesPerSecond}
            format={formatRate}
          />
          {showRetries ? (
            <TimeSeriesChart
              label="Retried"
              points={retries}
              format={formatRate}
              threshold={firedThreshold(detail, 'remote-write-retrying')}
            />
          ) : (
            <TimeSeriesChart
              label="Failed"
              points={failures}
              format={formatRate}
            />
          )}
        </Flex>
      )}
    </>
  );
}

/** Remote-write health of the cluster the entity names (`fleet-monitoring.io/cluster`). */
export function RemoteWriteCard(props: RemoteWriteCardProps) {
  return (
    <EntityHealthCard
      title="Remote write"
      subheader="Prometheus agent → Thanos Receive"
      isAvailable={isRemoteWriteAvailable}
      annotation={CLUSTER_ANNOTATION}
      load={(api, ref) =>
        api.getRemoteWrite(ref, { rangeSeconds: props.rangeSeconds })
      }
      render={detail => <RemoteWriteDetails detail={detail} />}
    />
  );
}

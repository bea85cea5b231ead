import type { ReactNode } from 'react';
import { Flex, Text } from '@backstage/ui';
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
  formatShards,
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

/** @public */
export interface RemoteWriteCardProps {
  /** Seconds of history in the graphs. Default 3600. */
  rangeSeconds?: number;
}

type Series = ClusterDetail['series']['samplesPerSecond'];

/**
 * A rate the backend leaves out when it is zero: the chart's latest point when there is one, else 0
 * for a cluster that reports (its data was seen), else missing.
 */
function reportedRate(
  value: number | undefined,
  detail: ClusterDetail,
  series?: Series,
): number | undefined {
  if (value !== undefined) return value;
  const latest = series?.[series.length - 1]?.[1];
  if (latest !== undefined) return latest;
  return detail.stats.lastSeen !== undefined ? 0 : undefined;
}

/** True before the first remote-write sample of the cluster reached Thanos. */
function hasNoDataYet(detail: ClusterDetail): boolean {
  const s = detail.stats;
  return (
    s.lastSeen === undefined &&
    s.samplesPerSecond === undefined &&
    detail.series.samplesPerSecond.length === 0
  );
}

function RemoteWriteStats({ detail }: { detail: ClusterDetail }) {
  const s = detail.stats;
  const rate = (v: number | undefined, series?: Series) =>
    formatRate(reportedRate(v, detail, series));
  return (
    <StatGrid
      items={[
        { label: 'Lag', value: formatDuration(s.lagSeconds) },
        {
          label: 'Samples sent',
          value: rate(s.samplesPerSecond, detail.series.samplesPerSecond),
        },
        {
          label: 'Failed',
          value: rate(s.failedPerSecond, detail.series.failedPerSecond),
        },
        {
          label: 'Retried',
          value: rate(s.retriedPerSecond, detail.series.retriedPerSecond),
        },
        { label: 'Dropped', value: rate(s.droppedPerSecond) },
        { label: 'Pending samples', value: formatNumber(s.pendingSamples) },
        {
          label: 'Shards',
          value: formatShards(s.shards, s.desiredShards, s.maxShards),
        },
        {
          label: 'Last data seen',
          value: formatAgo(s.lastSeen),
          title: formatTime(s.lastSeen),
        },
      ]}
    />
  );
}

function RemoteWriteCharts({ detail }: { detail: ClusterDetail }) {
  const failures = detail.series.failedPerSecond;
  const retries = detail.series.retriedPerSecond;
  // Retries without failures: the receiver recovered, show what the agent did meanwhile.
  const showRetries =
    retries.some(p => p[1] > 0) && !failures.some(p => p[1] > 0);
  return (
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
        <TimeSeriesChart label="Failed" points={failures} format={formatRate} />
      )}
    </Flex>
  );
}

/** What the remote-write card shows for one cluster. */
export function RemoteWriteDetails({ detail }: { detail: ClusterDetail }) {
  let body: ReactNode = null;
  if (!detail.error && hasNoDataYet(detail)) {
    body = (
      <Text as="p" color="secondary">
        No data yet: no remote-write metrics of this cluster have reached
        Thanos. They appear once its agent scrapes itself and sends.
      </Text>
    );
  } else if (!detail.error) {
    body = (
      <>
        <RemoteWriteStats detail={detail} />
        <RemoteWriteCharts detail={detail} />
      </>
    );
  }
  return (
    <>
      <StateHeader state={detail.state}>
        cluster <strong>{detail.cluster}</strong> on Thanos instance{' '}
        <strong>{detail.instance}</strong>
      </StateHeader>
      {detail.error && <UpstreamErrorNotice error={detail.error} />}
      <ReasonList reasons={detail.reasons} />
      {body}
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

import { Box, makeStyles } from '@material-ui/core';
import {
  CLUSTER_ANNOTATION,
  isRemoteWriteAvailable,
  type ClusterDetail,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  formatAgo,
  formatDuration,
  formatNumber,
  formatRate,
  formatTime,
  ReasonList,
  Sparkline,
  StateHeader,
  StatGrid,
  UpstreamErrorNotice,
  EntityHealthCard,
} from '../common';

const useStyles = makeStyles(theme => ({
  graphs: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginTop: theme.spacing(1),
  },
}));

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
  const classes = useStyles();
  const s = detail.stats;
  const failures = detail.series.failedPerSecond;
  const retries = detail.series.retriedPerSecond;
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
        <Box className={classes.graphs} aria-label="Remote-write history">
          <Sparkline
            label="Lag"
            points={detail.series.lagSeconds}
            format={formatDuration}
          />
          <Sparkline
            label="Samples sent"
            points={detail.series.samplesPerSecond}
            format={formatRate}
          />
          <Sparkline
            label={
              retries.some(p => p[1] > 0) && !failures.some(p => p[1] > 0)
                ? 'Retried'
                : 'Failed'
            }
            points={
              retries.some(p => p[1] > 0) && !failures.some(p => p[1] > 0)
                ? retries
                : failures
            }
            format={formatRate}
          />
        </Box>
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

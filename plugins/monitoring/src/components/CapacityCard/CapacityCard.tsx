import { CellText, Table, Text } from '@backstage/ui';
import {
  CLUSTER_ANNOTATION,
  THANOS_COMPONENT_ANNOTATION,
  type CapacityForecast,
  type EntityCapacity,
  type ReceiveCapacity,
  type ReceiverCapacity,
  type TenantCapacity,
  type TopSeries,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  EntityHealthCard,
  formatNumber,
  formatPercent,
  MISSING,
  ReasonList,
  StateHeader,
  StatGrid,
  UpstreamErrorNotice,
} from '../common';
import { isCapacityAvailable } from './available';
import { TopSeriesList } from './TopSeriesList';

const section = { marginTop: 'var(--bui-space-4)' };

/** Series counts and limits exactly, with thousands separators (a limit is a number people type). */
function formatCount(n: number | undefined): string {
  return n === undefined ? MISSING : Math.round(n).toLocaleString('en-US');
}

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return MISSING;
  if (bytes >= 1e9) return `${formatNumber(bytes / 1e9, 2)} GB`;
  return `${formatNumber(bytes / 1e6, 0)} MB`;
}

function formatDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** "in 9.8 days (2026-12-14), high confidence" or why there is no date. */
export function forecastText(f: CapacityForecast | undefined): string {
  if (!f) return MISSING;
  if (f.confidence === 'none') return 'not enough history yet';
  if (f.daysLeft === undefined || f.reachesAt === undefined)
    return (f.slopePerDay ?? 0) > 0 ? 'no limit to reach' : 'not growing';
  if (f.daysLeft === 0) return 'reached';
  return `in ${formatNumber(f.daysLeft, 1)} days (${formatDate(f.reachesAt)}), ${f.confidence} confidence`;
}

function signed(n: number | undefined): string {
  if (n === undefined) return MISSING;
  return `${n >= 0 ? '+' : ''}${formatCount(n)}`;
}

function TenantDetails({ t }: { t: TenantCapacity }) {
  return (
    <>
      <StatGrid
        items={[
          {
            label: 'Active series',
            value: formatCount(t.activeSeries),
            title:
              'Unique series: head series divided by the replication factor',
          },
          {
            label: 'Head series',
            value: formatCount(t.headSeries),
            title: `Summed over ${t.receivers} receivers, every replica copy counted: what the limiter compares with the limit`,
          },
          {
            label: 'Limit',
            value: t.limit
              ? `${formatCount(t.limit)} (${t.limitSource})`
              : 'none',
          },
          { label: 'Used', value: formatPercent(t.usedRatio) },
          { label: 'Growth, 1 day', value: signed(t.growth1d) },
          { label: 'Growth, 7 days', value: signed(t.growth7d) },
          { label: 'Reaches the limit', value: forecastText(t.forecast) },
        ]}
      />
      <Text as="p" variant="body-small" color="secondary">
        Tenant <code>{t.tenant}</code>
        {t.replicationFactor !== undefined &&
          `, replication factor ${t.replicationFactor}`}
        . Forecast: {t.forecast.basis}.
      </Text>
    </>
  );
}

function ReceiverTable({ receivers }: { receivers: ReceiverCapacity[] }) {
  const rows = receivers.map(r => ({ id: `${r.namespace}/${r.pod}`, r }));
  return (
    <div role="region" aria-label="Receivers" style={section}>
      <Table
        pagination={{ type: 'none' }}
        data={rows}
        columnConfig={[
          {
            id: 'pod',
            label: 'Receiver',
            isRowHeader: true,
            cell: ({ r }) => (
              <CellText title={r.pod} description={r.container} />
            ),
          },
          {
            id: 'head',
            label: 'Head series',
            cell: ({ r }) => <CellText title={formatCount(r.headSeries)} />,
          },
          {
            id: 'memory',
            label: 'Working set / limit',
            cell: ({ r }) => (
              <CellText
                title={`${formatBytes(r.workingSetBytes)} / ${formatBytes(r.memoryLimitBytes)}`}
                description={formatPercent(r.usedRatio)}
              />
            ),
          },
          {
            id: 'oom',
            label: 'OOM at today\u2019s growth',
            cell: ({ r }) => <CellText title={forecastText(r.oomForecast)} />,
          },
        ]}
      />
    </div>
  );
}

function OneLost({ receive }: { receive: ReceiveCapacity }) {
  const check = receive.oneLost;
  if (!check) return null;
  let text: string;
  if (check.ringTooSmall)
    text = `If one receiver is lost, nothing moves: with replication factor ${receive.replicationFactor ?? MISSING} every receiver already holds every series.`;
  else if (check.fits)
    text = `If ${check.lost} is lost, the others take its series and stay under their limits (${check.others
      .map(o => `${o.pod} ${formatBytes(o.projectedBytes)}`)
      .join(', ')}).`;
  else
    text = `If ${check.lost} is lost, ${check.others
      .filter(o => !o.fits)
      .map(
        o =>
          `${o.pod} would reach ${formatBytes(o.projectedBytes)} of ${formatBytes(o.limitBytes)}`,
      )
      .join(', ')}.`;
  return (
    <Text as="p" style={section} aria-label="One receiver lost">
      <strong>One receiver lost:</strong> {text}
    </Text>
  );
}

/** A capacity answer: state and reasons (each linking its handbook section), then the figures. */
export function CapacityDetails({ capacity }: { capacity: EntityCapacity }) {
  return (
    <>
      <StateHeader state={capacity.state}>
        {capacity.subject === 'cluster'
          ? "The cluster's tenant on the receivers"
          : 'The receivers of this Thanos Receive'}{' '}
        · {capacity.instance}
      </StateHeader>
      {capacity.error && <UpstreamErrorNotice error={capacity.error} />}
      <ReasonList reasons={capacity.reasons} />
      {capacity.tenant && <TenantDetails t={capacity.tenant} />}
      {capacity.receive && (
        <>
          <ReceiverTable receivers={capacity.receive.receivers} />
          <OneLost receive={capacity.receive} />
        </>
      )}
    </>
  );
}

/** The card's answer: the capacity, and for a cluster its top series (or why they failed). */
interface CapacityView {
  capacity: EntityCapacity;
  top?: { value: TopSeries } | { error: Error };
}

/**
 * Capacity before it breaks: on a cluster, its tenant's head series against the head-series limit
 * and the date it reaches it, then where its series come from (top names, selectable, with "Drop
 * these"); on a Thanos Receive component, each receiver's memory against its limit, the OOM forecast
 * and what losing one receiver would do to the others.
 */
export function CapacityCard() {
  return (
    <EntityHealthCard<CapacityView>
      title="Capacity"
      subheader="Head series, limits and receiver memory, with a forecast"
      isAvailable={isCapacityAvailable}
      annotation={[CLUSTER_ANNOTATION, THANOS_COMPONENT_ANNOTATION]}
      load={async (api, ref) => {
        const capacity = await api.getCapacity(ref);
        if (capacity.subject !== 'cluster') return { capacity };
        // The top series fail alone: the capacity figures still show.
        const top = await api.getTopSeries(ref).then(
          value => ({ value }),
          (error: Error) => ({ error }),
        );
        return { capacity, top };
      }}
      render={({ capacity, top }) => (
        <>
          <CapacityDetails capacity={capacity} />
          {top && 'value' in top && <TopSeriesList top={top.value} />}
          {top && 'error' in top && (
            <Text as="p" style={section} color="secondary">
              Top series could not be read: {top.error.message}
            </Text>
          )}
        </>
      )}
    />
  );
}

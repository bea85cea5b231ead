import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type XAxisProps,
} from 'recharts';
import { Text } from '@backstage/ui';
import type { Point } from '@fleet-monitoring/plugin-monitoring-common';

/** @public */
export interface TimeSeriesChartProps {
  label: string;
  points: Point[];
  /** Formats values on the axis, in the tooltip and in the summary. */
  format?: (v: number) => string;
  /** The value at which a health rule fires; drawn as a dashed line with its value. */
  threshold?: number;
  width?: number;
  height?: number;
}

const clock = (unixSeconds: number) =>
  new Date(unixSeconds * 1000).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });

/** The x axis: unix seconds as wall-clock time. */
const TIME_AXIS: XAxisProps = {
  dataKey: 't',
  type: 'number',
  scale: 'time',
  domain: ['dataMin', 'dataMax'],
  tickFormatter: clock,
  tick: { fontSize: 11 },
  minTickGap: 24,
};

/** The value range of the points; the top includes the threshold so its line is always visible. */
function extent(data: Array<{ v: number }>, threshold: number | undefined) {
  const values = data.map(d => d.v);
  const max = Math.max(...values);
  return {
    min: Math.min(...values),
    max,
    latest: values[values.length - 1],
    top: Math.max(max, threshold ?? -Infinity),
  };
}

/** The line under the chart: "Lag: 2 s (max 9 s) · rule at 60 s". */
function caption(
  label: string,
  format: (v: number) => string,
  latest: number,
  max: number,
  threshold: number | undefined,
): string {
  const rule = threshold !== undefined ? ` · rule at ${format(threshold)}` : '';
  return `${label}: ${format(latest)} (max ${format(max)})${rule}`;
}

/**
 * A line chart a person can read: time on the x axis, the value scale on the y axis (from 0, so a
 * flat line near the top is not mistaken for a spike), a tooltip with the exact value and time, and
 * the threshold at which the health rule fires. Drawn with recharts; BUI has no chart component.
 * The summary (latest, min, max, threshold) is the accessible name, so the numbers are not only in
 * the picture.
 *
 * @public
 */
export function TimeSeriesChart({
  label,
  points,
  format = v => String(v),
  threshold,
  width = 300,
  height = 140,
}: TimeSeriesChartProps) {
  const data = points
    .filter(p => Number.isFinite(p[0]) && Number.isFinite(p[1]))
    .map(([t, v]) => ({ t, v }));
  if (data.length === 0) {
    return (
      <Text as="p" variant="body-small" color="secondary">
        {label}: no data in range
      </Text>
    );
  }
  const { min, max, latest, top } = extent(data, threshold);
  const rule =
    threshold !== undefined ? `, rule fires at ${format(threshold)}` : '';
  const summary = `${label}: latest ${format(latest)}, min ${format(min)}, max ${format(max)}${rule}`;
  return (
    <figure
      role="img"
      aria-label={summary}
      data-testid={`chart-${label}`}
      style={{ margin: 0 }}
    >
      <LineChart
        width={width}
        height={height}
        data={data}
        margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="var(--bui-border-1)" />
        <XAxis {...TIME_AXIS} />
        <YAxis
          domain={[Math.min(0, min), top > 0 ? 'auto' : 1]}
          tickFormatter={v => format(Number(v))}
          tick={{ fontSize: 11 }}
          width={56}
        />
        <Tooltip
          labelFormatter={t => new Date(Number(t) * 1000).toLocaleString()}
          formatter={v => [format(Number(v)), label]}
        />
        {threshold !== undefined && (
          <ReferenceLine
            y={threshold}
            stroke="var(--bui-fg-negative)"
            strokeDasharray="4 4"
            ifOverflow="extendDomain"
            label={{
              value: `rule: ${format(threshold)}`,
              position: 'insideTopRight',
              fontSize: 11,
            }}
          />
        )}
        <Line
          type="monotone"
          dataKey="v"
          stroke="var(--bui-fg-announcement)"
          strokeWidth={1.5}
          dot={data.length === 1}
          isAnimationActive={false}
        />
      </LineChart>
      <figcaption aria-hidden>
        <Text variant="body-x-small" color="secondary">
          {caption(label, format, latest, max, threshold)}
        </Text>
      </figcaption>
    </figure>
  );
}

import { makeStyles, Typography } from '@material-ui/core';
import type { Point } from '@fleet-monitoring/plugin-monitoring-common';

const useStyles = makeStyles(theme => ({
  root: { display: 'inline-block', minWidth: 0 },
  svg: { display: 'block', overflow: 'visible' },
  line: { fill: 'none', stroke: theme.palette.primary.main, strokeWidth: 1.5 },
  dot: { fill: theme.palette.primary.main },
  area: { fill: theme.palette.primary.main, opacity: 0.12 },
  caption: { display: 'block', color: theme.palette.text.secondary },
}));

export interface SparklineProps {
  label: string;
  points: Point[];
  width?: number;
  height?: number;
  /** Formats values in the summary text. */
  format?: (v: number) => string;
}

/**
 * A tiny SVG line chart. The shape is decoration; the summary (latest, min, max) is in words, as
 * the image's accessible name and as a visible caption.
 */
export function Sparkline({
  label,
  points,
  width = 160,
  height = 36,
  format = v => String(v),
}: SparklineProps) {
  const classes = useStyles();
  const data = points.filter(
    p => Number.isFinite(p[0]) && Number.isFinite(p[1]),
  );
  if (data.length === 0) {
    return (
      <span className={classes.root}>
        <Typography variant="caption" className={classes.caption}>
          {label}: no data in range
        </Typography>
      </span>
    );
  }
  const xs = data.map(p => p[0]);
  const ys = data.map(p => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [min, max] = [Math.min(...ys), Math.max(...ys)];
  const pad = 2;
  const sx = (x: number) =>
    x1 === x0 ? width / 2 : pad + ((x - x0) / (x1 - x0)) * (width - 2 * pad);
  const sy = (y: number) =>
    max === min
      ? height / 2
      : height - pad - ((y - min) / (max - min)) * (height - 2 * pad);
  const line = data
    .map(
      (p, i) =>
        `${i === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`,
    )
    .join(' ');
  const area = `${line} L${sx(x1).toFixed(1)},${height} L${sx(x0).toFixed(1)},${height} Z`;
  const latest = ys[ys.length - 1];
  const summary = `${label}: latest ${format(latest)}, min ${format(min)}, max ${format(max)}`;
  return (
    <span className={classes.root}>
      <svg
        className={classes.svg}
        role="img"
        aria-label={summary}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        data-testid={`sparkline-${label}`}
      >
        <title>{summary}</title>
        <path className={classes.area} d={area} />
        <path className={classes.line} d={line} />
        {data.length === 1 && (
          <circle className={classes.dot} cx={sx(x0)} cy={sy(ys[0])} r={2.5} />
        )}
      </svg>
      <Typography variant="caption" className={classes.caption} aria-hidden>
        {label}: {format(latest)} (max {format(max)})
      </Typography>
    </span>
  );
}

/** Number formatting shared by the cards. Every function returns `—` for a missing value. */

export const MISSING = '—';

const isNum = (v: number | undefined | null): v is number =>
  typeof v === 'number' && Number.isFinite(v);

export function formatNumber(v: number | undefined | null, digits = 1): string {
  if (!isNum(v)) return MISSING;
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${(v / 1e9).toFixed(digits)}G`;
  if (abs >= 1e6) return `${(v / 1e6).toFixed(digits)}M`;
  if (abs >= 1e4) return `${(v / 1e3).toFixed(digits)}k`;
  if (Number.isInteger(v)) return String(v);
  return abs >= 100 ? v.toFixed(0) : v.toFixed(abs >= 1 ? digits : 2);
}

/** A count exactly, with thousands separators (series counts and limits are numbers people type). */
export function formatCount(n: number | undefined | null): string {
  return isNum(n) ? Math.round(n).toLocaleString('en-US') : MISSING;
}

export function formatRate(v: number | undefined | null): string {
  return isNum(v) ? `${formatNumber(v)}/s` : MISSING;
}

export function formatPercent(ratio: number | undefined | null): string {
  if (!isNum(ratio)) return MISSING;
  return `${percentDigits(ratio * 100)} %`;
}

function percentDigits(p: number): string {
  if (p === 0) return '0';
  if (p < 0.1) return p.toFixed(3);
  if (p < 10) return p.toFixed(2);
  return p.toFixed(1);
}

export function formatDuration(seconds: number | undefined | null): string {
  if (!isNum(seconds)) return MISSING;
  const s = Math.max(0, seconds);
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 90)
    return `${s < 10 ? s.toFixed(1).replace(/\.0$/, '') : Math.round(s)} s`;
  if (s < 3570) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toFixed(1).replace(/\.0$/, '')} h`;
  return `${Math.round(s / 86400)} d`;
}

/**
 * Remote-write shards as Prometheus sees them. Its desired-shards gauge is the raw estimate before
 * rounding up and clamping to `min_shards` (at least 1), so a quiet agent reports 0.02: what matters
 * is whether the running shards cover the rounded-up need.
 */
export function formatShards(
  shards: number | undefined | null,
  desired: number | undefined | null,
  max: number | undefined | null,
): string {
  const needed = isNum(desired) ? Math.max(1, Math.ceil(desired)) : undefined;
  const maxText = isNum(max) ? ` (max ${formatNumber(max)})` : '';
  const plural = (n: number) => `${formatNumber(n)} shard${n === 1 ? '' : 's'}`;
  if (!isNum(shards)) {
    return needed === undefined
      ? MISSING
      : `${plural(needed)} needed${maxText}`;
  }
  if (needed === undefined || shards >= needed) {
    return `${plural(shards)}${needed === undefined ? '' : ', enough'}${maxText}`;
  }
  const capped = isNum(max) && needed > max ? ', capped by max' : '';
  return `${formatNumber(shards)} of ${plural(needed)} needed${capped}${maxText}`;
}

/** "12 s ago" for a unix-seconds timestamp. */
export function formatAgo(
  unixSeconds: number | undefined | null,
  nowMs = Date.now(),
): string {
  if (!isNum(unixSeconds)) return MISSING;
  return `${formatDuration(nowMs / 1000 - unixSeconds)} ago`;
}

/** Absolute time for tooltips, in the browser's locale. */
export function formatTime(value: number | string | undefined | null): string {
  if (value === undefined || value === null || value === '') return MISSING;
  const d =
    typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString();
}

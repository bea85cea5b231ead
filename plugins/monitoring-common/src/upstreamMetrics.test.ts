import fs from 'node:fs';
import path from 'node:path';
import {
  UPSTREAM_METRICS,
  UpstreamMetric,
  upstreamFamilyOf,
  upstreamHistogramSeries,
  upstreamLabelAllowed,
  upstreamMetric,
} from './upstreamMetrics';

const entries = Object.entries(UPSTREAM_METRICS) as Array<
  [string, UpstreamMetric]
>;

describe('the upstream metrics table', () => {
  it.each(entries)(
    '%s names its emitter, labels, semantics, a source at a tag and a reader',
    (name, m) => {
      expect(name).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(m.emittedBy.length).toBeGreaterThan(0);
      expect(Array.isArray(m.labels)).toBe(true);
      for (const l of m.labels) expect(l).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(m.versions.length).toBeGreaterThan(10);
      expect(m.emitted.length).toBeGreaterThan(10);
      expect(m.sources.length).toBeGreaterThan(0);
      for (const s of m.sources) {
        expect(s.tag).toMatch(/^v\d+\.\d+\.\d+$/);
        expect(s.path).toMatch(/^[\w./-]+\.(go|libsonnet)$/);
      }
      expect(m.readBy.length).toBeGreaterThan(0);
    },
  );

  it('records the traps the rules fell into', () => {
    expect(UPSTREAM_METRICS.thanos_receive_write_samples.notEmitted).toContain(
      '429',
    );
    expect(
      UPSTREAM_METRICS.thanos_receive_head_series_limited_requests_total.labels,
    ).toEqual(['tenant']);
    expect(UPSTREAM_METRICS.thanos_shipper_uploads_total.labels).toEqual([
      'tenant',
    ]);
    expect(
      UPSTREAM_METRICS.prometheus_remote_storage_samples_dropped_total.labels,
    ).toContain('reason');
    expect(
      UPSTREAM_METRICS.prometheus_remote_storage_samples_total.emitted,
    ).toMatch(/failed and retried attempts included/);
    expect(UPSTREAM_METRICS.thanos_build_info.labels).toContain('version');
    expect(
      UPSTREAM_METRICS.prometheus_remote_storage_queue_highest_timestamp_seconds
        .emittedBy,
    ).toEqual(['prometheus-agent-v3']);
  });

  it('answers by name and refuses names it does not have', () => {
    expect(upstreamMetric('thanos_shipper_uploads_total').type).toBe('counter');
    expect(() => upstreamMetric('thanos_receive_write_samples_total')).toThrow(
      /not in the upstream metrics table/,
    );
  });

  it('maps histogram series to their family, and only histograms', () => {
    expect(upstreamFamilyOf('thanos_receive_write_samples_sum')).toBe(
      'thanos_receive_write_samples',
    );
    expect(upstreamFamilyOf('http_request_duration_seconds_bucket')).toBe(
      'http_request_duration_seconds',
    );
    expect(upstreamFamilyOf('thanos_shipper_uploads_total_count')).toBe(
      undefined,
    );
    expect(upstreamHistogramSeries('thanos_receive_write_samples', 'sum')).toBe(
      'thanos_receive_write_samples_sum',
    );
    expect(() =>
      upstreamHistogramSeries('thanos_shipper_uploads_total', 'sum'),
    ).toThrow(/not a histogram/);
  });

  it('allows the emitter labels and the labels added on the way, nothing else', () => {
    expect(
      upstreamLabelAllowed('prometheus_remote_storage_samples_total', 'url'),
    ).toBe(true);
    expect(
      upstreamLabelAllowed(
        'prometheus_remote_storage_samples_total',
        'cluster',
      ),
    ).toBe(true);
    expect(
      upstreamLabelAllowed('thanos_receive_write_samples_bucket', 'le'),
    ).toBe(true);
    expect(upstreamLabelAllowed('thanos_receive_write_samples_sum', 'le')).toBe(
      false,
    );
    expect(
      upstreamLabelAllowed('prometheus_remote_storage_samples_total', 'reason'),
    ).toBe(false);
    expect(upstreamLabelAllowed('thanos_shipper_uploads_total', 'code')).toBe(
      false,
    );
  });
});

describe('the upstream metrics reference page', () => {
  it('names every metric of the table', () => {
    const page = fs.readFileSync(
      path.join(__dirname, '../../../docs/references/upstream-metrics.md'),
      'utf8',
    );
    const missing = Object.keys(UPSTREAM_METRICS).filter(
      name => !page.includes(`\`${name}\``),
    );
    expect(missing).toEqual([]);
  });
});

import {
  parseSelector,
  upstreamFamilyOf,
} from '@fleet-monitoring/plugin-monitoring-common';
import { queryComponentQuery, receiveQuery } from './queries';

const receive = receiveQuery(parseSelector('job=~".*thanos-receive.*"'), '5m');
const query = queryComponentQuery(
  parseSelector('job=~".*thanos-query.*"'),
  '5m',
);
/** Metric names of selectors (`name{...}`) in a query. */
const metricsOf = (q: string) =>
  [...q.matchAll(/([a-z_:][a-z0-9_:]*)\{/g)].map(m => m[1]);

describe('Receive and Query builders', () => {
  it('read only metrics of the upstream table', () => {
    for (const q of [receive, query]) {
      const unknown = metricsOf(q).filter(n => !upstreamFamilyOf(n));
      expect(unknown).toEqual([]);
    }
  });

  it('read the head-series 429 per tenant from limited requests, never write_samples', () => {
    expect(receive).toContain(
      'sum by (tenant) (max by (instance, tenant) (rate(thanos_receive_head_series_limited_requests_total{job=~".*thanos-receive.*"}[5m]))) > 0',
    );
    expect(receive).not.toContain('write_samples');
  });

  it('hold each condition for the mixin `for:` on the rule clock (5m window: as written; no-upload 3 h whatever the window)', () => {
    expect(receive).toMatch(
      /min_over_time\(\(.*http_requests_total.*\)\[305s:5s\]\)/,
    );
    expect(receive).toContain('[610s:10s]'); // latency, for: 10m
    expect(receive).toContain('[915s:15s]'); // hashring file, for: 15m
    expect(receive).toContain('[10980s:180s]'); // no upload, for: 3h
    const short = receiveQuery(parseSelector('job="r"'), '20s');
    expect(short).toContain('[21s:1s]');
    expect(short).toContain('[10980s:180s]');
  });

  it('judges no upload per receiver and tenant, and reads the version from thanos_build_info', () => {
    expect(receive).toContain(
      'max by (instance, tenant) (increase(thanos_shipper_uploads_total{job=~".*thanos-receive.*"}[3h])) == 0',
    );
    expect(receive).toContain(
      'count by (version) (max by (instance, version) (thanos_build_info{',
    );
  });

  it("builds the mixin's Query rules on Query's own series", () => {
    expect(query).toContain('handler=~"query|query_range",code=~"5.."');
    expect(query).toContain(
      'grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"',
    );
    expect(query).toContain(
      'grpc_client_handled_total{job=~".*thanos-query.*",grpc_code!="OK"}',
    );
    expect(query).toContain('thanos_query_endpoints_dns_failures_total');
    expect(query).toContain('thanos_query_concurrent_gate_queries_in_flight');
    expect(query).toContain('[915s:15s]'); // overload and DNS, for: 15m
  });
});

import { evaluateQuery, QueryObservation } from './judgeQuery';

const holds = {
  errors: '5 min',
  dns: '15 min',
  latency: '10 min',
  overload: '15 min',
};
const quiet: QueryObservation = {
  httpErrorRatio: {
    query: { now: 0, held: 0 },
    query_range: { now: 0, held: 0 },
  },
  p99Latency: { query: { now: 0.2, held: 0.1 } },
  gateHeadroom: 20,
  overloadHeld: false,
  holds,
};
const ids = (o: Partial<QueryObservation>) =>
  evaluateQuery([], [], 0, { ...quiet, ...o }).reasons.map(
    r => `${r.id}:${r.severity}`,
  );

describe('evaluateQuery: the mixin thanos-query alerts', () => {
  it('is healthy on quiet metrics', () => {
    expect(ids({})).toEqual([]);
  });

  it('HTTP error rate per handler: > 5 % held 5m is critical, not yet held is info', () => {
    expect(
      ids({ httpErrorRatio: { query_range: { now: 0.1, held: 0.06 } } }),
    ).toEqual(['query-http-errors:critical']);
    expect(ids({ httpErrorRatio: { query: { now: 0.1 } } })).toEqual([
      'query-http-errors:info',
    ]);
    expect(
      ids({ httpErrorRatio: { query: { now: 0.05, held: 0.05 } } }),
    ).toEqual([]);
  });

  it('gRPC server and client errors > 5 % are warnings once held', () => {
    expect(
      ids({
        grpcServerErrorRatio: { now: 0.2, held: 0.1 },
        grpcClientErrorRatio: { now: 0.2, held: 0.1 },
      }),
    ).toEqual(['query-grpc-errors:warning', 'query-grpc-errors:warning']);
  });

  it('DNS failures > 1 % held 15m warn', () => {
    expect(ids({ dnsFailureRatio: { now: 0.02, held: 0.02 } })).toEqual([
      'query-dns-failures:warning',
    ]);
  });

  it('instant p99 > 40 s and range p99 > 90 s are critical once held 10m', () => {
    expect(
      ids({
        p99Latency: {
          query: { now: 41, held: 41 },
          query_range: { now: 60, held: 60 },
        },
      }),
    ).toEqual(['query-high-latency:critical']);
    expect(ids({ p99Latency: { query_range: { now: 91, held: 91 } } })).toEqual(
      ['query-high-latency:critical'],
    );
  });

  it('overload: less than one free gate slot, warning once held 15m', () => {
    expect(ids({ gateHeadroom: 0.5, overloadHeld: true })).toEqual([
      'query-overload:warning',
    ]);
    expect(ids({ gateHeadroom: 0.5 })).toEqual(['query-overload:info']);
  });
});

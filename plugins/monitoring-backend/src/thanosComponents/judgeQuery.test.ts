import { evaluateQuery } from './judgeQuery';

describe('evaluateQuery', () => {
  const store = (lastError: string | null) => ({
    type: 'store',
    name: 's:10901',
    lastError,
    labelSets: [],
    minTime: 0,
    maxTime: null,
  });

  it('treats a plain Prometheus as a fact, not a failure', () => {
    const h = evaluateQuery(undefined, []);
    expect(h.state).toBe('healthy');
    expect(h.reasons.map(r => r.id)).toEqual(['query-not-thanos']);
  });

  it('reports store errors and partial responses', () => {
    expect(
      evaluateQuery([store(null), store('rpc error: connection refused')], [])
        .state,
    ).toBe('degraded');
    expect(evaluateQuery([store('down')], []).state).toBe('failing');
    const partial = evaluateQuery(
      [store(null)],
      [
        'receive series from Addr: s:10901: rpc error',
        'No StoreAPIs matched for this query',
      ],
    );
    expect(partial.reasons.map(r => r.id)).toEqual(['query-partial-response']);
    expect(partial.reasons[0].message).not.toContain('No StoreAPIs');
  });

  it('says deduplication is off when queues come back once per replica', () => {
    const h = evaluateQuery([store(null)], [], 12);
    expect(h.reasons.map(r => `${r.id}:${r.severity}`)).toEqual([
      'query-dedup-off:warning',
    ]);
    expect(h.reasons[0].message).toContain('12 remote-write queues');
  });
});

import type { ClusterDetail } from '@fleet-monitoring/plugin-monitoring-common';
import { entityRemoteWrite } from './entityRemoteWrite';
import type { RemoteWriteService } from './RemoteWriteService';

describe('entityRemoteWrite (the one path for the card route and the action)', () => {
  const detail = {
    cluster: 'cluster-01-central',
    instance: 'demo',
    state: 'healthy',
    reasons: [],
    stats: {},
  } as unknown as ClusterDetail;
  const asked: unknown[][] = [];
  const service = {
    clusterDetail: async (...args: unknown[]) => {
      asked.push(args);
      return detail;
    },
  } as unknown as RemoteWriteService;

  it('asks the service for the validated cluster and range', async () => {
    const answer = await entityRemoteWrite(
      service,
      {
        instance: 'demo',
        cluster: 'cluster-01-central',
        openWriteEndpoint: false,
      },
      900,
    );
    expect(answer).toBe(detail);
    expect(asked.at(-1)).toEqual(['demo', 'cluster-01-central', 900]);
  });

  it('adds the open-endpoint note without changing the judged state', async () => {
    const answer = await entityRemoteWrite(service, {
      instance: 'demo',
      cluster: 'cluster-01-central',
      openWriteEndpoint: true,
    });
    expect(answer.state).toBe('healthy');
    expect(answer.reasons).toEqual([
      expect.objectContaining({ id: 'open-write-endpoint', severity: 'info' }),
    ]);
    expect(detail.reasons).toEqual([]);
  });
});

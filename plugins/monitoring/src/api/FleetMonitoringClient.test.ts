import { FleetMonitoringClient } from './FleetMonitoringClient';
import { ResponseError } from '@backstage/errors';
import {
  backendMessage,
  statusOfError,
  upstreamOfError,
} from './upstreamError';

const ref = { kind: 'Component', namespace: 'shop', name: 'check out' };

function client(respond: () => Response | Promise<Response>) {
  const urls: string[] = [];
  const c = new FleetMonitoringClient({
    discoveryApi: { getBaseUrl: async (id: string) => `http://b/api/${id}` },
    fetchApi: {
      fetch: (async (input: Request | string) => {
        urls.push(typeof input === 'string' ? input : input.url);
        return respond();
      }) as typeof fetch,
    },
  });
  return { c, urls };
}

describe('FleetMonitoringClient', () => {
  it('builds the backend routes with encoded segments', async () => {
    const { c, urls } = client(() => new Response('{}'));
    await c.getInstances();
    await c.getFleetSummary('eu 1');
    await c.getFleetSummary('eu 1', {
      offset: 50,
      limit: 50,
      name: 'edge',
      state: ['failing', 'degraded'],
      sort: 'lag',
      order: 'desc',
    });
    await c.getRemoteWrite(ref, { rangeSeconds: 7200 });
    await c.getThanosHealth(ref);
    await c.getMetricsArriving(ref);
    await c.getArgocd(ref);
    await c.getArgocdHistory(ref, 'demo', 'app/x');
    await c.getKubernetes(ref);
    await c.getTopSeries(ref);
    await c.getFleetCapacity('eu 1', { days: 14, limit: 20 });
    expect(urls).toEqual([
      'http://b/api/fleet-monitoring/instances',
      'http://b/api/fleet-monitoring/fleet/eu%201/summary',
      'http://b/api/fleet-monitoring/fleet/eu%201/summary?offset=50&limit=50&name=edge&state=failing&state=degraded&sort=lag&order=desc',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/remote-write?range=7200',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/thanos',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/metrics-arriving',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/argocd',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/argocd/demo/applications/app%2Fx/history',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/kubernetes',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/top-series',
      'http://b/api/fleet-monitoring/fleet/eu%201/capacity?days=14&limit=20',
    ]);
  });

  it("rejects with Backstage's ResponseError, keeping the upstream the body names", async () => {
    const { c } = client(
      () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'BadGatewayError',
              message: 'ArgoCD refused',
              upstream: 'argocd:demo',
              kind: 'unauthorized',
            },
            response: { statusCode: 502 },
          }),
          { status: 502, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    const e = await c.getArgocd(ref).catch(x => x);
    expect(ResponseError.is(e)).toBe(true);
    expect(statusOfError(e)).toBe(502);
    expect(backendMessage(e)).toBe('ArgoCD refused');
    expect(upstreamOfError(e)).toEqual({
      upstream: 'argocd:demo',
      kind: 'unauthorized',
      status: 502,
      message: 'ArgoCD refused',
    });
  });

  it('keeps a plain-text error body and lets network failures through', async () => {
    const { c } = client(
      () =>
        new Response('proxy exploded', {
          status: 503,
          statusText: 'Service Unavailable',
        }),
    );
    const e = await c.getInstances().catch(x => x);
    expect(statusOfError(e)).toBe(503);
    expect(upstreamOfError(e)).toBeUndefined();
    expect(e.message).toMatch(/503/);
    const down = client(() => Promise.reject(new TypeError('Failed to fetch')));
    const network = await down.c.getInstances().catch(x => x);
    expect(statusOfError(network)).toBeUndefined();
    expect(backendMessage(network)).toBe('Failed to fetch');
  });
});

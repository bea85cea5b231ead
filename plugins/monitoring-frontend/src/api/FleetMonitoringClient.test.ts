import { FleetMonitoringClient } from './FleetMonitoringClient';
import { FleetMonitoringError } from './FleetMonitoringError';

const ref = { kind: 'Component', namespace: 'shop', name: 'check out' };

function client(respond: () => Response | Promise<Response>) {
  const urls: string[] = [];
  const c = new FleetMonitoringClient({
    discoveryApi: { getBaseUrl: async (id: string) => `http://b/api/${id}` },
    fetchApi: {
      fetch: (async (url: any) => {
        urls.push(String(url));
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
    await c.getRemoteWrite(ref, { rangeSeconds: 7200 });
    await c.getThanosHealth(ref);
    await c.getMetricsArriving(ref);
    await c.getArgocd(ref);
    await c.getArgocdHistory(ref, 'demo', 'app/x');
    expect(urls).toEqual([
      'http://b/api/fleet-monitoring/instances',
      'http://b/api/fleet-monitoring/fleet/eu%201/summary',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/remote-write?range=7200',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/thanos',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/metrics-arriving',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/argocd',
      'http://b/api/fleet-monitoring/entity/component/shop/check%20out/argocd/demo/applications/app%2Fx/history',
    ]);
  });

  it('turns Backstage error bodies into FleetMonitoringError', async () => {
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
          }),
          { status: 502 },
        ),
    );
    const e = await c.getArgocd(ref).catch(x => x);
    expect(e).toBeInstanceOf(FleetMonitoringError);
    expect(e).toMatchObject({
      status: 502,
      errorName: 'BadGatewayError',
      message: 'ArgoCD refused',
      upstream: 'argocd:demo',
      kind: 'unauthorized',
    });
  });

  it('keeps a plain-text error body and reports network failures', async () => {
    const { c } = client(
      () =>
        new Response('proxy exploded', {
          status: 503,
          statusText: 'Service Unavailable',
        }),
    );
    await expect(c.getInstances()).rejects.toMatchObject({
      status: 503,
      message: 'proxy exploded',
    });
    const down = client(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(down.c.getInstances()).rejects.toMatchObject({
      status: 0,
      message: /could not be reached: Failed to fetch/,
    });
  });
});

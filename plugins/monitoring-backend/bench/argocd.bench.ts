/**
 * ArgoCD load benchmark. From the repo root:
 *   node -r @backstage/cli/config/nodeTransform.cjs plugins/monitoring-backend/bench/argocd.bench.ts
 *
 * An entity whose `argocd/app-selector` matches 3 of 500 apps in a fake ArgoCD; the backend plugin
 * runs in-process (startTestBackend). Prints upstream calls and time, cold and cached, and the logins
 * made by 20 concurrent requests that all need a session.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ArgocdFake, generateArgoApps } from '@fleet-monitoring/local-fleet';
import { fleetMonitoringPlugin } from '../src/plugin';

async function main() {
  const apps = generateArgoApps(497);
  apps.push(
    {
      name: 'bench-receive',
      labels: { 'app.kubernetes.io/part-of': 'bench' },
      sync: 'OutOfSync',
      health: 'Healthy',
    },
    { name: 'bench-agent', labels: { 'app.kubernetes.io/part-of': 'bench' } },
    { name: 'bench-query', labels: { 'app.kubernetes.io/part-of': 'bench' } },
  );
  const argo = new ArgocdFake({ apps, users: { bench: 'pw' } });
  await argo.start();

  const boot = async (ttlSeconds: number) =>
    startTestBackend({
      features: [
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            fleetMonitoring: {
              cache: { ttlSeconds },
              argocd: [
                {
                  name: 'main',
                  url: argo.url,
                  username: 'bench',
                  password: 'pw',
                },
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'bench',
                namespace: 'default',
                annotations: {
                  'argocd/app-selector': 'app.kubernetes.io%2Fpart-of%3Dbench',
                },
              },
              spec: {
                type: 'service',
                owner: 'bench',
                lifecycle: 'production',
              },
            },
          ],
        }),
        mockServices.permissions.factory(),
      ],
    });

  const rows: Array<[string, string, string, string]> = [];
  const cached = await boot(30);
  const port = (cached.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/api/fleet-monitoring/entity/component/default/bench/argocd`;
  const headers = { authorization: mockCredentials.user.header() };
  const get = async () => {
    const res = await fetch(url, { headers });
    const body = await res.json();
    if (res.status !== 200)
      throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
    return body;
  };

  argo.resetCounters();
  let t0 = performance.now();
  const cold = await get();
  rows.push([
    'cold (login + list, 3 of 500 apps)',
    String(argo.requests.length),
    `${(performance.now() - t0).toFixed(1)} ms`,
    `${cold.applications.length} apps, ${argo.logins} login`,
  ]);
  argo.resetCounters();
  t0 = performance.now();
  const warm = await get();
  rows.push([
    'cached (same entity again)',
    String(argo.requests.length),
    `${(performance.now() - t0).toFixed(1)} ms`,
    `${warm.applications.length} apps`,
  ]);
  argo.resetCounters();
  t0 = performance.now();
  for (let i = 0; i < 50; i++) await get();
  rows.push([
    'cached x50 sequential',
    String(argo.requests.length),
    `${((performance.now() - t0) / 50).toFixed(2)} ms avg`,
    '',
  ]);
  await cached.stop();

  // No cache, fresh backend: 20 concurrent requests, every one needs a session token.
  const uncached = await boot(0);
  const port2 = (uncached.server.address() as { port: number }).port;
  argo.resetCounters();
  argo.revokeSessions();
  t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: 20 }, () =>
      fetch(
        `http://127.0.0.1:${port2}/api/fleet-monitoring/entity/component/default/bench/argocd`,
        { headers },
      ).then(r => r.status),
    ),
  );
  const ok = results.filter(s => s === 200).length;
  rows.push([
    '20 concurrent, no cache, needing a login',
    String(argo.requests.length),
    `${(performance.now() - t0).toFixed(1)} ms`,
    `logins=${argo.logins} (target 1), ${ok}/20 OK`,
  ]);
  await uncached.stop();

  // An app route of an entity spread over two instances while the other instance hangs: ownership
  // is checked in the app's own instance only, so the answer does not wait for the hanging one.
  const hanging = new ArgocdFake({ apps: [], tokens: ['t'] });
  hanging.fault = 'slow';
  hanging.slowMs = 3000;
  await hanging.start();
  const spread = await startTestBackend({
    features: [
      fleetMonitoringPlugin,
      mockServices.rootConfig.factory({
        data: {
          fleetMonitoring: {
            cache: { ttlSeconds: 30 },
            argocd: [
              {
                name: 'main',
                url: argo.url,
                username: 'bench',
                password: 'pw',
              },
              {
                name: 'hanging',
                url: hanging.url,
                token: 't',
                timeoutMs: 10_000,
              },
            ],
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'spread',
              namespace: 'default',
              annotations: {
                'argocd/app-selector': 'app.kubernetes.io%2Fpart-of%3Dbench',
                'argocd/instance-name': 'main,hanging',
              },
            },
            spec: { type: 'service', owner: 'bench', lifecycle: 'production' },
          },
        ],
      }),
      mockServices.permissions.factory(),
    ],
  });
  const port3 = (spread.server.address() as { port: number }).port;
  argo.resetCounters();
  t0 = performance.now();
  const history = await fetch(
    `http://127.0.0.1:${port3}/api/fleet-monitoring/entity/component/default/spread/argocd/main/applications/bench-receive/history`,
    { headers },
  );
  await history.text();
  rows.push([
    'app history, other instance hangs 3 s',
    String(argo.requests.length),
    `${(performance.now() - t0).toFixed(1)} ms`,
    `HTTP ${history.status}, hanging instance asked ${hanging.requests.length} time(s) (target 0)`,
  ]);
  await spread.stop();
  await hanging.stop();
  await argo.stop();

  const widths = [0, 1, 2, 3].map(i =>
    Math.max(
      ...[['scenario', 'ArgoCD calls', 'time', 'notes'], ...rows].map(
        r => r[i].length,
      ),
    ),
  );
  const line = (r: string[]) =>
    `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(['scenario', 'ArgoCD calls', 'time', 'notes']));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(
    '\nArgoCD calls include the login (POST /api/v1/session) and one sync-window lookup for the OutOfSync app.',
  );
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);

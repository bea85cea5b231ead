import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GithubFake } from '@fleet-monitoring/local-fleet';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { entity } from '../__testUtils__/actionsBackend';
import { fleetMonitoringPlugin } from '../plugin';
import { lintFleetOverlaysExamples } from './actions/lintFleetOverlays.examples';
import { BAD_EDGE, fixtureRepoFiles, GOOD_EDGE } from './fixtureRepo';

/**
 * The GitOps repository read through Backstage's own GithubUrlReader from the GitHub API contract
 * fake (the demo repository example/fleet-gitops plus a bad overlay), linted, through the route.
 */
const REPO_URL = 'https://github.com/example/fleet-gitops/tree/main';

describe('GET /gitops/lint', () => {
  const github = new GithubFake([
    { owner: 'example', repo: 'fleet-gitops', files: fixtureRepoFiles },
  ]);
  beforeAll(() => github.start());
  afterAll(() => github.stop());
  beforeEach(() => github.requests.splice(0));

  async function backend(
    opts: {
      gitops?: Record<string, unknown> | null;
      ttl?: number;
      deny?: boolean;
      anonymous?: boolean;
      entities?: Entity[];
    } = {},
  ) {
    const gitops =
      opts.gitops === null ? undefined : { url: REPO_URL, ...opts.gitops };
    const { server } = await startTestBackend({
      features: [
        ...(opts.anonymous
          ? [
              mockServices.httpAuth.factory({
                defaultCredentials: mockCredentials.none(),
              }),
            ]
          : []),
        fleetMonitoringPlugin,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [{ host: 'github.com', apiBaseUrl: github.url }],
            },
            fleetMonitoring: {
              validateResponses: true,
              cache: { ttlSeconds: opts.ttl ?? 0 },
              ...(gitops ? { gitops } : {}),
            },
          },
        }),
        catalogServiceMock.factory({ entities: opts.entities ?? [] }),
        mockServices.permissions.mock({
          authorize: async reqs =>
            reqs.map(() => ({
              result: opts.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    return server;
  }

  it('lints the repository: the bad overlay named with its rules, the good one silent, only deploy/ read', async () => {
    const server = await backend();
    const res = await request(server).get('/api/fleet-monitoring/gitops/lint');
    expect(res.status).toBe(200);
    expect(res.body.findings.map((f: any) => [f.cluster, f.rule])).toEqual([
      [BAD_EDGE, 'agent-flags'],
      [BAD_EDGE, 'chart-ignored-key'],
      [BAD_EDGE, 'cluster-label'],
      [BAD_EDGE, 'remote-write-missing'],
    ]);
    expect(res.body.counts).toEqual({ error: 3, warning: 1 });
    expect(res.body.overlays.map((o: any) => o.cluster)).toEqual([
      GOOD_EDGE,
      BAD_EDGE,
    ]);
    // Six files under deploy/; the README is filtered out before extraction.
    expect(res.body.files).toBe(6);
    expect(github.requests).toEqual([
      'GET /repos/example/fleet-gitops/commits/main/status',
      expect.stringMatching(/^GET \/repos\/example\/fleet-gitops\/tarball\//),
    ]);
    expect(JSON.stringify(res.body)).not.toContain(github.url);
  });

  it("answers one cluster's findings as the MCP action's example says, and reads the repository once per cache period", async () => {
    const server = await backend({ ttl: 60 });
    const [example] = lintFleetOverlaysExamples;
    const one = await request(server)
      .get('/api/fleet-monitoring/gitops/lint')
      .query({ cluster: BAD_EDGE });
    expect(one.status).toBe(200);
    expect(one.body.findings).toEqual(example.output.findings);
    expect(one.body.counts).toEqual(example.output.counts);
    const good = await request(server)
      .get('/api/fleet-monitoring/gitops/lint')
      .query({ cluster: GOOD_EDGE });
    expect(good.body).toMatchObject({
      findings: [],
      counts: { error: 0, warning: 0 },
      overlays: [{ cluster: GOOD_EDGE }],
    });
    expect(github.requests.filter(r => r.includes('/tarball/')).length).toBe(1);
  });

  it('refuses a bad cluster parameter, anonymous callers and callers without the fleet permission', async () => {
    const server = await backend();
    const bad = await request(server)
      .get('/api/fleet-monitoring/gitops/lint')
      .query({ cluster: '../x' });
    expect(bad.status).toBe(400);
    expect(
      (
        await request(await backend({ deny: true })).get(
          '/api/fleet-monitoring/gitops/lint',
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await request(await backend({ anonymous: true })).get(
          '/api/fleet-monitoring/gitops/lint',
        )
      ).status,
    ).toBe(401);
    expect(github.requests).toEqual([]);
  });

  it('answers 404 when no repository is configured, 502 naming the config key (never the URL) when it cannot be read or is too large', async () => {
    const none = await request(await backend({ gitops: null })).get(
      '/api/fleet-monitoring/gitops/lint',
    );
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/fleetMonitoring\.gitops\.url/);

    const missing = await request(
      await backend({
        gitops: { url: 'https://github.com/example/nowhere/tree/main' },
      }),
    ).get('/api/fleet-monitoring/gitops/lint');
    expect(missing.status).toBe(502);
    expect(missing.body.error.message).toMatch(/fleetMonitoring\.gitops\.url/);
    expect(JSON.stringify(missing.body)).not.toContain('nowhere');

    const large = await request(await backend({ gitops: { maxFiles: 3 } })).get(
      '/api/fleet-monitoring/gitops/lint',
    );
    expect(large.status).toBe(502);
    expect(large.body.error.message).toMatch(/more than 3 files/);
  });

  it("answers an entity's cluster findings on the entity route, with the entity permission", async () => {
    const entities = [
      entity('Resource', BAD_EDGE, { 'fleet-monitoring.io/cluster': BAD_EDGE }),
      entity('Resource', 'plain', {}),
    ];
    const server = await backend({ entities });
    const res = await request(server).get(
      `/api/fleet-monitoring/entity/resource/default/${BAD_EDGE}/gitops-lint`,
    );
    expect(res.status).toBe(200);
    expect(res.body.findings).toEqual(
      lintFleetOverlaysExamples[0].output.findings,
    );
    expect(res.body.overlays).toEqual([
      {
        cluster: BAD_EDGE,
        component: 'prometheus-agent',
        path: `deploy/overlays/${BAD_EDGE}/prometheus-agent`,
      },
    ]);
    const plain = await request(server).get(
      '/api/fleet-monitoring/entity/resource/default/plain/gitops-lint',
    );
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toMatch(/fleet-monitoring\.io\/cluster/);
    const denied = await request(await backend({ entities, deny: true })).get(
      `/api/fleet-monitoring/entity/resource/default/${BAD_EDGE}/gitops-lint`,
    );
    expect(denied.status).toBe(403);
  });
});

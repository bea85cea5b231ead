import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ArgocdFake, generateArgoApps, FakeArgoApp } from './argocd';
import swagger from './argocd.swagger.json';

/**
 * Swagger definitions made strict: every object with declared properties rejects unknown ones, so a
 * misspelt field in the fake fails here (allOf parents are merged into their children first).
 */
function strictDefinitions(defs: Record<string, any>): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(defs)).valueOf() as Record<
    string,
    any
  >;
  const resolve = (ref: string) => copy[ref.replace('#/definitions/', '')];
  const walk = (s: any) => {
    if (!s || typeof s !== 'object') return;
    if (Array.isArray(s.allOf)) {
      for (const part of s.allOf) {
        const target = part.$ref ? resolve(part.$ref) : part;
        s.properties = {
          ...(target?.properties ?? {}),
          ...(s.properties ?? {}),
        };
      }
      delete s.allOf;
    }
    if (s.properties && s.additionalProperties === undefined)
      s.additionalProperties = false;
    for (const v of Object.values(s)) if (v && typeof v === 'object') walk(v);
  };
  for (const d of Object.values(copy)) walk(d);
  return copy;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const f of ['int32', 'int64', 'byte']) ajv.addFormat(f, true);
ajv.addSchema({
  $id: 'argocd',
  definitions: strictDefinitions((swagger as any).definitions),
});
const validators = new Map<string, ValidateFunction>();
function validate(definition: string, body: unknown) {
  let v = validators.get(definition);
  if (!v) {
    v = ajv.compile({ $ref: `argocd#/definitions/${definition}` });
    validators.set(definition, v);
  }
  const ok = v(body);
  if (!ok) throw new Error(`${definition}: ${ajv.errorsText(v.errors)}`);
}
/** The schema the swagger names for a path's 200 and default answers. */
function responseDefinition(
  path: string,
  method: 'get' | 'post',
  status: '200' | 'default',
): string {
  const ref = (swagger as any).paths[path][method].responses[status].schema
    .$ref as string;
  return ref.replace('#/definitions/', '');
}

const apps: FakeArgoApp[] = [
  {
    name: 'thanos-receive',
    project: 'monitoring',
    labels: { 'app.kubernetes.io/part-of': 'fleet', tier: 'storage' },
    sync: 'OutOfSync',
    health: 'Degraded',
    healthMessage: 'StatefulSet has 1 unavailable replica',
    revision: 'a'.repeat(40),
    operation: {
      phase: 'Failed',
      message: 'one or more objects failed to apply',
    },
    history: [
      {
        id: 1,
        revision: 'b'.repeat(40),
        deployedAt: '2026-08-20T10:00:05Z',
        author: 'Alice <alice@example.com>',
        message: 'receive: raise the head-series limit',
      },
    ],
    resources: [
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'monitoring',
        name: 'x',
        status: 'OutOfSync',
        health: 'Degraded',
      },
    ],
    syncWindows: {
      canSync: false,
      active: [{ kind: 'deny', schedule: '0 22 * * *', duration: '8h' }],
    },
  },
  {
    name: 'prometheus-agent',
    project: 'monitoring',
    labels: { 'app.kubernetes.io/part-of': 'fleet' },
  },
  ...generateArgoApps(20),
];

let fake: ArgocdFake;
const TOKEN = 'static-token';
beforeAll(async () => {
  fake = new ArgocdFake({ apps, tokens: [TOKEN], users: { admin: 's3cret' } });
  await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.fault = undefined;
});

async function call(
  path: string,
  init: RequestInit & { token?: string | null } = {},
) {
  const headers: Record<string, string> = { ...(init.headers as any) };
  if (init.token !== null)
    headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  const res = await fetch(`${fake.url}${path}`, { ...init, headers });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    json,
    text,
    type: res.headers.get('content-type'),
  };
}

describe('ArgocdFake contract (validated against argo-cd swagger.json)', () => {
  it('lists applications (v1alpha1ApplicationList) and filters by selector, name, project', async () => {
    const all = await call('/api/v1/applications');
    expect(all.status).toBe(200);
    validate(
      responseDefinition('/api/v1/applications', 'get', '200'),
      all.json,
    );
    expect(all.json.items).toHaveLength(22);

    const sel = await call(
      `/api/v1/applications?${new URLSearchParams({ selector: 'app.kubernetes.io/part-of=fleet,tier in (storage)' })}`,
    );
    validate('v1alpha1ApplicationList', sel.json);
    expect(sel.json.items.map((a: any) => a.metadata.name)).toEqual([
      'thanos-receive',
    ]);

    const byName = await call('/api/v1/applications?name=prometheus-agent');
    expect(byName.json.items).toHaveLength(1);

    const byProject = await call('/api/v1/applications?projects=team-1');
    expect(
      byProject.json.items.every((a: any) => a.spec.project === 'team-1'),
    ).toBe(true);
  });

  it('answers 404 {error, code, message} when the list name matches nothing', async () => {
    const r = await call('/api/v1/applications?name=nope');
    expect(r.status).toBe(404);
    validate(
      responseDefinition('/api/v1/applications', 'get', 'default'),
      r.json,
    );
    expect(r.json).toEqual({
      error: "application 'nope' not found",
      code: 5,
      message: "application 'nope' not found",
    });
  });

  it('leaves empty fields out (omitempty)', async () => {
    const r = await call('/api/v1/applications/prometheus-agent');
    validate('v1alpha1Application', r.json);
    expect(r.json.status.health).toEqual({ status: 'Healthy' });
    expect(r.json.status).not.toHaveProperty('history');
    expect(r.json.status).not.toHaveProperty('operationState');
    expect(JSON.stringify(r.json)).not.toMatch(/:null|:""|:\[\]/);
  });

  it('gets one application with history and operation state', async () => {
    const r = await call('/api/v1/applications/thanos-receive');
    expect(r.status).toBe(200);
    validate(
      responseDefinition('/api/v1/applications/{name}', 'get', '200'),
      r.json,
    );
    expect(r.json.status.history[0].id).toBe(1);
    expect(r.json.status.operationState.phase).toBe('Failed');
  });

  it('hides whether an app exists: 403 without a project, 404 with one', async () => {
    const hidden = await call('/api/v1/applications/does-not-exist');
    expect(hidden.status).toBe(403);
    validate('runtimeError', hidden.json);
    expect(hidden.json).toEqual({
      error: 'permission denied',
      code: 7,
      message: 'permission denied',
    });
    const known = await call(
      '/api/v1/applications/does-not-exist?project=monitoring',
    );
    expect(known.status).toBe(404);
    validate('runtimeError', known.json);
  });

  it('serves the resource tree (v1alpha1ApplicationTree, ResourceNode allOf ResourceRef)', async () => {
    const r = await call('/api/v1/applications/thanos-receive/resource-tree');
    validate(
      responseDefinition(
        '/api/v1/applications/{applicationName}/resource-tree',
        'get',
        '200',
      ),
      r.json,
    );
    expect(r.json.nodes.map((n: any) => n.kind)).toEqual(['Deployment', 'Pod']);
  });

  it('serves revision metadata (v1alpha1RevisionMetadata) of a revision in the history, 404 otherwise', async () => {
    const r = await call(
      `/api/v1/applications/thanos-receive/revisions/${'b'.repeat(40)}/metadata`,
    );
    validate(
      responseDefinition(
        '/api/v1/applications/{name}/revisions/{revision}/metadata',
        'get',
        '200',
      ),
      r.json,
    );
    expect(r.json).toEqual({
      author: 'Alice <alice@example.com>',
      date: '2026-08-20T10:00:05Z',
      message: 'receive: raise the head-series limit',
    });
    const missing = await call(
      `/api/v1/applications/thanos-receive/revisions/${'c'.repeat(40)}/metadata`,
    );
    expect(missing.status).toBe(404);
  });

  it('serves sync windows with canSync=false kept', async () => {
    const r = await call('/api/v1/applications/thanos-receive/syncwindows');
    validate(
      responseDefinition(
        '/api/v1/applications/{name}/syncwindows',
        'get',
        '200',
      ),
      r.json,
    );
    expect(r.json.canSync).toBe(false);
    const ok = await call('/api/v1/applications/prometheus-agent/syncwindows');
    expect(ok.json).toEqual({ canSync: true });
  });

  it('logs in (sessionSessionResponse) with a JWT carrying exp; rejects bad passwords', async () => {
    const bad = await call('/api/v1/session', {
      method: 'POST',
      token: null,
      body: JSON.stringify({ username: 'admin', password: 'x' }),
    });
    expect(bad.status).toBe(401);
    validate(
      responseDefinition('/api/v1/session', 'post', 'default'),
      bad.json,
    );
    const good = await call('/api/v1/session', {
      method: 'POST',
      token: null,
      body: JSON.stringify({ username: 'admin', password: 's3cret' }),
    });
    expect(good.status).toBe(200);
    validate(responseDefinition('/api/v1/session', 'post', '200'), good.json);
    const payload = JSON.parse(
      Buffer.from(good.json.token.split('.')[1], 'base64url').toString(),
    );
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
    const withSession = await call('/api/v1/applications?name=thanos-receive', {
      token: good.json.token,
    });
    expect(withSession.status).toBe(200);
    fake.revokeSessions();
    const revoked = await call('/api/v1/applications', {
      token: good.json.token,
    });
    expect(revoked.status).toBe(401);
  });

  it('answers 401 "no session information" without a token', async () => {
    const r = await call('/api/v1/applications', { token: null });
    expect(r.status).toBe(401);
    validate('runtimeError', r.json);
    expect(r.json).toEqual({
      error: 'no session information',
      code: 16,
      message: 'no session information',
    });
  });

  it('injects faults: 401, 403, non-JSON, slow, down', async () => {
    fake.fault = 'unauthorized';
    expect((await call('/api/v1/applications')).status).toBe(401);
    fake.fault = 'forbidden';
    const f = await call('/api/v1/applications');
    expect(f.status).toBe(403);
    validate('runtimeError', f.json);
    fake.fault = 'non-json';
    const n = await call('/api/v1/applications');
    expect(n.json).toBeUndefined();
    expect(n.type).toContain('text/html');
    fake.fault = 'slow';
    fake.slowMs = 300;
    const t0 = Date.now();
    expect(
      (await call('/api/v1/applications?name=prometheus-agent')).status,
    ).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    fake.fault = 'down';
    await expect(call('/api/v1/applications')).rejects.toThrow();
  });

  it('the strict schema catches unknown or mistyped fields', () => {
    expect(() =>
      validate('v1alpha1Application', { metadata: { name: 'x', nmae: 'y' } }),
    ).toThrow(/additional/);
    expect(() =>
      validate('v1alpha1Application', { status: { history: [{ id: '1' }] } }),
    ).toThrow(/integer/);
  });

  it('holds 500 generated apps and validates them all', async () => {
    const big = new ArgocdFake({
      apps: generateArgoApps(500),
      tokens: [TOKEN],
    });
    await big.start();
    try {
      const res = await fetch(`${big.url}/api/v1/applications`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const body = await res.json();
      validate('v1alpha1ApplicationList', body);
      expect(body.items).toHaveLength(500);
    } finally {
      await big.stop();
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { runAction } from '../__testUtils__/context';
import {
  find,
  makeTempDir,
  removeDir,
  renderWithKustomize,
} from '../__testUtils__/render';
import { hashringFileSchema, registerTenant } from '../lib/hashring';
import { createCentralOverlayAction } from './createCentralOverlay';
import { registerHashringAction } from './registerHashring';

const action = registerHashringAction();
const OVERLAY = 'deploy/overlays/cluster-01-central/kube-prometheus-stack';
const FILE = `${OVERLAY}/hashrings.json`;

describe('fleet:hashring:register', () => {
  let ws: string;
  const read = () => JSON.parse(fs.readFileSync(path.join(ws, FILE), 'utf8'));
  const write = (v: unknown) => {
    fs.mkdirSync(path.join(ws, OVERLAY), { recursive: true });
    fs.writeFileSync(
      path.join(ws, FILE),
      typeof v === 'string' ? v : `${JSON.stringify(v, null, 2)}\n`,
    );
  };
  beforeEach(() => {
    ws = makeTempDir();
  });
  afterEach(() => removeDir(ws));

  it('adds a tenant hashring before the catch-all, idempotently, and the result renders into the ConfigMap', async () => {
    await runAction(createCentralOverlayAction(), ws, {
      cluster: 'cluster-01',
    });
    const first = await runAction(action, ws, {
      centralCluster: 'cluster-01',
      tenant: 'cluster-02',
    });
    expect(first.outputs).toMatchObject({
      files: [FILE],
      changed: true,
      overlayPath: OVERLAY,
    });
    const after = read();
    expect(after.map((h: any) => h.hashring)).toEqual([
      'cluster-02',
      'default',
    ]);
    expect(after[0]).toEqual({
      hashring: 'cluster-02',
      tenants: ['cluster-02'],
      tenant_matcher_type: 'exact',
      endpoints: [0, 1, 2].map(
        i =>
          `thanos-receive-${i}.thanos-receive.monitoring.svc.cluster.local:10901`,
      ),
    });
    const again = await runAction(action, ws, {
      centralCluster: 'cluster-01',
      tenant: 'cluster-02',
    });
    expect(again.outputs).toMatchObject({ files: [], changed: false });
    expect(read()).toEqual(after);

    const docs = renderWithKustomize(ws, OVERLAY);
    const cm = find(docs, 'ConfigMap', 'thanos-receive-hashrings');
    expect(
      hashringFileSchema.parse(JSON.parse(cm.data['hashrings.json'])),
    ).toEqual(after);
  }, 60_000);

  it('keeps existing entries, their order, unknown fields and object endpoints', async () => {
    const existing = [
      {
        hashring: 'a',
        tenants: ['t1'],
        endpoints: [{ address: 'r0:10901', az: 'z1' }],
        algorithm: 'ketama',
        shuffle_sharding_config: { shard_size: 2 },
      },
      {
        hashring: 'b',
        tenants: ['t2'],
        tenant_matcher_type: 'glob',
        endpoints: ['r1:10901'],
      },
      { endpoints: ['r2:10901'] },
    ];
    write(existing);
    const { outputs } = await runAction(action, ws, {
      centralCluster: 'cluster-01',
      tenant: 't3',
      hashring: 'b',
    });
    expect(outputs.changed).toBe(true);
    expect(read()).toEqual([
      existing[0],
      { ...existing[1], tenants: ['t2', 't3'] },
      existing[2],
    ]);
  });

  it('refuses a tenant already routed to another hashring', async () => {
    write([{ hashring: 'a', tenants: ['t1'], endpoints: ['r0:10901'] }]);
    await expect(
      runAction(action, ws, {
        centralCluster: 'cluster-01',
        tenant: 't1',
        hashring: 'b',
      }),
    ).rejects.toThrow(/already routed to hashring "a"/);
  });

  it.each([
    ['not JSON', '{ nope'],
    ['an object instead of an array', { hashring: 'a', endpoints: [] }],
    ['endpoints missing', [{ hashring: 'a', tenants: ['x'] }]],
    ['an unknown algorithm', [{ endpoints: ['a:1'], algorithm: 'roundrobin' }]],
    ['a bad endpoint', [{ endpoints: [42] }]],
  ])(
    'refuses a malformed existing file (%s) and leaves it alone',
    async (_what, content) => {
      write(content);
      const before = fs.readFileSync(path.join(ws, FILE), 'utf8');
      await expect(
        runAction(action, ws, { centralCluster: 'cluster-01', tenant: 't' }),
      ).rejects.toThrow(/refusing to modify it/);
      expect(fs.readFileSync(path.join(ws, FILE), 'utf8')).toBe(before);
    },
  );

  it('refuses a missing central overlay and bad names', async () => {
    await expect(
      runAction(action, ws, { centralCluster: 'cluster-01', tenant: 't' }),
    ).rejects.toThrow(/does not exist; create the central overlay first/);
    await expect(
      runAction(action, ws, { centralCluster: '../cluster-01', tenant: 't' }),
    ).rejects.toThrow(/invalid input: centralCluster/);
    await expect(
      runAction(action, ws, { centralCluster: 'c', tenant: 'a/b' }),
    ).rejects.toThrow(/invalid input: tenant/);
  });

  it('registerTenant on a catch-all hashring is a no-op', () => {
    const res = registerTenant([{ hashring: 'default', endpoints: ['a:1'] }], {
      hashring: 'default',
      tenant: 't',
      endpoints: [],
    });
    expect(res.changed).toBe(false);
    expect(res.notes[0]).toMatch(/catch-all/);
  });
});

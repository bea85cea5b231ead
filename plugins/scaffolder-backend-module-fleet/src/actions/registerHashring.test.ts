import { HASHRING_CONFIGMAP } from '@fleet-monitoring/plugin-monitoring-common';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
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
const CENTRAL = 'cluster-01-central';
const OVERLAY = `deploy/overlays/${CENTRAL}/kube-prometheus-stack`;
const FILE = `${OVERLAY}/hashrings.json`;
const endpoint = (i: number, ns = 'monitoring') =>
  `thanos-receive-${i}.thanos-receive.${ns}.svc.cluster.local:10901`;

describe('fleet:hashring:register', () => {
  let ws: string;
  const read = () => JSON.parse(fs.readFileSync(path.join(ws, FILE), 'utf8'));
  const raw = () => fs.readFileSync(path.join(ws, FILE), 'utf8');
  const write = (v: unknown) => {
    fs.mkdirSync(path.join(ws, OVERLAY), { recursive: true });
    fs.writeFileSync(
      path.join(ws, FILE),
      typeof v === 'string' ? v : `${JSON.stringify(v, null, 2)}\n`,
    );
  };
  /** A real central overlay (its receivers are what registration reads). */
  const central = (receiver: Record<string, unknown> = {}, extra = {}) =>
    runAction(createCentralOverlayAction(), ws, {
      cluster: CENTRAL,
      receiver,
      objectStorage: { secretName: 'thanos-objstore' },
      edgeEntryPoint: { type: 'loadBalancer', auth: 'none', tls: 'none' },
      ...extra,
    });
  beforeEach(() => {
    ws = makeTempDir();
  });
  afterEach(() => removeDir(ws));

  it('adds a tenant hashring over the central receivers before the catch-all, idempotently, and it renders into the ConfigMap', async () => {
    await central();
    const first = await runAction(action, ws, {
      centralCluster: CENTRAL,
      tenant: 'cluster-02-edge',
    });
    expect(first.outputs).toMatchObject({
      files: [FILE],
      changed: true,
      overlayPath: OVERLAY,
    });
    const after = read();
    expect(after.map((h: any) => h.hashring)).toEqual([
      'cluster-02-edge',
      'default',
    ]);
    expect(after[0]).toEqual({
      hashring: 'cluster-02-edge',
      tenants: ['cluster-02-edge'],
      tenant_matcher_type: 'exact',
      endpoints: [0, 1, 2].map(i => endpoint(i)),
    });
    const again = await runAction(action, ws, {
      centralCluster: CENTRAL,
      tenant: 'cluster-02-edge',
    });
    expect(again.outputs).toMatchObject({ files: [], changed: false });
    expect(read()).toEqual(after);

    const docs = renderWithKustomize(ws, OVERLAY);
    const cm = find(docs, 'ConfigMap', HASHRING_CONFIGMAP);
    expect(
      hashringFileSchema.parse(JSON.parse(cm.data['hashrings.json'])),
    ).toEqual(after);
  }, 60_000);

  it('registering into a 1-receiver central lists exactly its one endpoint (in its namespace)', async () => {
    await central(
      { replicas: 1, replicationFactor: 1, algorithm: 'hashmod' },
      { namespace: 'observability' },
    );
    await runAction(action, ws, {
      centralCluster: CENTRAL,
      tenant: 'cluster-02-edge',
    });
    expect(read()[0].endpoints).toEqual([endpoint(0, 'observability')]);
  });

  it('follows a replica count tuned in patches.yaml', async () => {
    await central({ replicas: 3, replicationFactor: 1 });
    const patches = path.join(ws, OVERLAY, 'patches.yaml');
    const patch = YAML.parse(fs.readFileSync(patches, 'utf8'));
    patch.spec.replicas = 5;
    fs.writeFileSync(patches, YAML.stringify(patch));
    await runAction(action, ws, { centralCluster: CENTRAL, tenant: 't' });
    expect(read()[0].endpoints).toEqual([0, 1, 2, 3, 4].map(i => endpoint(i)));
  });

  it('refuses a ketama hashring with fewer endpoints than replication factor 3, naming the fix, and writes nothing', async () => {
    await central(); // 3 receivers, RF 3, ketama
    const before = raw();
    const run = runAction(action, ws, {
      centralCluster: CENTRAL,
      tenant: 'team-payments',
      hashring: 'payments',
      algorithm: 'ketama',
      endpoints: [endpoint(0), endpoint(1)],
    });
    await expect(run).rejects.toMatchObject({ name: 'InputError' });
    await expect(run).rejects.toThrow(
      /hashring "payments" \(ketama\) lists 2 endpoint\(s\) but the receivers replicate every series 3 times.*amount of endpoints needs to be larger than replication factor.*list at least 3 of the central's 3 receivers/,
    );
    expect(raw()).toBe(before);
  });

  it('refuses hashmod rings Thanos cannot serve: fewer endpoints than RF, or endpoints with az', async () => {
    await central({ replicas: 3, replicationFactor: 2, algorithm: 'hashmod' });
    await expect(
      runAction(action, ws, {
        centralCluster: CENTRAL,
        tenant: 't1',
        endpoints: [endpoint(0)],
      }),
    ).rejects.toThrow(
      /\(hashmod\) lists 1 endpoint\(s\).*every write to it fails/,
    );
    await expect(
      runAction(action, ws, {
        centralCluster: CENTRAL,
        tenant: 't2',
        endpoints: [
          { address: endpoint(0), az: 'a' },
          { address: endpoint(1), az: 'b' },
        ],
      }),
    ).rejects.toThrow(/hashmod\) has endpoints with az.*use algorithm ketama/);
    // The same zones with ketama are fine.
    await runAction(action, ws, {
      centralCluster: CENTRAL,
      tenant: 't2',
      algorithm: 'ketama',
      endpoints: [
        { address: endpoint(0), az: 'a' },
        { address: endpoint(1), az: 'b' },
      ],
    });
    expect(read()[0]).toMatchObject({ hashring: 't2', algorithm: 'ketama' });
  });

  it('refuses endpoints that are not receivers of the central', async () => {
    await central({ replicas: 1, replicationFactor: 1 });
    await expect(
      runAction(action, ws, {
        centralCluster: CENTRAL,
        tenant: 't',
        endpoints: [endpoint(1)],
      }),
    ).rejects.toThrow(
      /thanos-receive-1\.\S+ are not receivers of cluster-01-central; its overlay deploys 1: thanos-receive-0\./,
    );
  });

  it('keeps existing entries, their order, unknown fields and object endpoints', async () => {
    await central({ replicas: 3, replicationFactor: 1 });
    const existing = [
      {
        hashring: 'a',
        tenants: ['t1'],
        endpoints: [{ address: endpoint(0), az: 'z1' }],
        algorithm: 'ketama',
        shuffle_sharding_config: { shard_size: 1 },
      },
      {
        hashring: 'b',
        tenants: ['t2'],
        tenant_matcher_type: 'glob',
        endpoints: [endpoint(1)],
      },
      { endpoints: [endpoint(2)] },
    ];
    write(existing);
    const { outputs } = await runAction(action, ws, {
      centralCluster: CENTRAL,
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

  it('keeps tenants unique: refuses a tenant another hashring already routes (exactly or by glob)', async () => {
    await central({ replicas: 3, replicationFactor: 1 });
    write([
      { hashring: 'a', tenants: ['t1'], endpoints: [endpoint(0)] },
      {
        hashring: 'teams',
        tenants: ['team-*'],
        tenant_matcher_type: 'glob',
        endpoints: [endpoint(1)],
      },
    ]);
    await expect(
      runAction(action, ws, {
        centralCluster: CENTRAL,
        tenant: 't1',
        hashring: 'b',
      }),
    ).rejects.toThrow(/already routed to hashring "a"/);
    await expect(
      runAction(action, ws, { centralCluster: CENTRAL, tenant: 'team-x' }),
    ).rejects.toThrow(/already routed to hashring "teams"/);
  });

  it('refuses to write a file in which a tenant is listed twice', async () => {
    await central({ replicas: 3, replicationFactor: 1 });
    write([
      { hashring: 'a', tenants: ['dup'], endpoints: [endpoint(0)] },
      { hashring: 'b', tenants: ['dup'], endpoints: [endpoint(1)] },
    ]);
    await expect(
      runAction(action, ws, { centralCluster: CENTRAL, tenant: 'new' }),
    ).rejects.toThrow(
      /tenant "dup" is listed by hashring "a" and by hashring "b"/,
    );
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
      const before = raw();
      await expect(
        runAction(action, ws, { centralCluster: CENTRAL, tenant: 't' }),
      ).rejects.toThrow(/refusing to modify it/);
      expect(raw()).toBe(before);
    },
  );

  it('refuses a missing central overlay and bad names', async () => {
    await expect(
      runAction(action, ws, { centralCluster: CENTRAL, tenant: 't' }),
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

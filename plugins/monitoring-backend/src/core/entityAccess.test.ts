import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fleetMonitoringFleetReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import { EntityAccess } from './entityAccess';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'edge', namespace: 'default' },
  spec: {},
};
const ref = { kind: 'resource', namespace: 'default', name: 'edge' };

function setup(ttlSeconds: number) {
  const catalog = catalogServiceMock({ entities: [entity] });
  const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  let allowed = new Set(['user:default/alice']);
  const permissions = mockServices.permissions.mock({
    authorize: async (reqs, { credentials }) => {
      const user =
        (credentials.principal as { userEntityRef?: string }).userEntityRef ??
        '';
      return reqs.map(() => ({
        result: allowed.has(user)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }));
    },
  });
  const access = new EntityAccess(
    mockServices.httpAuth(),
    permissions,
    catalog,
    { ttlSeconds },
  );
  return {
    access,
    getEntityByRef,
    permissions,
    allow: (users: string[]) => {
      allowed = new Set(users);
    },
  };
}

describe('EntityAccess decision cache', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');

  it('reads the entity and decides once per caller while the answer is fresh, and shares concurrent checks', async () => {
    const { access, getEntityByRef, permissions } = setup(5);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => access.entityFor(alice, ref)),
    );
    expect(results.every(e => e.metadata.name === 'edge')).toBe(true);
    await access.entityFor(alice, ref);
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
  });

  it("never answers one caller from another caller's decision", async () => {
    const { access, getEntityByRef } = setup(5);
    await access.entityFor(alice, ref);
    await expect(access.entityFor(bob, ref)).rejects.toThrow(
      /Not allowed to read monitoring data/,
    );
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
  });

  it('does not keep denials, so a newly granted caller gets in at once', async () => {
    const { access, allow } = setup(5);
    await expect(access.entityFor(bob, ref)).rejects.toThrow(/Not allowed/);
    allow(['user:default/bob']);
    await expect(access.entityFor(bob, ref)).resolves.toMatchObject({
      metadata: { name: 'edge' },
    });
  });

  it('caches basic permission decisions per caller and permission; ttl 0 asks every time', async () => {
    const cached = setup(5);
    await cached.access.authorizeBasic(
      alice,
      fleetMonitoringFleetReadPermission,
    );
    await cached.access.authorizeBasic(
      alice,
      fleetMonitoringFleetReadPermission,
    );
    expect(cached.permissions.authorize).toHaveBeenCalledTimes(1);
    const uncached = setup(0);
    await uncached.access.entityFor(alice, ref);
    await uncached.access.entityFor(alice, ref);
    expect(uncached.getEntityByRef).toHaveBeenCalledTimes(2);
  });

  it('checks the reference before asking anyone', async () => {
    const { access, getEntityByRef } = setup(5);
    await expect(
      access.entityFor(alice, { ...ref, name: '../etc' }),
    ).rejects.toThrow(/Invalid entity name/);
    expect(getEntityByRef).not.toHaveBeenCalled();
  });
});

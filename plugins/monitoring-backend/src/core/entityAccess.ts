import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { fleetMonitoringEntityReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { Request } from 'express';

/** Any route's request: the typed router narrows params, query and body per route. */
type AnyRequest = Request<any, any, any, any, any>;

const REF_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
/** Entries kept before expired ones are swept. */
const SWEEP_ABOVE = 10_000;

/**
 * Outcomes of checks per caller for a few seconds. Concurrent identical checks share one promise
 * (a card polling from many tabs costs one catalog read); failures are not kept, so a caller who was
 * just granted access does not wait for an expiry.
 */
class DecisionCache<T> {
  private readonly entries = new Map<
    string,
    { value: Promise<T>; expiresAt: number }
  >();

  constructor(private readonly ttlMs: number) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    if (this.entries.size > SWEEP_ABOVE) {
      for (const [k, v] of this.entries)
        if (v.expiresAt <= now) this.entries.delete(k);
    }
    const value = load();
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}

/** Who is calling, as a cache key: the user entity ref or the calling service's subject. */
function callerKey(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${p.type}:${p.userEntityRef ?? p.subject ?? ''}`;
}

/**
 * Authentication and authorization shared by every route and action: who is calling, may they read
 * this entity (the catalog answers only with entities the caller may see; then our own resource
 * permission), and may they use a fleet-wide or query permission. Credentials are checked on every
 * request; the catalog read and the permission decisions are reused per caller for `ttlSeconds`
 * (a revoked permission takes effect within that time).
 */
export class EntityAccess {
  private readonly entities: DecisionCache<Entity>;
  private readonly basics: DecisionCache<void>;

  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
    private readonly catalog: CatalogService,
    options: { ttlSeconds?: number } = {},
  ) {
    const ttlMs = (options.ttlSeconds ?? 5) * 1000;
    this.entities = new DecisionCache(ttlMs);
    this.basics = new DecisionCache(ttlMs);
  }

  async credentials(req: AnyRequest): Promise<BackstageCredentials> {
    return this.httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  async requireBasic(
    req: AnyRequest,
    permission: BasicPermission,
  ): Promise<BackstageCredentials> {
    const credentials = await this.credentials(req);
    await this.authorizeBasic(credentials, permission);
    return credentials;
  }

  /** Throws NotAllowedError unless the caller has the basic permission. */
  authorizeBasic(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<void> {
    return this.basics.get(
      `${callerKey(credentials)}|${permission.name}`,
      async () => {
        const [decision] = await this.permissions.authorize([{ permission }], {
          credentials,
        });
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(`Not allowed: ${permission.name}`);
        }
      },
    );
  }

  /** The entity named by the route, after both checks; 404 when it does not exist or is hidden. */
  async readEntity(
    req: Request<
      { kind: string; namespace: string; name: string },
      any,
      any,
      any,
      any
    >,
  ): Promise<Entity> {
    const { kind, namespace, name } = req.params;
    return this.entityFor(await this.credentials(req), {
      kind,
      namespace,
      name,
    });
  }

  /** The entity, read with the caller's credentials and checked against the entity permission. */
  async entityFor(
    credentials: BackstageCredentials,
    ref: { kind: string; namespace: string; name: string },
  ): Promise<Entity> {
    for (const [what, v] of Object.entries(ref)) {
      if (!REF_PART.test(v ?? ''))
        throw new InputError(`Invalid entity ${what} "${v}"`);
    }
    const refText = stringifyEntityRef(ref);
    return this.entities.get(
      `${callerKey(credentials)}|${refText}`,
      async () => {
        const entity = await this.catalog.getEntityByRef(ref, { credentials });
        if (!entity) throw new NotFoundError(`Entity ${refText} not found`);
        const [decision] = await this.permissions.authorize(
          [
            {
              permission: fleetMonitoringEntityReadPermission,
              resourceRef: stringifyEntityRef(entity),
            },
          ],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            `Not allowed to read monitoring data of ${refText}`,
          );
        }
        return entity;
      },
    );
  }
}

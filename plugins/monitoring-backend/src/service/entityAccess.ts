import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult, BasicPermission } from '@backstage/plugin-permission-common';
import { fleetMonitoringEntityReadPermission } from '@fleet-monitoring/plugin-monitoring-common';
import type { Request } from 'express';

const REF_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/**
 * Authentication and authorization shared by every route: who is calling, may they read this entity
 * (the catalog answers only with entities the caller may see; then our own resource permission),
 * and may they use a fleet-wide or query permission.
 */
export class EntityAccess {
  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
    private readonly catalog: CatalogService,
  ) {}

  async credentials(req: Request): Promise<BackstageCredentials> {
    return this.httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  async requireBasic(req: Request, permission: BasicPermission): Promise<BackstageCredentials> {
    const credentials = await this.credentials(req);
    const [decision] = await this.permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  }

  /** The entity named by the route, after both checks; 404 when it does not exist or is hidden. */
  async readEntity(req: Request): Promise<Entity> {
    const { kind, namespace, name } = req.params;
    for (const [what, v] of Object.entries({ kind, namespace, name })) {
      if (!REF_PART.test(v ?? '')) throw new InputError(`Invalid entity ${what} "${v}"`);
    }
    const credentials = await this.credentials(req);
    const entity = await this.catalog.getEntityByRef({ kind, namespace, name }, { credentials });
    const ref = stringifyEntityRef({ kind, namespace, name });
    if (!entity) throw new NotFoundError(`Entity ${ref} not found`);
    const [decision] = await this.permissions.authorize(
      [{ permission: fleetMonitoringEntityReadPermission, resourceRef: stringifyEntityRef(entity) }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to read monitoring data of ${ref}`);
    }
    return entity;
  }
}

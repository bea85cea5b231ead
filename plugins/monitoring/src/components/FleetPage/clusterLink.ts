import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef as useLegacyRouteRef } from '@backstage/core-plugin-api';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';

/**
 * Builds the path of a cluster's entity page: the entity `entityRef` names when the catalog gave
 * one (the reconciled fleet knows it), else the Resource named like the cluster.
 */
export type ClusterLink = (cluster: string, entityRef?: string) => string;

type EntityParams = { kind: string; namespace: string; name: string };

function entityParams(cluster: string, entityRef?: string): EntityParams {
  if (entityRef) {
    try {
      const ref = parseEntityRef(entityRef, {
        defaultKind: 'resource',
        defaultNamespace: 'default',
      });
      return {
        kind: ref.kind.toLocaleLowerCase('en-US'),
        namespace: ref.namespace,
        name: encodeURIComponent(ref.name),
      };
    } catch {
      // A malformed ref falls back to the cluster's name.
    }
  }
  return {
    kind: 'resource',
    namespace: 'default',
    name: encodeURIComponent(cluster),
  };
}

const defaultPath = (p: EntityParams) =>
  `/catalog/${p.namespace}/${p.kind}/${p.name}`;

/** The catalog's default entity path, for apps that bind no catalog entity route. */
export const defaultClusterLink: ClusterLink = (cluster, entityRef) =>
  defaultPath(entityParams(cluster, entityRef));

/**
 * New frontend system: resolves the catalog's entity route through the app's route resolution,
 * without reading React Router (so the page needs no router adapter).
 */
export function useClusterLink(): ClusterLink {
  const route = useRouteRef(entityRouteRef);
  return (cluster, entityRef) => {
    const params = entityParams(cluster, entityRef);
    return route ? route(params) : defaultPath(params);
  };
}

/** Legacy frontend system: the same link through core-plugin-api's React Router based resolution. */
export function useLegacyClusterLink(): ClusterLink {
  let route: ((params: EntityParams) => string) | undefined;
  try {
    // useRouteRef always runs all of its own hooks before it throws for an unbound route, so the
    // hook order is the same on every render; the rule flags any hook inside a try block.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    route = useLegacyRouteRef(entityRouteRef);
  } catch {
    route = undefined;
  }
  return (cluster, entityRef) => {
    const params = entityParams(cluster, entityRef);
    return route ? route(params) : defaultPath(params);
  };
}

import { useRouteRef as useLegacyRouteRef } from '@backstage/core-plugin-api';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';

/** Builds the path of a cluster's Resource entity page. */
export type ClusterLink = (cluster: string) => string;

const entityParams = (cluster: string) => ({
  kind: 'resource',
  namespace: 'default',
  name: encodeURIComponent(cluster),
});

/** The catalog's default entity path, for apps that bind no catalog entity route. */
export const defaultClusterLink: ClusterLink = cluster =>
  `/catalog/default/resource/${encodeURIComponent(cluster)}`;

/**
 * New frontend system: resolves the catalog's entity route through the app's route resolution,
 * without reading React Router (so the page needs no router adapter).
 */
export function useClusterLink(): ClusterLink {
  const route = useRouteRef(entityRouteRef);
  return cluster =>
    route ? route(entityParams(cluster)) : defaultClusterLink(cluster);
}

/** Legacy frontend system: the same link through core-plugin-api's React Router based resolution. */
export function useLegacyClusterLink(): ClusterLink {
  let route: ((params: ReturnType<typeof entityParams>) => string) | undefined;
  try {
    // useRouteRef always runs all of its own hooks before it throws for an unbound route, so the
    // hook order is the same on every render; the rule flags any hook inside a try block.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    route = useLegacyRouteRef(entityRouteRef);
  } catch {
    route = undefined;
  }
  return cluster =>
    route ? route(entityParams(cluster)) : defaultClusterLink(cluster);
}

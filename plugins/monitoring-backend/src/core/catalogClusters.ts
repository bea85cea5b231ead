import type { AuthService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  checkLabelValue,
  CLUSTER_ANNOTATION,
} from '@fleet-monitoring/plugin-monitoring-common';

/** Cluster names some source other than Thanos knows (the catalog). */
export interface ClusterCatalog {
  clusterNames(): Promise<string[]>;
}

/** How long the catalog's cluster list is reused; clusters are added far less often than this. */
const REFRESH_MS = 60_000;

/**
 * Cluster names from catalog Resources carrying `fleet-monitoring.io/cluster`, read with the plugin's
 * own service credentials (the names go into the fleet summary, which has its own permission).
 * Values that could never be a label value are skipped here; the entity routes report them as 400.
 */
export function catalogClusters(
  catalog: CatalogService,
  auth: AuthService,
): ClusterCatalog {
  let cached: { names: string[]; at: number } | undefined;
  return {
    async clusterNames() {
      if (cached && Date.now() - cached.at < REFRESH_MS) return cached.names;
      const { items } = await catalog.getEntities(
        { filter: { kind: 'Resource' } },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const names = new Set<string>();
      for (const e of items) {
        const value = e.metadata.annotations?.[CLUSTER_ANNOTATION]?.trim();
        if (!value) continue;
        try {
          names.add(checkLabelValue(value));
        } catch {
          // Not a usable name; the entity's own card says why.
        }
      }
      cached = { names: [...names].sort(), at: Date.now() };
      return cached.names;
    },
  };
}

import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  reasonDocsPath,
  REASONS,
  type ReasonId,
} from '@fleet-monitoring/plugin-monitoring-common';

/** Where the TechDocs handbook of the plugin set is served in a default install. */
export const DEFAULT_DOCS_BASE_URL = '/docs/default/system/fleet-monitoring/';

/** Base URL of the troubleshooting docs, from `fleetMonitoring.docsBaseUrl`, always ending in `/`. */
export function useDocsBaseUrl(): string {
  const config = useApi(configApiRef);
  const base =
    config.getOptionalString('fleetMonitoring.docsBaseUrl') ??
    DEFAULT_DOCS_BASE_URL;
  return base.endsWith('/') ? base : `${base}/`;
}

export function reasonDocsUrl(
  base: string,
  id: ReasonId | string,
): string | undefined {
  return id in REASONS ? `${base}${reasonDocsPath(id as ReasonId)}` : undefined;
}

export function reasonTitle(id: ReasonId | string): string {
  return id in REASONS ? REASONS[id as ReasonId].title : id;
}

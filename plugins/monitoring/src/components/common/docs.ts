import { createContext, useContext } from 'react';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  reasonDocsPath,
  REASONS,
  type ReasonId,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * Where the TechDocs handbook of the plugin set is served in a default install.
 *
 * @public
 */
export const DEFAULT_DOCS_BASE_URL = '/docs/default/system/fleet-monitoring/';

/**
 * The docs base URL set in an extension's config (new frontend system: `app.extensions`
 * `entity-card:fleet-monitoring/...: {config: {docsBaseUrl}}`). Undefined outside such an extension.
 */
export const DocsBaseUrlContext = createContext<string | undefined>(undefined);

/**
 * Base URL of the troubleshooting docs, always ending in `/`: the extension's `docsBaseUrl` config,
 * else `fleetMonitoring.docsBaseUrl` (what legacy apps set), else the default TechDocs location.
 */
export function useDocsBaseUrl(): string {
  const fromExtension = useContext(DocsBaseUrlContext);
  const config = useApi(configApiRef);
  const base =
    fromExtension ??
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

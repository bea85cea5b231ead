import fs from 'node:fs';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** One ArgoCD instance from `fleetMonitoring.argocd[]`, validated, with defaults applied. */
export interface ArgocdInstanceConfig {
  name: string;
  title?: string;
  /** API base URL, always ending in `/`. */
  url: URL;
  /** UI base URL for links (defaults to `url`). */
  uiUrl: URL;
  auth:
    | { type: 'token'; token: string }
    | { type: 'password'; username: string; password: string };
  ca?: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface ArgocdSettings {
  instances: ArgocdInstanceConfig[];
  cacheTtlSeconds: number;
  /** Sync-window lookups per entity answer (OutOfSync apps only). */
  maxSyncWindowChecks: number;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function readUrl(where: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.endsWith('/') ? raw : `${raw}/`);
  } catch {
    throw new InputError(`${where} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InputError(`${where} must be http(s)`);
  if (url.username || url.password)
    throw new InputError(`${where} must not embed credentials`);
  return url;
}

function readInstance(c: Config): ArgocdInstanceConfig {
  const name = c.getString('name');
  if (!NAME.test(name))
    throw new InputError(
      `fleetMonitoring.argocd: instance name "${name}" is not valid`,
    );
  const where = `fleetMonitoring.argocd[${name}]`;
  const url = readUrl(`${where}.url`, c.getString('url'));
  const uiRaw = c.getOptionalString('uiUrl');
  const token = c.getOptionalString('token');
  const username = c.getOptionalString('username');
  const password = c.getOptionalString('password');
  let auth: ArgocdInstanceConfig['auth'];
  if (token) auth = { type: 'token', token };
  else if (username && password)
    auth = { type: 'password', username, password };
  else
    throw new InputError(
      `${where} needs either token or username and password`,
    );
  const caFile = c.getOptionalString('caFile');
  const caData = c.getOptionalString('caData');
  const timeoutMs = c.getOptionalNumber('timeoutMs') ?? 10_000;
  const maxResponseBytes =
    c.getOptionalNumber('maxResponseBytes') ?? 32 * 1024 * 1024;
  if (!(timeoutMs > 0) || !(maxResponseBytes > 0)) {
    throw new InputError(
      `${where}: timeoutMs and maxResponseBytes must be positive`,
    );
  }
  return {
    name,
    title: c.getOptionalString('title'),
    url,
    uiUrl: uiRaw ? readUrl(`${where}.uiUrl`, uiRaw) : url,
    auth,
    ca: caData ?? (caFile ? fs.readFileSync(caFile, 'utf8') : undefined),
    timeoutMs,
    maxResponseBytes,
  };
}

/** Reads `fleetMonitoring.argocd` (instances) and `fleetMonitoring.argocdOptions`. */
export function readArgocdSettings(root: Config): ArgocdSettings {
  const fm = root.getOptionalConfig('fleetMonitoring');
  const instances = (fm?.getOptionalConfigArray('argocd') ?? []).map(
    readInstance,
  );
  const seen = new Set<string>();
  for (const i of instances) {
    if (seen.has(i.name))
      throw new InputError(
        `fleetMonitoring.argocd: duplicate name "${i.name}"`,
      );
    seen.add(i.name);
  }
  return {
    instances,
    cacheTtlSeconds: fm?.getOptionalNumber('cache.ttlSeconds') ?? 30,
    maxSyncWindowChecks:
      fm?.getOptionalNumber('argocdOptions.maxSyncWindowChecks') ?? 5,
  };
}

import fs from 'node:fs';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * The one rule for names of configured upstreams (Thanos instances, ArgoCD instances, Kubernetes
 * clusters): they appear in routes, annotations and cache keys, so letters, digits, `-`, `_`, `.`,
 * starting and ending with a letter or digit, at most 63 characters.
 */
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

export function isValidUpstreamName(name: string): boolean {
  return NAME.test(name);
}

/** `name` of one list entry, checked against the name rule. */
export function readName(c: Config, where: string): string {
  const name = c.getString('name');
  if (!isValidUpstreamName(name)) {
    throw new InputError(
      `${where}: name "${name}" must be 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    );
  }
  return name;
}

/** An http(s) base URL without credentials, always ending in `/` so relative paths keep its prefix. */
export function readBaseUrl(raw: string, where: string): URL {
  let url: URL;
  try {
    url = new URL(raw.endsWith('/') ? raw : `${raw}/`);
  } catch {
    throw new InputError(`${where} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${where} must be http(s)`);
  }
  if (url.username || url.password) {
    throw new InputError(`${where} must not embed credentials`);
  }
  return url;
}

/**
 * A PEM CA bundle from `caData` or `caFile`. `caData` may be PEM text or, as in Backstage's own
 * `kubernetes` config and in kubeconfig files, base64-encoded PEM. A file that cannot be read is a
 * config error.
 */
export function readCa(c: Config, where: string): string | undefined {
  const data = c.getOptionalString('caData')?.trim();
  if (data) {
    if (data.includes('-----BEGIN')) return data;
    const decoded = Buffer.from(data, 'base64').toString('utf8');
    if (!decoded.includes('-----BEGIN')) {
      throw new InputError(
        `${where}.caData is neither a PEM bundle nor base64-encoded PEM`,
      );
    }
    return decoded;
  }
  const file = c.getOptionalString('caFile');
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(
      `${where}.caFile "${file}" cannot be read: ${(e as Error).message}`,
    );
  }
}

/** A non-negative number (or a positive one), with its default. */
export function readNumber(
  c: Config | undefined,
  key: string,
  fallback: number,
  where: string,
  opts: { positive?: boolean } = {},
): number {
  const v = c?.getOptionalNumber(key);
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v < 0 || (opts.positive && v === 0)) {
    throw new InputError(
      `${where}.${key} must be a ${opts.positive ? 'positive' : 'non-negative'} number`,
    );
  }
  return v;
}

/** Names must be unique within one list. */
export function requireUniqueNames(
  items: Array<{ name: string }>,
  where: string,
): void {
  const seen = new Set<string>();
  for (const { name } of items) {
    if (seen.has(name))
      throw new InputError(`${where}: duplicate name "${name}"`);
    seen.add(name);
  }
}

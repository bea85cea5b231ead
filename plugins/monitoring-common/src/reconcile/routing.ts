/**
 * Which hashring of a Thanos Receive hashring file takes a tenant's writes: the first hashring
 * whose `tenants` match it (exact, or glob with `tenant_matcher_type: glob`), else a hashring
 * without `tenants` (Thanos' default hashring, which takes every tenant no other one names);
 * none means the receivers refuse the tenant's writes (pkg/receive/hashring.go).
 */
import type { HashringEntry } from '../overlayLint/hashring';

function globMatches(pattern: string, value: string): boolean {
  // Go's filepath.Match: `*` any run of characters, `?` one character; the rest literal.
  const re = pattern
    .split('')
    .map(ch =>
      ch === '*'
        ? '.*'
        : ch === '?'
          ? '.'
          : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${re}$`).test(value);
}

/**
 * The name (or index) of the hashring that routes `tenant`; undefined when none does.
 * @public
 */
export function hashringOfTenant(
  hashrings: HashringEntry[],
  tenant: string,
): string | undefined {
  const name = (h: HashringEntry, i: number) => h.hashring ?? `#${i}`;
  for (const [i, h] of hashrings.entries()) {
    const tenants = h.tenants ?? [];
    if (tenants.length === 0) continue;
    const glob = h.tenant_matcher_type === 'glob';
    if (tenants.some(t => (glob ? globMatches(t, tenant) : t === tenant)))
      return name(h, i);
  }
  const fallback = hashrings.findIndex(h => (h.tenants ?? []).length === 0);
  return fallback >= 0 ? name(hashrings[fallback], fallback) : undefined;
}

/**
 * Tenants a hashring file names explicitly (exact matchers only: a glob names no one tenant).
 * @public
 */
export function namedTenants(hashrings: HashringEntry[]): string[] {
  return [
    ...new Set(
      hashrings
        .filter(h => h.tenant_matcher_type !== 'glob')
        .flatMap(h => h.tenants ?? []),
    ),
  ].sort();
}

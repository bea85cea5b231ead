/**
 * Which hashring of a Thanos Receive hashring file takes a tenant's writes, as Thanos'
 * multiHashring decides it (pkg/receive/hashring.go): the hashrings in file order, the first one
 * without `tenants` (a default hashring, it matches everything) or whose tenants match (exact, or
 * `filepath.Match` globs with `tenant_matcher_type: glob`). None: the receivers answer "no
 * matching hashring to handle tenant".
 */
import type { HashringEntry } from '../overlayLint/hashring';

const GLOB: Record<string, string> = { '*': '[^/]*', '?': '[^/]' };

function globMatches(pattern: string, value: string): boolean {
  // Go's filepath.Match: `*` any run of non-separator characters, `?` one; the rest literal
  // (character classes are taken literally: none of our tenant names carries brackets).
  const re = pattern
    .split('')
    .map(ch => GLOB[ch] ?? ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
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
  for (const [i, h] of hashrings.entries()) {
    const tenants = h.tenants ?? [];
    const glob = h.tenant_matcher_type === 'glob';
    if (
      tenants.length === 0 ||
      tenants.some(t => (glob ? globMatches(t, tenant) : t === tenant))
    )
      return h.hashring ?? `#${i}`;
  }
  return undefined;
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

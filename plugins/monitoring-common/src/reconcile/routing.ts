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
 * A router for one hashring file: the name (or `#index`) of the hashring that takes a tenant, or
 * undefined when none does. Exact tenant lists are indexed once, so routing a fleet of tenants
 * through a file that lists all of them stays linear.
 * @public
 */
export function hashringRouter(
  hashrings: HashringEntry[],
): (tenant: string) => string | undefined {
  const name = (i: number) => hashrings[i].hashring ?? `#${i}`;
  const exact = new Map<string, number>();
  const globs: number[] = [];
  let fallback = Infinity;
  hashrings.forEach((h, i) => {
    const tenants = h.tenants ?? [];
    if (tenants.length === 0) fallback = Math.min(fallback, i);
    else if (h.tenant_matcher_type === 'glob') globs.push(i);
    else for (const t of tenants) if (!exact.has(t)) exact.set(t, i);
  });
  return tenant => {
    let best = Math.min(exact.get(tenant) ?? Infinity, fallback);
    for (const i of globs) {
      if (i >= best) break;
      if ((hashrings[i].tenants ?? []).some(t => globMatches(t, tenant))) {
        best = i;
        break;
      }
    }
    return Number.isFinite(best) ? name(best) : undefined;
  };
}

/**
 * The name (or index) of the hashring that routes `tenant`; undefined when none does.
 * @public
 */
export function hashringOfTenant(
  hashrings: HashringEntry[],
  tenant: string,
): string | undefined {
  return hashringRouter(hashrings)(tenant);
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

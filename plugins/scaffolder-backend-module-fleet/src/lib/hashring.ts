import { InputError } from '@backstage/errors';
import {
  hashringProblems as sharedHashringProblems,
  staleHashringEndpoints,
} from '@fleet-monitoring/plugin-monitoring-common';
import { z } from 'zod/v3';
import type { CentralReceivers } from './centralReceivers';
import { HashringAlgorithm } from './thanosReceive';

/**
 * The Thanos Receive hashring file (`--receive.hashrings-file`): a JSON array of hashrings, tried in
 * order; the first whose tenants match (or that lists no tenants: a catch-all) receives the request.
 * Unknown fields are kept (passthrough) so a file written by newer Thanos versions survives a round trip.
 */
export const endpointSchema = z.union([
  z.string().min(1),
  z
    .object({
      address: z.string().min(1),
      az: z.string().optional(),
      capnproto_address: z.string().optional(),
    })
    .passthrough(),
]);

export const hashringSchema = z
  .object({
    hashring: z.string().optional(),
    tenants: z.array(z.string()).optional(),
    tenant_matcher_type: z.enum(['exact', 'glob']).optional(),
    endpoints: z.array(endpointSchema),
    algorithm: z.enum(['hashmod', 'ketama']).optional(),
    external_labels: z.record(z.string()).optional(),
    shuffle_sharding_config: z
      .object({ shard_size: z.number().int().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** @public */
export const hashringFileSchema = z.array(hashringSchema);
export type Hashring = z.infer<typeof hashringSchema>;
/** @public */
export type HashringFile = z.infer<typeof hashringFileSchema>;

/** Parses and validates an existing hashrings.json; refuses anything that is not the Thanos shape. */
export function parseHashringFile(
  text: string,
  shownPath: string,
): HashringFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `${shownPath} is not valid JSON (${(e as Error).message}); refusing to modify it`,
    );
  }
  const parsed = hashringFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `${shownPath} is not a Thanos hashring file (expected an array of {hashring, tenants, endpoints, ...}): ` +
        `${issue.path.join('.') || '(root)'}: ${issue.message}; refusing to modify it`,
    );
  }
  // Validated; return the original objects so their key order (and thus the file's diff) is untouched.
  return json as HashringFile;
}

const isCatchAll = (h: Hashring) => !h.tenants || h.tenants.length === 0;

export type RegisterRequest = {
  hashring: string;
  tenant: string;
  endpoints: Hashring['endpoints'];
  algorithm?: HashringAlgorithm;
};

export type RegisterResult = {
  hashrings: HashringFile;
  changed: boolean;
  notes: string[];
};

/**
 * Routes `tenant` to hashring `hashring`, keeping every other entry and the order. Idempotent.
 * - tenant already listed in that hashring: nothing changes;
 * - tenant listed in another hashring: refused (the earlier hashring would win and the change would be a lie);
 * - hashring exists with tenants: the tenant is appended to its list;
 * - hashring exists as catch-all: it already receives every tenant; left unchanged;
 * - hashring missing: created with the given endpoints, inserted before the first catch-all hashring
 *   (after a catch-all it would never be reached).
 */
export function registerTenant(
  existing: HashringFile,
  req: RegisterRequest,
): RegisterResult {
  const hashrings = existing.map(h => ({ ...h }));
  const other = hashrings.find(
    h => h.hashring !== req.hashring && routesTenant(h, req.tenant),
  );
  if (other) {
    throw new InputError(
      `tenant ${JSON.stringify(req.tenant)} is already routed to hashring ${JSON.stringify(other.hashring ?? '(unnamed)')}; ` +
        'a tenant belongs to one hashring: register it there or remove it from that hashring first',
    );
  }
  const target = hashrings.find(h => h.hashring === req.hashring);
  if (target) {
    if (isCatchAll(target)) {
      return {
        hashrings,
        changed: false,
        notes: [
          `hashring ${req.hashring} lists no tenants (catch-all) and already receives tenant ${req.tenant}`,
        ],
      };
    }
    if (target.tenants!.includes(req.tenant)) {
      return {
        hashrings,
        changed: false,
        notes: [`tenant ${req.tenant} already in hashring ${req.hashring}`],
      };
    }
    target.tenants = [...target.tenants!, req.tenant];
    return {
      hashrings,
      changed: true,
      notes: [`added tenant ${req.tenant} to hashring ${req.hashring}`],
    };
  }
  if (req.endpoints.length === 0) {
    throw new InputError(
      `hashring ${req.hashring} does not exist yet and no endpoints were given to create it`,
    );
  }
  const created: Hashring = {
    hashring: req.hashring,
    tenants: [req.tenant],
    tenant_matcher_type: 'exact',
    endpoints: req.endpoints,
    ...(req.algorithm ? { algorithm: req.algorithm } : {}),
  };
  const firstCatchAll = hashrings.findIndex(isCatchAll);
  const at = firstCatchAll === -1 ? hashrings.length : firstCatchAll;
  hashrings.splice(at, 0, created);
  return {
    hashrings,
    changed: true,
    notes: [`created hashring ${req.hashring} for tenant ${req.tenant}`],
  };
}

/** The initial file of a new central cluster: one catch-all hashring over its receivers. */
export function initialHashrings(
  endpoints: string[],
  algorithm: HashringAlgorithm,
): HashringFile {
  return [{ hashring: 'default', endpoints, algorithm }];
}

const addressOf = (e: Hashring['endpoints'][number]) =>
  typeof e === 'string' ? e : e.address;

/**
 * Whether a hashring with tenants claims `tenant` (Thanos: exact match, or Go `filepath.Match` for
 * `tenant_matcher_type: glob`). Catch-all hashrings are not counted: they only take what is left.
 */
function routesTenant(h: Hashring, tenant: string): boolean {
  if (!h.tenants?.length) return false;
  if (h.tenant_matcher_type !== 'glob') return h.tenants.includes(tenant);
  return h.tenants.some(pattern => globToRegExp(pattern).test(tenant));
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) return /(?!)/; // Go refuses the pattern: it matches nothing
      re += `[${pattern.slice(i + 1, end)}]`; // same class syntax ([^a-z], \\ escapes)
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The hashring checks Thanos applies at load (RF vs endpoints, az with hashmod, shuffle sharding, a
 * tenant in two hashrings), each naming its fix; empty when the file is safe to load. The rule lives
 * in common's overlay lint, which reports the same problems for the files already in the repository.
 */
export function hashringProblems(
  hashrings: HashringFile,
  receivers: CentralReceivers,
): string[] {
  return sharedHashringProblems(hashrings, receivers).map(p => p.message);
}

/** Endpoints any hashring of the file lists that are not receivers of this central. */
export function staleEndpoints(
  hashrings: HashringFile,
  receivers: CentralReceivers,
): string[] {
  return staleHashringEndpoints(hashrings, receivers);
}

/** Endpoints that are not receivers of this central (forwarding to them would fail). */
export function unknownEndpoints(
  endpoints: Hashring['endpoints'],
  receivers: CentralReceivers,
): string[] {
  return endpoints.map(addressOf).filter(a => !receivers.endpoints.includes(a));
}

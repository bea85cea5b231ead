/**
 * A Thanos Receive hashring file checked against the receivers that load it. One home for the rule:
 * fleet:hashring:register and create-central refuse or warn with it, the lint reports it for the
 * files already in the repository.
 */

/** One endpoint of a hashring: an address, or an object with `address` (and `az`). @public */
export type HashringEndpoint =
  string | { address: string; az?: string; [key: string]: unknown };

/** One hashring of the file (`--receive.hashrings-file`), the fields the checks read. @public */
export interface HashringEntry {
  hashring?: string;
  tenants?: string[];
  tenant_matcher_type?: 'exact' | 'glob';
  endpoints: HashringEndpoint[];
  algorithm?: 'hashmod' | 'ketama';
  shuffle_sharding_config?: { shard_size?: number; [key: string]: unknown };
  [key: string]: unknown;
}

/** The receivers a central overlay runs, as their manifests say. @public */
export interface HashringReceivers {
  namespace: string;
  replicas: number;
  /** `--receive.replication-factor` (Thanos default 1). */
  replicationFactor: number;
  /** `--receive.hashrings-algorithm` (Thanos default hashmod): used by hashrings that name none. */
  algorithm: 'hashmod' | 'ketama';
  /** gRPC endpoints of the receiver pods, as `--receive.local-endpoint` names them. */
  endpoints: string[];
}

/** A problem of a hashring file, with the lint rule it belongs to. @public */
export interface HashringProblem {
  rule: 'hashring-replication' | 'hashring-invalid';
  message: string;
}

const addressOf = (e: HashringEndpoint) =>
  typeof e === 'string' ? e : e.address;

/**
 * Checks a whole hashring file against the receivers that will load it, with the rules Thanos applies
 * (pkg/receive/hashring.go, v0.35 to v0.42; every hashring of the file is built at load and one error
 * ends the receiver process, for every tenant):
 * - ketama: at least as many endpoints as the replication factor (else refused at load);
 * - hashmod: no `az` on endpoints (refused at load); at least replication-factor endpoints (else every
 *   write to the hashring fails: each copy needs its own node);
 * - shuffle sharding: ketama only, shard size at most the endpoint count (refused at load);
 * - a tenant listed by exactly one hashring.
 * Returns the problems, each naming its fix (empty when the file is safe to load).
 * @public
 */
export function hashringProblems(
  hashrings: HashringEntry[],
  receivers: HashringReceivers,
): HashringProblem[] {
  const rf = receivers.replicationFactor;
  const problems: HashringProblem[] = [];
  const replication = (message: string) =>
    problems.push({ rule: 'hashring-replication', message });
  const invalid = (message: string) =>
    problems.push({ rule: 'hashring-invalid', message });
  const seen = new Map<string, string>();
  hashrings.forEach((h, index) => {
    const name = JSON.stringify(h.hashring ?? `#${index + 1}`);
    const algorithm = h.algorithm ?? receivers.algorithm;
    const n = h.endpoints.length;
    // A hashring can only list receivers that exist: with fewer receivers than RF, listing more is no fix.
    const fix =
      receivers.replicas >= rf
        ? `list at least ${rf} of the central's ${receivers.replicas} receivers (${receivers.endpoints.join(', ')}), or lower --receive.replication-factor`
        : `the central runs ${receivers.replicas} receiver(s), fewer than replication factor ${rf}: lower --receive.replication-factor to at most ${receivers.replicas}, or run at least ${rf} receivers (receiver.replicas)`;
    if (algorithm === 'ketama' && n < rf) {
      replication(
        `hashring ${name} (ketama) lists ${n} endpoint(s) but the receivers replicate every series ${rf} times: ` +
          `Thanos refuses the file at load ("ketama: amount of endpoints needs to be larger than replication factor") and the receivers exit; ${fix}`,
      );
    }
    if (algorithm === 'hashmod') {
      if (h.endpoints.some(e => typeof e !== 'string' && e.az)) {
        invalid(
          `hashring ${name} (hashmod) has endpoints with az: Thanos refuses AZ-aware hashmod hashrings at load; use algorithm ketama or remove az`,
        );
      }
      if (n < rf) {
        replication(
          `hashring ${name} (hashmod) lists ${n} endpoint(s) but the receivers replicate every series ${rf} times: ` +
            `every write to it fails (each copy needs its own endpoint); ${fix}`,
        );
      }
    }
    const shard = h.shuffle_sharding_config?.shard_size ?? 0;
    if (shard > 0 && algorithm !== 'ketama') {
      invalid(
        `hashring ${name} uses shuffle sharding, which Thanos allows with ketama only`,
      );
    } else if (shard > n) {
      replication(
        `hashring ${name}: shard size ${shard} is larger than its ${n} endpoint(s), which Thanos refuses at load`,
      );
    }
    for (const t of h.tenants ?? []) {
      const first = seen.get(t);
      if (first !== undefined) {
        invalid(
          `tenant ${JSON.stringify(t)} is listed by hashring ${first} and by hashring ${name}; keep it in one`,
        );
      } else seen.set(t, name);
    }
  });
  return problems;
}

/** Endpoints any hashring of the file lists that are not receivers of this central. @public */
export function staleHashringEndpoints(
  hashrings: HashringEntry[],
  receivers: Pick<HashringReceivers, 'endpoints'>,
): string[] {
  const listed = new Set(hashrings.flatMap(h => h.endpoints.map(addressOf)));
  return [...listed].filter(a => !receivers.endpoints.includes(a));
}

/**
 * Whether parsed JSON has the shape of a hashring file (an array of objects with an `endpoints`
 * array of addresses); the message names the first thing that is not.
 */
export function hashringShapeProblem(json: unknown): string | undefined {
  if (!Array.isArray(json)) return 'expected a JSON array of hashrings';
  for (const [i, h] of json.entries()) {
    if (typeof h !== 'object' || h === null || Array.isArray(h))
      return `entry ${i + 1} is not an object`;
    const endpoints = (h as { endpoints?: unknown }).endpoints;
    if (!Array.isArray(endpoints))
      return `entry ${i + 1} has no endpoints array`;
    const bad = endpoints.find(
      e =>
        !(typeof e === 'string' && e) &&
        !(
          typeof e === 'object' &&
          e !== null &&
          typeof (e as { address?: unknown }).address === 'string'
        ),
    );
    if (bad !== undefined)
      return `entry ${i + 1} has an endpoint that is neither an address nor {address}`;
  }
  return undefined;
}

/**
 * Receive's write quorum by Thanos version (`pkg/receive/handler.go` writeQuorum): RF/2+1 up to
 * v0.36 (v0.35.1 ~990); from v0.37.0 RF 2 needs 1 copy (v0.42.4 ~1078), every other RF RF/2+1.
 */

/** First minor where RF 2 has quorum 1. */
const RF2_QUORUM_ONE_FROM = 37;

/** `0.35.1` or `v0.42.4` -> minor (major 0); a major above 0 counts as newer; undefined otherwise. */
function minorOf(version: string): number | undefined {
  const m = /^v?(\d+)\.(\d+)\.\d+/.exec(version.trim());
  if (!m) return undefined;
  return Number(m[1]) > 0 ? Number.MAX_SAFE_INTEGER : Number(m[2]);
}

export interface WriteQuorum {
  quorum: number;
  /** The version the quorum was taken for, or what was assumed. */
  basis: string;
}

/**
 * The quorum for a replication factor and the versions the receivers report (`thanos_build_info`).
 * Mixed versions: the oldest decides (its rule is the stricter one during a rollout). No usable
 * version: the rule before v0.37 is assumed (the larger quorum), and the basis says so.
 */
export function writeQuorum(rf: number, versions: string[]): WriteQuorum {
  const known = versions
    .map(v => ({ v, minor: minorOf(v) }))
    .filter((x): x is { v: string; minor: number } => x.minor !== undefined)
    .sort((a, b) => a.minor - b.minor);
  const oldest = known[0];
  const classic = Math.floor(rf / 2) + 1;
  if (!oldest) {
    return {
      quorum: classic,
      basis:
        'Thanos version unknown (no thanos_build_info): assumed before v0.37',
    };
  }
  const quorum = rf === 2 && oldest.minor >= RF2_QUORUM_ONE_FROM ? 1 : classic;
  return { quorum, basis: `Thanos v${oldest.v.replace(/^v/, '')}` };
}

/**
 * What the Thanos version of the central's image decides for the manifests, read at the Thanos tags:
 * - write quorum (`pkg/receive/handler.go` writeQuorum): RF/2+1 up to v0.36; from v0.37.0 RF 2 needs
 *   1 copy (v0.42.4 handler.go ~1078), every other RF still RF/2+1;
 * - how Query is told its endpoints (`cmd/thanos/query.go`): `--endpoint` up to v0.37; from v0.38.0
 *   `--endpoint.sd-config` (a YAML list of `{address}`, `dnssrv+` allowed), and `--endpoint` is
 *   marked deprecated (v0.42.4).
 * An image whose tag is no version (a digest, `latest`) is treated as the oldest supported behaviour,
 * which is the safe side for both: the larger quorum and the flag every version still accepts.
 */
export type ThanosVersion = { major: number; minor: number; patch: number };

/** `quay.io/thanos/thanos:v0.35.1` -> {0, 35, 1}; undefined when the tag is not a version. */
export function thanosVersionOfImage(image: string): ThanosVersion | undefined {
  const tag = /:v?(\d+)\.(\d+)\.(\d+)(?:[-+][^@]*)?(?:@.*)?$/.exec(image);
  if (!tag) return undefined;
  return { major: +tag[1], minor: +tag[2], patch: +tag[3] };
}

const atLeast = (v: ThanosVersion | undefined, minor: number) =>
  v !== undefined && (v.major > 0 || v.minor >= minor);

/** Copies of a series that must be written before Receive answers success. */
export function writeQuorum(
  replicationFactor: number,
  version: ThanosVersion | undefined,
): number {
  if (replicationFactor === 2 && atLeast(version, 37)) return 1;
  return Math.floor(replicationFactor / 2) + 1;
}

/** Receivers that may be down at once while every series still reaches its quorum. */
export const tolerableReceiverLoss = (
  replicationFactor: number,
  version: ThanosVersion | undefined,
) => replicationFactor - writeQuorum(replicationFactor, version);

/** Whether Query takes `--endpoint.sd-config` (and `--endpoint` is deprecated). */
export const supportsEndpointSdConfig = (version: ThanosVersion | undefined) =>
  atLeast(version, 38);

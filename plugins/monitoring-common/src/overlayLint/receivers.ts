/**
 * What a central overlay deploys as Thanos receivers, read from its manifests: the StatefulSet of
 * thanos-receiver.yaml (namespace, replicas, flags), a replica count patched per cluster in
 * patches.yaml, or the kustomization's `namespace:` in older overlays. The hashring must match these
 * receivers, not defaults. Pure: the caller parses the files.
 */
import { RECEIVE_NAME, receiverEndpoint } from '../names';
import type { HashringReceivers } from './hashring';

/** Thanos defaults of the flags (cmd/thanos/receive.go). */
const FLAG_DEFAULTS = { replicationFactor: 1, algorithm: 'hashmod' } as const;

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a parsed manifest is the receivers' StatefulSet (`thanos-receive`). @public */
export function isReceiverStatefulSet(d: unknown): d is Record<string, any> {
  return (
    isObject(d) &&
    d.kind === 'StatefulSet' &&
    isObject(d.metadata) &&
    d.metadata.name === RECEIVE_NAME
  );
}

/** The receivers, or why they cannot be told. @public */
export type ReceiversOfOverlay =
  { receivers: HashringReceivers } | { problem: string };

/**
 * The receivers of a central overlay from its parsed manifests. `problem` says what makes them
 * unknowable (no StatefulSet, a replica count or flag that is not valid).
 * @public
 */
export function receiversFromManifests(m: {
  /** Documents of thanos-receiver.yaml. */
  receiverDocs: unknown[];
  /** Documents of patches.yaml (optional). */
  patchDocs?: unknown[];
  /** The kustomization (optional). */
  kustomization?: unknown;
}): ReceiversOfOverlay {
  const sts = m.receiverDocs.find(isReceiverStatefulSet);
  if (!sts) return { problem: `no StatefulSet ${RECEIVE_NAME}` };
  const patched = (m.patchDocs ?? []).find(isReceiverStatefulSet);
  const k = m.kustomization;
  const namespace =
    (typeof sts.metadata?.namespace === 'string'
      ? (sts.metadata.namespace as string)
      : undefined) ??
    (isObject(k) && typeof k.namespace === 'string' ? k.namespace : 'default');
  const replicas = patched?.spec?.replicas ?? sts.spec?.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) {
    return {
      problem: `StatefulSet ${RECEIVE_NAME} has replicas ${JSON.stringify(replicas)}; expected a positive integer`,
    };
  }
  const containers = sts.spec?.template?.spec?.containers;
  const receiver = Array.isArray(containers)
    ? (containers.find(
        (c: any) => Array.isArray(c?.args) && c.args.includes('receive'),
      ) ?? containers[0])
    : undefined;
  const args: unknown[] = Array.isArray(receiver?.args) ? receiver.args : [];
  const flag = (name: string) =>
    args
      .filter(
        (a): a is string => typeof a === 'string' && a.startsWith(`--${name}=`),
      )
      .map(a => a.slice(name.length + 3))
      .pop();
  const rfText = flag('receive.replication-factor');
  const replicationFactor =
    rfText === undefined ? FLAG_DEFAULTS.replicationFactor : Number(rfText);
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    return {
      problem: `--receive.replication-factor=${rfText} is not a positive integer`,
    };
  }
  const algorithm =
    flag('receive.hashrings-algorithm') ?? FLAG_DEFAULTS.algorithm;
  if (algorithm !== 'hashmod' && algorithm !== 'ketama') {
    return {
      problem: `--receive.hashrings-algorithm=${algorithm} is neither hashmod nor ketama`,
    };
  }
  return {
    receivers: {
      namespace,
      replicas,
      replicationFactor,
      algorithm,
      endpoints: Array.from({ length: replicas }, (_, i) =>
        receiverEndpoint(namespace, i),
      ),
    },
  };
}

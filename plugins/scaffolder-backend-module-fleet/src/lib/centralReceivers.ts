/**
 * What a central overlay actually deploys as Thanos receivers, read from its files in the repository
 * (thanos-receiver.yaml for the StatefulSet and its namespace, or kustomization.yaml's `namespace:` in older overlays, patches.yaml for a
 * replica count tuned per cluster). The hashring must match these receivers, not defaults.
 */
import { InputError } from '@backstage/errors';
import YAML from 'yaml';
import { readWorkspaceFile } from './files';
import { isPlainObject } from './merge';
import {
  HashringAlgorithm,
  RECEIVE_NAME,
  receiverEndpoints,
} from './thanosReceive';

export type CentralReceivers = {
  namespace: string;
  replicas: number;
  replicationFactor: number;
  /** `--receive.hashrings-algorithm`: used by hashrings that name none. */
  algorithm: HashringAlgorithm;
  /** gRPC endpoints of the receiver pods, as `--receive.local-endpoint` names them. */
  endpoints: string[];
};

/** Thanos defaults of the flags (cmd/thanos/receive.go). */
const FLAG_DEFAULTS = { replicationFactor: 1, algorithm: 'hashmod' } as const;

export async function readCentralReceivers(
  workspacePath: string,
  overlayPath: string,
): Promise<CentralReceivers> {
  const read = async (name: string) => {
    const file = `${overlayPath}/${name}`;
    const text = await readWorkspaceFile(workspacePath, file);
    if (text === undefined) return undefined;
    try {
      return YAML.parseAllDocuments(text).map(d => {
        if (d.errors.length) throw d.errors[0];
        return d.toJSON() as unknown;
      });
    } catch (e) {
      throw new InputError(
        `${file} is not valid YAML (${(e as Error).message}); cannot read the central receivers`,
      );
    }
  };
  const receiverFile = `${overlayPath}/thanos-receiver.yaml`;
  const receiverDocs = await read('thanos-receiver.yaml');
  if (!receiverDocs) {
    throw new InputError(
      `${receiverFile} does not exist; create the central overlay first (fleet:overlay:create-central) or check the cluster name`,
    );
  }
  const sts = receiverDocs.find(isReceiverStatefulSet);
  if (!sts) {
    throw new InputError(
      `${receiverFile} has no StatefulSet ${RECEIVE_NAME}; cannot tell which receivers the hashring may list`,
    );
  }
  const patched = ((await read('patches.yaml')) ?? []).find(
    isReceiverStatefulSet,
  );
  const kustomization = ((await read('kustomization.yaml')) ?? [])[0];
  // Overlays place each object themselves (metadata.namespace); older ones had a top-level
  // `namespace:` in kustomization.yaml instead.
  const namespace =
    (typeof sts.metadata?.namespace === 'string'
      ? sts.metadata.namespace
      : undefined) ??
    (isPlainObject(kustomization) && typeof kustomization.namespace === 'string'
      ? kustomization.namespace
      : 'default');

  const replicas = patched?.spec?.replicas ?? sts.spec?.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new InputError(
      `${receiverFile}: StatefulSet ${RECEIVE_NAME} has replicas ${JSON.stringify(replicas)}; expected a positive integer`,
    );
  }
  return {
    namespace,
    replicas,
    ...receiverFlags(sts, receiverFile),
    endpoints: receiverEndpoints(namespace, replicas),
  };
}

/** Replication factor and hashring algorithm from the receiver container's flags (Thanos defaults). */
function receiverFlags(sts: { spec?: any }, receiverFile: string) {
  const args: string[] = sts.spec?.template?.spec?.containers?.[0]?.args ?? [];
  const flag = (name: string) =>
    args
      .filter(a => typeof a === 'string' && a.startsWith(`--${name}=`))
      .map(a => a.slice(name.length + 3))
      .pop();
  const rfText = flag('receive.replication-factor');
  const replicationFactor =
    rfText === undefined ? FLAG_DEFAULTS.replicationFactor : Number(rfText);
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new InputError(
      `${receiverFile}: --receive.replication-factor=${rfText} is not a positive integer`,
    );
  }
  const algorithm =
    flag('receive.hashrings-algorithm') ?? FLAG_DEFAULTS.algorithm;
  if (algorithm !== 'hashmod' && algorithm !== 'ketama') {
    throw new InputError(
      `${receiverFile}: --receive.hashrings-algorithm=${algorithm} is neither hashmod nor ketama`,
    );
  }
  return { replicationFactor, algorithm } as const;
}

function isReceiverStatefulSet(d: unknown): d is {
  metadata?: { name?: string; namespace?: unknown };
  spec?: any;
} {
  return (
    isPlainObject(d) &&
    d.kind === 'StatefulSet' &&
    isPlainObject(d.metadata) &&
    d.metadata.name === RECEIVE_NAME
  );
}

/**
 * What a central overlay actually deploys as Thanos receivers, read from its files in the repository
 * (thanos-receiver.yaml for the StatefulSet and its namespace, or kustomization.yaml's `namespace:` in older overlays, patches.yaml for a
 * replica count tuned per cluster). The hashring must match these receivers, not defaults.
 */
import { InputError } from '@backstage/errors';
import YAML from 'yaml';
import {
  HashringReceivers,
  receiversFromManifests,
} from '@fleet-monitoring/plugin-monitoring-common';
import { readWorkspaceFile } from './files';

/** The receivers (namespace, replicas, replication factor, algorithm, endpoints); read by common's rule. */
export type CentralReceivers = HashringReceivers;

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
  const known = receiversFromManifests({
    receiverDocs,
    patchDocs: (await read('patches.yaml')) ?? [],
    kustomization: ((await read('kustomization.yaml')) ?? [])[0],
  });
  if ('problem' in known) {
    throw new InputError(
      `${receiverFile}: ${known.problem}; cannot tell which receivers the hashring may list`,
    );
  }
  return known.receivers;
}

/**
 * The files of an edge overlay (fleet:overlay:create-edge): a Prometheus agent remote-writing to the
 * central. Pure apart from reading the shared base's values through `ReadFile`.
 */
import type { EdgeInput } from '../actions/createEdgeOverlay';
import {
  baseFiles,
  helmChartEntry,
  OVERLAY_HEADER,
  parseBaseValues,
} from '../lib/charts';
import { PlannedFile } from '../lib/files';
import { deepMerge } from '../lib/merge';
import { baseDir, overlayDir } from '../lib/names';
import {
  agentBaseValues,
  agentOverlayValues,
  RemoteWriteAuth,
} from '../lib/values';
import { ReadFile } from '../lib/workspace';
import { toYaml } from '../lib/yaml';

export type EdgePlan = {
  files: PlannedFile[];
  overlayPath: string;
  warnings: string[];
  /** The chart values of this agent (the base merged with the cluster's): `server.remoteWrite` etc. */
  values: ReturnType<typeof agentOverlayValues> & Record<string, unknown>;
};

export async function planEdgeOverlay(
  read: ReadFile,
  input: EdgeInput,
): Promise<EdgePlan> {
  const basePath = `${baseDir('edge')}/values.yaml`;
  const existingBase = await read(basePath);
  const baseValues =
    existingBase === undefined
      ? agentBaseValues(input.chartVersion)
      : parseBaseValues(existingBase, basePath);
  const overlayPath = overlayDir(input.cluster, 'edge');
  const values = deepMerge(baseValues, edgeValues(input)) as EdgePlan['values'];
  const files = [
    // The base is only created when missing: it is shared by every edge cluster.
    ...(existingBase === undefined
      ? baseFiles(
          'edge',
          input.chartVersion,
          input.namespace,
          agentBaseValues(input.chartVersion),
        )
      : []),
    {
      path: `${overlayPath}/kustomization.yaml`,
      content: toYaml(
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          namespace: input.namespace,
          helmCharts: [
            helmChartEntry('edge', input.chartVersion, input.namespace),
          ],
        },
        OVERLAY_HEADER(input.cluster, 'prometheus-agent', baseDir('edge')),
      ),
    },
    {
      path: `${overlayPath}/values.yaml`,
      content: toYaml(
        values,
        `prometheus chart values for the agent of cluster ${input.cluster}:\n` +
          `${baseDir('edge')}/values.yaml merged with this cluster's identity, remote write and memory.`,
      ),
    },
  ];
  return { files, overlayPath, warnings: edgeWarnings(input), values };
}

function edgeWarnings(input: EdgeInput): string[] {
  const warnings: string[] = [];
  if (input.tls.insecureSkipVerify) {
    warnings.push(
      `TLS certificate verification is disabled for ${input.remoteWriteUrl} (insecure_skip_verify); use a CA instead outside of tests`,
    );
  }
  if (new URL(input.remoteWriteUrl).protocol === 'http:') {
    warnings.push(
      `remote write to ${input.remoteWriteUrl} is plain http: samples and credentials travel unencrypted`,
    );
  }
  if (input.auth.type === 'none') {
    warnings.push(
      'auth none: the agent sends no credentials, so it only works against an open entry point (create-central auth: none)',
    );
  }
  return warnings;
}

function edgeValues(input: EdgeInput) {
  return agentOverlayValues({
    cluster: input.cluster,
    chartVersion: input.chartVersion,
    externalLabels: {
      ...input.externalLabels,
      ...(input.region ? { region: input.region } : {}),
    },
    remoteWriteUrl: input.remoteWriteUrl,
    tenant: input.tenant ?? input.cluster,
    tls: input.tls,
    auth: toAuth(input.auth),
    queue: input.queue,
    dropMetrics: input.dropMetrics,
    memoryRequest: input.memoryRequest,
    memoryLimit: input.memoryLimit,
  });
}

function toAuth(a: EdgeInput['auth']): RemoteWriteAuth {
  switch (a.type) {
    case 'basic':
      return {
        type: 'basic',
        secretName: a.secretName!,
        username: a.username!,
        passwordKey: a.passwordKey,
      };
    case 'bearer':
      return {
        type: 'bearer',
        secretName: a.secretName!,
        tokenKey: a.tokenKey,
      };
    case 'mtls':
      return {
        type: 'mtls',
        secretName: a.secretName!,
        certKey: a.certKey,
        keyKey: a.keyKey,
      };
    default:
      return { type: 'none' };
  }
}

/**
 * Kubernetes: shapes of GET /entity/:kind/:namespace/:name/kubernetes (Thanos Receive and Prometheus
 * agent pods of a cluster, and the receive hashring compared with the live receive pods).
 */
import type { UpstreamErrorInfo } from './api';
import type { HintedReason } from './argocd';
import type { SubjectHealth } from './health';

/** FAQ Q4, "Thanos Receiver is OOMKilled": the fixes, in the order to try them. */
export const OOM_KILLED_HINTS = [
  'Raise the memory limit (e.g. 2Gi -> 4Gi).',
  'Rate-limit remote write from the agents.',
  'Add Receiver replicas and add them to the hashring.',
  'Drop unneeded metrics by relabelling before remote write.',
] as const;

export interface ContainerSummary {
  name: string;
  ready: boolean;
  restartCount: number;
  /** running, waiting, terminated. */
  state?: 'running' | 'waiting' | 'terminated';
  /** Reason of the current waiting/terminated state (e.g. CrashLoopBackOff, OOMKilled). */
  stateReason?: string;
  lastTerminationReason?: string;
  lastTerminationExitCode?: number;
  lastTerminationAt?: string;
  memoryRequest?: string;
  memoryLimit?: string;
  oomKilled: boolean;
}

export interface PodSummary extends SubjectHealth {
  reasons: HintedReason[];
  name: string;
  role: 'receive' | 'agent';
  phase?: string;
  ready: boolean;
  podIP?: string;
  nodeName?: string;
  restarts: number;
  containers: ContainerSummary[];
}

export interface HashringSummary {
  name?: string;
  endpoints: string[];
  tenants?: string[];
}

export interface HashringCheck extends SubjectHealth {
  reasons: HintedReason[];
  configMap: string;
  key: string;
  hashrings: HashringSummary[];
  /** Receive pods not named by any hashring endpoint. */
  missingPods: string[];
  /** Hashring endpoints that match no live receive pod. */
  unknownEndpoints: string[];
  error?: UpstreamErrorInfo;
}

export interface KubernetesClusterView extends SubjectHealth {
  reasons: HintedReason[];
  cluster: string;
  namespace: string;
  receivePods: PodSummary[];
  agentPods: PodSummary[];
  hashring?: HashringCheck;
  /** Failures of single calls (pods list, ConfigMap read); the rest is still shown. */
  errors: UpstreamErrorInfo[];
  /** Calls made to the Kubernetes API for this answer (0 when served from cache). */
  /** @deprecated No longer sent: call counts are a benchmark diagnostic (KubernetesService.stats()). */
  upstreamCalls?: number;
  generatedAt: string;
}

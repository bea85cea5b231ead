/** The parts of core/v1 objects we read, as they are on the wire (timestamps are RFC 3339 strings). */

export interface K8sContainerStateTerminated {
  exitCode?: number;
  reason?: string;
  signal?: number;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface K8sContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: K8sContainerStateTerminated;
}

export interface K8sContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: K8sContainerState;
  lastState?: K8sContainerState;
}

export interface K8sPod {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec?: {
    nodeName?: string;
    subdomain?: string;
    containers?: Array<{
      name: string;
      resources?: {
        limits?: Record<string, string>;
        requests?: Record<string, string>;
      };
    }>;
  };
  status?: {
    phase?: string;
    reason?: string;
    podIP?: string;
    conditions?: Array<{ type?: string; status?: string }>;
    containerStatuses?: K8sContainerStatus[];
  };
}

export interface K8sPodList {
  kind?: string;
  items?: K8sPod[];
}

export interface K8sConfigMap {
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string>;
}

export interface K8sStatus {
  kind?: 'Status';
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}

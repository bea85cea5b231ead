/** The parts of ArgoCD's v1alpha1 API objects we read (swagger.json of argoproj/argo-cd). */

export interface ArgoSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
}

export interface ArgoHistory {
  id?: number | string;
  revision?: string;
  revisions?: string[];
  deployedAt?: string;
  deployStartedAt?: string;
  initiatedBy?: { username?: string; automated?: boolean };
  source?: ArgoSource;
  sources?: ArgoSource[];
}

export interface ArgoApplication {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec?: {
    project?: string;
    source?: ArgoSource;
    sources?: ArgoSource[];
    destination?: { server?: string; name?: string; namespace?: string };
  };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string; message?: string };
    history?: ArgoHistory[];
    operationState?: {
      phase?: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
    };
  };
}

export interface ArgoApplicationList {
  items?: ArgoApplication[] | null;
  metadata?: { resourceVersion?: string };
}

export interface ArgoSyncWindows {
  canSync?: boolean;
  activeWindows?: Array<{
    kind?: string;
    schedule?: string;
    duration?: string;
    manualSync?: boolean;
  }>;
  assignedWindows?: Array<{
    kind?: string;
    schedule?: string;
    duration?: string;
    manualSync?: boolean;
  }>;
}

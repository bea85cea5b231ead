/**
 * ArgoCD Application (argoproj.io/v1alpha1) for one overlay, app-of-apps friendly: one file per app under
 * `deploy/argocd/apps/`, which a parent Application can point at.
 *
 * Kustomize `helmCharts:` need `--enable-helm`. An Application cannot pass kustomize build flags itself;
 * ArgoCD takes them from the `argocd-cm` ConfigMap: `kustomize.buildOptions: --enable-helm` (for all
 * apps), or per kustomize version `kustomize.buildOptions.<version>` together with
 * `kustomize.path.<version>`, which an Application selects with `spec.source.kustomize.version`.
 */
import { appName, Role } from './names';

export const ARGOCD_NAMESPACE = 'argocd';

export type ApplicationInput = {
  cluster: string;
  role: Role;
  overlayPath: string;
  repoUrl: string;
  targetRevision: string;
  project: string;
  destination: { server?: string; name?: string; namespace: string };
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
  kustomizeVersion?: string;
  argocdNamespace: string;
};

export function applicationManifest(i: ApplicationInput) {
  const syncOptions = ['CreateNamespace=true'];
  // kube-prometheus-stack's CRDs are too large for client-side apply's last-applied annotation.
  if (i.role === 'central') syncOptions.push('ServerSideApply=true');
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: appName(i.cluster, i.role),
      namespace: i.argocdNamespace,
      labels: {
        'fleet-monitoring.io/cluster': i.cluster,
        'fleet-monitoring.io/role': i.role,
      },
      // Deleting the Application deletes what it deployed (cascade).
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: i.project,
      source: {
        repoURL: i.repoUrl,
        targetRevision: i.targetRevision,
        path: i.overlayPath,
        ...(i.kustomizeVersion
          ? { kustomize: { version: i.kustomizeVersion } }
          : {}),
      },
      destination: {
        ...(i.destination.name
          ? { name: i.destination.name }
          : { server: i.destination.server }),
        namespace: i.destination.namespace,
      },
      syncPolicy: {
        ...(i.automated
          ? { automated: { prune: i.prune, selfHeal: i.selfHeal } }
          : {}),
        syncOptions,
      },
    },
  };
}

export const applicationPath = (cluster: string, role: Role) =>
  `deploy/argocd/apps/${appName(cluster, role)}.yaml`;

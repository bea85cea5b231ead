import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Application syncing an edge overlay automatically (prune + self-heal) into an external cluster',
    example: yaml.stringify({
      steps: [
        {
          id: 'argocd',
          action: 'fleet:argocd:create-application',
          name: 'Create the ArgoCD Application',
          input: {
            cluster: 'cluster-02-edge',
            role: 'edge',
            repoUrl: 'https://github.com/example/fleet-gitops',
            destinationName: 'cluster-02-edge',
          },
        },
      ],
    }),
  },
  {
    description:
      'Application for a central overlay, manual sync, pinned revision and kustomize version',
    example: yaml.stringify({
      steps: [
        {
          id: 'argocd',
          action: 'fleet:argocd:create-application',
          name: 'Create the ArgoCD Application',
          input: {
            cluster: 'cluster-01-central',
            role: 'central',
            repoUrl: 'https://github.com/example/fleet-gitops',
            targetRevision: 'main',
            project: 'monitoring',
            automated: false,
            kustomizeVersion: 'v5.5.0',
          },
        },
      ],
    }),
  },
];

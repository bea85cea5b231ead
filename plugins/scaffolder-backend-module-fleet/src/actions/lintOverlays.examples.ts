import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Lint the GitOps repository fetched into the workspace (its own CI): the step fails on an error finding',
    example: yaml.stringify({
      steps: [
        {
          id: 'lint',
          action: 'fleet:overlay:lint',
          name: 'Lint the fleet overlays',
          input: {},
        },
      ],
    }),
  },
  {
    description:
      'Report the findings of a repository fetched into a sub-directory without failing (a first run on an existing repository)',
    example: yaml.stringify({
      steps: [
        {
          id: 'lint',
          action: 'fleet:overlay:lint',
          name: 'Lint the fleet overlays (report only)',
          input: { path: 'gitops', reportOnly: true },
        },
      ],
    }),
  },
];

/**
 * Starts the REAL scaffolder backend (@backstage/plugin-scaffolder-backend) with our module in a test
 * backend and dry-runs templates through its HTTP API, as the template editor does. Used by the
 * end-to-end test and the benchmark. No network: the catalog is an in-memory mock and the template
 * skips its publish step on dry-runs.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import fleetModule from '../index';

export const TEMPLATE_PATH = path.resolve(
  __dirname,
  '../../../../templates/new-cluster/template.yaml',
);

export async function startScaffolder() {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      fleetModule,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          // Only used by the parseRepoUrl filter (no requests are made).
          integrations: {
            github: [{ host: 'github.com', token: 'dummy-token-not-used' }],
          },
        },
      }),
    ],
  });
  return backend;
}

export function loadTemplate() {
  return YAML.parse(fs.readFileSync(TEMPLATE_PATH, 'utf8'));
}

export type DryRunResponse = {
  log: Array<{ body: { message: string; status?: string; stepId?: string } }>;
  directoryContents: Array<{
    path: string;
    base64Content: string;
    executable?: boolean;
  }>;
  output: Record<string, unknown>;
  steps: unknown[];
};

export async function dryRun(
  server: Parameters<typeof request>[0],
  template: unknown,
  values: Record<string, unknown>,
): Promise<{ status: number; body: DryRunResponse }> {
  const res = await request(server)
    .post('/api/scaffolder/v2/dry-run')
    .send({
      template,
      values,
      directoryContents: [
        {
          path: 'template.yaml',
          base64Content: Buffer.from(YAML.stringify(template)).toString(
            'base64',
          ),
        },
      ],
    });
  return { status: res.status, body: res.body };
}

/** Writes the dry-run's resulting workspace files into `dir`. */
export function writeDirectoryContents(
  dir: string,
  contents: DryRunResponse['directoryContents'],
) {
  for (const f of contents) {
    const target = path.resolve(dir, f.path);
    if (!target.startsWith(path.resolve(dir) + path.sep))
      throw new Error(`unsafe path ${f.path}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.from(f.base64Content, 'base64'));
  }
}

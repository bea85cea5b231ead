/**
 * Starts the REAL scaffolder backend (@backstage/plugin-scaffolder-backend) with our module in a test
 * backend and dry-runs templates through its HTTP API, as the template editor does. Used by the
 * end-to-end test and the benchmark. No network: the catalog is an in-memory mock, the template
 * skips its publish step on dry-runs, and its fetch:plain steps read a fake GitOps repository held in
 * memory (`repo`), which answers a path it does not have with an empty tree as GitHub's archive does.
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

/** Files of the fake repository, path -> content, at every branch. */
export type FakeRepo = Map<string, string>;

/** readTree of `https://github.com/<owner>/<repo>/tree/<branch>/<path>`: the repo's files under path. */
function fakeReadTree(repo: FakeRepo) {
  return async (url: string) => {
    const dir = decodeURIComponent(
      new URL(url).pathname.split('/').slice(5).join('/'),
    ).replace(/\/$/, '');
    const files = [...repo.entries()]
      .filter(([p]) => p.startsWith(`${dir}/`))
      .map(([p, content]) => ({ path: p.slice(dir.length + 1), content }));
    return {
      etag: 'fake',
      files: async () =>
        files.map(f => ({
          path: f.path,
          content: async () => Buffer.from(f.content),
        })),
      archive: async () => {
        throw new Error('not supported by the fake repository');
      },
      dir: async (options?: { targetDir?: string }) => {
        const target = options!.targetDir!;
        for (const f of files) {
          fs.mkdirSync(path.dirname(path.join(target, f.path)), {
            recursive: true,
          });
          fs.writeFileSync(path.join(target, f.path), f.content);
        }
        return target;
      },
    };
  };
}

/** templates/drop-series: the capacity card's "drop these". */
export const DROP_SERIES_TEMPLATE_PATH = path.resolve(
  __dirname,
  '../../../../templates/drop-series/template.yaml',
);

/** `config` is merged into the backend config, e.g. `fleetMonitoring.thanos` for drop-series' count. */
export async function startScaffolder(
  options: { config?: Record<string, unknown> } = {},
) {
  const repo: FakeRepo = new Map();
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      fleetModule,
      catalogServiceMock.factory(),
      mockServices.urlReader.mock({
        readTree: fakeReadTree(repo) as any,
      }).factory,
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          // Only used by the parseRepoUrl filter (no requests are made).
          integrations: {
            github: [{ host: 'github.com', token: 'dummy-token-not-used' }],
          },
          ...options.config,
        },
      }),
    ],
  });
  return Object.assign(backend, { repo });
}

export function loadTemplate(templatePath = TEMPLATE_PATH) {
  return YAML.parse(fs.readFileSync(templatePath, 'utf8'));
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

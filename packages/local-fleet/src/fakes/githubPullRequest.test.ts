import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { GithubFake } from './github';

const TOKEN = 'fake-token';
const VALUES = 'deploy/overlays/edge-1/prometheus-agent/values.yaml';

/**
 * Backstage's own publish:github:pull-request (module-github 0.10 with
 * octokit-plugin-create-pull-request) opening a pull request on the fake: every call it makes is
 * answered as GitHub answers it, and the fake keeps what would be merged.
 */
describe('GithubFake pull requests', () => {
  const fake = new GithubFake(
    [
      {
        owner: 'example',
        repo: 'fleet-gitops',
        files: {
          'README.md': '# fleet\n',
          [VALUES]: 'server:\n  remoteWrite: []\n',
        },
      },
    ],
    { tokens: [TOKEN] },
  );
  const workspace = createMockDirectory();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  function action(token?: string) {
    const config = new ConfigReader({
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: fake.url,
            ...(token ? { token } : {}),
          },
        ],
      },
    });
    return createPublishGithubPullRequestAction({
      integrations: ScmIntegrations.fromConfig(config),
      config,
    });
  }

  async function run(branchName: string, token?: string) {
    workspace.setContent({
      [VALUES]: 'server:\n  remoteWrite:\n    - url: http://receive\n',
    });
    const ctx = createMockActionContext({
      workspacePath: workspace.path,
      input: {
        repoUrl: 'github.com?owner=example&repo=fleet-gitops',
        branchName,
        targetBranchName: 'main',
        title: 'fleet: drop series at edge-1',
        description: 'Drops a metric.',
      },
    });
    await action(token).handler(ctx);
    return ctx;
  }

  it('opens the pull request with the workspace files on a new branch', async () => {
    const ctx = await run('fleet/drop-series-edge-1', TOKEN);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      'https://github.com/example/fleet-gitops/pull/1',
    );
    expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 1);
    expect(ctx.output).toHaveBeenCalledWith('targetBranchName', 'main');
    // The calls the client makes, in its order.
    expect(fake.requests).toEqual([
      'GET /repos/example/fleet-gitops',
      'GET /repos/example/fleet-gitops/commits',
      'POST /repos/example/fleet-gitops/git/blobs',
      'POST /repos/example/fleet-gitops/git/trees',
      'POST /repos/example/fleet-gitops/git/commits',
      'POST /graphql',
      'POST /repos/example/fleet-gitops/git/refs',
      'POST /repos/example/fleet-gitops/pulls',
    ]);
    const [pr] = fake.pullRequests();
    expect(pr).toMatchObject({
      number: 1,
      head: 'fleet/drop-series-edge-1',
      base: 'main',
      title: 'fleet: drop series at edge-1',
      body: 'Drops a metric.',
      changed: [VALUES],
    });
    // The base tree's other files stay; the changed file holds the workspace's content.
    expect(pr.files).toEqual({
      'README.md': '# fleet\n',
      [VALUES]: 'server:\n  remoteWrite:\n    - url: http://receive\n',
    });
  });

  it('shows the pull request, its files and their content through the REST reads', async () => {
    const get = async (p: string, accept?: string) => {
      const res = await fetch(`${fake.url}/repos/example/fleet-gitops${p}`, {
        headers: accept ? { accept } : {},
      });
      return { status: res.status, text: await res.text() };
    };
    const pulls = JSON.parse((await get('/pulls')).text);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      number: 1,
      html_url: 'https://github.com/example/fleet-gitops/pull/1',
      head: { ref: 'fleet/drop-series-edge-1' },
      base: { ref: 'main' },
    });
    expect(JSON.parse((await get('/pulls/1/files')).text)).toEqual([
      { filename: VALUES, status: 'modified' },
    ]);
    const head = encodeURIComponent(pulls[0].head.sha);
    const file = JSON.parse(
      (await get(`/contents/${VALUES}?ref=${head}`)).text,
    );
    expect(Buffer.from(file.content, 'base64').toString()).toContain(
      'http://receive',
    );
    // The base branch is unchanged, and the raw media type answers the file itself.
    expect(
      (
        await get(
          `/contents/${VALUES}?ref=main`,
          'application/vnd.github.v3.raw',
        )
      ).text,
    ).toBe('server:\n  remoteWrite: []\n');
    expect((await get('/pulls/7/files')).status).toBe(404);
  });

  it('refuses a second pull request from the same branch, as GitHub does', async () => {
    // The client asks GraphQL first and stops on the open pull request it finds.
    await expect(run('fleet/drop-series-edge-1', TOKEN)).rejects.toThrow(
      /Pull request creation failed/,
    );
    expect(fake.requests).toContain('POST /graphql');
    expect(fake.requests).not.toContain(
      'POST /repos/example/fleet-gitops/pulls',
    );
    expect(fake.pullRequests()).toHaveLength(1);
  });

  it('refuses writes with a token it does not know', async () => {
    await expect(run('fleet/other', 'wrong-token')).rejects.toThrow(
      /Pull request creation failed/,
    );
    expect(fake.pullRequests()).toHaveLength(1);
    expect(fake.requests).not.toContain(
      'POST /repos/example/fleet-gitops/git/refs',
    );
  });

  it('answers the REST errors GitHub gives for unknown objects', async () => {
    const post = (p: string, body: unknown) =>
      fetch(`${fake.url}/repos/example/fleet-gitops${p}`, {
        method: 'POST',
        headers: {
          authorization: `token ${TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const tree = await post('/git/trees', {
      base_tree: '0'.repeat(40),
      tree: [{ path: 'a', mode: '100644', content: 'x' }],
    });
    expect(tree.status).toBe(422);
    const pull = await post('/pulls', {
      title: 't',
      head: 'example:no-such-branch',
      base: 'main',
    });
    expect(pull.status).toBe(422);
    expect(((await pull.json()) as any).errors[0]).toMatchObject({
      resource: 'PullRequest',
      field: 'head',
      code: 'invalid',
    });
    const noAuth = await fetch(
      `${fake.url}/repos/example/fleet-gitops/git/blobs`,
      { method: 'POST', body: '{"content":"x"}' },
    );
    expect(noAuth.status).toBe(401);
  });
});

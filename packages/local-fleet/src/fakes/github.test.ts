import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { GithubFake } from './github';

/** Backstage's own GithubUrlReader (what `fetch:plain` uses) reading directories from the fake. */
describe('GithubFake', () => {
  const fake = new GithubFake([
    {
      owner: 'example',
      repo: 'fleet-gitops',
      files: {
        'README.md': '# fleet',
        'deploy/base/prometheus-agent/kustomization.yaml': 'resources: []\n',
      },
    },
  ]);
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  function reader() {
    return UrlReaders.default({
      logger: mockServices.logger.mock(),
      config: new ConfigReader({
        integrations: {
          github: [{ host: 'github.com', apiBaseUrl: fake.url }],
        },
      }),
    });
  }

  it('serves a directory of a branch as GitHub does', async () => {
    const tree = await reader().readTree(
      'https://github.com/example/fleet-gitops/tree/main/deploy/base/prometheus-agent',
    );
    const files = await tree.files();
    expect(files.map(f => f.path)).toEqual(['kustomization.yaml']);
    expect((await files[0].content()).toString()).toBe('resources: []\n');
    expect(fake.requests).toEqual([
      'GET /repos/example/fleet-gitops/commits/main/status',
      expect.stringMatching(
        /^GET \/repos\/example\/fleet-gitops\/tarball\/[0-9a-f]{40}$/,
      ),
    ]);
  });

  it('gives an empty tree for a path the repository does not have yet', async () => {
    const tree = await reader().readTree(
      'https://github.com/example/fleet-gitops/tree/main/deploy/overlays/nowhere',
    );
    expect(await tree.files()).toEqual([]);
  });

  it('answers 404 for a repository it does not hold', async () => {
    await expect(
      reader().readTree('https://github.com/example/other/tree/main/deploy'),
    ).rejects.toThrow(/404/);
  });
});

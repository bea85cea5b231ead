import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import type { GitopsLintResponse } from '@fleet-monitoring/plugin-monitoring-common';
import { bareEntity, clusterEntity } from '../../__fixtures__/entities';
import {
  backstageError,
  fakeFetch,
  json,
  Wrapper,
} from '../../__testUtils__/testApi';
import { GitopsLintCard } from './GitopsLintCard';

const OVERLAY = 'deploy/overlays/cluster-02-edge/prometheus-agent';
const lint = (
  findings: GitopsLintResponse['findings'],
): GitopsLintResponse => ({
  generatedAt: '2026-12-04T15:00:00Z',
  findings,
  counts: {
    error: findings.filter(f => f.severity === 'error').length,
    warning: findings.filter(f => f.severity === 'warning').length,
  },
  overlays: [
    {
      cluster: 'cluster-02-edge',
      component: 'prometheus-agent',
      path: OVERLAY,
    },
  ],
  files: 6,
});

describe('GitopsLintCard', () => {
  it("lists the cluster's findings with severity, file, message and the handbook section", async () => {
    const { fetchApi, calls } = fakeFetch(() =>
      json(
        lint([
          {
            rule: 'agent-flags',
            severity: 'error',
            path: `${OVERLAY}/values.yaml`,
            cluster: 'cluster-02-edge',
            message:
              'no server.defaultFlagsOverride: prometheus chart 25.11.0 starts a full Prometheus server, not an agent',
            docs: 'plugins/overlay-lint/#agent-flags',
          },
          {
            rule: 'remote-write-429',
            severity: 'warning',
            path: `${OVERLAY}/values.yaml`,
            cluster: 'cluster-02-edge',
            message:
              'server.remoteWrite[0].queue_config.retry_on_http_429 is not true',
            docs: 'plugins/overlay-lint/#remote-write-429',
          },
        ]),
      ),
    );
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <GitopsLintCard />
      </Wrapper>,
    );
    const list = await screen.findByRole('list', { name: 'Lint findings' });
    expect(calls).toEqual([
      '/entity/resource/default/cluster-02-edge/gitops-lint',
    ]);
    expect(
      screen.getByText(`${OVERLAY}: 1 error, 1 warning`, { exact: false }),
    ).toBeInTheDocument();
    const flags = list.querySelector(
      'li[data-rule="agent-flags"]',
    ) as HTMLElement;
    expect(flags).toHaveAttribute('data-severity', 'error');
    expect(flags).toHaveTextContent(
      /Error: The agent is not an agent for its chart version/,
    );
    expect(flags).toHaveTextContent(`${OVERLAY}/values.yaml`);
    expect(flags).toHaveTextContent(/starts a full Prometheus server/);
    expect(
      within(flags).getByRole('link', {
        name: 'How to fix: The agent is not an agent for its chart version',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/plugins/overlay-lint/#agent-flags',
    );
    expect(
      list.querySelector('li[data-rule="remote-write-429"]'),
    ).toHaveTextContent(/Warning: HTTP 429 is not retried/);
  });

  it('says when the overlays pass, and when the repository has no overlay of the cluster', async () => {
    const { fetchApi } = fakeFetch(() => json(lint([])));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <GitopsLintCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText('The overlays pass every rule of the lint.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Lint findings' })).toBeNull();

    const none = fakeFetch(() => json({ ...lint([]), overlays: [] }));
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={none.fetchApi}>
        <GitopsLintCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText(
        /No overlay of this cluster in the GitOps repository/,
      ),
    ).toBeInTheDocument();
  });

  it('names the missing annotation without a request, and shows a backend error in words', async () => {
    const bare = fakeFetch(() => json(lint([])));
    await renderInTestApp(
      <Wrapper entity={bareEntity} fetchApi={bare.fetchApi}>
        <GitopsLintCard />
      </Wrapper>,
    );
    expect(
      (await screen.findAllByText(/fleet-monitoring\.io\/cluster/)).length,
    ).toBeGreaterThan(0);
    expect(bare.calls).toEqual([]);

    const failing = fakeFetch(() =>
      backstageError(
        404,
        'NotFoundError',
        'gitops:repository: no GitOps repository is configured (fleetMonitoring.gitops.url)',
      ),
    );
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={failing.fetchApi}>
        <GitopsLintCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText(/no GitOps repository is configured/),
    ).toBeInTheDocument();
  });
});

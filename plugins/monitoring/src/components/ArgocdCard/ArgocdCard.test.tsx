import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { bareEntity, clusterEntity } from '../../__fixtures__/entities';
import { argocdApps } from '../../__fixtures__/responses';
import {
  backstageError,
  fakeFetch,
  json,
  Wrapper,
} from '../../__testUtils__/testApi';
import { ArgocdCard } from './ArgocdCard';

const history = {
  instance: 'demo',
  app: 'cluster-02-edge-agent',
  history: [
    {
      id: 2,
      revision: 'abcdef0123456789abcdef0123456789abcdef01',
      deployedAt: new Date(Date.now() - 600_000).toISOString(),
      initiatedBy: { automated: true },
    },
    {
      id: 1,
      revision: '0123456789abcdef0123456789abcdef01234567',
      deployedAt: new Date(Date.now() - 7200_000).toISOString(),
    },
  ],
};

describe('ArgocdCard', () => {
  it('lists applications with sync, health, operation, revision and a link to ArgoCD', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(argocdApps));
    await renderInTestApp(
      <Wrapper
        entity={clusterEntity}
        fetchApi={fetchApi}
        config={{ fleetMonitoring: { demoDataNotice: 'Demo data' } }}
      >
        <ArgocdCard />
      </Wrapper>,
    );
    const list = await screen.findByRole('list', {
      name: 'ArgoCD applications',
    });
    const row = within(list).getByRole('listitem', {
      name: 'cluster-02-edge-agent',
    });
    expect(row).toHaveTextContent(/OutOfSync.*Healthy.*Succeeded/);
    // Icon + ArgoCD's own word: the sync cell carries the warning icon's state, not colour alone.
    expect(
      within(row).getByText('OutOfSync').closest('[data-state]'),
    ).toHaveAttribute('data-state', 'degraded');
    expect(within(row).getByText('0123456')).toBeInTheDocument();
    expect(within(row).getByText('1 h ago')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', {
        name: /cluster-02-edge-agent in ArgoCD/,
      }),
    ).toHaveAttribute(
      'href',
      'http://127.0.0.1:18080/applications/argocd/cluster-02-edge-agent',
    );
    expect(
      screen.getByRole('link', {
        name: 'How to fix: Application is OutOfSync',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('See the diff: argocd app diff cluster-02-edge-agent'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('demo-notice')).toHaveTextContent('Demo data');
    expect(calls).toEqual(['/entity/resource/default/cluster-02-edge/argocd']);
  });

  it('fetches history only on demand, once', async () => {
    const { fetchApi, calls } = fakeFetch(url =>
      json(url.pathname.endsWith('/history') ? history : argocdApps),
    );
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <ArgocdCard />
      </Wrapper>,
    );
    const button = await screen.findByRole('button', {
      name: 'Show deploy history of cluster-02-edge-agent',
    });
    expect(calls).toHaveLength(1);
    fireEvent.click(button);
    const region = await screen.findByRole('region', {
      name: 'Deploy history of cluster-02-edge-agent',
    });
    await waitFor(() => expect(region).toHaveTextContent('abcdef0'));
    expect(region).toHaveTextContent('(automated)');
    expect(calls).toEqual([
      '/entity/resource/default/cluster-02-edge/argocd',
      '/entity/resource/default/cluster-02-edge/argocd/demo/applications/cluster-02-edge-agent/history',
    ]);
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Hide deploy history of cluster-02-edge-agent',
      }),
    );
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Show deploy history of cluster-02-edge-agent',
      }),
    );
    expect(calls).toHaveLength(2);
  });

  it('treats a backend without ArgoCD routes as not configured', async () => {
    const { fetchApi } = fakeFetch(() =>
      backstageError(404, 'NotFoundError', 'Not Found'),
    );
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <ArgocdCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText('ArgoCD is not configured'),
    ).toBeInTheDocument();
  });

  it("names a failing ArgoCD instance and still lists the others' apps", async () => {
    const { fetchApi } = fakeFetch(() =>
      json({
        ...argocdApps,
        errors: [
          {
            upstream: 'argocd:backup',
            kind: 'unauthorized',
            status: 401,
            message: 'ArgoCD rejected the token',
          },
        ],
        instances: [
          ...argocdApps.instances,
          {
            name: 'backup',
            applications: 0,
            error: {
              upstream: 'argocd:backup',
              kind: 'unauthorized',
              message: 'x',
            },
          },
        ],
      }),
    );
    await renderInTestApp(
      <Wrapper entity={clusterEntity} fetchApi={fetchApi}>
        <ArgocdCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText('ArgoCD "backup" refused our credentials (401)'),
    ).toBeInTheDocument();
    expect(screen.getByText('ArgoCD rejected the token')).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'ArgoCD applications' }),
    ).toBeInTheDocument();
  });

  it('shows the annotations to add when the entity has none', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(argocdApps));
    await renderInTestApp(
      <Wrapper entity={bareEntity} fetchApi={fetchApi}>
        <ArgocdCard />
      </Wrapper>,
    );
    expect(
      (await screen.findAllByText(/argocd\/app-name/)).length,
    ).toBeGreaterThan(0);
    expect(calls).toHaveLength(0);
  });
});

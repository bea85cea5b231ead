import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  bareEntity,
  clusterEntity,
  receiveEntity,
} from '../../__fixtures__/entities';
import {
  allSourcesOk,
  brokenEdge,
  entityReconciled,
} from '../../__fixtures__/reconciled';
import {
  backstageError,
  fakeFetch,
  json,
  Wrapper,
} from '../../__testUtils__/testApi';
import { isReconcileAvailable } from './available';
import { ReconcileCard } from './ReconcileCard';

const DOCS = '/docs/default/system/fleet-monitoring/';

async function renderCard(
  handler: Parameters<typeof fakeFetch>[0],
  entity = clusterEntity,
) {
  const { fetchApi, calls } = fakeFetch(handler);
  await renderInTestApp(
    <Wrapper entity={entity} fetchApi={fetchApi}>
      <ReconcileCard />
    </Wrapper>,
  );
  return calls;
}

const section = (name: string) => screen.getByRole('region', { name });

describe('ReconcileCard', () => {
  it('shows every source of the joined row in its own section', async () => {
    const calls = await renderCard(() => json(entityReconciled()));
    expect(await screen.findByText('Catalog')).toBeInTheDocument();
    expect(calls).toEqual([
      '/entity/resource/default/cluster-02-edge/reconciled',
    ]);

    expect(section('Catalog')).toHaveTextContent('Ownerplatform-team');
    const overlay = section('GitOps overlay');
    expect(overlay).toHaveTextContent(
      'deploy/overlays/cluster-02-edge/prometheus-agent',
    );
    expect(overlay).toHaveTextContent('25.11.0');
    expect(overlay).toHaveTextContent('v2.50.1');
    expect(overlay).toHaveTextContent('Tenantcluster-02-edge');
    expect(overlay).toHaveTextContent('cluster=cluster-02-edge');
    expect(overlay).toHaveTextContent('1 error, 0 warnings');

    const app = within(section('ArgoCD applications')).getByRole('listitem', {
      name: 'prometheus-agent-cluster-02-edge',
    });
    expect(app).toHaveTextContent('OutOfSync · Degraded');
    expect(app).toHaveTextContent('revision 4f1c2d3');
    expect(app).toHaveTextContent(/last sync/);
    expect(
      within(app).getByRole('link', {
        name: 'prometheus-agent-cluster-02-edge in ArgoCD (opens a new tab)',
      }),
    ).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/argocd/prometheus-agent-cluster-02-edge',
    );

    const rw = section('Remote write');
    expect(rw).toHaveTextContent('Failing');
    expect(rw).toHaveTextContent('Remote write is failing');
    const receive = section('Thanos Receive tenant');
    expect(receive).toHaveTextContent('cluster-02-edge');
    expect(receive).toHaveTextContent('yes (hashring default)');
    expect(receive).toHaveTextContent('90,000');
    expect(receive).toHaveTextContent('113,328');
    expect(receive).toHaveTextContent('Used79.4 %');
    expect(receive).toHaveTextContent(
      'Days to limit4.2 days (medium confidence · reaches it 2026-12-10)',
    );
    expect(section('Agent pods')).toHaveTextContent('0 of 1');
  });

  it("says the tenant's days to limit are unknown when the fleet capacity failed, and keeps the rest", async () => {
    const sources = allSourcesOk.map(s =>
      s.source === 'capacity'
        ? {
            source: s.source,
            status: 'failed' as const,
            error: {
              upstream: 'thanos:demo',
              kind: 'timeout' as const,
              message: 'capacity query timed out',
            },
          }
        : s,
    );
    await renderCard(() =>
      json(
        entityReconciled(
          {
            ...brokenEdge,
            receive: { ...brokenEdge.receive!, forecast: undefined },
          },
          sources,
        ),
      ),
    );
    const receive = await screen.findByRole('region', {
      name: 'Thanos Receive tenant',
    });
    expect(receive).toHaveTextContent(
      'Days to limitUnknown: the source could not be read',
    );
    expect(receive).toHaveTextContent('Used79.4 %');
    expect(
      screen.getByText(/Thanos Query "demo" did not answer in time/),
    ).toBeInTheDocument();
  });

  it('names each reason with its cause and links its handbook section', async () => {
    await renderCard(() => json(entityReconciled()));
    const reasons = await screen.findByRole('list', { name: 'Reasons' });
    const broke = reasons.querySelector(
      'li[data-reason="reconcile-broke-after-sync"]',
    ) as HTMLElement;
    expect(broke).toHaveTextContent('Remote write broke after a sync');
    expect(broke).toHaveTextContent(/6 min after ArgoCD synced/);
    expect(
      within(broke).getByRole('link', {
        name: 'How to fix: Remote write broke after a sync',
      }),
    ).toHaveAttribute(
      'href',
      `${DOCS}troubleshooting/reconciliation/#reconcile-broke-after-sync`,
    );
    expect(
      within(reasons).getByRole('link', {
        name: 'How to fix: The Application is out of sync or degraded',
      }),
    ).toHaveAttribute(
      'href',
      `${DOCS}troubleshooting/reconciliation/#reconcile-application-drift`,
    );

    // The likely cause: the sync, its revision (linked), time and author.
    const changed = section('What changed');
    expect(changed).toHaveTextContent(
      /remote write turned bad after .+, just after ArgoCD synced prometheus-agent-cluster-02-edge to revision 4f1c2d3 at .+ by alice@example\.com\./,
    );
    expect(changed).toHaveTextContent('Raise max_shards');
    expect(
      within(changed).getByRole('link', { name: /^Revision 4f1c2d3e/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/example/gitops/commit/4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
    );
  });

  it('shows a ready catalog-info.yaml as a block, and fleet findings apart', async () => {
    await renderCard(() =>
      json({
        ...entityReconciled({
          ...brokenEdge,
          reasons: [
            {
              id: 'reconcile-not-in-catalog',
              severity: 'warning',
              message: 'cluster-02-edge sends metrics but has no Resource',
              hints: [
                'Register this catalog-info.yaml:\nkind: Resource\nmetadata:\n  name: cluster-02-edge\n',
              ],
            },
          ],
        }),
        fleetReasons: [
          {
            id: 'reconcile-sources-disagree',
            severity: 'warning',
            message:
              'thanos-receive-1 is down by its metrics but Ready by the Kubernetes API',
          },
        ],
      }),
    );
    const reasons = await screen.findByRole('list', { name: 'Reasons' });
    expect(
      within(reasons).getByText('Register this catalog-info.yaml:'),
    ).toBeInTheDocument();
    expect(reasons.querySelector('pre')?.textContent).toBe(
      'kind: Resource\nmetadata:\n  name: cluster-02-edge',
    );
    const fleet = screen.getByRole('list', { name: 'Fleet reasons' });
    expect(fleet).toHaveTextContent('The sources disagree about the receivers');
    expect(fleet).toHaveTextContent(/Ready by the Kubernetes API/);
  });

  it('keeps the other sources when one fails, and says which are unknown or not configured', async () => {
    const sources = allSourcesOk.map(s => {
      if (s.source === 'argocd')
        return {
          source: s.source,
          status: 'failed' as const,
          error: {
            upstream: 'argocd:demo',
            kind: 'unauthorized' as const,
            message: 'ArgoCD answered 401',
          },
        };
      if (s.source === 'kubernetes')
        return { source: s.source, status: 'not-configured' as const };
      if (s.source === 'catalog')
        return {
          source: s.source,
          status: 'failed' as const,
          error: {
            upstream: 'catalog:backstage',
            kind: 'http-error' as const,
            status: 503,
            message: 'The catalog answered 503',
          },
        };
      return s;
    });
    await renderCard(() =>
      json(
        entityReconciled(
          {
            ...brokenEdge,
            catalog: undefined,
            argocd: [],
            agentPods: undefined,
          },
          sources,
        ),
      ),
    );
    expect(
      await screen.findByText('ArgoCD "demo" refused our credentials (401)'),
    ).toBeInTheDocument();
    expect(section('ArgoCD applications')).toHaveTextContent(
      'Unknown: the source could not be read',
    );
    expect(section('ArgoCD applications')).toHaveAttribute(
      'data-source-status',
      'failed',
    );
    expect(section('Agent pods')).toHaveTextContent('Not configured');
    expect(
      screen.getByText('Not configured in the backend: Kubernetes API.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'The Backstage catalog answered with an error (HTTP 503)',
      ),
    ).toBeInTheDocument();
    expect(section('Catalog')).toHaveAttribute('data-source-status', 'failed');
    // Every other source still shows what it knows.
    expect(section('GitOps overlay')).toHaveTextContent('25.11.0');
    expect(section('Thanos Receive tenant')).toHaveTextContent('113,328');
  });

  it('says what a source that answered has not (no overlay, no Application)', async () => {
    await renderCard(() =>
      json(
        entityReconciled({
          ...brokenEdge,
          overlay: undefined,
          argocd: [],
          changedBy: undefined,
        }),
      ),
    );
    expect(await screen.findByText('Catalog')).toBeInTheDocument();
    expect(section('GitOps overlay')).toHaveTextContent(
      'No overlay under deploy/overlays/cluster-02-edge/.',
    );
    expect(section('ArgoCD applications')).toHaveTextContent(
      "No ArgoCD Application deploys this cluster's overlay.",
    );
    expect(screen.queryByRole('region', { name: 'What changed' })).toBeNull();
  });

  it('treats a 404 without an upstream as not served, and shows other errors in words', async () => {
    await renderCard(() =>
      backstageError(404, 'NotFoundError', 'Not Found: /reconciled'),
    );
    expect(
      await screen.findByText('Reconciliation is not available'),
    ).toBeInTheDocument();

    await renderCard(() =>
      backstageError(403, 'NotAllowedError', 'You may not read this entity'),
    );
    expect(
      await screen.findByText('You are not allowed to see this'),
    ).toBeInTheDocument();
  });

  it('applies to clusters only, and sends no request without the annotation', async () => {
    expect(isReconcileAvailable(clusterEntity)).toBe(true);
    expect(isReconcileAvailable(receiveEntity)).toBe(false);
    expect(isReconcileAvailable(bareEntity)).toBe(false);
    const calls = await renderCard(() => json(entityReconciled()), bareEntity);
    expect(
      (await screen.findAllByText(/fleet-monitoring\.io\/cluster/)).length,
    ).toBeGreaterThan(0);
    expect(calls).toEqual([]);
  });
});

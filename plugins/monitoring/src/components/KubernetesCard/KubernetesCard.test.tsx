import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  OOM_KILLED_HINTS,
  type KubernetesClusterView,
  type PodSummary,
} from '@fleet-monitoring/plugin-monitoring-common';
import { bareEntity, receiveEntity } from '../../__fixtures__/entities';
import { oomKilledView } from '../../__fixtures__/responses';
import {
  backstageError,
  fakeFetch,
  json,
  Wrapper,
} from '../../__testUtils__/testApi';
import { KubernetesCard } from './KubernetesCard';

describe('KubernetesCard', () => {
  it('names an OOM kill with its cause, the FAQ fix and the handbook section', async () => {
    const { fetchApi, calls } = fakeFetch(() => json(oomKilledView));
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <KubernetesCard />
      </Wrapper>,
    );
    expect(await screen.findByText('A pod was OOMKilled')).toBeInTheDocument();
    expect(calls).toEqual([
      '/entity/component/default/thanos-receive/kubernetes',
    ]);
    const oom = screen
      .getByText('A pod was OOMKilled')
      .closest('li[data-reason]') as HTMLElement;
    expect(oom).toHaveTextContent(/OOMKilled \(exit code 137\)/);
    expect(oom).toHaveTextContent(/memory limit 2Gi, request 1Gi/);
    const steps = within(oom).getByRole('list', { name: 'Next steps' });
    expect(
      within(steps)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([...OOM_KILLED_HINTS]);
    expect(
      within(oom).getByRole('link', {
        name: 'How to fix: A pod was OOMKilled',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/kubernetes/#pod-oom-killed',
    );
  });

  it('shows every receive and agent pod with readiness, restarts, last termination and memory', async () => {
    const { fetchApi } = fakeFetch(() => json(oomKilledView));
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <KubernetesCard />
      </Wrapper>,
    );
    const receive = await screen.findByRole('region', {
      name: 'Thanos Receive pods',
    });
    const row = within(receive)
      .getByText('thanos-receive-1')
      .closest('[role="row"]') as HTMLElement;
    expect(row).toHaveTextContent('Ready');
    expect(row).toHaveTextContent('3');
    expect(row).toHaveTextContent('OOMKilled (exit 137)');
    expect(row).toHaveTextContent('1Gi / 2Gi');
    expect(row.querySelector('[data-oom-killed="true"]')).not.toBeNull();
    const healthyRow = within(receive)
      .getByText('thanos-receive-0')
      .closest('[role="row"]') as HTMLElement;
    expect(healthyRow).toHaveTextContent('None');
    const agents = screen.getByRole('region', {
      name: 'Prometheus agent pods',
    });
    expect(agents).toHaveTextContent('prometheus-agent-0');
    expect(agents).toHaveTextContent('256Mi / 512Mi');
  });

  it('shows memory usage against the limit, the receiver near its limit flagged with the fix', async () => {
    const { fetchApi } = fakeFetch(() => json(oomKilledView));
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <KubernetesCard />
      </Wrapper>,
    );
    const receive = await screen.findByRole('region', {
      name: 'Thanos Receive pods',
    });
    expect(
      within(receive).getByRole('columnheader', {
        name: 'Memory usage / limit',
      }),
    ).toBeInTheDocument();
    const row = (name: string) =>
      within(receive).getByText(name).closest('[role="row"]') as HTMLElement;
    // 1916Mi of 2Gi: in the warning colour, with the share.
    const near = row('thanos-receive-1').querySelector(
      '[data-memory-near-limit="true"]',
    );
    expect(near).toHaveTextContent('1.9Gi / 2Gi (93.6 %)');
    expect(near).toHaveAttribute(
      'title',
      'Working set 1916Mi (metrics.k8s.io)',
    );
    const healthy = row('thanos-receive-0');
    expect(healthy).toHaveTextContent('696Mi / 2Gi (34.0 %)');
    expect(healthy.querySelector('[data-memory-near-limit]')).toBeNull();
    // No sample for this pod: a dash, request and limit still shown.
    const unmeasured = row('thanos-receive-2');
    expect(unmeasured).toHaveTextContent('1Gi / 2Gi');
    expect(unmeasured).toHaveTextContent('—');
    expect(unmeasured).not.toHaveTextContent('%');
    expect(
      screen.getByRole('region', { name: 'Prometheus agent pods' }),
    ).toHaveTextContent('176Mi / 512Mi (34.4 %)');

    const reason = screen
      .getByText('A pod is close to its memory limit')
      .closest('li[data-reason]') as HTMLElement;
    expect(reason).toHaveTextContent(
      'thanos-receive-1/thanos-receive uses 1916Mi of its 2Gi memory limit (93.6 %',
    );
    expect(
      within(within(reason).getByRole('list', { name: 'Next steps' }))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([...OOM_KILLED_HINTS]);
    expect(
      within(reason).getByRole('link', {
        name: 'How to fix: A pod is close to its memory limit',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/kubernetes/#pod-memory-near-limit',
    );
  });

  it('without metrics-server shows no usage and says why, linking the setup', async () => {
    const strip = (pods: PodSummary[]) =>
      pods.map(p => ({
        ...p,
        containers: p.containers.map(
          ({ memoryUsage, memoryUsageBytes, ...c }) => c,
        ),
      }));
    const view: KubernetesClusterView = {
      ...oomKilledView,
      reasons: [
        {
          id: 'pod-metrics-unavailable',
          severity: 'info',
          message:
            'Cluster cluster-01-central serves no resource metrics API (metrics.k8s.io/v1beta1 answered 404), so memory usage is not shown; install metrics-server to see it.',
        },
      ],
      receivePods: strip(oomKilledView.receivePods),
      agentPods: strip(oomKilledView.agentPods),
    };
    const { fetchApi } = fakeFetch(() => json(view));
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <KubernetesCard />
      </Wrapper>,
    );
    const note = (await screen.findByText('Memory usage is not shown')).closest(
      'li[data-reason]',
    ) as HTMLElement;
    expect(note).toHaveTextContent('install metrics-server');
    expect(
      within(note).getByRole('link', {
        name: 'How to fix: Memory usage is not shown',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/kubernetes/#pod-metrics-unavailable',
    );
    const receive = screen.getByRole('region', { name: 'Thanos Receive pods' });
    expect(receive).not.toHaveTextContent('%');
    expect(receive).toHaveTextContent('1Gi / 2Gi');
  });

  it('compares the hashring ConfigMap with the live receivers', async () => {
    const { fetchApi } = fakeFetch(() => json(oomKilledView));
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <KubernetesCard />
      </Wrapper>,
    );
    const hashring = await screen.findByRole('region', { name: 'Hashring' });
    expect(hashring).toHaveTextContent(
      'ConfigMap thanos-receive-hashrings, key hashrings.json: 3 endpoint(s); 1 live receiver(s) missing, 1 endpoint(s) without a pod',
    );
    expect(hashring).toHaveTextContent(
      'thanos-receive-9.thanos-receive.monitoring.svc.cluster.local:10901 — no such receive pod',
    );
    expect(hashring).toHaveTextContent(
      'Receive pod thanos-receive-2 — not in the hashring',
    );
    expect(
      screen.getByRole('link', {
        name: 'How to fix: A receive pod is missing from the hashring',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/fleet-monitoring/troubleshooting/kubernetes/#hashring-endpoint-missing',
    );
  });

  it('names the Kubernetes API when it fails, and asks for annotations without a request', async () => {
    const { fetchApi } = fakeFetch(() =>
      backstageError(502, 'BadGatewayError', 'pods is forbidden', {
        upstream: 'kubernetes:cluster-01-central',
        kind: 'forbidden',
      }),
    );
    await renderInTestApp(
      <Wrapper entity={receiveEntity} fetchApi={fetchApi}>
        <KubernetesCard />
      </Wrapper>,
    );
    expect(
      await screen.findByText(
        'Kubernetes cluster "cluster-01-central" denied access (403)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('pods is forbidden')).toBeInTheDocument();

    const bare = fakeFetch(() => json(oomKilledView));
    await renderInTestApp(
      <Wrapper entity={bareEntity} fetchApi={bare.fetchApi}>
        <KubernetesCard />
      </Wrapper>,
    );
    expect(
      (await screen.findAllByText(/fleet-monitoring.io\/cluster/)).length,
    ).toBeGreaterThan(0);
    expect(bare.calls).toEqual([]);
  });
});

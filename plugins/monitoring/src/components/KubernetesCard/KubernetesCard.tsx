import {
  Cell,
  CellText,
  Flex,
  Table,
  Text,
  type ColumnConfig,
} from '@backstage/ui';
import {
  CLUSTER_ANNOTATION,
  isKubernetesAvailable,
  KUBERNETES_ID_ANNOTATION,
  MEMORY_NEAR_LIMIT_RATIO,
  THANOS_COMPONENT_ANNOTATION,
  type ContainerSummary,
  type HashringCheck,
  type KubernetesClusterView,
  type PodSummary,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  EntityHealthCard,
  formatAgo,
  formatPercent,
  formatTime,
  ReasonList,
  StateBadge,
  StateHeader,
  UpstreamErrorNotice,
} from '../common';

const section = { marginTop: 'var(--bui-space-4)' };

/** The container whose last termination explains the pod best: an OOM kill first, then the latest. */
function telling(pod: PodSummary): ContainerSummary | undefined {
  return (
    pod.containers.find(c => c.oomKilled) ??
    pod.containers
      .filter(c => c.lastTerminationReason)
      .sort((a, b) =>
        (b.lastTerminationAt ?? '').localeCompare(a.lastTerminationAt ?? ''),
      )[0]
  );
}

function terminationText(c: ContainerSummary | undefined): string {
  if (!c?.lastTerminationReason) return 'None';
  const code =
    c.lastTerminationExitCode !== undefined
      ? ` (exit ${c.lastTerminationExitCode})`
      : '';
  return `${c.lastTerminationReason}${code}`;
}

/** Memory request and limit of each container, the limit being what the OOM killer enforces. */
function memoryText(pod: PodSummary): string {
  const parts = pod.containers.map(
    c =>
      `${pod.containers.length > 1 ? `${c.name}: ` : ''}${c.memoryRequest ?? 'no request'} / ${c.memoryLimit ?? 'no limit'}`,
  );
  return parts.join('; ') || '—';
}

const BINARY_UNITS = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi'];

/** Bytes in the binary units pod specs use (696Mi, 1.9Gi), so usage reads like the limit beside it. */
function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = '';
  for (const u of BINARY_UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  const digits = value >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)}${unit || 'B'}`;
}

/**
 * Memory usage (the working set metrics.k8s.io reports) against the limit, per container, in the
 * warning colour from the share at which the backend flags pod-memory-near-limit.
 */
function MemoryUsageCell({ pod }: { pod: PodSummary }) {
  const measured = pod.containers.filter(c => c.memoryUsageBytes !== undefined);
  if (measured.length === 0) {
    return (
      <Cell>
        <Text
          as="span"
          color="secondary"
          title="No usage reported: the cluster's resource metrics API (metrics-server) has no sample for this pod, or is not available"
        >
          —
        </Text>
      </Cell>
    );
  }
  return (
    <Cell>
      {measured.map(c => {
        const ratio =
          c.memoryLimitBytes && c.memoryUsageBytes !== undefined
            ? c.memoryUsageBytes / c.memoryLimitBytes
            : undefined;
        const near = ratio !== undefined && ratio >= MEMORY_NEAR_LIMIT_RATIO;
        const name = pod.containers.length > 1 ? `${c.name}: ` : '';
        const limit = c.memoryLimit ?? 'no limit';
        const share = ratio !== undefined ? ` (${formatPercent(ratio)})` : '';
        return (
          <Text
            key={c.name}
            as="p"
            weight={near ? 'bold' : 'regular'}
            color={near ? 'warning' : 'primary'}
            title={`Working set ${c.memoryUsage} (metrics.k8s.io)`}
            data-memory-near-limit={near ? 'true' : undefined}
          >
            {`${name}${formatBytes(c.memoryUsageBytes!)} / ${limit}${share}`}
          </Text>
        );
      })}
    </Cell>
  );
}

/** Why the pod's most telling container last stopped, and when; an OOM kill stands out. */
function TerminationCell({ pod }: { pod: PodSummary }) {
  const c = telling(pod);
  return (
    <Cell>
      <Text
        as="span"
        weight={c?.oomKilled ? 'bold' : 'regular'}
        color={c?.oomKilled ? 'danger' : 'primary'}
        data-oom-killed={c?.oomKilled ? 'true' : undefined}
      >
        {terminationText(c)}
      </Text>
      {c?.lastTerminationAt && (
        <Text
          as="p"
          variant="body-x-small"
          color="secondary"
          title={formatTime(c.lastTerminationAt)}
        >
          {formatAgo(Date.parse(c.lastTerminationAt) / 1000)}
        </Text>
      )}
    </Cell>
  );
}

const podColumns: ColumnConfig<{ id: string; pod: PodSummary }>[] = [
  {
    id: 'pod',
    label: 'Pod',
    isRowHeader: true,
    cell: ({ pod }) => (
      <CellText
        title={pod.name}
        description={[pod.phase, pod.nodeName].filter(Boolean).join(' · ')}
      />
    ),
  },
  {
    id: 'ready',
    label: 'Ready',
    cell: ({ pod }) => (
      <Cell>
        <StateBadge
          state={pod.ready ? 'healthy' : 'failing'}
          label={pod.ready ? 'Ready' : 'Not ready'}
        />
      </Cell>
    ),
  },
  {
    id: 'restarts',
    label: 'Restarts',
    cell: ({ pod }) => <CellText title={String(pod.restarts)} />,
  },
  {
    id: 'termination',
    label: 'Last termination',
    cell: ({ pod }) => <TerminationCell pod={pod} />,
  },
  {
    id: 'memory',
    label: 'Memory request / limit',
    cell: ({ pod }) => <CellText title={memoryText(pod)} />,
  },
  {
    id: 'usage',
    label: 'Memory usage / limit',
    cell: ({ pod }) => <MemoryUsageCell pod={pod} />,
  },
];

function PodTable(props: { title: string; pods: PodSummary[] }) {
  if (props.pods.length === 0) {
    return (
      <div style={section}>
        <Text as="h3" variant="title-x-small">
          {props.title}
        </Text>
        <Text as="p" variant="body-small" color="secondary">
          No pods match the configured label selector.
        </Text>
      </div>
    );
  }
  return (
    <div style={section} role="region" aria-label={props.title}>
      <Text as="h3" variant="title-x-small">
        {props.title}
      </Text>
      <Table
        pagination={{ type: 'none' }}
        data={props.pods.map(pod => ({ id: pod.name, pod }))}
        columnConfig={podColumns}
      />
    </div>
  );
}

function HashringSection({ hashring }: { hashring: HashringCheck }) {
  const endpoints = hashring.hashrings.flatMap(h =>
    h.endpoints.map(e => ({ hashring: h.name ?? 'default', endpoint: e })),
  );
  const unknown = new Set(hashring.unknownEndpoints);
  return (
    <div style={section} role="region" aria-label="Hashring">
      <Text as="h3" variant="title-x-small">
        Hashring vs live receivers
      </Text>
      <Flex gap="2" align="center" style={{ flexWrap: 'wrap' }}>
        <StateBadge state={hashring.state} />
        <Text as="span" variant="body-small" color="secondary">
          ConfigMap <code>{hashring.configMap}</code>, key{' '}
          <code>{hashring.key}</code>: {endpoints.length} endpoint(s);{' '}
          {hashring.missingPods.length} live receiver(s) missing,{' '}
          {hashring.unknownEndpoints.length} endpoint(s) without a pod
        </Text>
      </Flex>
      {hashring.error && <UpstreamErrorNotice error={hashring.error} />}
      <ul
        aria-label="Hashring endpoints"
        style={{ margin: 'var(--bui-space-1) 0' }}
      >
        {endpoints.map(({ hashring: name, endpoint }) => (
          <li key={`${name}/${endpoint}`}>
            <Text
              variant="body-small"
              color={unknown.has(endpoint) ? 'danger' : 'primary'}
            >
              <code>{endpoint}</code>
              {hashring.hashrings.length > 1 ? ` (${name})` : ''}
              {unknown.has(endpoint) ? ' — no such receive pod' : ''}
            </Text>
          </li>
        ))}
        {hashring.missingPods.map(pod => (
          <li key={`missing/${pod}`}>
            <Text variant="body-small" color="warning">
              Receive pod <code>{pod}</code> — not in the hashring
            </Text>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function KubernetesDetails({ view }: { view: KubernetesClusterView }) {
  return (
    <>
      <StateHeader state={view.state}>
        cluster <strong>{view.cluster}</strong>, namespace{' '}
        <strong>{view.namespace}</strong>
        {view.generatedAt ? ` · ${formatTime(view.generatedAt)}` : ''}
      </StateHeader>
      {view.errors.map(e => (
        <UpstreamErrorNotice key={`${e.upstream}-${e.message}`} error={e} />
      ))}
      <ReasonList
        reasons={view.reasons.filter(r => !r.id.startsWith('upstream-'))}
      />
      <PodTable title="Thanos Receive pods" pods={view.receivePods} />
      <PodTable title="Prometheus agent pods" pods={view.agentPods} />
      {view.hashring && <HashringSection hashring={view.hashring} />}
    </>
  );
}

/**
 * Receive and agent pods of the entity's cluster (ready, restarts, last termination with OOMKilled
 * and the FAQ's fix, memory request/limit and usage vs limit) and the receive hashring compared with
 * the live pods.
 */
export function KubernetesCard() {
  return (
    <EntityHealthCard
      title="Kubernetes"
      subheader="Thanos Receive and Prometheus agent pods, hashring"
      isAvailable={isKubernetesAvailable}
      annotation={[
        CLUSTER_ANNOTATION,
        THANOS_COMPONENT_ANNOTATION,
        KUBERNETES_ID_ANNOTATION,
      ]}
      load={(api, ref) => api.getKubernetes(ref)}
      render={view => <KubernetesDetails view={view} />}
    />
  );
}

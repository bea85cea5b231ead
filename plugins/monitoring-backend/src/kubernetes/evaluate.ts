import {
  ContainerSummary,
  HashringCheck,
  HashringSummary,
  HintedReason,
  MEMORY_NEAR_LIMIT_RATIO,
  OOM_KILLED_HINTS,
  PodSummary,
  stateFromReasons,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { V1ContainerState, V1Pod } from '@kubernetes/client-node';
import type { ContainerUsage } from './KubernetesClient';
import { quantityOrUndefined } from './quantity';

/** A termination within this window counts as "restarting now" even below the restart threshold. */
const RECENT_RESTART_MS = 3600_000;

function stateOf(s?: V1ContainerState): {
  state?: ContainerSummary['state'];
  reason?: string;
} {
  if (s?.running) return { state: 'running' };
  if (s?.waiting) return { state: 'waiting', reason: s.waiting.reason };
  if (s?.terminated)
    return { state: 'terminated', reason: s.terminated.reason };
  return {};
}

/** A memory quantity in bytes; `undefined` when missing, malformed or negative. */
function bytesOf(quantity: string | undefined): number | undefined {
  const bytes = quantityOrUndefined(quantity);
  return bytes !== undefined && bytes >= 0 ? bytes : undefined;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

type ContainerStatus = NonNullable<
  NonNullable<V1Pod['status']>['containerStatuses']
>[number];
type ContainerSpec = NonNullable<V1Pod['spec']>['containers'][number];

/** One container's state, last termination and memory request, limit and usage. */
function summarizeContainer(
  cs: ContainerStatus,
  spec: ContainerSpec | undefined,
  usage?: Map<string, ContainerUsage>,
): ContainerSummary {
  const current = stateOf(cs.state);
  const last = cs.lastState?.terminated ?? cs.state?.terminated;
  const resources = spec?.resources;
  const oomKilled =
    cs.lastState?.terminated?.reason === 'OOMKilled' ||
    cs.state?.terminated?.reason === 'OOMKilled';
  const memoryLimit = resources?.limits?.memory;
  // The API server rejects negative limits and KubernetesClient.listPodMetrics malformed or
  // negative usage; should one appear anyway, it is left out rather than compared.
  const memoryLimitBytes = bytesOf(memoryLimit);
  const memoryUsage = usage?.get(cs.name)?.memory;
  const memoryUsageBytes = bytesOf(memoryUsage);
  return {
    name: cs.name,
    ready: cs.ready === true,
    restartCount: cs.restartCount ?? 0,
    state: current.state,
    stateReason: current.reason,
    lastTerminationReason: last?.reason,
    lastTerminationExitCode: last?.exitCode,
    // client-node turns RFC 3339 timestamps into Dates; the answer carries them as strings again.
    lastTerminationAt: last?.finishedAt
      ? new Date(last.finishedAt).toISOString()
      : undefined,
    memoryRequest: resources?.requests?.memory,
    memoryLimit,
    memoryLimitBytes,
    ...(memoryUsage !== undefined && memoryUsageBytes !== undefined
      ? { memoryUsage, memoryUsageBytes }
      : {}),
    oomKilled,
  };
}

/** Containers whose current or last termination was an OOMKill. */
function oomKilledReasons(
  name: string,
  containers: ContainerSummary[],
): HintedReason[] {
  return containers
    .filter(c => c.oomKilled)
    .map(c => ({
      id: 'pod-oom-killed',
      severity: 'critical',
      message: `${name}/${c.name} was OOMKilled${c.lastTerminationExitCode !== undefined ? ` (exit code ${c.lastTerminationExitCode})` : ''}${c.lastTerminationAt ? ` at ${c.lastTerminationAt}` : ''}; memory limit ${c.memoryLimit ?? 'not set'}, request ${c.memoryRequest ?? 'not set'}.`,
      hints: [...OOM_KILLED_HINTS],
    }));
}

/** Containers whose working set is close to their memory limit. */
function memoryNearLimitReasons(
  name: string,
  containers: ContainerSummary[],
): HintedReason[] {
  const reasons: HintedReason[] = [];
  // The working set (what metrics-server reports as memory usage) is what the kernel counts
  // against the limit once the page cache is reclaimed; close to the limit, the next OOMKill is near.
  for (const c of containers) {
    if (
      c.memoryUsageBytes === undefined ||
      !c.memoryLimitBytes ||
      c.memoryUsageBytes < MEMORY_NEAR_LIMIT_RATIO * c.memoryLimitBytes
    )
      continue;
    const ratio = c.memoryUsageBytes / c.memoryLimitBytes;
    reasons.push({
      id: 'pod-memory-near-limit',
      severity: 'warning',
      message: `${name}/${c.name} uses ${c.memoryUsage} of its ${c.memoryLimit} memory limit (${percent(ratio)}, working set from metrics.k8s.io); at the limit the kernel OOM-kills it.`,
      value: Math.round(ratio * 1000) / 1000,
      threshold: MEMORY_NEAR_LIMIT_RATIO,
      hints: [...OOM_KILLED_HINTS],
    });
  }
  return reasons;
}

/** A pod that is not ready and has not completed; critical for a receiver. */
function notReadyReason(
  pod: V1Pod,
  role: PodSummary['role'],
  ready: boolean,
  containers: ContainerSummary[],
): HintedReason | undefined {
  if (ready || pod.status?.phase === 'Succeeded') return undefined;
  const name = pod.metadata?.name ?? '?';
  const waiting = containers.find(
    c => c.state === 'waiting' && c.stateReason,
  )?.stateReason;
  return {
    id: 'pod-not-ready',
    severity: role === 'receive' ? 'critical' : 'warning',
    message: `${name} is not ready (phase ${pod.status?.phase ?? 'unknown'}${waiting ? `, ${waiting}` : ''}${pod.status?.reason ? `, ${pod.status.reason}` : ''}).`,
  };
}

/** Restarts at the threshold, or any restart with a termination within the past hour. */
function restartingReason(
  name: string,
  containers: ContainerSummary[],
  restarts: number,
  restartThreshold: number,
  now: number,
): HintedReason | undefined {
  const recent = containers.some(
    c =>
      c.lastTerminationAt &&
      now - Date.parse(c.lastTerminationAt) < RECENT_RESTART_MS,
  );
  if (!(restarts >= restartThreshold || (restarts > 0 && recent)))
    return undefined;
  return {
    id: 'pod-restarting',
    severity: 'warning',
    message: `${name} restarted ${restarts} time(s)${recent ? ', the last within the past hour' : ''}.`,
    value: restarts,
    threshold: restartThreshold,
  };
}

/**
 * One pod: readiness, restarts, last termination, memory request/limit and (when the resource
 * metrics API reported it) usage, and the reasons they imply (FAQ Q4).
 */
export function summarizePod(
  pod: V1Pod,
  role: PodSummary['role'],
  restartThreshold: number,
  now = Date.now(),
  usage?: Map<string, ContainerUsage>,
): PodSummary {
  const name = pod.metadata?.name ?? '?';
  const specs = new Map((pod.spec?.containers ?? []).map(c => [c.name, c]));
  const containers: ContainerSummary[] = (
    pod.status?.containerStatuses ?? []
  ).map(cs => summarizeContainer(cs, specs.get(cs.name), usage));
  const ready =
    pod.status?.conditions?.find(c => c.type === 'Ready')?.status === 'True';
  const restarts = containers.reduce((n, c) => n + c.restartCount, 0);
  const reasons: HintedReason[] = [
    ...oomKilledReasons(name, containers),
    ...memoryNearLimitReasons(name, containers),
  ];
  const notReady = notReadyReason(pod, role, ready, containers);
  if (notReady) reasons.push(notReady);
  const restarting = restartingReason(
    name,
    containers,
    restarts,
    restartThreshold,
    now,
  );
  if (restarting) reasons.push(restarting);
  return {
    name,
    role,
    phase: pod.status?.phase,
    ready,
    podIP: pod.status?.podIP,
    nodeName: pod.spec?.nodeName,
    restarts,
    containers,
    state: stateFromReasons(reasons),
    reasons,
  };
}

/** Parses the hashring file (a JSON array; endpoints are strings or `{address}` objects). */
export function parseHashrings(text: string): HashringSummary[] {
  const parsed = JSON.parse(text);
  if (!Array.isArray(parsed))
    throw new Error('the hashring file must be a JSON array of hashrings');
  return parsed.map((h: any, i: number) => {
    if (!h || typeof h !== 'object' || !Array.isArray(h.endpoints)) {
      throw new Error(`hashring #${i} has no "endpoints" array`);
    }
    const endpoints = h.endpoints.map((e: any) => {
      const address = typeof e === 'string' ? e : e?.address;
      if (typeof address !== 'string' || address === '')
        throw new Error(`hashring #${i} has an endpoint without an address`);
      return address;
    });
    const ring: HashringSummary = { endpoints };
    if (typeof h.hashring === 'string') ring.name = h.hashring;
    if (Array.isArray(h.tenants) && h.tenants.length) ring.tenants = h.tenants;
    return ring;
  });
}

/** Host part of `host:port` / `[v6]:port`. */
function hostOf(endpoint: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(endpoint);
  if (v6) return v6[1];
  const i = endpoint.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(endpoint.slice(i + 1))
    ? endpoint.slice(0, i)
    : endpoint;
}

const IP = /^(\d{1,3}\.){3}\d{1,3}$|:/;

/**
 * Which pod an endpoint names: `<pod>.<service>.<ns>.svc.cluster.local:10901` (first DNS label is
 * the pod name) or `<podIP>:10901`.
 */
export function podForEndpoint(
  endpoint: string,
  pods: Array<{ name: string; podIP?: string }>,
): string | undefined {
  const host = hostOf(endpoint);
  if (IP.test(host)) return pods.find(p => p.podIP === host)?.name;
  const label = host.split('.')[0];
  return pods.find(p => p.name === label)?.name;
}

/** Compares the hashring with the live receive pods. */
export function checkHashring(
  configMap: string,
  key: string,
  hashrings: HashringSummary[],
  receivePods: Array<{ name: string; podIP?: string }>,
): HashringCheck {
  const named = new Set<string>();
  const unknownEndpoints: string[] = [];
  for (const h of hashrings) {
    for (const e of h.endpoints) {
      const pod = podForEndpoint(e, receivePods);
      if (pod) named.add(pod);
      else unknownEndpoints.push(e);
    }
  }
  const missingPods = receivePods.map(p => p.name).filter(n => !named.has(n));
  const reasons: HintedReason[] = [];
  for (const pod of missingPods) {
    reasons.push({
      id: 'hashring-endpoint-missing',
      severity: 'warning',
      message: `Receive pod ${pod} is not in any hashring of ConfigMap ${configMap} (key ${key}), so it gets no writes.`,
      hints: [
        "Add the pod's endpoint to the hashring (or let thanos-receive-controller regenerate it).",
      ],
    });
  }
  for (const e of unknownEndpoints) {
    reasons.push({
      id: 'hashring-endpoint-unknown',
      severity: 'critical',
      message: `The hashring names ${e}, which matches no running receive pod; writes routed to it fail.`,
      hints: [
        'Remove the endpoint from the hashring, or scale the receive StatefulSet back up.',
      ],
    });
  }
  return {
    configMap,
    key,
    hashrings,
    missingPods,
    unknownEndpoints,
    state: stateFromReasons(reasons),
    reasons,
  };
}

// The fixed TCP ports one `npm start` listens on, and the check that refuses to start when one is
// taken: a taken port would otherwise send this run's traffic to a foreign server (a leftover
// backend serving a dead fleet, another Prometheus answering remote write with "out of bounds").
import net from 'node:net';
import procfs from './procfs.cjs';

/** Each fixed port: the variable that moves it, its default and what listens there. */
export const PORTS = [
  { env: 'APP_PORT', default: 3000, what: 'Backstage frontend' },
  { env: 'BACKEND_PORT', default: 7007, what: 'Backstage backend' },
  {
    env: 'FLEET_CENTRAL_PORT',
    default: 19090,
    what: 'demo fleet central store',
  },
  { env: 'FLEET_QUERY_PORT', default: 19091, what: 'demo Thanos Query facade' },
  { env: 'FLEET_ARGOCD_PORT', default: 19092, what: 'demo ArgoCD fake' },
  {
    env: 'FLEET_KUBERNETES_PORT',
    default: 19093,
    what: 'demo Kubernetes API fake',
  },
  {
    env: 'FLEET_GITHUB_PORT',
    default: 19094,
    what: 'demo GitHub API fake (the GitOps repository)',
  },
  {
    env: 'FLEET_CONTROL_PORT',
    default: 19099,
    what: 'demo fleet control API',
  },
];

/** The ports of this run, from the environment; throws on a value that is not a port or a clash. */
export function planPorts(env = process.env) {
  const plan = PORTS.map(p => {
    const raw = env[p.env]?.trim();
    const port = raw ? Number(raw) : p.default;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`${p.env}=${raw} is not a TCP port (1-65535)`);
    return { ...p, port };
  });
  for (const p of plan) {
    const other = plan.find(q => q !== p && q.port === p.port);
    if (other)
      throw new Error(
        `${p.env} and ${other.env} both ask for port ${p.port}; give each its own port`,
      );
  }
  return plan;
}

/** Whether binding the port fails (catches holders /proc does not show, e.g. off Linux). */
function bindFails(port) {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', e => resolve(e.code === 'EADDRINUSE' ? e : false));
    // No host: the dual-stack wildcard, which clashes with a holder on any address.
    server.listen({ port, exclusive: true }, () =>
      server.close(() => resolve(false)),
    );
  });
}

/** Why one planned port cannot be used, or undefined when it is free. */
export async function portProblem(p) {
  const { listening, holders } = procfs.portHolders(p.port);
  if (!listening && !(await bindFails(p.port))) return undefined;
  const by =
    holders.length > 0
      ? `by ${holders.map(procfs.describeProcess).join(', ')}`
      : 'by a process this user cannot see';
  return `port ${p.port} (${p.what}) is already in use ${by}; stop it or set ${p.env} to a free port`;
}

/** Throws one error naming every taken port of the plan. */
export async function refuseTakenPorts(plan) {
  const problems = (await Promise.all(plan.map(portProblem))).filter(Boolean);
  if (problems.length > 0)
    throw new Error(`refusing to start: ${problems.join('; ')}`);
}

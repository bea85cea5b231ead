import http from 'node:http';
import crypto from 'node:crypto';
import { labelSelectorMatches } from './labelSelector';
import { closeServer, listenOnLoopback } from './loopbackServer';

/**
 * A contract fake of the ArgoCD API server (argoproj/argo-cd assets/swagger.json, copied next to this
 * file as argocd.swagger.json), on 127.0.0.1 and a free port. It reproduces what clients trip over:
 * - errors are grpc-gateway bodies `{error, code, message}` (code = gRPC code) with the mapped HTTP
 *   status: 401 without a valid token (code 16 "no session information" / "invalid session"),
 *   403 "permission denied" (code 7) for an unknown app when no project is given (ArgoCD hides
 *   whether an app exists), 404 (code 5) with a project, and 404 from the list call when `name`
 *   matches nothing ("application '<name>' not found");
 * - empty fields are left out (Go omitempty);
 * - POST /api/v1/session returns a JWT whose `exp` is honoured;
 * - faults: down (connection reset), slow, 401, 403, non-JSON.
 */

export interface FakeArgoApp {
  name: string;
  namespace?: string;
  project?: string;
  labels?: Record<string, string>;
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  destination?: { server?: string; namespace?: string; name?: string };
  sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  health?:
    | 'Healthy'
    | 'Progressing'
    | 'Degraded'
    | 'Suspended'
    | 'Missing'
    | 'Unknown';
  healthMessage?: string;
  revision?: string;
  operation?: {
    phase: 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';
    message?: string;
    startedAt?: string;
    finishedAt?: string;
  };
  /** Oldest first, as ArgoCD stores it. */
  history?: Array<{
    id: number;
    revision: string;
    deployedAt: string;
    deployStartedAt?: string;
    username?: string;
    automated?: boolean;
    /** The commit's author and message, answered by the revision metadata endpoint. */
    author?: string;
    message?: string;
  }>;
  resources?: Array<{
    group?: string;
    version: string;
    kind: string;
    namespace?: string;
    name: string;
    status?: 'Synced' | 'OutOfSync';
    health?: string;
    healthMessage?: string;
  }>;
  syncWindows?: {
    canSync: boolean;
    active?: Array<{
      kind: 'allow' | 'deny';
      schedule: string;
      duration: string;
      manualSync?: boolean;
    }>;
  };
}

export type ArgocdFault =
  'down' | 'slow' | 'unauthorized' | 'forbidden' | 'non-json';

export interface ArgocdFakeOptions {
  apps?: FakeArgoApp[];
  /** Static API tokens accepted as `Authorization: Bearer <token>`. */
  tokens?: string[];
  /** Local users for POST /api/v1/session. */
  users?: Record<string, string>;
  /** Lifetime of session tokens in seconds. Default 86400 (ArgoCD's default). */
  sessionLifetimeSeconds?: number;
  /** Namespace of apps that give none (the control-plane namespace). */
  controlPlaneNamespace?: string;
  port?: number;
}

/** n apps spread over a few projects and labels, for benchmarks. */
export function generateArgoApps(n: number, prefix = 'app'): FakeArgoApp[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${prefix}-${String(i).padStart(4, '0')}`,
    project: `team-${i % 10}`,
    labels: {
      'app.kubernetes.io/part-of': `system-${i % 50}`,
      team: `team-${i % 10}`,
    },
    repoURL: 'https://git.example.com/fleet/deploy.git',
    path: `apps/${prefix}-${i}`,
    targetRevision: 'main',
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: `ns-${i % 20}`,
    },
    sync: i % 7 === 0 ? 'OutOfSync' : 'Synced',
    health: i % 13 === 0 ? 'Degraded' : 'Healthy',
    revision: crypto.createHash('sha1').update(`${prefix}${i}`).digest('hex'),
    operation: {
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: '2026-08-20T10:00:00Z',
      finishedAt: '2026-08-20T10:00:05Z',
    },
    history: [1, 2, 3].map(id => ({
      id,
      revision: crypto
        .createHash('sha1')
        .update(`${prefix}${i}-${id}`)
        .digest('hex'),
      deployStartedAt: `2026-08-${String(17 + id).padStart(2, '0')}T10:00:00Z`,
      deployedAt: `2026-08-${String(17 + id).padStart(2, '0')}T10:00:05Z`,
      automated: true,
    })),
    resources: [
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: `ns-${i % 20}`,
        name: `${prefix}-${i}`,
        status: 'Synced',
        health: 'Healthy',
      },
      {
        version: 'v1',
        kind: 'Service',
        namespace: `ns-${i % 20}`,
        name: `${prefix}-${i}`,
        status: 'Synced',
        health: 'Healthy',
      },
    ],
  }));
}

const GRPC = {
  NotFound: 5,
  PermissionDenied: 7,
  Unauthenticated: 16,
  InvalidArgument: 3,
  Internal: 13,
  Unimplemented: 12,
};

/** Go's encoding/json with `omitempty`: drop undefined, null, "", false-less empties ([] and {}). */
export function omitEmpty<T>(value: T): T {
  if (Array.isArray(value)) return value.map(omitEmpty) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null || v === '') continue;
      const cleaned = omitEmpty(v);
      if (Array.isArray(cleaned) && cleaned.length === 0) continue;
      if (
        cleaned &&
        typeof cleaned === 'object' &&
        !Array.isArray(cleaned) &&
        Object.keys(cleaned).length === 0
      )
        continue;
      out[k] = cleaned;
    }
    return out as T;
  }
  return value;
}

export class ArgocdFake {
  private server?: http.Server;
  apps: FakeArgoApp[];
  tokens: Set<string>;
  users: Record<string, string>;
  sessionLifetimeSeconds: number;
  fault?: ArgocdFault;
  /** Delay of the `slow` fault, ms. */
  slowMs = 5_000;
  port = 0;
  /** Every request as `METHOD path` (no query), in order. */
  requests: string[] = [];
  logins = 0;
  private sessions = new Map<string, number>();
  private readonly ns: string;

  constructor(options: ArgocdFakeOptions = {}) {
    this.apps = options.apps ?? [];
    this.tokens = new Set(options.tokens ?? []);
    this.users = options.users ?? {};
    this.sessionLifetimeSeconds = options.sessionLifetimeSeconds ?? 86_400;
    this.ns = options.controlPlaneNamespace ?? 'argocd';
    this.port = options.port ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Calls other than the login. */
  get apiCalls(): number {
    return this.requests.filter(r => r !== 'POST /api/v1/session').length;
  }

  resetCounters(): void {
    this.requests = [];
    this.logins = 0;
  }

  /** Invalidates every session token (as a server restart with a new signing key would). */
  revokeSessions(): void {
    this.sessions.clear();
  }

  async start(): Promise<void> {
    ({ server: this.server, port: this.port } = await listenOnLoopback(
      this.port,
      (req, res) => this.handle(req, res),
      (res, err) => this.error(res, 500, GRPC.Internal, String(err)),
    ));
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
    this.server = undefined;
  }

  private send(res: http.ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(omitEmpty(body));
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private error(
    res: http.ServerResponse,
    status: number,
    code: number,
    message: string,
  ) {
    this.send(res, status, { error: message, code, message });
  }

  private issueToken(username: string): string {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: unknown) =>
      Buffer.from(JSON.stringify(o)).toString('base64url');
    const payload = {
      iss: 'argocd',
      sub: `${username}:login`,
      iat: now,
      nbf: now,
      exp: now + this.sessionLifetimeSeconds,
      jti: crypto.randomUUID(),
    };
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}.${crypto.randomBytes(32).toString('base64url')}`;
    this.sessions.set(token, payload.exp);
    return token;
  }

  private authenticated(req: http.IncomingMessage): 'ok' | 'none' | 'invalid' {
    const header = req.headers.authorization;
    let token = header?.startsWith('Bearer ')
      ? header.slice(7).trim()
      : undefined;
    if (!token) {
      const cookie = /(?:^|;\s*)argocd\.token=([^;]+)/.exec(
        req.headers.cookie ?? '',
      );
      token = cookie?.[1];
    }
    if (!token) return 'none';
    if (this.tokens.has(token)) return 'ok';
    const exp = this.sessions.get(token);
    return exp !== undefined && exp > Date.now() / 1000 ? 'ok' : 'invalid';
  }

  private async body(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private appNamespace(a: FakeArgoApp) {
    return a.namespace ?? this.ns;
  }

  /** One request: injected fault, then login, then authentication, then the read-only API. */
  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push(`${req.method} ${url.pathname}`);
    if (await this.answeredByFault(req, res)) return;
    if (url.pathname === '/api/v1/session' && req.method === 'POST') {
      await this.login(req, res);
      return;
    }
    if (!this.authorized(req, res)) return;
    if (req.method !== 'GET') {
      this.error(res, 501, GRPC.Unimplemented, 'Method Not Allowed');
      return;
    }
    if (url.pathname === '/api/v1/applications') {
      this.list(url, res);
      return;
    }
    const meta =
      /^\/api\/v1\/applications\/([^/]+)\/revisions\/([^/]+)\/metadata$/.exec(
        url.pathname,
      );
    if (meta) {
      this.revisionMetadata(
        url,
        decodeURIComponent(meta[1]),
        decodeURIComponent(meta[2]),
        res,
      );
      return;
    }
    const m =
      /^\/api\/v1\/applications\/([^/]+)(?:\/(resource-tree|syncwindows))?$/.exec(
        url.pathname,
      );
    if (m) {
      this.application(url, decodeURIComponent(m[1]), m[2], res);
      return;
    }
    this.error(res, 404, GRPC.NotFound, 'Not Found');
  }

  /** Applies the injected fault; true when it already answered (or dropped) the request. */
  private async answeredByFault(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<boolean> {
    switch (this.fault) {
      case 'down':
        req.socket.destroy();
        return true;
      case 'slow':
        // unref: a stopped fake must not keep the test process alive for an answer nobody awaits.
        await new Promise(r => setTimeout(r, this.slowMs).unref());
        return false;
      case 'non-json':
        // What a wrong base URL (the UI, or a login proxy) answers: an HTML page with 200.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!doctype html><html><head><title>Argo CD</title></head><body><div id="app"></div></body></html>',
        );
        return true;
      case 'unauthorized':
        this.error(
          res,
          401,
          GRPC.Unauthenticated,
          'invalid session: token is expired',
        );
        return true;
      case 'forbidden':
        this.error(res, 403, GRPC.PermissionDenied, 'permission denied');
        return true;
      default:
        return false;
    }
  }

  /** POST /api/v1/session: a session token for a known user and password. */
  private async login(req: http.IncomingMessage, res: http.ServerResponse) {
    let creds: { username?: string; password?: string } = {};
    try {
      creds = JSON.parse(await this.body(req));
    } catch {
      this.error(
        res,
        400,
        GRPC.InvalidArgument,
        'invalid character in request body',
      );
      return;
    }
    this.logins++;
    if (
      !creds.username ||
      this.users[creds.username] === undefined ||
      this.users[creds.username] !== creds.password
    ) {
      this.error(
        res,
        401,
        GRPC.Unauthenticated,
        'Invalid username or password',
      );
      return;
    }
    this.send(res, 200, { token: this.issueToken(creds.username) });
  }

  /** Answers 401 (as ArgoCD words it) unless the request carries a valid token; true when it does. */
  private authorized(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): boolean {
    const auth = this.authenticated(req);
    if (auth === 'none') {
      this.error(res, 401, GRPC.Unauthenticated, 'no session information');
      return false;
    }
    if (auth === 'invalid') {
      this.error(
        res,
        401,
        GRPC.Unauthenticated,
        'invalid session: token has invalid claims: token is expired',
      );
      return false;
    }
    return true;
  }

  /** GET /api/v1/applications/{name}[/resource-tree|/syncwindows]. */
  private application(
    url: URL,
    name: string,
    sub: string | undefined,
    res: http.ServerResponse,
  ) {
    const project =
      url.searchParams.get('project') ??
      url.searchParams.getAll('projects')[0] ??
      '';
    const ns = url.searchParams.get('appNamespace') || this.ns;
    const app = this.apps.find(
      a => a.name === name && this.appNamespace(a) === ns,
    );
    if (
      !app ||
      (project &&
        app.project !== project &&
        (app.project ?? 'default') !== project)
    ) {
      // ArgoCD: without a project it cannot tell "no access" from "does not exist", so it says 403.
      if (!project || app) {
        this.error(res, 403, GRPC.PermissionDenied, 'permission denied');
      } else {
        this.error(
          res,
          404,
          GRPC.NotFound,
          `applications.argoproj.io "${name}" not found`,
        );
      }
      return;
    }
    if (sub === 'resource-tree') this.send(res, 200, this.tree(app));
    else if (sub === 'syncwindows') this.send(res, 200, this.windows(app));
    else this.send(res, 200, this.render(app));
  }

  /**
   * GET /api/v1/applications/{name}/revisions/{revision}/metadata (ApplicationService_RevisionMetadata,
   * v1alpha1RevisionMetadata: author, date, message): from the app's history entry of that revision.
   * A revision the repository does not have is an error from the repo server (gRPC Unknown, HTTP 500
   * through grpc-gateway); here 404 NotFound for a revision the fake does not hold.
   */
  private revisionMetadata(
    url: URL,
    name: string,
    revision: string,
    res: http.ServerResponse,
  ) {
    const ns = url.searchParams.get('appNamespace') || this.ns;
    const app = this.apps.find(
      a => a.name === name && this.appNamespace(a) === ns,
    );
    if (!app) {
      this.error(res, 403, GRPC.PermissionDenied, 'permission denied');
      return;
    }
    const h = app.history?.find(x => x.revision === revision);
    if (!h) {
      this.error(res, 404, GRPC.NotFound, `revision ${revision} not found`);
      return;
    }
    this.send(
      res,
      200,
      omitEmpty({
        author: h.author,
        date: h.deployStartedAt ?? h.deployedAt,
        message: h.message,
      }),
    );
  }

  private list(url: URL, res: http.ServerResponse) {
    const q = url.searchParams;
    const projects = [...q.getAll('projects'), ...q.getAll('project')];
    const ns = q.get('appNamespace');
    const selector = q.get('selector');
    const repo = q.get('repo');
    let items = this.apps.filter(a => {
      if (ns && this.appNamespace(a) !== ns) return false;
      if (projects.length && !projects.includes(a.project ?? 'default'))
        return false;
      if (repo && a.repoURL !== repo) return false;
      return true;
    });
    if (selector) {
      try {
        items = items.filter(a =>
          labelSelectorMatches(selector, a.labels ?? {}),
        );
      } catch (e) {
        return this.error(
          res,
          400,
          GRPC.InvalidArgument,
          `error parsing the selector: ${(e as Error).message}`,
        );
      }
    }
    const name = q.get('name');
    if (name) {
      items = items.filter(a => a.name === name).slice(0, 1);
      if (items.length === 0)
        return this.error(
          res,
          404,
          GRPC.NotFound,
          `application '${name}' not found`,
        );
    }
    items.sort((a, b) => a.name.localeCompare(b.name));
    return this.send(res, 200, {
      metadata: { resourceVersion: '12345' },
      items: items.map(a => this.render(a)),
    });
  }

  /** A v1alpha1Application as ArgoCD serialises it. */
  render(a: FakeArgoApp) {
    const source = {
      repoURL: a.repoURL ?? 'https://git.example.com/fleet/deploy.git',
      path: a.path ?? `apps/${a.name}`,
      targetRevision: a.targetRevision ?? 'HEAD',
    };
    const destination = a.destination ?? {
      server: 'https://kubernetes.default.svc',
      namespace: a.name,
    };
    return {
      metadata: {
        name: a.name,
        namespace: this.appNamespace(a),
        uid: crypto
          .createHash('md5')
          .update(a.name)
          .digest('hex')
          .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        resourceVersion: '4242',
        generation: 7,
        creationTimestamp: '2026-08-01T00:00:00Z',
        labels: a.labels,
      },
      spec: {
        project: a.project ?? 'default',
        source,
        destination,
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
      status: {
        sync: {
          status: a.sync ?? 'Synced',
          revision: a.revision,
          comparedTo: { source, destination },
        },
        health: { status: a.health ?? 'Healthy', message: a.healthMessage },
        history: (a.history ?? []).map(h => ({
          id: h.id,
          revision: h.revision,
          deployedAt: h.deployedAt,
          deployStartedAt: h.deployStartedAt,
          source,
          initiatedBy: { username: h.username, automated: h.automated },
        })),
        operationState: a.operation
          ? {
              operation: { sync: { revision: a.revision } },
              phase: a.operation.phase,
              message: a.operation.message,
              startedAt: a.operation.startedAt ?? '2026-08-20T10:00:00Z',
              finishedAt:
                a.operation.phase === 'Running'
                  ? undefined
                  : (a.operation.finishedAt ?? '2026-08-20T10:00:05Z'),
              syncResult: a.revision ? { revision: a.revision } : undefined,
            }
          : undefined,
        resources: (a.resources ?? []).map(r => ({
          group: r.group,
          version: r.version,
          kind: r.kind,
          namespace: r.namespace,
          name: r.name,
          status: r.status ?? 'Synced',
          health: r.health
            ? { status: r.health, message: r.healthMessage }
            : undefined,
        })),
        reconciledAt: '2026-08-22T10:00:00Z',
        sourceType: 'Kustomize',
        summary: {},
      },
    };
  }

  private tree(a: FakeArgoApp) {
    const nodes = (a.resources ?? []).flatMap(r => {
      const node = {
        group: r.group,
        version: r.version,
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
        uid: crypto
          .createHash('md5')
          .update(`${a.name}/${r.kind}/${r.name}`)
          .digest('hex'),
        resourceVersion: '100',
        health: r.health
          ? { status: r.health, message: r.healthMessage }
          : undefined,
        createdAt: '2026-08-01T00:00:00Z',
      };
      if (r.kind !== 'Deployment') return [node];
      const pod = {
        version: 'v1',
        kind: 'Pod',
        namespace: r.namespace,
        name: `${r.name}-5d8c7b9f4-abcde`,
        uid: crypto
          .createHash('md5')
          .update(`${a.name}/pod/${r.name}`)
          .digest('hex'),
        parentRefs: [
          {
            group: 'apps',
            kind: 'ReplicaSet',
            namespace: r.namespace,
            name: `${r.name}-5d8c7b9f4`,
          },
        ],
        health: { status: r.health === 'Degraded' ? 'Degraded' : 'Healthy' },
        images: ['quay.io/thanos/thanos:v0.39.2'],
        info: [{ name: 'Status Reason', value: 'Running' }],
        resourceVersion: '101',
      };
      return [node, pod];
    });
    return { nodes, hosts: [] };
  }

  private windows(a: FakeArgoApp) {
    const active = a.syncWindows?.active ?? [];
    return {
      activeWindows: active,
      assignedWindows: active,
      canSync: a.syncWindows?.canSync ?? true,
    };
  }
}

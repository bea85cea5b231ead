/**
 * Stand-in for a hop on the write path into Receive: the central's generated edge entry point (an
 * Ingress with basic auth in front of the `thanos-receive-write` Service), or, without `users`,
 * that Service itself for in-cluster writers. With `users` it refuses a request without the right
 * credentials with 401, as ingress-nginx does with `auth-type: basic`; it forwards the rest to the
 * Receive stand-in. A tenant's link can be made slow (each request held before it is forwarded),
 * which is how an edge falls far behind while still sending.
 *
 * Headers: Debian's Prometheus 2.42 does not send `remote_write[].headers` (measured: a listener
 * sees only user-agent, content-* and x-prometheus-remote-write-version), so the THANOS-TENANT
 * header the generated config names would never reach Receive. `headersOf` gives, for the sender
 * (the authenticated user, or undefined without auth), the headers its generated remote_write
 * names; they are added to a request that lacks them, as a Prometheus that honours the field sends
 * them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class EdgeEntryPoint {
  private server?: http.Server;
  port = 0;
  /** Tenant -> milliseconds each of its requests is held before it is forwarded. */
  readonly slowTenants = new Map<string, number>();
  /** Requests refused for missing or wrong credentials. */
  unauthorized = 0;

  constructor(
    private readonly options: {
      /** Where the ingress sends accepted requests (Receive's remote-write URL). */
      upstreamUrl: string;
      /** username -> password (the htpasswd Secret's entries); absent: no authentication. */
      users?: Record<string, string>;
      /** Headers the sender's generated remote_write names. */
      headersOf: (user: string | undefined) => Record<string, string>;
    },
  ) {}

  get writeUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v1/receive`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch(err => {
        if (!res.headersSent) res.writeHead(502).end(String(err));
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Held requests, released at once on stop (no timer outlives the stand-in). */
  private readonly held = new Set<() => void>();

  private hold(ms: number): Promise<void> {
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const release = () => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve();
      };
      timer = setTimeout(release, ms);
      this.held.add(release);
    });
  }

  async stop(): Promise<void> {
    for (const release of [...this.held]) release();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  /** The authenticated user, '' without authentication, undefined when refused. */
  private user(header: string | undefined): string | undefined {
    const users = this.options.users;
    if (!users) return '';
    const m = /^Basic (.+)$/.exec(header ?? '');
    if (!m) return undefined;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return undefined;
    const user = decoded.slice(0, i);
    return Object.hasOwn(users, user) && users[user] === decoded.slice(i + 1)
      ? user
      : undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const user = this.user(req.headers.authorization);
    if (user === undefined) {
      this.unauthorized++;
      res
        .writeHead(401, {
          'www-authenticate': 'Basic realm="Authentication Required"',
        })
        .end('401 Authorization Required');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(
      this.options.headersOf(user || undefined),
    ))
      headers[k.toLowerCase()] = v;
    for (const h of [
      'content-type',
      'content-encoding',
      'x-prometheus-remote-write-version',
      'thanos-tenant',
      'user-agent',
    ]) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const hold = this.slowTenants.get(headers['thanos-tenant'] ?? '');
    if (hold) await this.hold(hold);
    const upstream = await fetch(this.options.upstreamUrl, {
      method: 'POST',
      headers,
      body: Buffer.concat(chunks),
    });
    res
      .writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'text/plain',
      })
      .end(Buffer.from(await upstream.arrayBuffer()));
  }
}

import type { UpstreamErrorKind } from '@fleet-monitoring/plugin-monitoring-common';
import { UpstreamError } from '../upstream/errors';
import {
  dispatcherFor,
  parseJsonBody,
  upstreamRequest,
  UpstreamResponse,
} from '../upstream/http';
import type { ArgocdInstanceConfig } from './config';

/** Seconds before a session token's `exp` at which it is treated as expired. */
const EXPIRY_SKEW_SECONDS = 60;
/** Session tokens without a readable `exp` are reused for this long. */
const FALLBACK_TOKEN_LIFETIME_SECONDS = 3600;

/** Reads the `exp` claim of a JWT without verifying it (we only need to know when to log in again). */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(
      Buffer.from(parts[1], 'base64url').toString('utf8'),
    );
    return typeof payload?.exp === 'number' && Number.isFinite(payload.exp)
      ? payload.exp
      : undefined;
  } catch {
    return undefined;
  }
}

interface ArgoErrorBody {
  error?: string;
  message?: string;
  code?: number;
}

function describeError(res: UpstreamResponse): string | undefined {
  try {
    const body = JSON.parse(res.body.toString('utf8')) as ArgoErrorBody;
    const text = body?.message || body?.error;
    return typeof text === 'string' ? text.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Talks to one ArgoCD API server: bearer token or session login (one login shared by all concurrent
 * requests, reused until the JWT's `exp`, renewed once on a 401), per-instance CA, timeout and size
 * cap. Counts the calls it makes so answers and benchmarks can report upstream load.
 */
export class ArgocdClient {
  readonly upstream: string;
  /** HTTP calls made, logins included. */
  calls = 0;
  logins = 0;
  private session?: { token: string; expiresAt: number };
  private loginInFlight?: Promise<string>;

  constructor(
    readonly instance: ArgocdInstanceConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.upstream = `argocd:${instance.name}`;
  }

  private url(path: string, query?: URLSearchParams): URL {
    const url = new URL(path.replace(/^\//, ''), this.instance.url);
    if (query) url.search = query.toString();
    return url;
  }

  private async send(
    path: string,
    init: {
      method?: 'GET' | 'POST';
      query?: URLSearchParams;
      json?: unknown;
      token?: string;
    },
  ) {
    this.calls++;
    return upstreamRequest({
      upstream: this.upstream,
      url: this.url(path, init.query),
      method: init.method ?? 'GET',
      json: init.json,
      headers: init.token ? { authorization: `Bearer ${init.token}` } : {},
      timeoutMs: this.instance.timeoutMs,
      maxBytes: this.instance.maxResponseBytes,
      dispatcher: dispatcherFor(this.instance.ca),
    });
  }

  private fail(res: UpstreamResponse, what: string): never {
    const detail = describeError(res);
    const suffix = detail ? `: ${detail}` : '';
    let kind: UpstreamErrorKind = 'http-error';
    let message = `${what} failed with HTTP ${res.status}${suffix}`;
    if (res.status === 401) {
      kind = 'unauthorized';
      message =
        this.instance.auth.type === 'token'
          ? `ArgoCD rejected the configured token (401${suffix}); check fleetMonitoring.argocd[${this.instance.name}].token`
          : `ArgoCD rejected the session (401${suffix}); check the username and password of fleetMonitoring.argocd[${this.instance.name}]`;
    } else if (res.status === 403) {
      kind = 'forbidden';
      message = `ArgoCD denied ${what} (403${suffix}); the account needs "applications, get" in ArgoCD RBAC, or the application does not exist`;
    } else if (res.status === 404) {
      kind = 'not-found';
      message = `${what}: not found (404${suffix})`;
    }
    throw new UpstreamError(this.upstream, kind, message, res.status);
  }

  private async login(): Promise<string> {
    if (this.instance.auth.type !== 'password')
      throw new Error('login needs username/password');
    const { username, password } = this.instance.auth;
    this.logins++;
    const res = await this.send('api/v1/session', {
      method: 'POST',
      json: { username, password },
    });
    if (res.status !== 200) this.fail(res, 'login (POST /api/v1/session)');
    const body = parseJsonBody<{ token?: string }>(this.upstream, res);
    if (!body.token)
      throw new UpstreamError(
        this.upstream,
        'bad-response',
        'login answered without a token',
        res.status,
      );
    const exp = jwtExpiry(body.token);
    const nowSeconds = this.now() / 1000;
    const expiresAt = exp ?? nowSeconds + FALLBACK_TOKEN_LIFETIME_SECONDS;
    this.session = { token: body.token, expiresAt };
    return body.token;
  }

  /** The bearer token to send: the configured token, a cached session token, or a fresh login. */
  private async token(forceLogin = false, rejected?: string): Promise<string> {
    const auth = this.instance.auth;
    if (auth.type === 'token') return auth.token;
    if (
      !forceLogin &&
      this.session &&
      this.session.expiresAt - EXPIRY_SKEW_SECONDS > this.now() / 1000
    ) {
      return this.session.token;
    }
    // Another request already renewed the token that was rejected: use the new one.
    if (forceLogin && this.session && this.session.token !== rejected)
      return this.session.token;
    if (!this.loginInFlight) {
      this.session = undefined;
      this.loginInFlight = this.login().finally(() => {
        this.loginInFlight = undefined;
      });
    }
    return this.loginInFlight;
  }

  /** GET a JSON document; `what` names the call in errors (never with secrets). */
  async get<T>(
    path: string,
    query: URLSearchParams | undefined,
    what: string,
  ): Promise<T> {
    let token = await this.token();
    let res = await this.send(path, { query, token });
    if (res.status === 401 && this.instance.auth.type === 'password') {
      token = await this.token(true, token);
      res = await this.send(path, { query, token });
    }
    if (res.status !== 200) this.fail(res, what);
    return parseJsonBody<T>(this.upstream, res);
  }
}

import type { ArgocdInstanceConfig } from '../config';
import { UpstreamError } from '../upstream/errors';
import { UpstreamClient } from '../upstream/http';

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

/** Advice for status errors of an ArgoCD instance: which config key or RBAC rule to check. */
function argocdHint(instance: ArgocdInstanceConfig) {
  return (kind: string, _status: number, what: string): string | undefined => {
    if (kind === 'unauthorized') {
      return instance.auth.type === 'token'
        ? `ArgoCD rejected the configured token; check fleetMonitoring.argocd[${instance.name}].token`
        : `ArgoCD rejected the session; check the username and password of fleetMonitoring.argocd[${instance.name}]`;
    }
    if (kind === 'forbidden') {
      return `the account needs "applications, get" in ArgoCD RBAC for ${what}, or the application does not exist`;
    }
    return undefined;
  };
}

/**
 * Talks to one ArgoCD API server: bearer token or session login (one login shared by all concurrent
 * requests, reused until the JWT's `exp`, renewed once on a 401), per-instance CA, timeout and size
 * cap (UpstreamClient).
 */
export class ArgocdClient extends UpstreamClient {
  logins = 0;
  private session?: { token: string; expiresAt: number };
  private loginInFlight?: Promise<string>;

  constructor(
    readonly instance: ArgocdInstanceConfig,
    private readonly now: () => number = Date.now,
  ) {
    super({
      upstream: `argocd:${instance.name}`,
      baseUrl: instance.url,
      timeoutMs: instance.timeoutMs,
      maxResponseBytes: instance.maxResponseBytes,
      tls: { ca: instance.ca },
      hint: argocdHint(instance),
    });
  }

  private request(
    path: string,
    init: {
      method?: 'GET' | 'POST';
      query?: URLSearchParams;
      json?: unknown;
      token?: string;
    },
  ) {
    return this.send(path, {
      method: init.method ?? 'GET',
      query: init.query,
      json: init.json,
      headers: init.token ? { authorization: `Bearer ${init.token}` } : {},
    });
  }

  private async login(): Promise<string> {
    if (this.instance.auth.type !== 'password')
      throw new Error('login needs username/password');
    const { username, password } = this.instance.auth;
    this.logins++;
    const res = await this.request('api/v1/session', {
      method: 'POST',
      json: { username, password },
    });
    if (res.status !== 200)
      throw this.statusError(res, 'login (POST /api/v1/session)');
    const body = this.parseJson<{ token?: string }>(res);
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
    let res = await this.request(path, { query, token });
    if (res.status === 401 && this.instance.auth.type === 'password') {
      token = await this.token(true, token);
      res = await this.request(path, { query, token });
    }
    if (res.status !== 200) throw this.statusError(res, what);
    return this.parseJson<T>(res);
  }
}

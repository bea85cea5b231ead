import { pipeline, type Readable } from 'node:stream';
import {
  constants as zlib,
  createBrotliDecompress,
  createGunzip,
  createInflate,
} from 'node:zlib';
import { Agent } from 'undici';
import {
  StatusHint,
  UpstreamError,
  errorDetail,
  upstreamErrorForStatus,
} from './errors';

/** Where and how to reach one configured upstream. */
export interface UpstreamTarget {
  /** Name used in errors and logs, e.g. `thanos:central`. */
  upstream: string;
  /** Base URL ending in `/`; request paths are relative to it, so a path prefix is kept. */
  baseUrl: URL;
  timeoutMs: number;
  maxResponseBytes: number;
  /** TLS of this upstream only; the process defaults stay strict. */
  tls?: { ca?: string; skipTLSVerify?: boolean };
  /** Advice added to status errors of this upstream (see upstreamErrorForStatus). */
  hint?: StatusHint;
}

export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface SendOptions {
  method?: 'GET' | 'POST';
  query?: URLSearchParams;
  headers?: Record<string, string>;
  /** Form body (application/x-www-form-urlencoded). */
  form?: URLSearchParams;
  json?: unknown;
  /** Abort from the caller (e.g. the browser went away). */
  signal?: AbortSignal;
}

/** Reads a body up to `maxBytes`; larger bodies are an error naming the limit, not a truncation. */
export async function readCapped(
  upstream: string,
  chunks: AsyncIterable<Uint8Array> | null | undefined,
  maxBytes: number,
  status: number,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks ?? []) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new UpstreamError(
        upstream,
        'too-large',
        `response exceeds the ${maxBytes} byte limit`,
        status,
      );
    }
    // A view, not a copy: the 100,000-cluster summary reads ~66 MB of answers.
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(parts);
}

/**
 * Compressed answers are asked for (a large fleet's answers shrink several times on the wire) and
 * decoded here, as fetch did before: plain `request` is used for its lower cost per call.
 */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Lenient with a stream cut short, as fetch decodes (a truncated body fails in the JSON parse). */
const SYNC = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };

/** The body decoded by its content-encoding (an unknown or absent one as it came). */
export function decodedBody(
  body: Readable,
  encoding: string | undefined,
): AsyncIterable<Uint8Array> {
  const decoder = (() => {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return createGunzip(SYNC);
      case 'deflate':
        return createInflate(SYNC);
      case 'br':
        return createBrotliDecompress();
      default:
        return undefined;
    }
  })();
  if (!decoder) return body;
  // Either side failing destroys the other (a cut connection ends the read with its error).
  return pipeline(body, decoder, () => undefined);
}

const header = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;

/** undici and node:http nest the socket error: cause, cause.cause, or an AggregateError's errors. */
function errorCode(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== 'object' || depth > 4) return undefined;
  const err = e as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof err.code === 'string' ? err.code : undefined;
  if (own && !own.startsWith('UND_ERR_') && own !== 'ERR_INVALID_STATE')
    return own;
  for (const inner of [
    err.cause,
    ...(Array.isArray(err.errors) ? err.errors : []),
  ]) {
    const code = errorCode(inner, depth + 1);
    if (code) return code;
  }
  return own;
}

/** A request that got no HTTP answer (timeout, refused, DNS, TLS, reset) as an UpstreamError. */
export function failureToUpstreamError(
  upstream: string,
  url: URL,
  e: unknown,
  timeout: { aborted: boolean; ms: number },
): UpstreamError {
  if (e instanceof UpstreamError) return e;
  if (timeout.aborted)
    return new UpstreamError(
      upstream,
      'timeout',
      `no answer within ${timeout.ms} ms`,
    );
  if ((e as { name?: string })?.name === 'AbortError') {
    return new UpstreamError(upstream, 'unreachable', 'request was cancelled');
  }
  const code = errorCode(e);
  const where = `${url.protocol}//${url.host}`;
  // zlib's codes: the answer came, but its compressed body does not decode.
  if (code?.startsWith('Z_'))
    return new UpstreamError(
      upstream,
      'bad-response',
      `answered with a compressed body that does not decode (${code})`,
      undefined,
      where,
    );
  if (code === 'ECONNREFUSED')
    return new UpstreamError(
      upstream,
      'unreachable',
      'connection refused',
      undefined,
      where,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new UpstreamError(
      upstream,
      'unreachable',
      'host not found (DNS)',
      undefined,
      where,
    );
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return new UpstreamError(
      upstream,
      'unreachable',
      'connection was reset',
      undefined,
      where,
    );
  }
  if (code && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
    return new UpstreamError(
      upstream,
      'unreachable',
      `TLS handshake failed (${code}); check the CA bundle`,
      undefined,
      where,
    );
  }
  return new UpstreamError(
    upstream,
    'unreachable',
    `request failed${code ? ` (${code})` : ''}`,
    undefined,
    where,
  );
}

/**
 * The base of every HTTP upstream client (Thanos Query, ArgoCD): one keep-alive pool with this
 * upstream's TLS settings, a timeout and a response size cap per request, one status-to-error
 * mapping with this upstream's hint, and `close()` for shutdown. Counts the calls it makes.
 */
export class UpstreamClient {
  readonly upstream: string;
  calls = 0;
  private readonly pool: Agent;

  constructor(protected readonly target: UpstreamTarget) {
    this.upstream = target.upstream;
    const { ca, skipTLSVerify } = target.tls ?? {};
    this.pool = new Agent({
      connect: {
        ...(ca ? { ca } : {}),
        ...(skipTLSVerify ? { rejectUnauthorized: false } : {}),
      },
    });
  }

  protected url(path: string, query?: URLSearchParams): URL {
    const url = new URL(path.replace(/^\//, ''), this.target.baseUrl);
    if (query) url.search = query.toString();
    return url;
  }

  /** Sends one request; any failure without an HTTP answer becomes an UpstreamError. */
  async send(
    path: string,
    options: SendOptions = {},
  ): Promise<UpstreamResponse> {
    const url = this.url(path, options.query);
    const { timeoutMs, maxResponseBytes } = this.target;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([timeout, options.signal])
      : timeout;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...options.headers,
    };
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = options.form.toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    this.calls++;
    const timedOut = () => ({ aborted: timeout.aborted, ms: timeoutMs });
    try {
      // undici's `request`, not `fetch`: the same pool and semantics (no redirect is followed, the
      // 3xx is the answer) without fetch's per-call Request, Headers and web-stream machinery.
      const res = await this.pool.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: options.method ?? 'GET',
        headers: { 'accept-encoding': ACCEPT_ENCODING, ...headers },
        body,
        signal,
      });
      const declared = Number(header(res.headers['content-length']) ?? NaN);
      if (declared > maxResponseBytes) {
        res.body.destroy();
        throw new UpstreamError(
          this.upstream,
          'too-large',
          `response of ${declared} bytes exceeds the ${maxResponseBytes} byte limit`,
          res.statusCode,
        );
      }
      return {
        status: res.statusCode,
        contentType: header(res.headers['content-type']) ?? '',
        body: await readCapped(
          this.upstream,
          decodedBody(res.body, header(res.headers['content-encoding'])),
          maxResponseBytes,
          res.statusCode,
        ),
      };
    } catch (e) {
      throw failureToUpstreamError(this.upstream, url, e, timedOut());
    }
  }

  /** This upstream's error for a non-success answer (the one mapping, with this upstream's hint). */
  statusError(res: UpstreamResponse, what: string): UpstreamError {
    return upstreamErrorForStatus({
      upstream: this.upstream,
      status: res.status,
      what,
      detail: errorDetail(res.body.toString('utf8', 0, 4096), res.contentType),
      hint: this.target.hint,
    });
  }

  /** Parses a JSON body or throws a bad-response error naming the upstream. */
  parseJson<T>(res: UpstreamResponse): T {
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch {
      const snippet = res.body.toString('utf8', 0, 120).replace(/\s+/g, ' ');
      throw new UpstreamError(
        this.upstream,
        'bad-response',
        `answered ${res.status} with a non-JSON body (${res.contentType || 'no content type'})`,
        res.status,
        `body began: "${snippet}"`,
      );
    }
  }

  /** Releases the pool's sockets (backend shutdown). */
  async close(): Promise<void> {
    await this.pool.close();
  }
}

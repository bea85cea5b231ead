import { Agent, fetch, type Dispatcher } from 'undici';
import { UpstreamError } from './errors';

export interface UpstreamRequest {
  /** Name used in errors and logs, e.g. `thanos:central`. */
  upstream: string;
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Form body for POST (application/x-www-form-urlencoded). */
  form?: URLSearchParams;
  json?: unknown;
  timeoutMs: number;
  maxBytes: number;
  dispatcher?: Dispatcher;
  /** Abort from the caller (e.g. the browser went away). */
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

const agents = new Map<string, Agent>();

/** One keep-alive agent per CA bundle (a private CA for one upstream never loosens TLS for others). */
export function dispatcherFor(ca?: string): Dispatcher | undefined {
  if (!ca) return undefined;
  let agent = agents.get(ca);
  if (!agent) {
    agent = new Agent({ connect: { ca } });
    agents.set(ca, agent);
  }
  return agent;
}

/**
 * Sends one request to a configured upstream with a timeout and a response size cap, and turns every
 * failure into an UpstreamError that names the upstream and the cause (never the headers).
 */
export async function upstreamRequest(req: UpstreamRequest): Promise<UpstreamResponse> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = req.form.toString();
  } else if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
  }
  let res;
  try {
    res = await fetch(req.url, {
      method: req.method ?? 'GET',
      headers,
      body,
      signal,
      redirect: 'manual',
      dispatcher: req.dispatcher,
    });
  } catch (e) {
    throw toUpstreamError(req, e, timeout);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > req.maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new UpstreamError(req.upstream, 'too-large', `response of ${declared} bytes exceeds the ${req.maxBytes} byte limit`, res.status);
  }
  try {
    if (res.body) {
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > req.maxBytes) {
          throw new UpstreamError(req.upstream, 'too-large', `response exceeds the ${req.maxBytes} byte limit`, res.status);
        }
        chunks.push(Buffer.from(chunk));
      }
    }
  } catch (e) {
    if (e instanceof UpstreamError) throw e;
    throw toUpstreamError(req, e, timeout);
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: Buffer.concat(chunks),
  };
}

function toUpstreamError(req: UpstreamRequest, e: unknown, timeout: AbortSignal): UpstreamError {
  if (timeout.aborted) {
    return new UpstreamError(req.upstream, 'timeout', `no answer within ${req.timeoutMs} ms`);
  }
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'AbortError') {
    return new UpstreamError(req.upstream, 'unreachable', 'request was cancelled');
  }
  const code = errorCode(err);
  const where = `${req.url.protocol}//${req.url.host}`;
  if (code === 'ECONNREFUSED') return new UpstreamError(req.upstream, 'unreachable', `connection refused by ${where}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new UpstreamError(req.upstream, 'unreachable', `host ${req.url.hostname} not found`);
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return new UpstreamError(req.upstream, 'unreachable', `connection to ${where} was reset`);
  }
  if (code && /CERT|SSL|TLS/i.test(code)) {
    return new UpstreamError(req.upstream, 'unreachable', `TLS handshake with ${where} failed (${code}); check the CA bundle`);
  }
  return new UpstreamError(req.upstream, 'unreachable', `request to ${where} failed${code ? ` (${code})` : ''}`);
}

/** undici nests the socket error: cause, cause.cause, or an AggregateError's errors. */
function errorCode(e: any, depth = 0): string | undefined {
  if (!e || depth > 4) return undefined;
  if (typeof e.code === 'string' && !e.code.startsWith('UND_ERR_') && e.code !== 'ERR_INVALID_STATE') return e.code;
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const code = errorCode(inner, depth + 1);
    if (code) return code;
  }
  return typeof e.code === 'string' ? e.code : undefined;
}

/** Parses a JSON body or throws a bad-response error naming the upstream. */
export function parseJsonBody<T>(upstream: string, res: UpstreamResponse): T {
  try {
    return JSON.parse(res.body.toString('utf8')) as T;
  } catch {
    const snippet = res.body.toString('utf8', 0, 120).replace(/\s+/g, ' ');
    throw new UpstreamError(
      upstream,
      'bad-response',
      `answered ${res.status} with a non-JSON body (${res.contentType || 'no content type'}): "${snippet}"`,
      res.status,
    );
  }
}

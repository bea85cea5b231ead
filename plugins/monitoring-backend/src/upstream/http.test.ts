import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { ThanosClient } from '../thanos/ThanosClient';
import type { ThanosInstanceConfig } from '../config';
import { freePort } from '@fleet-monitoring/local-fleet';
import { UpstreamError, upstreamErrorForStatus } from './errors';

/** A real local HTTP server whose answer each test chooses. */
let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
const server = http.createServer((req, res) => handler(req, res));
let base: URL;

beforeAll(async () => {
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise(r => server.close(r));
});

function client(over: Partial<ThanosInstanceConfig> = {}) {
  return new ThanosClient({
    name: 'test',
    baseUrl: base,
    headers: { Authorization: 'Bearer top-secret' },
    timeoutMs: 300,
    dedup: true,
    partialResponse: true,
    maxResponseBytes: 1024,
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UpstreamError);
    expect((e as Error).message).not.toContain('top-secret');
    return e as UpstreamError;
  }
  throw new Error('expected a failure');
}

describe('upstream faults become clear, secret-free errors', () => {
  it('times out a slow upstream', async () => {
    handler = (_req, res) => setTimeout(() => res.end('{}'), 2000);
    const e = await failure(client().query('up'));
    expect(e.info).toMatchObject({ upstream: 'thanos:test', kind: 'timeout' });
    expect(e.httpStatus).toBe(504);
  });

  it('names a refused connection', async () => {
    // A port nobody listens on (fetch refuses well-known "bad ports" such as 1 before connecting).
    const port = await freePort();
    const e = await failure(
      client({ baseUrl: new URL(`http://127.0.0.1:${port}/`) }).query('up'),
    );
    expect(e.info.kind).toBe('unreachable');
    expect(e.message).toContain('connection refused');
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
  ])('maps %s to %s', async (status, kind) => {
    handler = (_req, res) => res.writeHead(status as number).end('nope');
    expect((await failure(client().query('up'))).info.kind).toBe(kind);
  });

  it('reads a plain-text 503 (Prometheus starting) without JSON errors', async () => {
    handler = (_req, res) =>
      res
        .writeHead(503, { 'content-type': 'text/plain' })
        .end('Service Unavailable');
    const e = await failure(client().query('up'));
    expect(e.info).toMatchObject({ kind: 'http-error', status: 503 });
    expect(e.message).toContain('Service Unavailable');
  });

  it('reports a non-JSON success body', async () => {
    handler = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html>login</html>');
    const e = await failure(client().query('up'));
    expect(e.info.kind).toBe('bad-response');
    expect(e.message).toContain('non-JSON');
  });

  it('passes on the PromQL error of an error envelope', async () => {
    handler = (_req, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: 'error',
          errorType: 'bad_data',
          error: 'parse error',
        }),
      );
    const e = await failure(client().query('up{'));
    // The engine's words are for the log; users get the kind of failure (#19).
    expect(e.info.message).toBe('/api/v1/query failed (bad_data)');
    expect(e.message).toContain('parse error');
  });

  it('stops reading an oversized response (declared or streamed)', async () => {
    handler = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'success', data: 'x'.repeat(5000) }));
    expect((await failure(client().query('up'))).info.kind).toBe('too-large');
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success","data":"');
      res.end(`${'y'.repeat(5000)}"}`);
    };
    expect((await failure(client().query('up'))).info.kind).toBe('too-large');
  });

  it('does not follow redirects to other hosts', async () => {
    handler = (_req, res) =>
      res.writeHead(302, { location: 'http://example.com/' }).end();
    const e = await failure(client().query('up'));
    expect(e.info.status).toBe(302);
  });

  it('asks for compressed answers and decodes each encoding', async () => {
    const answer = JSON.stringify({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1, '2'] }] },
    });
    const encoders: Record<string, (b: string) => Buffer> = {
      gzip: b => zlib.gzipSync(b),
      deflate: b => zlib.deflateSync(b),
      br: b => zlib.brotliCompressSync(b),
    };
    for (const [encoding, encode] of Object.entries(encoders)) {
      let accepted: string | undefined;
      handler = (req, res) => {
        accepted = req.headers['accept-encoding'];
        res
          .writeHead(200, {
            'content-type': 'application/json',
            'content-encoding': encoding,
          })
          .end(encode(answer));
      };
      const r = await client().query('up');
      expect(accepted).toContain(encoding);
      expect(r.result).toEqual([{ metric: {}, value: [1, '2'] }]);
    }
  });

  it('caps the decoded size of a compressed answer, not its size on the wire', async () => {
    const big = JSON.stringify({ status: 'success', data: 'z'.repeat(5000) });
    handler = (_req, res) =>
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        })
        .end(zlib.gzipSync(big));
    expect(zlib.gzipSync(big).length).toBeLessThan(1024);
    expect((await failure(client().query('up'))).info.kind).toBe('too-large');
  });

  it('reports a corrupt compressed answer as an upstream fault', async () => {
    handler = (_req, res) =>
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        })
        .end('not gzip at all');
    const e = await failure(client().query('up'));
    expect(e.info.kind).toBe('bad-response');
    expect(e.message).toContain('does not decode');
  });

  it('sends Thanos defaults, headers and the form body', async () => {
    let seen: {
      headers?: http.IncomingHttpHeaders;
      body?: string;
      url?: string;
    } = {};
    handler = (req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        seen = { headers: req.headers, body, url: req.url };
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: 'success',
            data: { resultType: 'vector', result: [] },
            warnings: ['w'],
          }),
        );
      });
    };
    const r = await client({
      baseUrl: new URL('thanos/', base),
      tenant: 't1',
      dedup: false,
    }).query('up');
    expect(r.warnings).toEqual(['w']);
    expect(seen.url).toBe('/thanos/api/v1/query');
    expect(seen.headers?.authorization).toBe('Bearer top-secret');
    expect(seen.headers?.['thanos-tenant']).toBe('t1');
    expect(new URLSearchParams(seen.body)).toEqual(
      new URLSearchParams({
        query: 'up',
        dedup: 'false',
        partial_response: 'true',
      }),
    );
  });
});

describe('one upstream layer', () => {
  it("maps statuses the same way for every upstream and adds that upstream's hint", () => {
    const hint = (kind: string) =>
      kind === 'unauthorized' ? 'check the token of x' : undefined;
    const e401 = upstreamErrorForStatus({
      upstream: 'argocd:x',
      status: 401,
      what: 'listing',
      detail: 'bad token',
      hint,
    });
    expect(e401.info).toEqual({
      upstream: 'argocd:x',
      kind: 'unauthorized',
      status: 401,
      message: 'listing failed with HTTP 401; check the token of x',
    });
    // What the upstream said is in the Error's message, for the log only (#19).
    expect(e401.message).toContain('upstream said: bad token');
    expect(e401.httpStatus).toBe(502);
    expect(
      upstreamErrorForStatus({
        upstream: 'k',
        status: 503,
        what: 'w',
        detail: 'x'.repeat(1000),
      }).message.length,
    ).toBeLessThan(400);
    expect(
      upstreamErrorForStatus({ upstream: 'k', status: 429, what: 'w' }).info
        .kind,
    ).toBe('http-error');
  });

  it('names the Thanos hint on 401', async () => {
    handler = (_req, res) =>
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":"no"}');
    expect((await failure(client().query('up'))).message).toMatch(
      /HTTP 401; check the instance's headers \[upstream said: no\]/,
    );
  });

  it('keeps a keep-alive pool per client and releases it on close()', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const track = (s: import('node:net').Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    };
    server.on('connection', track);
    // The server must not be the one closing idle sockets here.
    const keepAlive = server.keepAliveTimeout;
    server.keepAliveTimeout = 60_000;
    try {
      handler = (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: 'success',
            data: { resultType: 'vector', result: [] },
          }),
        );
      const c = client();
      await c.query('up');
      await c.query('up');
      // The pool keeps its connection(s) open between requests...
      expect(sockets.size).toBeGreaterThan(0);
      const closed = Promise.all(
        [...sockets].map(s => new Promise(resolve => s.on('close', resolve))),
      );
      // ...until the backend shuts down.
      await c.close();
      await closed;
      expect(sockets.size).toBe(0);
    } finally {
      server.off('connection', track);
      server.keepAliveTimeout = keepAlive;
    }
  });
});

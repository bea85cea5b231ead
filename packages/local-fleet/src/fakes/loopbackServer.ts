import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * The lifecycle every fake shares: an HTTP server on 127.0.0.1 (port 0 = a free one) whose async
 * handler's failures become the fake's own error body, and a stop that drops keep-alive sockets.
 */
export async function listenOnLoopback(
  port: number,
  handle: (
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) => Promise<void>,
  onError: (res: http.ServerResponse, err: unknown) => void,
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string; cert: string },
): Promise<{ server: http.Server; port: number }> {
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(err => onError(res, err));
  };
  const server: http.Server = tls
    ? https.createServer(tls, listener)
    : http.createServer(listener);
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

export async function closeServer(
  server: http.Server | undefined,
): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
}

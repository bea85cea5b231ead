import http from 'node:http';
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
): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    handle(req, res).catch(err => onError(res, err));
  });
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

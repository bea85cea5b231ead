import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort, waitFor } from '@fleet-monitoring/local-fleet';

/** A throwaway redis-server on 127.0.0.1 (Debian's `redis-server`), no persistence. */
export async function startRedis(): Promise<{
  url: string;
  stop: () => Promise<void>;
}> {
  const port = await freePort();
  let child: ChildProcess;
  try {
    // A shell watchdog ends redis when this test process is gone: Backstage's cache clients stay
    // connected until then and report an earlier close as an unhandled error.
    const watchdog =
      `redis-server --port ${port} --bind 127.0.0.1 --save '' --appendonly no & r=$!; ` +
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill $r`;
    child = spawn('sh', ['-c', watchdog], { stdio: 'ignore', detached: true });
    child.unref();
  } catch {
    throw new Error(
      'redis-server not found; install it with: apt-get install -y redis-server',
    );
  }
  child.on('error', () => {});
  await waitFor(
    () =>
      new Promise<boolean>(resolve => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      }),
    { what: 'redis-server', timeoutMs: 10_000 },
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    // See the watchdog above: the server ends with this process.
    stop: async () => {},
  };
}

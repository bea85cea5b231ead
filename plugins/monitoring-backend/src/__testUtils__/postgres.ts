import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '@fleet-monitoring/local-fleet';

/** Debian's PostgreSQL server binaries (package postgresql-15; `pg_ctl` is not on PATH there). */
function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter(v => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL not found; install it with: apt-get install -y --no-install-recommends postgresql',
    );
  }
  return path.join(
    base,
    versions.sort((a, b) => Number(b) - Number(a))[0],
    'bin',
  );
}

/**
 * A throwaway PostgreSQL on 127.0.0.1 (trust auth, user `postgres`, data in a temp dir): the
 * database several backends share, as the scheduler's global tasks need. PostgreSQL refuses to run
 * as root, so under root it runs as the `postgres` user the Debian package creates.
 */
export async function startPostgres(): Promise<{
  connection: { host: string; port: number; user: string; password: string };
  stop: () => Promise<void>;
}> {
  const bin = binDir();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (cmd: string, args: string[]) =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const [initCmd, initArgs] = run(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
  ]) as [string, string[]];
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  // A watchdog ends the server when this test process is gone (as for redis), so a crashed test
  // leaves no server behind; stop() ends it earlier.
  const postgres =
    `${path.join(bin, 'postgres')} -D ${data} -p ${port} -k ${dir} ` +
    `-c listen_addresses=127.0.0.1 -c fsync=off`;
  // (/proc, not kill -0: the watchdog runs as `postgres`, which may not signal this process.)
  const watchdog =
    `${postgres} & r=$!; ` +
    `while [ -d /proc/${process.pid} ] && kill -0 $r 2>/dev/null; do sleep 1; done; kill $r 2>/dev/null`;
  const [shCmd, shArgs] = run('sh', ['-c', watchdog]) as [string, string[]];
  const child = spawn(shCmd, shArgs, { stdio: 'ignore', detached: true });
  child.unref();
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
    { what: 'postgres', timeoutMs: 20_000 },
  );
  return {
    connection: { host: '127.0.0.1', port, user: 'postgres', password: '' },
    stop: async () => {
      try {
        const [c, a] = run(path.join(bin, 'pg_ctl'), [
          '-D',
          data,
          'stop',
          '-m',
          'immediate',
        ]) as [string, string[]];
        execFileSync(c, a, { stdio: 'ignore' });
      } catch {
        // Already gone.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `npm start` (scripts/start.mjs) stops all it started, whatever it was doing when Ctrl-C came, and
 * refuses ports it cannot have. Every run here uses the same ports, so each start also proves the
 * previous stop freed them (start.mjs refuses a taken port).
 *
 * Checked from outside: every process of a run carries a marker in its environment (see
 * devStack.ts), so a process left behind is seen even after it left its group or lost its parent.
 *
 * Heavy (a run that reaches the app compiles it with rspack): two full starts, two partial ones.
 * Skips (with a message) when Chromium's companions are missing; E2E_REQUIRED=1 fails instead.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  acquireStackLock,
  DevStack,
  freePorts,
  releaseStackLock,
  root,
  type PortVariable,
  type StopResult,
} from './devStack';

const missing = ['/usr/bin/prometheus'].filter(p => !fs.existsSync(p));
const describeIfTools =
  missing.length === 0 || process.env.E2E_REQUIRED ? describe : describe.skip;
if (missing.length > 0 && !process.env.E2E_REQUIRED) {
  // eslint-disable-next-line no-console
  console.warn(
    `dev stack lifecycle skipped: missing ${missing.join(', ')} (run npm run setup)`,
  );
}

jest.setTimeout(900_000);

/** start.mjs's SIGTERM -> SIGKILL grace (STOP_GRACE_SECONDS), and what a stop may take at most. */
const GRACE_SECONDS = 15;
// Grace, then up to 5 s for SIGKILL to land and 5 s for ports to close (start.mjs's own bounds),
// plus a margin for a loaded machine. A stop that needs more is a hang.
const STOP_BOUND_MS = (GRACE_SECONDS + 5 + 5 + 15) * 1000;

/** A foreign server on the port: answers nothing, drops every connection. */
function hold(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer(s => s.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const release = (server: net.Server) =>
  new Promise<void>(r => server.close(() => r()));

describeIfTools('npm start: stop and start', () => {
  let ports: Record<PortVariable, number>;
  const stacks: DevStack[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const stack = await DevStack.start({
      ports,
      env: { STOP_GRACE_SECONDS: String(GRACE_SECONDS), ...env },
    });
    stacks.push(stack);
    return stack;
  };

  /** The stop left nothing: no process of the run, no port listening, and said so. */
  function expectClean(result: StopResult, stack: DevStack) {
    expect({
      exit: result.code,
      leftovers: result.leftovers.map(p => `${p.pid} ${p.command}`),
      stillListening: result.stillListening,
    }).toEqual({ exit: 130, leftovers: [], stillListening: [] });
    expect(result.stoppedLine).toMatch(/^\[start\] stopped \(\d+ processes/);
    // Every fixed port was watched, and nothing of the run is left to say otherwise.
    expect(result.watchedPorts).toEqual(
      expect.arrayContaining(Object.values(ports)),
    );
    expect(stack.output.join('\n')).not.toContain('NOT stopped cleanly');
  }

  beforeAll(async () => {
    await acquireStackLock();
    ports = await freePorts();
  }, 1_800_000);

  afterAll(() => {
    for (const s of stacks) s.kill();
    releaseStackLock();
  });

  it('refuses to start when its ports are taken, naming each port, its holder and the variable that moves it', async () => {
    // The backend's port, and the central store's (a foreign server there took this run's remote
    // write and answered "out of bounds").
    const held = await Promise.all([
      hold(ports.BACKEND_PORT),
      hold(ports.FLEET_CENTRAL_PORT),
    ]);
    try {
      const stack = await start();
      const { code } = await stack.exited;
      const out = stack.output.join('\n');
      expect(code).toBe(1);
      expect(out).toContain(
        `port ${ports.BACKEND_PORT} (Backstage backend) is already in use by pid ${process.pid} (`,
      );
      expect(out).toContain('set BACKEND_PORT to a free port');
      expect(out).toContain(
        `port ${ports.FLEET_CENTRAL_PORT} (demo fleet central store) is already in use by pid ${process.pid} (`,
      );
      expect(out).toContain('set FLEET_CENTRAL_PORT to a free port');
      // Nothing was started, so nothing runs.
      expect(out).not.toMatch(/started \(pid/);
      expect(stack.processes()).toEqual([]);
    } finally {
      await Promise.all(held.map(release));
    }
  });

  it('stops everything when Ctrl-C comes while the demo fleet starts', async () => {
    const stack = await start();
    // The fleet is up to its Prometheus agents, not ready yet.
    await stack.waitForLine(/^\[start\] fleet started/, 60_000);
    await stack.waitForProcess(/prometheus --config\.file=/, 60_000);
    expect(stack.output.some(l => /demo fleet ready/.test(l))).toBe(false);
    expectClean(await stack.stop(STOP_BOUND_MS), stack);
  });

  it('stops everything when Ctrl-C comes while the backend starts', async () => {
    const stack = await start();
    // The backend's own process runs (the CLI spawns `node ... src/index`); not ready yet.
    await stack.waitForProcess(/nodeTransform\.cjs src\/index /, 240_000);
    expect(stack.output.some(l => /backend ready/.test(l))).toBe(false);
    expectClean(await stack.stop(STOP_BOUND_MS), stack);
  });

  it('stops everything and names Backstage when its backend cannot bind', async () => {
    const stack = await start();
    // The port check has passed; a foreign server takes the backend's port before it binds.
    await stack.waitForLine(/^\[start\] fleet started/, 60_000);
    const held = await hold(ports.BACKEND_PORT);
    try {
      const { code } = await stack.exited;
      const out = stack.output.join('\n');
      expect(code).toBe(1);
      expect(out).toMatch(
        /\[start\] failed: Backstage could not start: .*EADDRINUSE.*; stopping everything/,
      );
      expect(out).toMatch(/^\[start\] stopped/m);
      expect(stack.processes()).toEqual([]);
    } finally {
      await release(held);
    }
  });

  it('stops everything right after "compiled" and later, once ready; starts again on the same ports', async () => {
    const first = await start();
    await first.waitForLine(/compiled successfully/i, 420_000);
    expectClean(await first.stop(STOP_BOUND_MS), first);

    const second = await start();
    const ready = await second.ready();
    expect(
      (await fetch(`${ready.backendUrl}/.backstage/health/v1/readiness`))
        .status,
    ).toBe(200);
    expect((await fetch(ready.appUrl)).status).toBe(200);

    // The run's own directory holds its runtime config; another start in this checkout gets its own
    // directory and leaves this one alone.
    const config = path.join(ready.runDir, 'app-config.runtime.yaml');
    const before = fs.readFileSync(config, 'utf8');
    expect(before).toContain(`"port": ${ports.BACKEND_PORT}`);
    const other = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createRunDir, removeRunDir } from './scripts/dev-stack/runDir.mjs';
         const run = createRunDir(${JSON.stringify(path.join(root, '.fleet-tmp'))});
         console.log(JSON.stringify({ dir: run.dir, others: run.othersRunning.map(r => r.dir) }));
         removeRunDir(run.dir);`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(other.status).toBe(0);
    const seen = JSON.parse(other.stdout);
    expect(seen.dir).not.toBe(ready.runDir);
    expect(seen.others).toContain(ready.runDir);
    expect(fs.readFileSync(config, 'utf8')).toBe(before);

    expectClean(await second.stop(STOP_BOUND_MS), second);
    expect(fs.existsSync(ready.runDir)).toBe(false);
  });
});

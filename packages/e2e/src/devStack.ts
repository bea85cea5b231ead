/**
 * Runs `scripts/start.mjs` (the demo fleet and the dev Backstage) for the e2e tests and the benches,
 * and checks its stop from outside: every process it started carries a marker in its environment
 * (children inherit it, whatever their process group), so the tests see any process left behind,
 * and /proc shows which ports still listen.
 *
 * Runs that compile the app take ~1.2 GB and both cores for half a minute: one test file at a time
 * holds the machine-wide dev-stack lock while its stack runs.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

// One home for the /proc reading: start.mjs's own module (CommonJS, no types). This package is
// never built or published; it runs from the checkout, next to scripts/.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @backstage/no-relative-monorepo-imports
const procfs = require('../../../scripts/dev-stack/procfs.cjs') as {
  processesWithEnv(key: string, value: string): LiveProcess[];
  portsListenedBy(pids: number[]): number[];
  listeningAmong(ports: number[]): number[];
  startTimeOf(pid: number): number | undefined;
};

// eslint-disable-next-line no-restricted-syntax -- run from the checkout, never built
export const root = path.resolve(__dirname, '../../..');

export interface LiveProcess {
  pid: number;
  pgid: number;
  command: string;
}

/** What start.mjs prints on its `FLEET_READY` line. */
export interface Ready {
  appUrl: string;
  backendUrl: string;
  fleetPage: string;
  queryUrl: string;
  centralUrl: string;
  controlUrl: string;
  argocd: boolean;
  kubernetes?: boolean;
  /** The demo GitHub API fake holding example/fleet-gitops and the pull requests opened on it. */
  githubUrl?: string;
  techdocs: boolean;
  runDir: string;
  processGroups: number[];
  seconds: number;
}

/** The variables that place start.mjs's fixed ports. */
export const PORT_VARIABLES = [
  'APP_PORT',
  'BACKEND_PORT',
  'FLEET_CENTRAL_PORT',
  'FLEET_QUERY_PORT',
  'FLEET_CONTROL_PORT',
  'FLEET_ARGOCD_PORT',
  'FLEET_KUBERNETES_PORT',
  'FLEET_GITHUB_PORT',
] as const;
export type PortVariable = (typeof PORT_VARIABLES)[number];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function freePorts(): Promise<Record<PortVariable, number>> {
  const out = {} as Record<PortVariable, number>;
  for (const name of PORT_VARIABLES) out[name] = await freePort();
  return out;
}

const MARKER = 'FLEET_E2E_STACK';
const LOCK_DIR = path.join(os.tmpdir(), 'fleet-monitoring-e2e-stack.lock');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function lockOwnerAlive(): boolean {
  try {
    const owner = JSON.parse(
      fs.readFileSync(path.join(LOCK_DIR, 'owner.json'), 'utf8'),
    );
    return procfs.startTimeOf(owner.pid) === owner.startTime;
  } catch {
    // No owner file yet: its owner is writing it.
    return fs.existsSync(LOCK_DIR) && Date.now() - statTime() < 5000;
  }
}

function statTime(): number {
  try {
    return fs.statSync(LOCK_DIR).mtimeMs;
  } catch {
    return 0;
  }
}

let lockHeld = 0;

/** Takes the machine-wide dev-stack lock (re-entrant within this process). */
export async function acquireStackLock(): Promise<void> {
  if (lockHeld > 0) {
    lockHeld++;
    return;
  }
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(
        path.join(LOCK_DIR, 'owner.json'),
        JSON.stringify({
          pid: process.pid,
          startTime: procfs.startTimeOf(process.pid),
        }),
      );
      lockHeld = 1;
      return;
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
      if (!lockOwnerAlive())
        fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      else await sleep(2000);
    }
  }
}

export function releaseStackLock(): void {
  if (lockHeld === 0) return;
  lockHeld--;
  if (lockHeld === 0) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
}

export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Processes of the run still alive after start.mjs exited. */
  leftovers: LiveProcess[];
  /** Ports of the run (fixed ones and any its processes listened on) still listening. */
  stillListening: number[];
  /** Every port watched: the fixed ones and those the run's processes listened on at the signal. */
  watchedPorts: number[];
  stoppedLine: string | undefined;
}

/** One start.mjs run. */
export class DevStack {
  readonly output: string[] = [];
  readonly exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>;
  private readonly listeners = new Set<(line: string) => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly marker: string,
    readonly ports: Record<PortVariable, number>,
  ) {
    this.exited = new Promise(resolve =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    for (const stream of [child.stdout!, child.stderr!])
      readline.createInterface({ input: stream }).on('line', raw => {
        // Rspack colours its lines even with FORCE_COLOR=0.
        // eslint-disable-next-line no-control-regex
        const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
        this.output.push(line);
        for (const l of this.listeners) l(line);
      });
  }

  /**
   * Starts start.mjs with free ports (or the given ones) in its own process group. `env` adds or
   * overrides variables.
   */
  static async start(
    options: {
      ports?: Record<PortVariable, number>;
      env?: Record<string, string>;
    } = {},
  ): Promise<DevStack> {
    const ports = options.ports ?? (await freePorts());
    const marker = randomUUID();
    const child = spawn(
      process.execPath,
      [path.join(root, 'scripts/start.mjs')],
      {
        cwd: root,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...Object.fromEntries(
            Object.entries(ports).map(([k, v]) => [k, String(v)]),
          ),
          ...options.env,
          [MARKER]: marker,
        },
      },
    );
    return new DevStack(child, marker, ports);
  }

  tail(n = 40): string {
    return this.output.slice(-n).join('\n');
  }

  /**
   * Resolves with the first line (already printed or to come) matching `pattern`; rejects when
   * start.mjs exits first or after timeoutMs.
   */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.output.find(l => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const listener = (line: string) => {
        if (!pattern.test(line)) return;
        // eslint-disable-next-line @typescript-eslint/no-use-before-define
        done();
        resolve(line);
      };
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `no line matching ${pattern} within ${timeoutMs / 1000} s:\n${this.tail()}`,
          ),
        );
      }, timeoutMs);
      this.exited.then(({ code, signal }) => {
        if (!this.listeners.has(listener)) return;
        done();
        reject(
          new Error(
            `start.mjs exited (${signal ?? code}) before printing ${pattern}:\n${this.tail()}`,
          ),
        );
      });
    });
  }

  async ready(timeoutMs = 420_000): Promise<Ready> {
    const line = await this.waitForLine(/^FLEET_READY /, timeoutMs);
    return JSON.parse(line.slice('FLEET_READY '.length));
  }

  /** Live processes of this run (start.mjs included while it runs). */
  processes(): LiveProcess[] {
    return procfs.processesWithEnv(MARKER, this.marker);
  }

  /** Resolves once a process of the run matches `pattern` (its command line). */
  async waitForProcess(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.processes().some(p => pattern.test(p.command))) {
      if (this.child.exitCode !== null)
        throw new Error(`start.mjs exited:\n${this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(
          `no process matching ${pattern} within ${timeoutMs / 1000} s:\n${this.tail()}`,
        );
      await sleep(100);
    }
  }

  /**
   * Sends `signal` to start.mjs alone (its children are in their own groups, as from a terminal's
   * Ctrl-C), waits for it to exit (at most `timeoutMs`, else SIGKILL for everything and a throw)
   * and reports what is left.
   */
  async stop(
    timeoutMs: number,
    signal: NodeJS.Signals = 'SIGINT',
  ): Promise<StopResult> {
    const watchedPorts = [
      ...new Set([
        ...Object.values(this.ports),
        ...procfs.portsListenedBy(this.processes().map(p => p.pid)),
      ]),
    ].sort((a, b) => a - b);
    if (this.child.exitCode === null && this.child.signalCode === null)
      this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      this.exited,
      new Promise<undefined>(r => {
        timer = setTimeout(() => r(undefined), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!exit) {
      this.kill();
      throw new Error(
        `start.mjs did not exit within ${timeoutMs / 1000} s of ${signal}:\n${this.tail()}`,
      );
    }
    return {
      ...exit,
      leftovers: this.processes(),
      stillListening: procfs.listeningAmong(watchedPorts),
      watchedPorts,
      stoppedLine: this.output.find(l => /^\[start\] stopped/.test(l)),
    };
  }

  /** Last resort for a test's cleanup: SIGKILL every process of the run. */
  kill(): void {
    for (const p of this.processes()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

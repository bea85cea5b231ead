import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { freePort, waitFor } from './ports';

/** Where Debian's prometheus lives; override with PROMETHEUS_BIN. */
export function prometheusBinary(): string {
  const bin = process.env.PROMETHEUS_BIN ?? 'prometheus';
  try {
    execFileSync(bin, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `"${bin}" was not found. Install it with: apt-get install -y --no-install-recommends prometheus`,
    );
  }
  return bin;
}

export interface PrometheusProcessOptions {
  name: string;
  mode: 'central' | 'agent';
  config: Record<string, unknown>;
  port?: number;
  /** Parent temp dir; a fresh one is made when absent. */
  baseDir?: string;
  /** Flags after the ones set here. */
  extraArgs?: string[];
}

/** One real Prometheus process on 127.0.0.1 with its own config file and data dir. */
export class PrometheusProcess {
  readonly name: string;
  readonly mode: 'central' | 'agent';
  readonly dir: string;
  readonly configFile: string;
  port = 0;
  private child?: ChildProcess;
  private log: string[] = [];
  private config: Record<string, unknown>;

  constructor(private readonly options: PrometheusProcessOptions) {
    this.name = options.name;
    this.mode = options.mode;
    this.config = options.config;
    this.dir = fs.mkdtempSync(
      path.join(options.baseDir ?? os.tmpdir(), `${options.name}-`),
    );
    this.configFile = path.join(this.dir, 'prometheus.yml');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return Boolean(
      this.child && this.child.exitCode === null && !this.child.killed,
    );
  }

  /** The last lines Prometheus printed (for test failure messages). */
  recentLog(lines = 20): string {
    return this.log.slice(-lines).join('\n');
  }

  async start(): Promise<void> {
    if (this.running) return;
    // Keep the port across restarts so the agents' remote_write URL stays valid.
    this.port = this.port || this.options.port || (await freePort());
    fs.writeFileSync(this.configFile, YAML.stringify(this.config));
    const dataDir = path.join(this.dir, 'data');
    const args = [
      `--config.file=${this.configFile}`,
      `--web.listen-address=127.0.0.1:${this.port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ];
    if (this.mode === 'agent') {
      args.push('--enable-feature=agent', `--storage.agent.path=${dataDir}`);
    } else {
      args.push(
        `--storage.tsdb.path=${dataDir}`,
        '--web.enable-remote-write-receiver',
      );
    }
    args.push(...(this.options.extraArgs ?? []));
    const child = spawn(prometheusBinary(), args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (buf: Buffer) => {
      this.log.push(...buf.toString().split('\n').filter(Boolean));
      if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await waitFor(
      async () => {
        if (child.exitCode !== null) {
          throw new Error(
            `${this.name} exited with ${child.exitCode}:\n${this.recentLog()}`,
          );
        }
        const res = await fetch(`${this.url}/-/ready`);
        return res.ok;
      },
      { what: `${this.name} to be ready`, timeoutMs: 30_000 },
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>(resolve =>
      child.once('exit', () => resolve()),
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Rewrites the config and asks the running process to reload it. */
  async reconfigure(
    mutate: (config: Record<string, any>) => void,
  ): Promise<void> {
    mutate(this.config);
    fs.writeFileSync(this.configFile, YAML.stringify(this.config));
    if (!this.running) return;
    const res = await fetch(`${this.url}/-/reload`, { method: 'POST' });
    if (!res.ok)
      throw new Error(
        `${this.name} refused the reload: ${res.status} ${await res.text()}`,
      );
  }

  /** Stops the process and removes its files. */
  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function centralConfig(scrapeInterval: string): Record<string, unknown> {
  return {
    global: {
      scrape_interval: scrapeInterval,
      evaluation_interval: scrapeInterval,
    },
    scrape_configs: [],
  };
}

export function agentConfig(opts: {
  cluster: string;
  selfPort: number;
  remoteWriteUrl: string;
  scrapeInterval: string;
  /** Extra request headers, e.g. Thanos Receive's THANOS-TENANT. */
  headers?: Record<string, string>;
}): Record<string, unknown> {
  return {
    global: {
      scrape_interval: opts.scrapeInterval,
      external_labels: { cluster: opts.cluster },
    },
    scrape_configs: [
      {
        job_name: 'prometheus-agent',
        static_configs: [{ targets: [`127.0.0.1:${opts.selfPort}`] }],
      },
    ],
    remote_write: [
      {
        url: opts.remoteWriteUrl,
        name: 'central',
        ...(opts.headers ? { headers: opts.headers } : {}),
        // Short backoffs so tests see retries and recovery within seconds.
        queue_config: {
          batch_send_deadline: '1s',
          min_backoff: '100ms',
          max_backoff: '2s',
        },
      },
    ],
  };
}

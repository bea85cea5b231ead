#!/usr/bin/env node
// `npm start`: the demo fleet (real Prometheus agents -> central store, synthetic clusters, Thanos
// Query facade) plus the dev Backstage (packages/app + packages/backend) wired to it. Ctrl-C stops
// everything. Prints `FLEET_READY {json}` once both answer (the end-to-end test reads that line).
//
// Refuses to start when one of its fixed ports is taken (names the port, its holder and the variable
// that moves it). Each child runs in its own process group; Ctrl-C (or a child that fails while
// starting) stops them all, SIGKILL after STOP_GRACE_SECONDS, and "stopped" is printed only once no
// process of the run is left and its ports are closed. Each run writes only into its own directory
// under .fleet-tmp/runs/, so a second run in the same checkout never touches a running one.
//
// Environment (all optional):
//   APP_PORT (3000), BACKEND_PORT (7007)                   Backstage frontend / backend
//   FLEET_CENTRAL_PORT (19090), FLEET_QUERY_PORT (19091),  demo fleet central store, Thanos Query
//   FLEET_CONTROL_PORT (19099), FLEET_ARGOCD_PORT (19092)  facade, fault-injection control API and
//   FLEET_KUBERNETES_PORT (19093)                          the demo Kubernetes API fake (demo data),
//                                                          the demo ArgoCD fake (demo data)
//   FLEET_GITHUB_PORT (19094)                              the demo GitHub API fake holding the GitOps
//                                                          repository the template reads (demo data)
//   FLEET_SYNTHETIC_CLUSTERS (24)                          simulated clusters next to the 3 real ones
//   START_TIMEOUT_SECONDS (300)                            give up when not ready by then
//   STOP_GRACE_SECONDS (15)                                SIGTERM -> SIGKILL grace on stop
//   APP_BUNDLE (development)                               `production`: build packages/app as it
//                                                          ships (minified, this run's config) and
//                                                          serve it on APP_PORT instead of the
//                                                          webpack dev server (the benches use it)
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildTechDocs } from './build-techdocs.mjs';
import { planPorts, refuseTakenPorts } from './dev-stack/ports.mjs';
import {
  createRunDir,
  removeRunDir,
  withCheckoutLock,
} from './dev-stack/runDir.mjs';
import { RUN_MARKER_ENV, stopProcesses } from './dev-stack/stopProcesses.mjs';
import { reexecOnNode24 } from './node24.mjs';

reexecOnNode24(import.meta.url);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = path.join(root, '.fleet-tmp');
const env = (k, d) =>
  process.env[k] && process.env[k].trim() !== '' ? process.env[k] : d;
const timeoutMs = Number(env('START_TIMEOUT_SECONDS', 300)) * 1000;
const graceMs = Number(env('STOP_GRACE_SECONDS', 15)) * 1000;
const productionBundle = env('APP_BUNDLE', 'development') === 'production';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = msg => process.stdout.write(`[start] ${msg}\n`);

/** Marks every process of this run (children inherit it), so a stop finds them all. */
const runId = randomUUID();
let ports;
let appPort;
let backendPort;
/** This run's own directory (runtime config, TechDocs site, served bundle); see dev-stack/runDir.mjs. */
let runDir;

/** Children run in their own process group (detached) so stopping reaches their whole tree. */
const children = [];
/** Ports this run opened (the fixed ones, once checked free); a stop waits until they are closed. */
let portsOpened = [];
let appServer;
let docsBuild;
let stopping = false;

/** Last lines of a child's output, to say why it failed. */
function remember(child, line) {
  child.tail.push(line);
  if (child.tail.length > 12) child.tail.shift();
}

function why(child) {
  const lines = child.tail.filter(l => l.trim() !== '');
  const telling = lines.filter(l =>
    /error|EADDRINUSE|failed|cannot|refus/i.test(l),
  );
  return (telling.length > 0 ? telling : lines).slice(-3).join(' | ');
}

/**
 * Starts a child in its own process group with this run's marker. `expectExit`: a build step whose
 * exit is its end, not a failure of the run.
 */
function run(name, command, args, options = {}) {
  if (stopping) throw new Error(`not starting ${name}: stopping`);
  const { expectExit, onLine = () => {}, ...spawnOptions } = options;
  const child = spawn(command, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...spawnOptions,
    env: {
      ...process.env,
      FORCE_COLOR: '0',
      ...spawnOptions.env,
      [RUN_MARKER_ENV]: runId,
    },
  });
  child.label = name;
  child.tail = [];
  children.push(child);
  log(`${name} started (pid ${child.pid}, process group ${child.pid})`);
  child.onLine = onLine;
  readline.createInterface({ input: child.stderr }).on('line', l => {
    remember(child, l);
    process.stderr.write(`[${name}] ${l}\n`);
    onLine(l);
  });
  child.once('error', e => {
    remember(child, String(e));
  });
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (stopping || (expectExit && code === 0)) return;
    fail(
      `${name} exited ${expectExit ? 'with an error' : 'unexpectedly'} (${signal ?? `code ${code}`})${child.tail.length ? `: ${why(child)}` : ''}`,
    );
  });
  return child;
}

/** Echoes a child's stdout, remembering it. */
function echo(child) {
  readline.createInterface({ input: child.stdout }).on('line', l => {
    remember(child, l);
    process.stdout.write(`[${child.label}] ${l}\n`);
    child.onLine(l);
  });
}

function fail(reason) {
  if (stopping) return;
  log(`failed: ${reason}; stopping everything`);
  shutdown(1);
}

/**
 * Stops every process of the run (SIGTERM, SIGKILL after STOP_GRACE_SECONDS) and says "stopped"
 * only once none is left and every port it opened is closed.
 */
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  if (appServer) {
    appServer.closeAllConnections();
    await new Promise(r => appServer.close(r));
  }
  // mkdocs runs in this process's group and ends within seconds.
  if (docsBuild)
    await Promise.race([
      docsBuild,
      new Promise(r => setTimeout(r, graceMs).unref()),
    ]);
  const result = await stopProcesses({
    groups: children.map(c => c.pid).filter(Boolean),
    runId,
    ports: portsOpened,
    graceMs,
    log,
  });
  if (runDir) removeRunDir(runDir.dir);
  if (result.ok) {
    log(
      `stopped (${result.processes} processes ended${result.killed.length ? `, ${result.killed.length} killed after ${graceMs / 1000} s` : ''}; ports ${result.ports.join(', ') || 'none'} closed)`,
    );
  } else {
    log(
      `NOT stopped cleanly: ${[
        ...result.survivors.map(
          p => `pid ${p.pid} still running (${p.command.slice(0, 120)})`,
        ),
        ...result.stillListening.map(p => `port ${p} still listening`),
      ].join('; ')}`,
    );
  }
  process.exit(result.ok ? code : 1);
}

// A closed terminal or a caller that stopped reading must not end this process before it stopped
// its children: output to a closed pipe is dropped.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', () => {});
process.on('SIGINT', () => shutdown(130));
process.on('SIGTERM', () => shutdown(143));
process.on('SIGHUP', () => shutdown(129));

async function poll(url, accept) {
  const deadline = started + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (accept(res.status)) return;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  if (!stopping)
    throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

const portOf = name => String(ports.find(p => p.env === name).port);

async function startFleet() {
  const child = run(
    'fleet',
    process.execPath,
    [
      '-r',
      '@backstage/cli/config/nodeTransform.cjs',
      'packages/local-fleet/src/demoMain.ts',
    ],
    {
      env: {
        FLEET_CENTRAL_PORT: portOf('FLEET_CENTRAL_PORT'),
        FLEET_QUERY_PORT: portOf('FLEET_QUERY_PORT'),
        FLEET_CONTROL_PORT: portOf('FLEET_CONTROL_PORT'),
        FLEET_ARGOCD_PORT: portOf('FLEET_ARGOCD_PORT'),
        FLEET_KUBERNETES_PORT: portOf('FLEET_KUBERNETES_PORT'),
        FLEET_GITHUB_PORT: portOf('FLEET_GITHUB_PORT'),
        ...(process.env.FLEET_SYNTHETIC_CLUSTERS
          ? { FLEET_SYNTHETIC_CLUSTERS: process.env.FLEET_SYNTHETIC_CLUSTERS }
          : {}),
      },
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error('the demo fleet did not report ready within 120 s')),
      120_000,
    );
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', line => {
      const text = line.trim();
      if (text.startsWith('{')) {
        try {
          const info = JSON.parse(text);
          if (info.queryUrl) {
            clearTimeout(timer);
            resolve(info);
            return;
          }
        } catch {
          // not the ready line
        }
      }
      remember(child, line);
      process.stdout.write(`[fleet] ${line}\n`);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error('the demo fleet exited before it was ready'));
    });
  });
}

function writeRuntimeConfig(fleet, techdocsDir) {
  // JSON is YAML; generated from the fleet's answer, never committed (.fleet-tmp/ is gitignored).
  const config = {
    app: { baseUrl: `http://localhost:${appPort}` },
    backend: {
      baseUrl: `http://localhost:${backendPort}`,
      listen: { port: backendPort },
      cors: { origin: `http://localhost:${appPort}` },
    },
    // The templates' fetch:plain steps read the demo GitOps repository (github.com/example/fleet-gitops)
    // from the fleet's GitHub API fake and publish:github:pull-request opens its pull requests there,
    // with the fake's demo token: no request, and no token, reaches the real GitHub.
    ...(fleet.githubUrl
      ? {
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: fleet.githubUrl,
                ...(fleet.githubToken ? { token: fleet.githubToken } : {}),
              },
            ],
          },
        }
      : {}),
    // Served as built by scripts/build-techdocs.mjs; the backend never builds docs itself here.
    techdocs: {
      builder: 'external',
      publisher: { type: 'local', local: { publishDirectory: techdocsDir } },
    },
    fleetMonitoring: {
      demoDataNotice: 'Demo data: local simulated fleet',
      // The overlay lint and the reconciled fleet read the same demo repository.
      ...(fleet.githubUrl
        ? {
            gitops: {
              url: 'https://github.com/example/fleet-gitops/tree/main',
            },
          }
        : {}),
      thanos: [
        {
          name: 'demo',
          title: 'Demo fleet (local, simulated)',
          baseUrl: fleet.queryUrl,
        },
      ],
      ...(fleet.argocd?.url
        ? {
            argocd: [
              {
                name: 'demo',
                url: fleet.argocd.url,
                ...(fleet.argocd.uiUrl ? { uiUrl: fleet.argocd.uiUrl } : {}),
                ...(fleet.argocd.token ? { token: fleet.argocd.token } : {}),
              },
            ],
          }
        : {}),
      ...(fleet.kubernetes?.url
        ? {
            kubernetes: {
              clusters: [
                {
                  name: fleet.kubernetes.cluster,
                  url: fleet.kubernetes.url,
                  serviceAccountToken: fleet.kubernetes.token,
                },
              ],
            },
          }
        : {}),
    },
  };
  const file = path.join(runDir.dir, 'app-config.runtime.yaml');
  fs.writeFileSync(
    file,
    `# Generated by scripts/start.mjs for this run (demo data). Do not edit.\n${JSON.stringify(config, null, 2)}\n`,
    { mode: 0o600 },
  );
  return file;
}

/** Runs a build step as a child of the run (stopped with it); rejects on a non-zero exit. */
function runToEnd(name, command, args, options = {}) {
  const child = run(name, command, args, { ...options, expectExit: true });
  echo(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', code =>
      code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}`)),
    );
  });
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the built app the way @backstage/plugin-app-backend does: hashed files under /static for a
 * year, index.html (no-cache) for every other path so client-side routes load the app.
 */
function serveAppBundle(dir, port) {
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(dir, path.normalize(urlPath));
    if (
      !file.startsWith(dir + path.sep) ||
      !fs.existsSync(file) ||
      !fs.statSync(file).isFile()
    )
      file = path.join(dir, 'index.html');
    const isStatic = urlPath.startsWith('/static/');
    res.writeHead(200, {
      'Content-Type':
        CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': isStatic
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', e =>
      reject(
        new Error(
          `the app bundle server could not listen on ${port}: ${e.message}`,
        ),
      ),
    );
    server.listen(port, 'localhost', () => resolve(server));
  });
}

async function main() {
  // Before anything listens: every fixed port free (a taken one would send this run's traffic to a
  // foreign server), and a directory of this run's own.
  ports = planPorts();
  appPort = Number(portOf('APP_PORT'));
  backendPort = Number(portOf('BACKEND_PORT'));
  await refuseTakenPorts(ports);
  portsOpened = ports.map(p => p.port);
  runDir = createRunDir(tmp, {
    ports: Object.fromEntries(ports.map(p => [p.env, p.port])),
  });
  if (runDir.othersRunning.length > 0)
    log(
      `another start.mjs runs in this checkout (pid ${runDir.othersRunning.map(r => r.pid).join(', ')}); this run uses its own directory ${path.relative(root, runDir.dir)}`,
    );
  log(
    'starting the demo fleet (Prometheus agents, central store, Thanos Query facade)...',
  );
  // The handbook builds (~1 s) while the fleet starts.
  const techdocsDir = path.join(runDir.dir, 'techdocs');
  docsBuild = buildTechDocs({ root, publishDirectory: techdocsDir }).catch(
    e => ({ ok: false, reason: e?.message ?? String(e) }),
  );
  const fleet = await startFleet();
  if (stopping) return;
  log(
    `demo fleet ready after ${elapsed()}: Thanos Query API ${fleet.queryUrl}`,
  );
  if (fleet.argocd?.url)
    log(`demo ArgoCD (fake, demo data): ${fleet.argocd.url}`);
  else
    log(
      'no demo ArgoCD in this fleet: the ArgoCD cards will say it is not configured',
    );
  const docsResult = await docsBuild;
  if (stopping) return;
  if (docsResult.ok)
    log(
      `TechDocs handbook built in ${docsResult.seconds.toFixed(1)} s (${path.relative(root, docsResult.siteDir)})`,
    );
  else
    log(
      `WARNING: TechDocs handbook not built, the "How to fix" links will show TechDocs' not-found page: ${docsResult.reason}`,
    );
  const runtimeConfig = writeRuntimeConfig(fleet, techdocsDir);

  const cli = path.join(
    root,
    'node_modules',
    '@backstage',
    'cli',
    'bin',
    'backstage-cli',
  );
  const configArgs = [
    '--config',
    path.join(root, 'app-config.yaml'),
    '--config',
    runtimeConfig,
  ];
  // A child that cannot bind, or a backend that cannot start, ends the run with its reason (the
  // Backstage CLI itself keeps running when its backend process exits).
  const watchBackstage = line => {
    if (/EADDRINUSE|Backend failed to start/.test(line))
      fail(`Backstage could not start: ${line.trim()}`);
  };
  let backstage;
  if (productionBundle) {
    log('building packages/app as it ships (production bundle)...');
    // packages/app/dist is shared by the checkout: one build at a time, and this run serves its own
    // copy (built with its own config), so another run's build never changes what this one serves.
    const bundleDir = path.join(runDir.dir, 'app');
    await withCheckoutLock(tmp, 'app-build', log, async () => {
      await runToEnd(
        'app-build',
        process.execPath,
        [cli, 'package', 'build', ...configArgs],
        { cwd: path.join(root, 'packages/app') },
      );
      fs.cpSync(path.join(root, 'packages/app/dist'), bundleDir, {
        recursive: true,
      });
    });
    if (stopping) return;
    log(`app bundle built after ${elapsed()}; starting packages/backend...`);
    appServer = await serveAppBundle(bundleDir, appPort);
    backstage = run(
      'backstage',
      process.execPath,
      [cli, 'package', 'start', ...configArgs],
      {
        cwd: path.join(root, 'packages/backend'),
        env: { NODE_ENV: 'development' },
        onLine: watchBackstage,
      },
    );
  } else {
    log('starting Backstage (packages/app + packages/backend)...');
    backstage = run(
      'backstage',
      process.execPath,
      [cli, 'repo', 'start', ...configArgs],
      {
        env: { BROWSER: 'none', NODE_ENV: 'development' },
        onLine: watchBackstage,
      },
    );
  }
  echo(backstage);

  await poll(
    `http://localhost:${backendPort}/.backstage/health/v1/readiness`,
    s => s === 200,
  );
  if (stopping) return;
  log(`backend ready after ${elapsed()}`);
  await poll(`http://localhost:${appPort}/`, s => s === 200);
  if (stopping) return;
  const ready = {
    appUrl: `http://localhost:${appPort}`,
    backendUrl: `http://localhost:${backendPort}`,
    fleetPage: `http://localhost:${appPort}/fleet-monitoring`,
    queryUrl: fleet.queryUrl,
    centralUrl: fleet.centralUrl,
    controlUrl: fleet.controlUrl,
    argocd: Boolean(fleet.argocd?.url),
    kubernetes: Boolean(fleet.kubernetes?.url),
    /** The demo GitHub API fake (the GitOps repository and the pull requests opened on it). */
    githubUrl: fleet.githubUrl,
    techdocs: docsResult.ok,
    /** This run's directory (runtime config, handbook); removed when the run stops. */
    runDir: runDir.dir,
    /** Process groups of the children, for a caller that must clean up after a crash of this script. */
    processGroups: children.map(c => c.pid),
    seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  };
  log(
    `ready after ${elapsed()}: open ${ready.appUrl} (fleet page: ${ready.fleetPage}); Ctrl-C stops everything`,
  );
  process.stdout.write(`FLEET_READY ${JSON.stringify(ready)}\n`);
}

main().catch(e => {
  if (stopping) return;
  if (children.length === 0) {
    // Nothing started (a taken port, a bad setting): nothing to stop.
    log(e?.message ?? String(e));
    process.exit(1);
  }
  fail(e?.message ?? String(e));
});

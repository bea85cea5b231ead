#!/usr/bin/env node
// `npm start`: the demo fleet (real Prometheus agents -> central store, synthetic clusters, Thanos
// Query facade) plus the dev Backstage (packages/app + packages/backend) wired to it. Ctrl-C stops
// everything. Prints `FLEET_READY {json}` once both answer (the end-to-end test reads that line).
//
// Environment (all optional):
//   APP_PORT (3000), BACKEND_PORT (7007)                   Backstage frontend / backend
//   FLEET_CENTRAL_PORT (19090), FLEET_QUERY_PORT (19091),  demo fleet central store, Thanos Query
//   FLEET_CONTROL_PORT (19099), FLEET_ARGOCD_PORT (19092)  facade, fault-injection control API and
//   FLEET_KUBERNETES_PORT (19093)                          the demo Kubernetes API fake (demo data),
//                                                          the demo ArgoCD fake (demo data)
//   FLEET_SYNTHETIC_CLUSTERS (24)                          simulated clusters next to the 3 real ones
//   START_TIMEOUT_SECONDS (300)                            give up when not ready by then
//   APP_BUNDLE (development)                               `production`: build packages/app as it
//                                                          ships (minified, this run's config) and
//                                                          serve it on APP_PORT instead of the
//                                                          webpack dev server (the benches use it)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildTechDocs } from './build-techdocs.mjs';
import { reexecOnNode24 } from './node24.mjs';

reexecOnNode24(import.meta.url);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = path.join(root, '.fleet-tmp');
const env = (k, d) =>
  process.env[k] && process.env[k].trim() !== '' ? process.env[k] : d;
const appPort = Number(env('APP_PORT', 3000));
const backendPort = Number(env('BACKEND_PORT', 7007));
const timeoutMs = Number(env('START_TIMEOUT_SECONDS', 300)) * 1000;
const productionBundle = env('APP_BUNDLE', 'development') === 'production';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = msg => process.stdout.write(`[start] ${msg}\n`);

/** Children run in their own process group (detached) so stopping kills their whole tree. */
const children = [];
let stopping = false;

function run(name, command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
    env: { ...process.env, ...options.env },
  });
  child.label = name;
  children.push(child);
  const prefix = line => `[${name}] ${line}\n`;
  readline
    .createInterface({ input: child.stderr })
    .on('line', l => process.stderr.write(prefix(l)));
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (!stopping) {
      log(
        `${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`,
      );
      shutdown(1);
    }
  });
  return child;
}

function killGroup(child, signal) {
  if (child.exited) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function waitExit(child, ms) {
  if (child.exited) return Promise.resolve(true);
  return new Promise(resolve => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Backstage first, then the fleet (whose own shutdown stops agents before the central store). */
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  for (const child of [...children].reverse()) {
    killGroup(child, 'SIGTERM');
    const graceMs = child.label === 'fleet' ? 20_000 : 10_000;
    if (!(await waitExit(child, graceMs))) {
      log(`${child.label} did not stop in ${graceMs / 1000} s; killing it`);
      killGroup(child, 'SIGKILL');
      await waitExit(child, 5_000);
    }
  }
  log('stopped');
  process.exit(code);
}

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
        FLEET_CENTRAL_PORT: env('FLEET_CENTRAL_PORT', '19090'),
        FLEET_QUERY_PORT: env('FLEET_QUERY_PORT', '19091'),
        FLEET_CONTROL_PORT: env('FLEET_CONTROL_PORT', '19099'),
        FLEET_ARGOCD_PORT: env('FLEET_ARGOCD_PORT', '19092'),
        FLEET_KUBERNETES_PORT: env('FLEET_KUBERNETES_PORT', '19093'),
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
      process.stdout.write(`[fleet] ${line}\n`);
    });
    child.once('exit', () =>
      reject(new Error('the demo fleet exited before it was ready')),
    );
  });
}

function writeRuntimeConfig(fleet, techdocsDir) {
  fs.mkdirSync(tmp, { recursive: true });
  // JSON is YAML; generated from the fleet's answer, never committed (.fleet-tmp/ is gitignored).
  const config = {
    app: { baseUrl: `http://localhost:${appPort}` },
    backend: {
      baseUrl: `http://localhost:${backendPort}`,
      listen: { port: backendPort },
      cors: { origin: `http://localhost:${appPort}` },
    },
    // Served as built by scripts/build-techdocs.mjs; the backend never builds docs itself here.
    techdocs: {
      builder: 'external',
      publisher: { type: 'local', local: { publishDirectory: techdocsDir } },
    },
    fleetMonitoring: {
      demoDataNotice: 'Demo data: local simulated fleet',
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
  const file = path.join(tmp, 'app-config.runtime.yaml');
  fs.writeFileSync(
    file,
    `# Generated by scripts/start.mjs for this run (demo data). Do not edit.\n${JSON.stringify(config, null, 2)}\n`,
    { mode: 0o600 },
  );
  return file;
}

/** Runs a command to its end (output prefixed like the others); rejects on a non-zero exit. */
function runToEnd(name, command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
    });
    for (const stream of [child.stdout, child.stderr])
      readline
        .createInterface({ input: stream })
        .on('line', l => process.stderr.write(`[${name}] ${l}\n`));
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
  server.listen(port, 'localhost');
  process.once('exit', () => server.close());
  return server;
}

async function main() {
  log(
    'starting the demo fleet (Prometheus agents, central store, Thanos Query facade)...',
  );
  // The handbook builds (~1 s) while the fleet starts.
  const techdocsDir = path.join(tmp, 'techdocs');
  const docs = buildTechDocs({ root, publishDirectory: techdocsDir }).catch(
    e => ({ ok: false, reason: e?.message ?? String(e) }),
  );
  const fleet = await startFleet();
  log(
    `demo fleet ready after ${elapsed()}: Thanos Query API ${fleet.queryUrl}`,
  );
  if (fleet.argocd?.url)
    log(`demo ArgoCD (fake, demo data): ${fleet.argocd.url}`);
  else
    log(
      'no demo ArgoCD in this fleet: the ArgoCD cards will say it is not configured',
    );
  const docsResult = await docs;
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
  let backstage;
  if (productionBundle) {
    log('building packages/app as it ships (production bundle)...');
    await runToEnd(
      'app-build',
      process.execPath,
      [cli, 'package', 'build', ...configArgs],
      { cwd: path.join(root, 'packages/app') },
    );
    log(`app bundle built after ${elapsed()}; starting packages/backend...`);
    serveAppBundle(path.join(root, 'packages/app/dist'), appPort);
    backstage = run(
      'backstage',
      process.execPath,
      [cli, 'package', 'start', ...configArgs],
      {
        cwd: path.join(root, 'packages/backend'),
        env: { NODE_ENV: 'development', FORCE_COLOR: '0' },
      },
    );
  } else {
    log('starting Backstage (packages/app + packages/backend)...');
    backstage = run(
      'backstage',
      process.execPath,
      [cli, 'repo', 'start', ...configArgs],
      { env: { BROWSER: 'none', NODE_ENV: 'development', FORCE_COLOR: '0' } },
    );
  }
  readline
    .createInterface({ input: backstage.stdout })
    .on('line', l => process.stdout.write(`[backstage] ${l}\n`));

  await poll(
    `http://localhost:${backendPort}/.backstage/health/v1/readiness`,
    s => s === 200,
  );
  log(`backend ready after ${elapsed()}`);
  await poll(`http://localhost:${appPort}/`, s => s === 200);
  const ready = {
    appUrl: `http://localhost:${appPort}`,
    backendUrl: `http://localhost:${backendPort}`,
    fleetPage: `http://localhost:${appPort}/fleet-monitoring`,
    queryUrl: fleet.queryUrl,
    centralUrl: fleet.centralUrl,
    controlUrl: fleet.controlUrl,
    argocd: Boolean(fleet.argocd?.url),
    kubernetes: Boolean(fleet.kubernetes?.url),
    techdocs: docsResult.ok,
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
  log(`failed: ${e?.message ?? e}`);
  shutdown(1);
});

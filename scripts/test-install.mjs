#!/usr/bin/env node
// `npm run test:install`: proves the plugins install the way users install them.
//
//  1. builds and packs the four plugin packages (prepack/postpack run through `npm pack`) and reads
//     each tarball: it must ship dist/ and its package.json must point there;
//  2. for every Backstage release README.md claims (the oldest, pinned below, and the newest on the
//     registry when that is a later one), creates a new app with the real @backstage/create-app
//     (non-interactive, default template = new frontend system) and moves its @backstage ranges to
//     that release, as `backstage-cli versions:bump` does (its release manifest is not reachable from
//     here, so the oldest claimed release's versions are written down in RELEASES);
//  3. installs the tarballs with the app's own package manager (Yarn 4 from the npm registry), with the
//     commands of README.md's install section, and wires them exactly as that section says;
//  4. checks the app's yarn.lock holds one version of each @backstage/* package our plugins use and
//     prints a table of duplicated packages per claimed release;
//  5. starts the newest app against the local demo fleet and, in headless Chromium, sees a cluster's
//     remote-write card, the fleet page and our scaffolder actions at /create/actions, failing on any
//     console warning or error our plugin causes.
// Screenshots go to test-artifacts/install-*.png. Exits non-zero on the first failed check.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { installToolPackage, reexecOnNode24 } from './node24.mjs';

reexecOnNode24(import.meta.url);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, '.fleet-tmp', 'install-test');
// The app the browser checks run in: the newest claimed release's. Older releases get app-<n>.
const appDir = path.join(work, 'app');
const tarDir = path.join(work, 'tarballs');
const artifacts = path.join(root, 'test-artifacts');
const CREATE_APP = '@backstage/create-app@0.9.2'; // writes a Backstage 1.55.0 app

// The oldest Backstage release README.md claims, with the versions of the @backstage packages that
// create-app's template uses as of that release (read from the registry when 1.57 was the newest).
// README.md's "Backstage X or later" must name this release; the newest release is read from the
// registry on every run and gets an app of its own when it differs.
const OLDEST_RELEASE = '1.57';
const RELEASE_1_57 = {
  '@backstage/backend-defaults': '0.19.0',
  '@backstage/cli': '0.36.8',
  '@backstage/cli-defaults': '0.1.8',
  '@backstage/config': '1.3.11',
  '@backstage/core-components': '0.18.16',
  '@backstage/core-plugin-api': '1.13.0',
  '@backstage/e2e-test-utils': '0.1.2',
  '@backstage/frontend-defaults': '0.5.8',
  '@backstage/frontend-plugin-api': '1.0.0',
  '@backstage/frontend-test-utils': '1.0.0',
  '@backstage/integration-react': '1.3.0',
  '@backstage/plugin-api-docs': '0.14.9',
  '@backstage/plugin-app-backend': '0.5.20',
  '@backstage/plugin-app-module-user-settings': '0.1.4',
  '@backstage/plugin-app-react': '0.3.0',
  '@backstage/plugin-app-visualizer': '0.2.10',
  '@backstage/plugin-auth': '0.1.14',
  '@backstage/plugin-auth-backend': '0.31.0',
  '@backstage/plugin-auth-backend-module-github-provider': '0.5.9',
  '@backstage/plugin-auth-backend-module-guest-provider': '0.2.25',
  '@backstage/plugin-auth-node': '0.7.8',
  '@backstage/plugin-catalog': '2.1.0',
  '@backstage/plugin-catalog-backend': '4.0.5',
  '@backstage/plugin-catalog-backend-module-logs': '0.1.28',
  '@backstage/plugin-catalog-backend-module-scaffolder-entity-model': '0.2.26',
  '@backstage/plugin-catalog-graph': '0.6.10',
  '@backstage/plugin-catalog-import': '0.13.20',
  '@backstage/plugin-home': '0.9.12',
  '@backstage/plugin-home-react': '0.1.44',
  '@backstage/plugin-kubernetes': '0.12.25',
  '@backstage/plugin-kubernetes-backend': '0.21.15',
  '@backstage/plugin-mcp-actions-backend': '0.2.4',
  '@backstage/plugin-notifications': '0.6.2',
  '@backstage/plugin-notifications-backend': '0.6.11',
  '@backstage/plugin-org': '0.8.1',
  '@backstage/plugin-permission-backend': '0.7.18',
  '@backstage/plugin-permission-backend-module-allow-all-policy': '0.2.25',
  '@backstage/plugin-permission-common': '0.9.13',
  '@backstage/plugin-permission-node': '0.11.6',
  '@backstage/plugin-proxy-backend': '0.6.20',
  '@backstage/plugin-scaffolder': '1.41.0',
  '@backstage/plugin-scaffolder-backend': '4.3.0',
  '@backstage/plugin-scaffolder-backend-module-github': '0.10.4',
  '@backstage/plugin-scaffolder-backend-module-notifications': '0.1.28',
  '@backstage/plugin-search': '1.8.0',
  '@backstage/plugin-search-backend': '2.1.9',
  '@backstage/plugin-search-backend-module-catalog': '0.3.21',
  '@backstage/plugin-search-backend-module-pg': '0.5.61',
  '@backstage/plugin-search-backend-module-techdocs': '0.4.20',
  '@backstage/plugin-search-backend-node': '1.4.10',
  '@backstage/plugin-signals': '0.0.37',
  '@backstage/plugin-signals-backend': '0.3.21',
  '@backstage/plugin-techdocs': '1.20.0',
  '@backstage/plugin-techdocs-backend': '2.4.3',
  '@backstage/plugin-techdocs-module-addons-contrib': '1.2.0',
  '@backstage/plugin-user-settings': '0.9.9',
  '@backstage/plugin-user-settings-backend': '0.4.9',
  '@backstage/ui': '0.20.0',
};

const YARN = '@yarnpkg/cli-dist@4.13.0';
const PORTS = {
  app: 3300,
  backend: 7307,
  central: 29090,
  query: 29091,
  control: 29099,
  argocd: 29092,
};
const started = Date.now();
const log = msg =>
  console.log(
    `[install-test ${((Date.now() - started) / 1000).toFixed(0)} s] ${msg}`,
  );
let checks = 0;
function check(ok, what) {
  if (!ok) throw new Error(`check failed: ${what}`);
  checks++;
  log(`ok - ${what}`);
}

const PACKAGES = [
  {
    dir: 'plugins/monitoring-common',
    name: '@fleet-monitoring/plugin-monitoring-common',
  },
  {
    dir: 'plugins/monitoring-backend',
    name: '@fleet-monitoring/plugin-monitoring-backend',
  },
  {
    dir: 'plugins/scaffolder-backend-module-fleet',
    name: '@fleet-monitoring/plugin-scaffolder-backend-module-fleet',
  },
  {
    dir: 'plugins/monitoring',
    name: '@fleet-monitoring/plugin-monitoring',
  },
];

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    ...opts,
  });
}

// 1. build + pack ------------------------------------------------------------------------------
function packAll() {
  // Tarballs and every release's app from a previous run (bin/ holds the yarn shim toolEnv wrote).
  for (const entry of fs.existsSync(work) ? fs.readdirSync(work) : [])
    if (entry === 'tarballs' || entry.startsWith('app'))
      fs.rmSync(path.join(work, entry), { recursive: true, force: true });
  fs.mkdirSync(tarDir, { recursive: true });
  const tarballs = {};
  // Type declarations (dist-types/) come from the repo-wide tsc; `package build` bundles them.
  log('emitting type declarations (tsc)');
  sh('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  for (const pkg of PACKAGES) {
    const cwd = path.join(root, pkg.dir);
    log(`building ${pkg.name}`);
    sh('npx', ['backstage-cli', 'package', 'build'], { cwd, stdio: 'inherit' });
    const out = JSON.parse(
      sh('npm', ['pack', '--json', '--pack-destination', tarDir], { cwd }),
    );
    const file = path.join(tarDir, out[0].filename);
    tarballs[pkg.name] = file;
    const files = out[0].files.map(f => f.path);
    const manifest = JSON.parse(
      sh('tar', ['-xOzf', file, 'package/package.json']),
    );
    const entryPoints = [
      manifest.main,
      manifest.types,
      manifest.module,
      ...exportTargets(manifest.exports),
    ].filter(Boolean);
    check(
      files.some(f => f.startsWith('dist/')),
      `${pkg.name}: tarball lists dist/ files (${files.length} files)`,
    );
    check(
      entryPoints.length > 0 &&
        entryPoints.every(
          e =>
            e.replace(/^\.\//, '').startsWith('dist/') ||
            e.endsWith('package.json'),
        ),
      `${pkg.name}: package.json points into dist/ (${entryPoints.join(', ')})`,
    );
    const missing = entryPoints
      .map(e => e.replace(/^\.\//, ''))
      .filter(e => !files.includes(e));
    check(
      missing.length === 0,
      `${pkg.name}: every entry point is in the tarball${missing.length ? ` (missing ${missing.join(', ')})` : ''}`,
    );
    check(
      !files.some(
        f => f.startsWith('src/') && f.endsWith('.ts') && !f.endsWith('.d.ts'),
      ),
      `${pkg.name}: no TypeScript sources shipped`,
    );
    check(
      files.includes('README.md') && files.includes('LICENSE'),
      `${pkg.name}: tarball ships README.md and LICENSE (${manifest.license})`,
    );
    const undeclared = undeclaredTypeImports(file, files, manifest);
    check(
      undeclared.length === 0,
      `${pkg.name}: every package its type declarations import is a dependency${undeclared.length ? ` (undeclared: ${undeclared.join(', ')})` : ''}`,
    );
  }
  // prepack rewrites package.json; postpack must have put the workspace version back.
  const status = sh(
    'git',
    ['status', '--porcelain', ...PACKAGES.map(p => `${p.dir}/package.json`)],
    { cwd: root },
  );
  check(status.trim() === '', 'postpack restored every package.json');
  return tarballs;
}

/** Packages the tarball's .d.ts files import that its package.json does not declare. */
function undeclaredTypeImports(file, files, manifest) {
  const declared = new Set(
    Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }),
  );
  const imported = new Set();
  for (const f of files.filter(x => x.endsWith('.d.ts'))) {
    const text = sh('tar', ['-xOzf', file, `package/${f}`]);
    for (const m of text.matchAll(
      /(?:from|import)\s*\(?\s*['"]([^'"./][^'"]*)['"]/g,
    )) {
      const parts = m[1].split('/');
      const name = m[1].startsWith('@')
        ? parts.slice(0, 2).join('/')
        : parts[0];
      if (!name.startsWith('node:')) imported.add(name);
    }
  }
  // Node's built-in modules need no declaration.
  return [...imported].filter(
    n => !declared.has(n) && !builtinModules.includes(n) && n !== manifest.name,
  );
}

function exportTargets(exports) {
  if (!exports || typeof exports === 'string') return exports ? [exports] : [];
  // The `backstage` condition is a marker for the app (e.g. "@backstage/FrontendPlugin"), not a file.
  return Object.entries(exports)
    .filter(([condition]) => condition !== 'backstage')
    .flatMap(([, v]) => (typeof v === 'string' ? [v] : exportTargets(v)));
}

// 2. create the app ----------------------------------------------------------------------------
function toolEnv() {
  const yarnPrefix = path.join(root, '.tools', 'yarn');
  const yarnJs = path.join(
    yarnPrefix,
    'node_modules',
    '@yarnpkg',
    'cli-dist',
    'bin',
    'yarn.js',
  );
  if (!fs.existsSync(yarnJs)) {
    log(`fetching ${YARN} from the npm registry`);
    installToolPackage(yarnPrefix, YARN);
  }
  // create-app insists on a `yarn` on PATH; the app's .yarnrc.yml yarnPath then picks its own release.
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'yarn'),
    `#!/bin/sh\nexec node ${JSON.stringify(yarnJs)} "$@"\n`,
    { mode: 0o755 },
  );
  const registry = sh('npm', ['config', 'get', 'registry'])
    .trim()
    .replace(/\/$/, '');
  return {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    YARN_NPM_REGISTRY_SERVER: registry,
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', // CI=true would make the first install refuse to write a lockfile
    YARN_TS_ENABLE_AUTO_TYPES: 'false', // @types lookups go to a service this machine cannot reach
    YARN_ENABLE_TELEMETRY: 'false',
    YARN_ENABLE_PROGRESS_BARS: 'false',
    npm_config_nodedir: path.resolve(path.dirname(process.execPath), '..'),
    BACKSTAGE_APP_NAME: 'fleet-app',
  };
}

async function latestVersions(names) {
  const out = {};
  const queue = [...names];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (queue.length) {
        const name = queue.shift();
        out[name] = await new Promise((resolve, reject) => {
          const p = spawn('npm', ['view', name, 'version'], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let s = '';
          p.stdout.on('data', d => (s += d));
          p.on('exit', code =>
            code === 0
              ? resolve(s.trim())
              : reject(new Error(`npm view ${name} failed`)),
          );
        });
      }
    }),
  );
  return out;
}

async function createApp(env, dir, versions, release) {
  log(`creating an app with ${CREATE_APP} for Backstage ${release}`);
  sh('npx', ['-y', CREATE_APP, '--path', dir, '--skip-install'], {
    env,
    cwd: work,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const manifests = appManifests(dir);
  const missing = new Set();
  for (const f of manifests) {
    const pkg = JSON.parse(fs.readFileSync(f, 'utf8'));
    for (const k of ['dependencies', 'devDependencies']) {
      for (const d of Object.keys(pkg[k] ?? {})) {
        if (!d.startsWith('@backstage/')) continue;
        if (versions[d]) pkg[k][d] = `^${versions[d]}`;
        else missing.add(d);
      }
    }
    if (pkg.name === 'root') {
      // better-sqlite3 12 aborts on Node >= 24.19 (see toolchain notes); 13 ships a prebuilt binary.
      pkg.resolutions = { ...pkg.resolutions, 'better-sqlite3': '^13.0.3' };
    }
    fs.writeFileSync(f, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  check(
    missing.size === 0,
    `Backstage ${release}: every @backstage package of the template has a version${missing.size ? ` (none for ${[...missing].join(', ')})` : ''}`,
  );
}

function appManifests(dir) {
  return [
    'package.json',
    'packages/app/package.json',
    'packages/backend/package.json',
  ].map(f => path.join(dir, f));
}

/**
 * The releases README.md claims, oldest first: the pinned oldest and, when the registry's current
 * versions differ from it, the newest. Checks README.md names the pinned release.
 */
async function claimedReleases() {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const claim = readme.match(/Backstage (\d+\.\d+) or later/);
  check(
    claim?.[1] === OLDEST_RELEASE,
    `README.md claims Backstage ${OLDEST_RELEASE} or later, the release this test pins (README says ${claim?.[0] ?? 'nothing'})`,
  );
  const latest = await latestVersions(Object.keys(RELEASE_1_57));
  const newer = Object.keys(latest).filter(n => latest[n] !== RELEASE_1_57[n]);
  if (newer.length === 0) {
    log(
      `the registry's current @backstage versions are Backstage ${OLDEST_RELEASE}'s: it is both the oldest and the newest claimed release`,
    );
    return [{ release: OLDEST_RELEASE, versions: RELEASE_1_57 }];
  }
  log(
    `the registry has a release after ${OLDEST_RELEASE} (${newer.length} packages moved, e.g. ${newer
      .slice(0, 3)
      .map(n => `${n}@${latest[n]}`)
      .join(', ')})`,
  );
  return [
    { release: OLDEST_RELEASE, versions: RELEASE_1_57 },
    { release: `newest (after ${OLDEST_RELEASE})`, versions: latest },
  ];
}

// 3. install + wire as README.md says -----------------------------------------------------------
function readmeInstallSection() {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## Installing the plugins in your Backstage');
  if (start < 0)
    throw new Error(
      'README.md has no "## Installing the plugins in your Backstage" section',
    );
  const end = readme.indexOf('\n## ', start + 10);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(m => ({
    lang: m[1],
    body: m[2],
  }));
  return { section, blocks };
}

function installAsReadmeSays(env, tarballs, dir) {
  const { blocks } = readmeInstallSection();
  const shell = blocks
    .filter(b => b.lang === 'sh')
    .flatMap(b => b.body.split('\n'))
    .filter(l => l.startsWith('yarn '));
  check(shell.length > 0, 'README install section has yarn commands');
  // Our common package is not on the registry yet: the app resolves it to its tarball.
  const rootPkgFile = path.join(dir, 'package.json');
  const rootPkg = JSON.parse(fs.readFileSync(rootPkgFile, 'utf8'));
  rootPkg.resolutions = {
    ...rootPkg.resolutions,
    '@fleet-monitoring/plugin-monitoring-common': `file:${tarballs['@fleet-monitoring/plugin-monitoring-common']}`,
  };
  fs.writeFileSync(rootPkgFile, `${JSON.stringify(rootPkg, null, 2)}\n`);
  for (const line of shell) {
    const args = line
      .replace(/\s+#.*$/, '')
      .split(/\s+/)
      .slice(1)
      .map(a => (tarballs[a] ? `${a}@file:${tarballs[a]}` : a));
    log(`yarn ${args.join(' ')}`);
    sh('yarn', args, {
      cwd: dir,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  // backend.add(...) lines go before backend.start(), as the README shows.
  const ts = blocks
    .filter(b => b.lang === 'ts')
    .map(b => b.body)
    .join('\n');
  const adds = ts.split('\n').filter(l => l.trim().startsWith('backend.add('));
  check(adds.length >= 2, 'README shows the backend.add lines');
  const indexFile = path.join(dir, 'packages/backend/src/index.ts');
  const index = fs.readFileSync(indexFile, 'utf8');
  fs.writeFileSync(
    indexFile,
    index.replace('backend.start();', `${adds.join('\n')}\n\nbackend.start();`),
  );
  const yamlBlocks = blocks.filter(b => b.lang === 'yaml').map(b => b.body);
  check(
    yamlBlocks.some(b => b.includes('fleetMonitoring:')),
    'README shows the fleetMonitoring app-config keys',
  );
  return yamlBlocks.find(b => b.includes('fleetMonitoring:'));
}

// 4. one version of each @backstage package we use ------------------------------------------------
/** The @backstage packages our plugins use that the app at `dir` holds in more than one version. */
function duplicatedPackages(dir, release) {
  const lock = fs.readFileSync(path.join(dir, 'yarn.lock'), 'utf8');
  const versions = new Map();
  let current;
  for (const line of lock.split('\n')) {
    if (
      /^\S.*:$/.test(line) &&
      !line.startsWith('#') &&
      !line.startsWith('__metadata')
    ) {
      const first = line.replace(/^"/, '').split(/,\s*/)[0].replace(/"/g, '');
      current = first.slice(0, first.indexOf('@', 1));
    } else if (current && /^ {2}version: /.test(line)) {
      const v = line.trim().slice('version: '.length).replace(/"/g, '');
      if (!versions.has(current)) versions.set(current, new Set());
      versions.get(current).add(v);
      current = undefined;
    }
  }
  const ours = new Set();
  for (const pkg of PACKAGES) {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(root, pkg.dir, 'package.json'), 'utf8'),
    );
    for (const d of Object.keys({
      ...manifest.dependencies,
      ...manifest.peerDependencies,
    }))
      if (d.startsWith('@backstage/')) ours.add(d);
  }
  const dupes = [...ours]
    .filter(d => (versions.get(d)?.size ?? 0) > 1)
    .map(d => `${d}: ${[...versions.get(d)].join(', ')}`);
  const absent = [...ours].filter(d => !versions.has(d));
  check(
    absent.length === 0,
    `Backstage ${release}: every @backstage package our plugins use is in the app's yarn.lock${absent.length ? ` (absent: ${absent.join(', ')})` : ''}`,
  );
  for (const pkg of PACKAGES) {
    check(
      versions.get(pkg.name)?.size === 1,
      `Backstage ${release}: ${pkg.name} resolved once in the app`,
    );
  }
  return { release, used: ours.size, dupes };
}

/** One row per claimed release; fails unless every row is zero. */
function checkNoDuplicates(rows) {
  const lines = [
    '| Backstage release | @backstage packages we use | duplicated | which |',
    '|---|---|---|---|',
    ...rows.map(
      r =>
        `| ${r.release} | ${r.used} | ${r.dupes.length} | ${r.dupes.join('; ') || '-'} |`,
    ),
  ];
  console.log(
    `\nDuplicated @backstage packages per claimed release:\n${lines.join('\n')}\n`,
  );
  for (const r of rows) {
    check(
      r.dupes.length === 0,
      `Backstage ${r.release}: the app's yarn.lock holds one version of each of the ${r.used} @backstage packages our plugins use${r.dupes.length ? `; duplicated: ${r.dupes.join('; ')}` : ''}`,
    );
  }
}

// 5. run it --------------------------------------------------------------------------------------
const children = [];
function startProcess(name, cmd, args, opts) {
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
  });
  children.push(child);
  const tail = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', l => {
      tail.push(l);
      if (tail.length > 60) tail.shift();
    });
  }
  child.tail = tail;
  child.label = name;
  return child;
}

function stopAll() {
  for (const child of children.reverse()) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
}

async function startFleet() {
  const child = startProcess(
    'fleet',
    process.execPath,
    [
      '-r',
      '@backstage/cli/config/nodeTransform.cjs',
      'packages/local-fleet/src/demoMain.ts',
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        FLEET_CENTRAL_PORT: String(PORTS.central),
        FLEET_QUERY_PORT: String(PORTS.query),
        FLEET_CONTROL_PORT: String(PORTS.control),
        FLEET_ARGOCD_PORT: String(PORTS.argocd),
        FLEET_SYNTHETIC_CLUSTERS: '6',
      },
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `the demo fleet did not report ready:\n${child.tail.join('\n')}`,
          ),
        ),
      180_000,
    );
    readline.createInterface({ input: child.stdout }).on('line', line => {
      if (!line.trim().startsWith('{')) return;
      try {
        const info = JSON.parse(line.trim());
        if (info.queryUrl) {
          clearTimeout(timer);
          resolve(info);
        }
      } catch {
        // not the ready line
      }
    });
    child.once('exit', code =>
      reject(
        new Error(`the demo fleet exited (${code}):\n${child.tail.join('\n')}`),
      ),
    );
  });
}

async function waitHttp(url, what, ms, child) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child?.exitCode !== null && child?.exitCode !== undefined)
      throw new Error(`${what} exited:\n${child.tail.join('\n')}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  throw new Error(
    `${what} did not answer at ${url} within ${ms / 1000} s:\n${child?.tail.join('\n') ?? ''}`,
  );
}

function writeLocalConfig(readmeYaml, fleet) {
  // The README's keys as written, with its example URLs pointed at the local demo fleet.
  const fleetKeys = readmeYaml
    .replace(/baseUrl: \S+/, `baseUrl: ${fleet.queryUrl}`)
    .replace(
      /url: https:\/\/argocd\.example\.com/,
      `url: ${fleet.argocd?.url ?? 'http://127.0.0.1:9'}`,
    );
  const entities = path.join(work, 'fleet-entities.yaml');
  fs.writeFileSync(
    entities,
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Resource',
      'metadata:',
      '  name: cluster-02-edge',
      '  annotations:',
      '    fleet-monitoring.io/cluster: cluster-02-edge',
      'spec:',
      '  type: kubernetes-cluster',
      '  owner: guests',
      '',
    ].join('\n'),
  );
  const local = [
    `app:\n  baseUrl: http://localhost:${PORTS.app}`,
    `backend:\n  baseUrl: http://localhost:${PORTS.backend}\n  listen:\n    port: ${PORTS.backend}\n  cors:\n    origin: http://localhost:${PORTS.app}\n  database:\n    client: better-sqlite3\n    connection: ':memory:'`,
    `catalog:\n  locations:\n    - type: file\n      target: ${entities}\n      rules:\n        - allow: [Resource]`,
    fleetKeys,
  ].join('\n\n');
  fs.writeFileSync(path.join(appDir, 'app-config.local.yaml'), `${local}\n`);
}

async function browse(fleetInfo) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  fs.mkdirSync(artifacts, { recursive: true });
  try {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    page.setDefaultTimeout(120_000);
    const consoleWatch = watchConsole(page);
    const base = `http://localhost:${PORTS.app}`;
    await page.goto(base);
    // Guest sign-in, as the created app ships it: one click.
    await page.getByRole('button', { name: /enter/i }).click();
    await page
      .getByText(/catalog/i)
      .first()
      .waitFor();

    await page.goto(`${base}/catalog/default/resource/cluster-02-edge`);
    await page
      .getByText(/remote write/i)
      .first()
      .waitFor();
    // The card answered from the backend: the samples it measured and a health state.
    await page.getByText('Samples sent').first().waitFor();
    await page
      .getByText(/Healthy|Degraded|Failing|Recovering|No data/)
      .first()
      .waitFor();
    await page.screenshot({
      path: path.join(artifacts, 'install-1-remote-write-card.png'),
      fullPage: true,
    });
    check(true, 'the cluster entity page shows the remote-write card');

    await page.goto(`${base}/fleet-monitoring`);
    await page.getByText('cluster-02-edge').first().waitFor();
    await page.screenshot({
      path: path.join(artifacts, 'install-2-fleet-page.png'),
      fullPage: true,
    });
    check(
      true,
      `the fleet page lists the demo fleet's clusters (${fleetInfo.queryUrl})`,
    );
    // Navigating from our page through the app's router: the cluster's name links to its entity page.
    await page.getByRole('link', { name: 'cluster-02-edge' }).first().click();
    await page.waitForURL(/\/catalog\/default\/resource\/cluster-02-edge/);
    await page.getByText('Samples sent').first().waitFor();
    check(
      true,
      "the fleet page's cluster link opens the cluster's entity page",
    );
    consoleWatch.report();

    await page.goto(`${base}/create/actions`);
    await page.getByText('fleet:overlay:create-edge').first().waitFor();
    const body = await page.textContent('body');
    for (const id of [
      'fleet:overlay:create-edge',
      'fleet:overlay:create-central',
      'fleet:hashring:register',
      'fleet:argocd:create-application',
    ]) {
      check(body.includes(id), `/create/actions lists ${id}`);
    }
    await page.screenshot({
      path: path.join(artifacts, 'install-3-scaffolder-actions.png'),
      fullPage: true,
    });
  } catch (err) {
    const shot = path.join(artifacts, 'install-failure.png');
    await browser
      .contexts()[0]
      ?.pages()[0]
      ?.screenshot({ path: shot, fullPage: true })
      .catch(() => {});
    throw new Error(`${err.message}\n(page at failure: ${shot})`);
  } finally {
    await browser.close();
  }
}

// Console output our plugins cause: their ids, packages, component names or backend routes.
const OURS =
  /fleet-monitoring|plugin-monitoring|scaffolder-backend-module-fleet|RemoteWriteCard|ThanosCard|MetricsArrivingCard|ArgocdCard|KubernetesCard|FleetPage/;

/** Collects console warnings and errors and uncaught page errors; report() fails on ours. */
function watchConsole(page) {
  const ours = [];
  const others = [];
  page.on('console', msg => {
    if (msg.type() !== 'warning' && msg.type() !== 'error') return;
    const line = `${msg.type()}: ${msg.text()} (${msg.location()?.url ?? ''})`;
    // Attribution reads the whole message (React's component stack included); the log shows its head.
    const head = line.split('\n')[0].slice(0, 300);
    (OURS.test(line) ? ours : others).push(OURS.test(line) ? line : head);
  });
  page.on('pageerror', err => {
    const line = `uncaught: ${err.stack ?? err.message}`;
    (OURS.test(line) ? ours : others).push(line);
  });
  return {
    report() {
      if (others.length)
        log(
          `console messages not from our plugins (${others.length}, not failing):\n  ${others.join('\n  ')}`,
        );
      check(
        ours.length === 0,
        `no console warning or error from our plugins on the entity page, the fleet page and the navigation between them${ours.length ? `:\n  ${ours.join('\n  ')}` : ''}`,
      );
    },
  };
}

async function main() {
  let readmeYaml;
  const env = toolEnv();
  if (
    process.env.INSTALL_TEST_REUSE_APP &&
    fs.existsSync(path.join(appDir, 'node_modules'))
  ) {
    // Local iteration only (CI never sets it): keep the installed app, re-run the browser checks.
    log(
      'INSTALL_TEST_REUSE_APP: reusing the app installed by the previous run',
    );
    readmeYaml = readmeInstallSection().blocks.find(b =>
      b.body.includes('fleetMonitoring:'),
    ).body;
  } else {
    const tarballs = packAll();
    const rows = [];
    const releases = await claimedReleases();
    for (const [i, { release, versions }] of releases.entries()) {
      // The last (newest) release's app is the one the browser checks run in.
      const dir =
        i === releases.length - 1 ? appDir : path.join(work, `app-${i}`);
      await createApp(env, dir, versions, release);
      readmeYaml = installAsReadmeSays(env, tarballs, dir);
      rows.push(duplicatedPackages(dir, release));
    }
    checkNoDuplicates(rows);
  }
  const fleet = await startFleet();
  log(`demo fleet ready: ${fleet.queryUrl}`);
  writeLocalConfig(readmeYaml, fleet);
  const app = startProcess('app', 'yarn', ['start'], {
    cwd: appDir,
    env: {
      ...env,
      BROWSER: 'none',
      FORCE_COLOR: '0',
      THANOS_TOKEN: 'install-test',
      ARGOCD_TOKEN: fleet.argocd?.token ?? 'none',
    },
  });
  await waitHttp(
    `http://localhost:${PORTS.backend}/.backstage/health/v1/readiness`,
    'the app backend',
    600_000,
    app,
  );
  await waitHttp(
    `http://localhost:${PORTS.app}/`,
    'the app frontend',
    600_000,
    app,
  );
  log('app answers; opening it in Chromium');
  await browse(fleet);
  log(
    `${checks} checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});
main()
  .then(() => {
    stopAll();
    process.exit(0);
  })
  .catch(err => {
    console.error(`[install-test] FAILED: ${err.stack ?? err}`);
    for (const c of children)
      console.error(`--- last lines of ${c.label} ---\n${c.tail?.join('\n')}`);
    stopAll();
    process.exit(1);
  });

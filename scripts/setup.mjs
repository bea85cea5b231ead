#!/usr/bin/env node
// One-time (and idempotent) set-up for a fresh machine: Debian packages the tests and the dev app
// run for real (prometheus, redis-server, postgresql, mkdocs, chromium), npm dependencies, and the
// helm binary.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reexecOnNode24 } from './node24.mjs';

reexecOnNode24(import.meta.url);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = msg => console.log(`[setup] ${msg}`);

function has(cmd) {
  return (
    spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status ===
    0
  );
}

const debian = [
  ['prometheus', () => has('prometheus') && has('promtool')],
  ['redis-server', () => has('redis-server')],
  // The database two test backends share (the scheduler's global tasks); Debian puts initdb and
  // postgres under /usr/lib/postgresql/<version>/bin, not on PATH.
  [
    'postgresql',
    () =>
      fs.existsSync('/usr/lib/postgresql') &&
      fs
        .readdirSync('/usr/lib/postgresql')
        .some(v => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)),
  ],
  ['mkdocs', () => fs.existsSync('/usr/bin/mkdocs')],
  // Debian installs the theme as a mkdocs theme directory, not an importable python module.
  ['mkdocs-material', () => fs.existsSync('/usr/share/mkdocs/themes/material')],
  ['chromium', () => fs.existsSync('/usr/bin/chromium')],
];
const missing = debian
  .filter(([, present]) => !present())
  .map(([name]) => name);
if (missing.length > 0) {
  if (process.getuid?.() !== 0) {
    console.error(
      `[setup] missing Debian packages: ${missing.join(' ')}; run: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync(
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', ...missing],
    { stdio: 'inherit', env },
  );
}

// `npm ci` from the committed lockfile when node_modules is missing or older than the lockfile, so
// every machine installs the same tree and the lockfile is never rewritten. node-gyp builds native
// addons (better-sqlite3) against Node 24's own headers, offline.
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale =
  !fs.existsSync(marker) ||
  (fs.existsSync(lock) &&
    fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs + 1000);
if (stale) {
  log(
    'installing npm dependencies with npm ci (first run takes a few minutes)',
  );
  const nodedir = path.resolve(path.dirname(process.execPath), '..');
  const env = fs.existsSync(path.join(nodedir, 'include', 'node', 'node.h'))
    ? { ...process.env, npm_config_nodedir: nodedir }
    : process.env;
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
}

const ensureHelm = path.join(root, 'scripts', 'ensure-helm.mjs');
if (fs.existsSync(ensureHelm))
  execFileSync(process.execPath, [ensureHelm], { cwd: root, stdio: 'inherit' });
log('ready');

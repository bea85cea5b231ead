#!/usr/bin/env node
// Runs every benchmark (plugins/*/bench/*.bench.ts, packages/*/bench/*.bench.ts) one after the
// other; each prints its own table of figures against its targets.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reexecOnNode24 } from './node24.mjs';

reexecOnNode24(import.meta.url);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const benches = [];
for (const group of ['plugins', 'packages']) {
  for (const pkg of fs.readdirSync(path.join(root, group))) {
    const dir = path.join(root, group, pkg, 'bench');
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.endsWith('.bench.ts') && (!only || f.includes(only)))
        benches.push(path.join(dir, f));
    }
  }
}
let failures = 0;
for (const file of benches) {
  console.log(`\n=== ${path.relative(root, file)} ===`);
  const r = spawnSync(
    process.execPath,
    ['-r', '@backstage/cli/config/nodeTransform.cjs', file],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (r.status !== 0) failures++;
}
process.exit(failures > 0 ? 1 : 0);

#!/usr/bin/env node
// Runs every workspace's tests (unit, router, contract, integration against real local processes,
// docs build, end-to-end) through Backstage's CLI, then prints a plain "N passed, N failed" line
// taken from jest's own JSON results, so an empty run can never look green.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reexecOnNode24 } from './node24.mjs';

reexecOnNode24(import.meta.url);

console.log(`[test] node ${process.version} (${process.execPath})`);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-test-')),
  'jest.json',
);
const args = [
  'backstage-cli',
  'repo',
  'test',
  '--ci',
  '--json',
  `--outputFile=${out}`,
  ...process.argv.slice(2),
];
const result = spawnSync('npx', args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CI: 'true' },
});

let passed = 0;
let failed = 0;
let skipped = 0;
if (fs.existsSync(out)) {
  const json = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0);
  skipped = json.numPendingTests + (json.numTodoTests ?? 0);
  for (const suite of json.testResults ?? []) {
    if (suite.status === 'failed' && suite.assertionResults?.length === 0) {
      console.error(
        `suite failed to run: ${path.relative(root, suite.name)}\n${suite.message}`,
      );
    }
  }
} else {
  failed = 1;
  console.error('jest wrote no results');
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(result.status !== 0 || failed > 0 || passed === 0 ? 1 : 0);

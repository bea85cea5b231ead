// Each `npm start` writes only into its own runtime directory, .fleet-tmp/runs/<pid>-<start time>/
// (the runtime config with this run's URLs and tokens, the TechDocs site, the app bundle it serves).
// A second start in the same checkout therefore never rewrites the config a running app reads; it
// removes only directories whose owner is no longer running.
import fs from 'node:fs';
import path from 'node:path';
import procfs from './procfs.cjs';

const OWNER_FILE = 'owner.json';

function readOwner(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether the process that made a run directory is still that process (pids get reused). */
export function ownerAlive(owner) {
  if (!owner?.pid) return false;
  const startTime = procfs.startTimeOf(owner.pid);
  if (startTime === undefined) {
    // Off Linux: signal 0 tells whether the pid exists.
    try {
      process.kill(owner.pid, 0);
      return !fs.existsSync('/proc');
    } catch {
      return false;
    }
  }
  return owner.startTime === undefined || owner.startTime === startTime;
}

/** Removes the run directories of runs that are gone; returns the ones still running. */
export function removeStaleRuns(runsDir) {
  const running = [];
  for (const name of fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : []) {
    const dir = path.join(runsDir, name);
    const owner = readOwner(dir);
    if (ownerAlive(owner)) running.push({ dir, ...owner });
    // A directory without an owner file is a run that died while creating it.
    else fs.rmSync(dir, { recursive: true, force: true });
  }
  return running;
}

/**
 * Creates this run's directory. Refuses (throws) when it exists and its owner still runs; never
 * touches another running run's directory.
 */
export function createRunDir(tmpRoot, extra = {}) {
  const runsDir = path.join(tmpRoot, 'runs');
  const running = removeStaleRuns(runsDir);
  const startTime = procfs.startTimeOf(process.pid);
  const id = `${process.pid}-${startTime ?? Date.now()}`;
  const dir = path.join(runsDir, id);
  if (running.some(r => r.dir === dir))
    throw new Error(`${dir} belongs to a running start.mjs; not touching it`);
  fs.mkdirSync(runsDir, { recursive: true });
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.writeFileSync(
    path.join(dir, OWNER_FILE),
    `${JSON.stringify({ pid: process.pid, startTime, startedAt: new Date().toISOString(), ...extra })}\n`,
  );
  return { id, dir, othersRunning: running };
}

/** Removes this run's directory (at the end of the run). */
export function removeRunDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs fn while holding a lock on something the whole checkout shares (packages/app/dist): waits
 * while a running start.mjs holds it, takes over a lock whose owner is gone.
 */
export async function withCheckoutLock(tmpRoot, name, log, fn) {
  const file = path.join(tmpRoot, `${name}.lock`);
  fs.mkdirSync(tmpRoot, { recursive: true });
  const mine = JSON.stringify({
    pid: process.pid,
    startTime: procfs.startTimeOf(process.pid),
  });
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner;
      try {
        owner = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        owner = undefined;
      }
      if (!ownerAlive(owner)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (!told)
        log(`waiting for start.mjs pid ${owner.pid} to finish its ${name}...`);
      told = true;
      await new Promise(r => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

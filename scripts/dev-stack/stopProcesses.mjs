// Stops what one `npm start` started: every child runs in its own process group (spawned
// detached), and each carries the run's marker in its environment, so a descendant that left its
// group is still found. SIGTERM first; SIGKILL for whatever is left after the grace period. Done
// only when no such process is left and no port they listened on still listens.
import procfs from './procfs.cjs';

export const RUN_MARKER_ENV = 'FLEET_DEV_STACK_RUN';

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Processes of this run still alive: members of its groups, or carriers of its marker. */
export function leftovers({ groups, runId }) {
  const seen = new Map();
  for (const p of procfs.groupMembers(groups)) seen.set(p.pid, p);
  for (const p of procfs.processesWithEnv(RUN_MARKER_ENV, runId))
    seen.set(p.pid, p);
  seen.delete(process.pid);
  return [...seen.values()];
}

function signalAll({ groups, runId }, signal) {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      // the group is gone
    }
  }
  for (const p of leftovers({ groups, runId })) {
    try {
      process.kill(p.pid, signal);
    } catch {
      // gone
    }
  }
}

async function waitUntil(check, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}

/**
 * Stops the run's processes: SIGTERM, then SIGKILL after graceMs. `ports` are the run's fixed ports;
 * the ports its processes listen on when the stop begins are added. Resolves with what happened;
 * `ok` is false when a process or port outlived SIGKILL.
 */
export async function stopProcesses({ groups, runId, ports, graceMs, log }) {
  const run = { groups, runId };
  const before = leftovers(run);
  const ours = new Set(before.map(p => p.pid));
  // A fixed port that a foreign process took meanwhile (seen holding it) is not this run's to free.
  const foreign = port => {
    const { listening, holders } = procfs.portHolders(port);
    return (
      listening && holders.length > 0 && holders.every(h => !ours.has(h.pid))
    );
  };
  const watched = [
    ...new Set([
      ...ports.filter(p => !foreign(p)),
      ...procfs.portsListenedBy([...ours]),
    ]),
  ].sort((a, b) => a - b);
  signalAll(run, 'SIGTERM');
  let killed = [];
  if (!(await waitUntil(() => leftovers(run).length === 0, graceMs))) {
    killed = leftovers(run);
    log(
      `still running after ${graceMs / 1000} s, killing: ${killed.map(procfs.describeProcess).join(', ')}`,
    );
    signalAll(run, 'SIGKILL');
    await waitUntil(() => leftovers(run).length === 0, 5_000);
  }
  const survivors = leftovers(run);
  // A closed listener leaves the table at once; the wait only covers a process still exiting.
  await waitUntil(() => procfs.listeningAmong(watched).length === 0, 5_000);
  return {
    ok: survivors.length === 0 && procfs.listeningAmong(watched).length === 0,
    processes: before.length,
    killed,
    survivors,
    ports: watched,
    stillListening: procfs.listeningAmong(watched),
  };
}

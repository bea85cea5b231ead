// What Linux's /proc says about processes and listening TCP sockets, for scripts/start.mjs (port
// checks before a start, "stopped" only once its processes and ports are gone) and for the tests
// that check it from outside (packages/e2e). CommonJS so both the ESM script and Jest load it.
// Off Linux every function answers "nothing seen"; callers then rely on a bind probe and on the
// exit of their direct children.
'use strict';

const fs = require('node:fs');

function readdirSafe(dir) {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function readSafe(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const pids = () =>
  readdirSafe('/proc')
    .filter(name => /^\d+$/.test(name))
    .map(Number);

/** The command line of a process, or undefined once it is gone. */
function commandOf(pid) {
  const raw = readSafe(`/proc/${pid}/cmdline`);
  if (!raw) return undefined;
  return raw.split('\0').filter(Boolean).join(' ');
}

/**
 * Every live process: pid, parent, process group, state, start time (clock ticks since boot;
 * with the pid it names a process even when pids are reused) and command. Zombies are left out:
 * they hold no socket and their parent reaps them.
 */
function processes() {
  const out = [];
  for (const pid of pids()) {
    const stat = readSafe(`/proc/${pid}/stat`);
    if (!stat) continue;
    // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') continue;
    out.push({
      pid,
      state,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      startTime: Number(fields[19]),
      command: commandOf(pid) ?? '',
    });
  }
  return out;
}

/** The start time of a live process (see processes()), or undefined when it is not running. */
function startTimeOf(pid) {
  return processes().find(p => p.pid === pid)?.startTime;
}

/** Live processes in any of the given process groups. */
function groupMembers(pgids) {
  const groups = new Set(pgids);
  return processes().filter(p => groups.has(p.pgid));
}

/** Live processes whose environment carries KEY=value (children inherit it, whatever their group). */
function processesWithEnv(key, value) {
  const needle = `${key}=${value}`;
  return processes().filter(p =>
    (readSafe(`/proc/${p.pid}/environ`) ?? '').split('\0').includes(needle),
  );
}

/** Listening TCP sockets (IPv4 and IPv6): port and socket inode. */
function listeningSockets() {
  const out = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = readSafe(file);
    if (!text) continue;
    for (const line of text.trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // f[1] local address "HEXADDR:HEXPORT", f[3] state (0A = LISTEN), f[9] inode.
      if (f[3] !== '0A') continue;
      out.push({
        port: parseInt(f[1].split(':').pop(), 16),
        inode: f[9],
      });
    }
  }
  return out;
}

/** The processes holding the given socket inodes open, by inode (only the ones /proc lets us see). */
function socketOwners(inodes) {
  const wanted = new Set(inodes);
  const owners = new Map();
  if (wanted.size === 0) return owners;
  for (const pid of pids()) {
    for (const fd of readdirSafe(`/proc/${pid}/fd`)) {
      let target;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && wanted.has(m[1]) && !owners.has(m[1]))
        owners.set(m[1], { pid, command: commandOf(pid) ?? '' });
    }
  }
  return owners;
}

/** Whether a TCP port is listening on any address, and who holds it when /proc shows it. */
function portHolders(port) {
  const sockets = listeningSockets().filter(s => s.port === port);
  const owners = socketOwners(sockets.map(s => s.inode));
  const holders = [...new Set([...owners.values()].map(o => o.pid))].map(
    pid => ({ pid, command: commandOf(pid) ?? '' }),
  );
  return { listening: sockets.length > 0, holders };
}

/** The TCP ports that the given processes listen on. */
function portsListenedBy(processPids) {
  const wanted = new Set(processPids);
  const sockets = listeningSockets();
  const owners = socketOwners(sockets.map(s => s.inode));
  const ports = new Set();
  for (const s of sockets) {
    const owner = owners.get(s.inode);
    if (owner && wanted.has(owner.pid)) ports.add(s.port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** Which of the given ports still listen (on any address). */
function listeningAmong(ports) {
  const open = new Set(listeningSockets().map(s => s.port));
  return ports.filter(p => open.has(p));
}

/** Shortens a command line for a message. */
function describeProcess(p) {
  const command =
    p.command.length > 160 ? `${p.command.slice(0, 157)}...` : p.command;
  return `pid ${p.pid} (${command || 'command not visible'})`;
}

module.exports = {
  processes,
  startTimeOf,
  groupMembers,
  processesWithEnv,
  listeningSockets,
  portHolders,
  portsListenedBy,
  listeningAmong,
  describeProcess,
};

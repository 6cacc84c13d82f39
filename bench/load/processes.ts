// Starting the servers under test pinned to one core, waiting until they answer, reading their memory from
// /proc, and stopping them. The load generator gets the other core (wrk.ts).

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;

export interface ServerProcess {
  child: ChildProcess;
  /** The end of what the process wrote, for the error message when it fails to start. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `command` on the server's core. Its output goes to `logFile` (not through this process, which
 * would then compete for a core); `output()` reads the end of it for diagnostics.
 */
export function startPinned(
  command: string,
  args: readonly string[],
  logFile: string,
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ServerProcess {
  const log = openSync(logFile, 'a');
  const child = spawn('taskset', ['-c', String(SERVER_CORE), command, ...args], {
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => readFileSync(logFile, 'utf8').slice(-8192),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGINT: Tripod closes its stores and Node writes a --cpu-prof profile on the way out.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until any HTTP answer comes back (or the process dies, or `timeoutMs` passes: generous, a
 * server pinned to one busy core of a shared machine can take a minute to start). */
export async function waitUntilAnswering(
  server: ServerProcess,
  url: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) break;
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await server.stop();
  throw new Error(`the server did not answer ${url}:\n${server.output()}`);
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent pid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** `pid` and its descendants (taskset execs in place; gunicorn forks a worker). */
function tree(pid: number): number[] {
  const pids: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop() as number;
    pids.push(current);
    pending.push(...childrenOf(current));
  }
  return pids;
}

/** Sums `read(pid)` over the tree; a process that ended meanwhile counts 0. */
function sumOverTree(pid: number, read: (pid: number) => number): number {
  let total = 0;
  for (const member of tree(pid)) {
    try {
      total += read(member);
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

/** Resident memory in MB of `pid` and its descendants. */
export function treeRssMb(pid: number): number {
  const kb = sumOverTree(pid, (p) =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0),
  );
  return kb / 1024;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds in user and in system mode (all threads) used so far by `pid` and its descendants. */
export function treeCpuTimes(pid: number): { user: number; system: number } {
  let user = 0;
  const system = sumOverTree(pid, (p) => {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    // utime and stime are fields 14 and 15 of stat: 12 and 13 after the command name, which may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    user += Number(fields[11]);
    return Number(fields[12]);
  });
  return { user: user / TICKS_PER_SECOND, system: system / TICKS_PER_SECOND };
}

/** CPU seconds (user + system, all threads) used so far by `pid` and its descendants; 0 once it is gone. */
export function treeCpuSeconds(pid: number): number {
  const { user, system } = treeCpuTimes(pid);
  return user + system;
}

/**
 * Cross-CPU interrupts received so far by `core` (function-call and rescheduling IPIs, /proc/interrupts):
 * mostly one CPU waking a thread that sleeps on another. On the generator's core they count how often a
 * server's answer found wrk asleep, which makes that answer's socket write dear in a VM (BENCHMARKS.md,
 * 2026-12-01: refusals written one at a time woke it 0.9 times a request). null where it cannot be read.
 */
export function crossCpuInterrupts(core: number): number | null {
  try {
    let total = 0;
    for (const line of readFileSync('/proc/interrupts', 'utf8').split('\n')) {
      const fields = line.trim().split(/\s+/);
      if (fields[0] === 'CAL:' || fields[0] === 'RES:') total += Number(fields[1 + core] ?? Number.NaN);
    }
    return Number.isFinite(total) ? total : null;
  } catch {
    return null;
  }
}

/** Samples the tree's RSS every `everyMs` until stopped; returns the first sample, the peak and the last. */
export function sampleRss(
  pid: number,
  everyMs = 250,
): { stop(): { startMb: number; peakMb: number; endMb: number } } {
  const startMb = treeRssMb(pid);
  let peak = startMb;
  let last = peak;
  const timer = setInterval(() => {
    last = treeRssMb(pid);
    peak = Math.max(peak, last);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      last = treeRssMb(pid);
      return { startMb, peakMb: Math.max(peak, last), endMb: last };
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (the system picks it), for the next server to start. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

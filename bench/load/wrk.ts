// One measured run: wrk (C, one thread, on the generator's core) sends pre-signed requests for a fixed time
// while the server's memory is sampled from /proc.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { crossCpuInterrupts, GENERATOR_CORE, sampleRss, treeCpuSeconds, treeCpuTimes } from './processes.ts';

const SCRIPT = fileURLToPath(new URL('./presigned.lua', import.meta.url));

export interface RunResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers with status ≥ 400 (wrk's "non-2xx or 3xx"). */
  non2xx: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
  /** Times the pre-signed headers ran out and started over (each later request reuses a nonce). */
  wraps: number;
  /** The server's RSS just before the load started (after start-up and any priming). */
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  /** Share of one core the server used during the run (near 1: the server is the bottleneck). */
  serverCpu: number;
  /** The part of serverCpu spent in the kernel (system mode): sockets, files, the disk's syncs. */
  serverSystemCpu: number;
  /** Share of one core wrk used (near 1: the generator would be the bottleneck). */
  generatorCpu: number;
  /** Cross-CPU interrupts on the generator's core per request (wrk woken by an answer); null: unknown. */
  generatorWakeups: number | null;
}

/** Requests per second of the server's own CPU: steadier than req/s when other work shares the machine. */
export const perCpuSecond = (r: RunResult) => (r.serverCpu > 0 ? r.requestsPerSecond / r.serverCpu : 0);

/** The server's CPU a request, in µs: all of it, and the part spent in the kernel (system mode). */
export function cpuMicroseconds(r: RunResult): { total: number; system: number } {
  const total = 1e6 / perCpuSecond(r);
  return { total, system: (total * r.serverSystemCpu) / r.serverCpu };
}

export interface RunOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:3000 */
  base: string;
  method: string;
  path: string;
  headersFile: string;
  seconds: number;
  connections: number;
  serverPid: number;
}

/** What is read at each end of the measured run: when, the server's and wrk's CPU, wrk's wake-ups. */
interface Mark {
  at: number;
  serverCpu: { user: number; system: number };
  generatorCpuSeconds: number;
  interrupts: number | null;
}

const cpuSecondsOf = (mark: Mark) => mark.serverCpu.user + mark.serverCpu.system;

export async function runWrk(options: RunOptions): Promise<RunResult> {
  const rss = sampleRss(options.serverPid);
  const args = [
    '-c',
    String(GENERATOR_CORE),
    'wrk',
    '-t1',
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--timeout',
    '10s',
    '-s',
    SCRIPT,
    `${options.base}${options.path}`,
    '--',
    options.headersFile,
    options.method,
    options.path,
  ];
  // The server's CPU, wrk's and the wake-ups are counted between two lines the script prints: WRK_READY
  // once every request is built (wrk's clock starts right after), WRK_RESULT once the run is over. Counted
  // from wrk's start instead, the building of a verifying scenario's 320,000 requests (1.7 s, the server
  // idle) was counted as part of the run: the server's share of the core came out lower, and its requests
  // per CPU-second higher, by a fifth for those scenarios and not for those of a few headers (ceilings,
  // the replay), whose ratios to them were skewed by as much (BENCHMARKS.md, 2026-12-03).
  const marks: Mark[] = [];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // taskset execs wrk in place: the same pid.
    const mark = (): Mark => ({
      at: performance.now(),
      serverCpu: treeCpuTimes(options.serverPid),
      generatorCpuSeconds: treeCpuSeconds(child.pid as number),
      interrupts: crossCpuInterrupts(GENERATOR_CORE),
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (marks.length === 0 && text.includes('WRK_READY\n')) marks.push(mark());
      if (marks.length === 1 && /WRK_RESULT [^\n]*\n/.test(text)) marks.push(mark());
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', () => resolve(text));
  });
  const memory = rss.stop();
  const [start, end] = marks;
  if (start === undefined || end === undefined) throw new Error(`wrk did not mark its run:\n${output}`);
  const wallSeconds = (end.at - start.at) / 1000;
  // Both lines in one read: stdout was not flushed after the first, and the run's span is unknown.
  if (wallSeconds < options.seconds / 2) throw new Error(`wrk's marks came ${wallSeconds} s apart`);
  const line = output.split('\n').find((l) => l.startsWith('WRK_RESULT '));
  if (line === undefined) throw new Error(`wrk printed no result:\n${output}`);
  const r = JSON.parse(line.slice('WRK_RESULT '.length)) as Record<string, number>;
  const n = (key: string) => r[key] ?? 0;
  return {
    requestsPerSecond: n('requests') / (n('duration_us') / 1e6),
    requests: n('requests'),
    p50Ms: n('p50_us') / 1000,
    p99Ms: n('p99_us') / 1000,
    non2xx: n('status'),
    socketErrors: n('connect') + n('read') + n('write') + n('timeout'),
    wraps: n('wraps'),
    rssStartMb: memory.startMb,
    rssPeakMb: memory.peakMb,
    rssEndMb: memory.endMb,
    serverCpu: (cpuSecondsOf(end) - cpuSecondsOf(start)) / wallSeconds,
    serverSystemCpu: (end.serverCpu.system - start.serverCpu.system) / wallSeconds,
    generatorCpu: (end.generatorCpuSeconds - start.generatorCpuSeconds) / wallSeconds,
    generatorWakeups:
      start.interrupts === null || end.interrupts === null || n('requests') === 0
        ? null
        : (end.interrupts - start.interrupts) / n('requests'),
  };
}

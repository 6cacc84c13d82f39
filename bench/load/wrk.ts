// One measured run: wrk (C, one thread, on the generator's core) sends pre-signed requests for a fixed time
// while the server's memory is sampled from /proc.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { crossCpuInterrupts, GENERATOR_CORE, sampleRss, treeCpuSeconds } from './processes.ts';

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
  /** Share of one core wrk used (near 1: the generator would be the bottleneck). */
  generatorCpu: number;
  /** Cross-CPU interrupts on the generator's core per request (wrk woken by an answer); null: unknown. */
  generatorWakeups: number | null;
}

/** Requests per second of the server's own CPU: steadier than req/s when other work shares the machine. */
export const perCpuSecond = (r: RunResult) => (r.serverCpu > 0 ? r.requestsPerSecond / r.serverCpu : 0);

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

export async function runWrk(options: RunOptions): Promise<RunResult> {
  const rss = sampleRss(options.serverPid);
  const serverCpuBefore = treeCpuSeconds(options.serverPid);
  const interruptsBefore = crossCpuInterrupts(GENERATOR_CORE);
  const startedAt = performance.now();
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
  let generatorCpuSeconds = 0;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // taskset execs wrk in place: the same pid. Its CPU time is read until it exits.
    const sampler = setInterval(() => {
      generatorCpuSeconds = Math.max(generatorCpuSeconds, treeCpuSeconds(child.pid as number));
    }, 200);
    child.once('exit', () => clearInterval(sampler));
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', () => resolve(text));
  });
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const serverCpu = (treeCpuSeconds(options.serverPid) - serverCpuBefore) / wallSeconds;
  const interruptsAfter = crossCpuInterrupts(GENERATOR_CORE);
  const memory = rss.stop();
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
    serverCpu,
    generatorCpu: generatorCpuSeconds / wallSeconds,
    generatorWakeups:
      interruptsBefore === null || interruptsAfter === null || n('requests') === 0
        ? null
        : (interruptsAfter - interruptsBefore) / n('requests'),
  };
}

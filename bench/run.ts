// npm run bench: the core micro-benchmark, then every load scenario of bench/load/targets.ts, side by side
// for HMAC-SHA1 and HMAC-SHA256, repeated to show the noise, each figure also as a ratio to bare Fastify
// measured in the same repeat. See BENCHMARKS.md for what the figures mean.
//
//   npm run bench -- [--duration 10] [--repeats 2] [--connections 50] [--methods HMAC-SHA1,HMAC-SHA256]
//                    [--only GROUP|ID,…] [--skip GROUP|ID,…] [--no-micro] [--profile ID,…] [--out FILE]
//                    [--warmup SECONDS (2)] [--settle SECONDS] [--tripod-from build|sources]
//                    [--postgres-url postgres://…/postgres] [--redis-url redis://…]
// --profile runs the given scenarios (HMAC-SHA1) with the server under --cpu-prof and summarizes where its
// busy time went: alone, or after the scenarios --only names (without --only, nothing else runs).
// --settle leaves each server idle that long after its load and reads its RSS again (issue 10's memory
// after a long run: what it keeps, not what the load held). The servers run as
// JavaScript, Tripod from its build (`npm run build` first), as in production (load/as-shipped.ts);
// --tripod-from sources runs them from the TypeScript.
// Groups: micro, ceilings, tripod, peers, refused, pin-flow. IDs: see SCENARIOS in bench/load/targets.ts.
// With a refused scenario it also runs bench/load/refusals-side-by-side.ts (`npm run bench:refusals`):
// refused against accepted, taking turns on one Tripod/SQLite server, where the VM's drift cancels out;
// with a peer, bench/load/peers-side-by-side.ts (`npm run bench:peers`): bare Fastify, the run's Tripods on
// SQLite and PostgreSQL + Redis, and its peers, taking turns.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignatureMethodName } from '../src/core/signature.ts';
import { benchArguments } from './arguments.ts';
import { isCodeFrom, prepareBenchCode } from './load/as-shipped.ts';
import { freePort, treeRssMb } from './load/processes.ts';
import { profileMarkdown, summarizeProfile } from './load/profile-summary.ts';
import { heapSpaces, scrapeMetrics } from './load/server-metrics.ts';
import { randomCredentials, writeSignedHeaders } from './load/signing.ts';
import {
  ALWAYS_REQUIRED,
  GROUPS,
  isMissing,
  prepareTripods,
  primeWithFirstRequest,
  SCENARIOS,
  type Scenario,
  type StartContext,
  serverOf,
  type TripodKind,
} from './load/targets.ts';
import { authorizedRequestTokens, SHARED_SERVERS_OPTIONS, type TripodStoresPlace } from './load/tripod.ts';
import { median } from './load/turns.ts';
import { cpuMicroseconds as cpuMicrosecondsOf, perCpuSecond, type RunResult, runWrk } from './load/wrk.ts';

const { values: flags } = benchArguments({
  options: {
    duration: { type: 'string', default: '10' },
    repeats: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    methods: { type: 'string', default: 'HMAC-SHA1,HMAC-SHA256' },
    only: { type: 'string' },
    skip: { type: 'string' },
    'no-micro': { type: 'boolean', default: false },
    settle: { type: 'string', default: '0' },
    warmup: { type: 'string', default: '2' },
    profile: { type: 'string' },
    'tripod-from': { type: 'string', default: 'build' },
    out: { type: 'string' },
    ...SHARED_SERVERS_OPTIONS,
  },
});
const SECONDS = Number(flags.duration);
const REPEATS = Number(flags.repeats);
const CONNECTIONS = Number(flags.connections);
/** The p99 target of issue 10 (SQLite), in ms. */
const P99_TARGET_MS = 10;
// Seconds of load before the measured run, with requests of their own (each nonce is used once), so that
// the figures are of code V8 has compiled: the first second's compilation was most of a 5-s run's p99.
const WARMUP = Number(flags.warmup);
// Seconds the server is left idle after the load before its RSS is read once more (0: not read).
const SETTLE = Number(flags.settle);
const METHODS = (flags.methods as string).split(',') as SignatureMethodName[];
const CODE_FROM = flags['tripod-from'];
if (!isCodeFrom(CODE_FROM)) {
  console.error(`bench: --tripod-from is build or sources, not "${CODE_FROM}"`);
  process.exit(2);
}
const profileIds = flags.profile?.split(',') ?? [];
// A profile asked for alone is the only thing to run: not the whole suite first.
const only = flags.only?.split(',') ?? (flags.profile === undefined ? undefined : []);
const skip = flags.skip?.split(',') ?? [];
const scenarioIds = new Set(SCENARIOS.map((s) => s.id));
const known = new Set<string>(['micro', ...GROUPS, ...scenarioIds]);
for (const name of [...(only ?? []), ...skip]) {
  if (!known.has(name)) {
    console.error(`bench: unknown group or scenario "${name}"; known: ${[...known].join(', ')}`);
    process.exit(2);
  }
}
for (const id of profileIds) {
  if (!scenarioIds.has(id)) {
    console.error(`bench: no scenario "${id}" to profile; scenarios: ${[...scenarioIds].join(', ')}`);
    process.exit(2);
  }
}
const selected = (id: string, group: string) =>
  (only === undefined || only.includes(id) || only.includes(group)) &&
  !skip.includes(id) &&
  !skip.includes(group);

const report: string[] = [];
// Logs, the data directory and profiles of this run (kept for a look afterwards).
let work: string | undefined;
function say(line = ''): void {
  console.log(line);
  report.push(line);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- What will run ----------------------------------------------------------------------------------------
for (const tool of ALWAYS_REQUIRED) {
  if (isMissing(tool)) {
    console.error(`bench: ${tool.command} is missing: ${tool.install}`);
    process.exit(1);
  }
}
const scenarios: Scenario[] = [];
for (const scenario of SCENARIOS) {
  if (!selected(scenario.id, scenario.group)) continue;
  const absent = serverOf(scenario).requires.filter(isMissing);
  if (absent.length > 0) {
    say(`bench: skipping "${scenario.label}": ${absent.map((t) => t.install).join('; ')}`);
    continue;
  }
  scenarios.push(scenario);
}

say(`# Benchmark run ${new Date().toISOString()}`);
say();
say(
  `Node ${process.version}; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; ${(spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '').trim()}`,
);
say(
  `Each load run: ${SECONDS} s after ${WARMUP} s of warm-up (requests of its own), ${CONNECTIONS} connections, wrk -t1 on core 1, server on core 0, ${REPEATS} repeats.`,
);
say();

// ---- The micro-benchmark ----------------------------------------------------------------------------------
if (!flags['no-micro'] && selected('micro', 'micro')) {
  const micro = spawnSync(
    process.execPath,
    [
      new URL('./micro/core-verification.ts', import.meta.url).pathname,
      '--rounds',
      '9',
      '--iterations',
      '10000',
    ],
    { encoding: 'utf8' },
  );
  if (micro.status !== 0) throw new Error(`the micro-benchmark failed:\n${micro.stderr}`);
  say('## core/ verification (bench/micro/core-verification.ts)');
  say();
  say(micro.stdout.trim());
  say();
}
if (scenarios.length === 0 && profileIds.length === 0) finish();

// ---- Tripods: stores, an app, a user, an access token through the PIN flow, once per kind ------------------
work = mkdtempSync(join(tmpdir(), 'tripod-bench-'));
const logs = join(work, 'logs');
const workDir = work;
mkdirSync(logs);
const code = prepareBenchCode(CODE_FROM, workDir);
say(
  code.from === 'build'
    ? 'Node servers as JavaScript: Tripod from its build (dist/), the others with their types stripped ahead of time.'
    : 'Node servers from their TypeScript sources (--tripod-from sources).',
);
say();
const places: TripodStoresPlace[] = [];
// A run that fails part-way still removes the PostgreSQL databases and Redis keys it made (its logs and
// SQLite files stay in the work directory, for a look): a leftover database outlives the machine's run.
process.once('uncaughtException', async (error) => {
  console.error(error);
  for (const place of places) await place.remove().catch(() => {});
  process.exit(1);
});

const profiled = profileIds.map((id) => SCENARIOS.find((s) => s.id === id)!);
const prepared = await prepareTripods([...scenarios, ...profiled], {
  dataDir: join(workDir, 'data'),
  logsDir: logs,
  postgresUrl: flags['postgres-url'] as string,
  redisUrl: flags['redis-url'] as string,
  places,
});
const tripods = prepared.tripods;
for (const [kind, reason] of prepared.unprepared) {
  say(`bench: skipping ${reason}`);
  for (let i = scenarios.length - 1; i >= 0; i--) {
    if (serverOf(scenarios[i] as Scenario).tripod === kind) scenarios.splice(i, 1);
  }
}
const peerCredentials = randomCredentials();

// ---- The runs -----------------------------------------------------------------------------------------------
interface Measured {
  scenario: Scenario;
  method: SignatureMethodName;
  repeat: number;
  result: Measurement;
}
/** One measured run: wrk's figures, and with --settle the server's memory after its idle time. */
type Measurement = RunResult & { rssSettledMb?: number | undefined; heapSettled?: string | undefined };
const results: Measured[] = [];
let runNumber = 0;

async function measure(
  scenario: Scenario,
  method: SignatureMethodName,
  profileDir?: string,
): Promise<Measurement & { loadStartMs: number }> {
  runNumber++;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const kind: TripodKind | undefined = serverOf(scenario).tripod;
  const tripod = kind === undefined ? undefined : tripods.get(kind);
  const ctx: StartContext = {
    port,
    logFile: join(logs, `${runNumber}-${scenario.id}.log`),
    code,
    tripod,
    peerCredentials,
    profileDir,
  };
  const count = 'rate' in scenario.supply ? Math.ceil(scenario.supply.rate * SECONDS) : scenario.supply.count;
  const plan = await scenario.plan({
    base,
    credentials: tripod?.credentials ?? peerCredentials,
    signatureMethod: method,
    requestTokens: () => {
      if (tripod === undefined) throw new Error(`${scenario.id}: request tokens need a Tripod server`);
      return authorizedRequestTokens(base, tripod.setup, count);
    },
  });
  const headersFile = join(workDir, 'headers.txt');
  await writeSignedHeaders(headersFile, plan, count);
  // A warm-up of its own: a scenario with a rate gets requests of its own (a nonce is used once); one with a
  // fixed count sends the same ones over, as its run does. Scenarios whose requests use up something
  // (the access_token scenario's request tokens) are not warmed up.
  const warmup = WARMUP > 0 && scenario.warmup !== false;
  const warmupFile = 'rate' in scenario.supply ? join(workDir, 'warmup-headers.txt') : headersFile;
  if (warmup && 'rate' in scenario.supply) {
    await writeSignedHeaders(warmupFile, plan, Math.ceil(scenario.supply.rate * WARMUP));
  }
  const spawnedAt = performance.now();
  const started = await serverOf(scenario).start(ctx);
  try {
    if (scenario.primeOnce) await primeWithFirstRequest(scenario, base, headersFile);
    await pause(500);
    const serverPid = started.process.child.pid as number;
    const load = { base, method: scenario.method, path: scenario.path, connections: CONNECTIONS, serverPid };
    if (warmup) {
      await runWrk({ ...load, headersFile: warmupFile, seconds: WARMUP });
      await pause(500);
    }
    const loadStartMs = performance.now() - spawnedAt;
    const result = await runWrk({ ...load, headersFile, seconds: SECONDS });
    let rssSettledMb: number | undefined;
    let heapSettled: string | undefined;
    if (SETTLE > 0) {
      await pause(SETTLE * 1000);
      rssSettledMb = treeRssMb(serverPid);
      heapSettled = heapSpaces(await scrapeMetrics(base));
    }
    return { ...result, loadStartMs, rssSettledMb, heapSettled };
  } finally {
    await started.process.stop();
    rmSync(headersFile, { force: true });
    rmSync(warmupFile, { force: true });
  }
}

for (let repeat = 1; repeat <= REPEATS; repeat++) {
  for (const method of METHODS) {
    for (const scenario of scenarios) {
      const result = await measure(scenario, method);
      results.push({ scenario, method, repeat, result });
      console.error(
        `[repeat ${repeat} ${method}] ${scenario.id}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms.toFixed(1)} ms, non-2xx ${result.non2xx}`,
      );
      await pause(1000);
    }
  }
}

// ---- The tables ---------------------------------------------------------------------------------------------
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
// Requests per CPU-second of the server: what it would serve with its core to itself. On a machine shared
// with other work the server gets less than a core, and this figure is far steadier than requests/s.
// Tables only of loads that ran (a profile alone runs none).
const loadRan = scenarios.length > 0;
for (const method of loadRan ? METHODS : []) {
  say(`## Load, ${method}`);
  say();
  say(
    `| target | req/s | × bare Fastify | req per server CPU-s | × bare Fastify (per CPU-s) | p50 ms | p99 ms | non-2xx / requests | RSS start / peak / end${SETTLE > 0 ? ` / after ${SETTLE} s idle` : ''} MB | CPU server / wrk | wrk woken per request |`,
  );
  say('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const scenario of scenarios) {
    const runs = results.filter((r) => r.scenario === scenario && r.method === method);
    const cell = (f: (m: Measured) => string) => runs.map(f).join(' / ');
    const ratio = (m: Measured, figure: (r: RunResult) => number) =>
      toBareFastify(m, figure)?.toFixed(2) ?? '–';
    const columns = [
      scenario.label,
      cell((m) => fmt(m.result.requestsPerSecond)),
      cell((m) => ratio(m, (r) => r.requestsPerSecond)),
      cell((m) => fmt(perCpuSecond(m.result))),
      cell((m) => ratio(m, perCpuSecond)),
      cell((m) => m.result.p50Ms.toFixed(1)),
      cell((m) => m.result.p99Ms.toFixed(1)),
      cell((m) => `${fmt(m.result.non2xx + m.result.socketErrors)}/${fmt(m.result.requests)}`),
      cell(
        (m) =>
          `${Math.round(m.result.rssStartMb)}/${Math.round(m.result.rssPeakMb)}/${Math.round(m.result.rssEndMb)}${m.result.rssSettledMb === undefined ? '' : `/${Math.round(m.result.rssSettledMb)}`}`,
      ),
      cell((m) => `${Math.round(100 * m.result.serverCpu)}%/${Math.round(100 * m.result.generatorCpu)}%`),
      cell((m) => m.result.generatorWakeups?.toFixed(2) ?? '–'),
    ];
    say(`| ${columns.join(' | ')} |`);
  }
  say();
  if (REPEATS >= 3) sayMedians(method);
  sayCpuPerRequest(method);
  sayTail(method);
}

/** "median (min–max)" of figures from the repeats, with `digits` decimals; "–" for none. */
function medianAndRange(values: number[], digits: number): string {
  if (values.length === 0) return '–';
  const at = (x: number) => x.toFixed(digits);
  return `${at(median(values))} (${at(Math.min(...values))}–${at(Math.max(...values))})`;
}

/** The same repeat's run of scenario `id`, or undefined when it did not run. */
function sameRepeat(m: Measured, id: string): Measured | undefined {
  return results.find((r) => r.scenario.id === id && r.method === m.method && r.repeat === m.repeat);
}

/** Server CPU a request, in µs: what each target spends on one answer. */
function cpuMicroseconds(m: Measured): number {
  return cpuMicrosecondsOf(m.result).total;
}

/**
 * Each target's server CPU a request, and for Tripod's scenarios what they spend over Tripod's floor (its
 * server answering /healthz) in the same repeat: what verifying, its store and the access line cost where
 * they run. Then what issue 10's ratios leave for that, from bare Fastify's CPU a request: 0.8x allows
 * 1.25 times it, 0.5x twice it.
 */
function sayCpuPerRequest(method: SignatureMethodName): void {
  const floorRan = results.some((m) => m.scenario.id === 'tripod-floor' && m.method === method);
  if (!floorRan) return;
  const spread = (values: number[]) => medianAndRange(values, 1);
  say(`Server CPU a request, ${method}: µs, median over the repeats (min–max):`);
  say();
  say("| target | server CPU a request, µs | over Tripod's floor, same repeat, µs |");
  say('|---|---:|---:|');
  for (const scenario of scenarios) {
    const runs = results.filter((m) => m.scenario === scenario && m.method === method);
    const overFloor = serverOf(scenario).tripodServer === true && scenario.id !== 'tripod-floor';
    const differences = runs.flatMap((m) => {
      const floor = sameRepeat(m, 'tripod-floor');
      return overFloor && floor ? [cpuMicroseconds(m) - cpuMicroseconds(floor)] : [];
    });
    say(`| ${scenario.label} | ${spread(runs.map(cpuMicroseconds))} | ${spread(differences)} |`);
  }
  say();
  const allowance = (times: number) =>
    results.flatMap((m) => {
      const bare = sameRepeat(m, 'bare-fastify');
      return m.scenario.id === 'tripod-floor' && m.method === method && bare
        ? [times * cpuMicroseconds(bare) - cpuMicroseconds(m)]
        : [];
    });
  const forEightTenths = allowance(1.25);
  if (forEightTenths.length > 0) {
    say(
      `What issue 10's ratios leave for verification over Tripod's floor (bare Fastify's CPU a request × 1.25 for 0.8x, × 2 for 0.5x, minus the floor's, same repeat): 0.8x ${spread(forEightTenths)} µs; 0.5x ${spread(allowance(2))} µs.`,
    );
    say();
  }
}

/**
 * What the p99 target asks of throughput. wrk keeps CONNECTIONS requests in flight, each sent when the last
 * answer came, so the mean latency is CONNECTIONS ÷ req/s (Little's law) whatever the server does; a p99 is
 * that mean times the target's tail (p99 ÷ mean). At its own tail, a target's p99 is under P99_TARGET_MS
 * from CONNECTIONS × tail ÷ P99_TARGET_MS requests a second: shown beside bare Fastify's req/s in the same
 * repeat, this is the throughput ratio the p99 target stands for.
 */
function sayTail(method: SignatureMethodName): void {
  const runsOf = (scenario: Scenario) =>
    results.filter((m) => m.scenario === scenario && m.method === method);
  if (!results.some((m) => m.scenario.id === 'bare-fastify' && m.method === method)) return;
  const meanMs = (m: Measured) => (1000 * CONNECTIONS) / m.result.requestsPerSecond;
  const tail = (m: Measured) => m.result.p99Ms / meanMs(m);
  // CONNECTIONS × tail ÷ P99_TARGET_MS, with the mean put back in: req/s scaled by p99 ÷ the target.
  const neededPerSecond = (m: Measured) => (m.result.requestsPerSecond * m.result.p99Ms) / P99_TARGET_MS;
  say(
    `The tail, ${method}: mean latency by Little's law (${CONNECTIONS} connections ÷ req/s), p99 ÷ that mean, and the req/s at which each target's p99 would be under ${P99_TARGET_MS} ms at its own tail, over bare Fastify's req/s in the same repeat (median, min–max):`,
  );
  say();
  say(`| target | mean ms | p99 ms | p99 ÷ mean | req/s for p99 < ${P99_TARGET_MS} ms, × bare Fastify |`);
  say('|---|---:|---:|---:|---:|');
  for (const scenario of scenarios) {
    const runs = runsOf(scenario);
    const needed = runs.flatMap((m) => {
      const bare = sameRepeat(m, 'bare-fastify');
      return bare ? [neededPerSecond(m) / bare.result.requestsPerSecond] : [];
    });
    say(
      `| ${scenario.label} | ${medianAndRange(runs.map(meanMs), 1)} | ${medianAndRange(
        runs.map((m) => m.result.p99Ms),
        1,
      )} | ${medianAndRange(runs.map(tail), 1)} | ${medianAndRange(needed, 2)} |`,
    );
  }
  say();
}

/** A run's figure over bare Fastify's in the same repeat and method; undefined when that was not run. */
function toBareFastify(m: Measured, figure: (r: RunResult) => number): number | undefined {
  const reference = sameRepeat(m, 'bare-fastify');
  return reference ? figure(m.result) / figure(reference.result) : undefined;
}

/**
 * The same ratios as one figure each: the median over the repeats of each repeat's ratio to bare Fastify,
 * with their range. The VM drifts by a third between runs minutes apart, within one repeat too, so one
 * repeat's ratio can land anywhere in that range; the issue's targets are read from the medians.
 */
function sayMedians(method: SignatureMethodName): void {
  const spread = (values: number[]) => medianAndRange(values, 2);
  say(
    `Medians over the ${REPEATS} repeats, ${method} (each repeat's ratio to its own bare Fastify; min–max):`,
  );
  say();
  say(
    '| target | × bare Fastify, req/s | × bare Fastify, per server CPU-s | p99 ms | RSS peak × bare Fastify |',
  );
  say('|---|---:|---:|---:|---:|');
  for (const scenario of scenarios) {
    const runs = results.filter((m) => m.scenario === scenario && m.method === method);
    const ratios = (figure: (r: RunResult) => number) => runs.flatMap((m) => toBareFastify(m, figure) ?? []);
    say(
      `| ${scenario.label} | ${spread(ratios((r) => r.requestsPerSecond))} | ${spread(ratios(perCpuSecond))} | ${median(runs.map((m) => m.result.p99Ms)).toFixed(1)} | ${spread(ratios((r) => r.rssPeakMb))} |`,
    );
  }
  say();
}
const settled = results.filter((r) => r.result.heapSettled !== undefined);
if (settled.length > 0) {
  say(`V8's heap ${SETTLE} s after the load (from the server's /metrics):`);
  say();
  for (const r of settled)
    say(`- ${r.scenario.label}, ${r.method}, repeat ${r.repeat}: ${r.result.heapSettled}`);
  say();
}
const wrapped = results.filter((r) => r.result.wraps > 0 && 'rate' in r.scenario.supply);
for (const r of wrapped) {
  say(
    `Note: ${r.scenario.id} (${r.method}, repeat ${r.repeat}) ran out of pre-signed requests ${r.result.wraps} time(s): the later ones replayed nonces; raise its rate in bench/load/targets.ts.`,
  );
}
if (loadRan) {
  say(
    'Each cell: repeat 1 / repeat 2 …; × bare Fastify divides by bare Fastify of the same repeat and method.',
  );
  say('non-2xx counts answers ≥ 400 plus socket errors; refused scenarios expect every answer to be a 401.');
  say('CPU: share of one core used by the server (its whole process tree) and by wrk during the run.');
  say(
    "req per server CPU-s: req/s divided by the server's share of its core — steadier than req/s when other work shares the machine.",
  );
  say(
    "wrk woken per request: cross-CPU interrupts on wrk's core (/proc/interrupts) — an answer written while wrk sleeps wakes it, and in a VM that write is dear.",
  );
  say();
}

// ---- Refused against accepted, taking turns on one server -------------------------------------------------
// The refused scenarios above each ran on a fresh server after the acceptance's; the VM's drift between
// runs is often larger than what they compare, so the target is read from this table (BENCHMARKS.md).
if (scenarios.some((s) => s.group === 'refused')) {
  const sideBySide = spawnSync(
    process.execPath,
    [
      new URL('./load/refusals-side-by-side.ts', import.meta.url).pathname,
      '--rounds',
      String(Math.max(5, REPEATS + 1)),
      '--connections',
      String(CONNECTIONS),
    ],
    { encoding: 'utf8' },
  );
  if (sideBySide.status !== 0) throw new Error(`bench:refusals failed:\n${sideBySide.stderr}`);
  say(`#${sideBySide.stdout.trim()}`);
  say();
}

// ---- Tripod against the peers, taking turns ----------------------------------------------------------------
// The same drift falls on the peers' ratios: one repeat put Tripod at 0.59 times passport's requests a second
// and the next at 1.35 (BENCHMARKS.md). With the peers measured, they are measured again taking turns with
// bare Fastify and the Tripods of this run (bench:peers), and the targets are read from that table.
const peersNow = scenarios.filter((s) => s.group === 'peers');
if (peersNow.length > 0) {
  const tripodsNow = scenarios.filter((s) => s.id === 'tripod-sqlite' || s.id === 'tripod-postgres-redis');
  const takingTurns = spawnSync(
    process.execPath,
    [
      new URL('./load/peers-side-by-side.ts', import.meta.url).pathname,
      '--only',
      [...tripodsNow, ...peersNow].map((s) => s.id).join(','),
      '--rounds',
      String(Math.max(5, REPEATS + 1)),
      '--connections',
      String(CONNECTIONS),
      '--tripod-from',
      CODE_FROM,
      '--postgres-url',
      flags['postgres-url'] as string,
      '--redis-url',
      flags['redis-url'] as string,
    ],
    { encoding: 'utf8' },
  );
  if (takingTurns.status !== 0) throw new Error(`bench:peers failed:\n${takingTurns.stderr}`);
  say(`#${takingTurns.stdout.trim()}`);
  say();
}

// ---- CPU profiles of the server under load ------------------------------------------------------------
for (const scenario of profiled) {
  const id = scenario.id;
  const profileDir = join(workDir, `profile-${id}`);
  mkdirSync(profileDir);
  const result = await measure(scenario, 'HMAC-SHA1', profileDir);
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  say(
    `## CPU profile: ${scenario.label}, HMAC-SHA1, ${fmt(result.requestsPerSecond)} req/s under --cpu-prof`,
  );
  say();
  if (file === undefined) say('(no profile was written)');
  else {
    say(`Profile: ${join(profileDir, file)}`);
    say(
      `Samples from the first ${Math.round(result.loadStartMs)} ms (start-up, before the load) are left out.`,
    );
    say();
    say(profileMarkdown(summarizeProfile(join(profileDir, file), 30, result.loadStartMs)));
  }
  say();
}

for (const place of places) await place.remove();
finish();

function finish(): never {
  if (work !== undefined) console.error(`bench: logs and data are in ${work}`);
  if (flags.out) writeFileSync(flags.out, `${report.join('\n')}\n`);
  process.exit(0);
}

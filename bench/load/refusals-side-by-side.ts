// Issue 10's "refused requests at least as fast as accepted ones", over real sockets, on ONE Tripod/SQLite
// server: accepted, wrong-signature, unknown-consumer and replayed-nonce loads take turns on the same
// process, round after round, and each round's refusal is compared with that round's acceptance. `npm run
// bench` starts a fresh server per scenario, one after another, and on a shared VM the machine's own speed
// drifted by a third between those runs (BENCHMARKS.md), more than the difference being measured; taking
// turns on one server cancels that drift. The in-process request-path.ts has no sockets at all, and it was
// the sockets that made a refusal dearer than an acceptance until the verifier settled refusals at the end
// of their event-loop turn (BENCHMARKS.md, 2026-12-01).
//
//   npm run bench:refusals -- [--rounds 7] [--seconds 3] [--connections 50] [--log-level info]
//
// Prints, per case, the median over rounds (the first is a warm-up) of requests per server CPU-second and
// of its ratio to the same round's acceptance, the server's CPU a request in user and in system mode, p99
// latency, and how often an answer found wrk asleep (cross-CPU interrupts on its core per request: an
// answer written alone wakes it, which is dear in a VM).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArguments } from '../arguments.ts';
import { freePort, startPinned, waitUntilAnswering } from './processes.ts';
import { SCENARIOS, type Scenario } from './targets.ts';
import {
  accessTokenThroughPinFlow,
  serveArguments,
  serverNodeFlags,
  setUpTripod,
  sqlitePlace,
} from './tripod.ts';
import { median, medianWakeups, takeTurn } from './turns.ts';
import { cpuMicroseconds, perCpuSecond, type RunResult } from './wrk.ts';

const { values: flags } = benchArguments({
  options: {
    rounds: { type: 'string', default: '7' },
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const ROUNDS = Number(flags.rounds);
const SECONDS = Number(flags.seconds);
const CONNECTIONS = Number(flags.connections);
/** The server's log level: info (its default) writes an access line per request, warn none. */
const LOG_LEVEL = flags['log-level'] as string;

/** `npm run bench`'s own scenarios (bench/load/targets.ts): the acceptance first, then the refusals. */
const CASES: readonly Scenario[] = [
  'tripod-sqlite',
  'refused-signature',
  'refused-consumer',
  'refused-replay',
].map((id) => SCENARIOS.find((s) => s.id === id) as Scenario);
const [ACCEPTED] = CASES as [Scenario];

const work = mkdtempSync(join(tmpdir(), 'tripod-refusals-'));
const place = sqlitePlace(join(work, 'data'));
const setup = await setUpTripod(place);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = startPinned(
  process.execPath,
  // As bench/load/targets.ts starts Tripod (and `npm start` runs it).
  [...serverNodeFlags(), ...serveArguments(setup, port, ['--log-level', LOG_LEVEL])],
  join(work, 'server.log'),
);

const runs = new Map<Scenario, RunResult[]>(CASES.map((scenario) => [scenario, []]));
try {
  await waitUntilAnswering(server, `${base}/`);
  const credentials = await accessTokenThroughPinFlow(base, setup);
  const target = { base, credentials, server };
  const settings = { seconds: SECONDS, connections: CONNECTIONS, headersFile: join(work, 'headers.txt') };
  for (let round = 0; round < ROUNDS; round++) {
    for (const scenario of CASES) {
      const result = await takeTurn(scenario, target, settings);
      // Round 0 warms up: V8 compiles each path under its own load first.
      if (round > 0) runs.get(scenario)?.push(result);
    }
  }
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}

const acceptedRuns = runs.get(ACCEPTED) as RunResult[];
console.log(
  `# Refused against accepted on one Tripod/SQLite server, taking turns (${ROUNDS - 1} rounds × ${SECONDS} s, ${CONNECTIONS} connections, HMAC-SHA1, log level ${LOG_LEVEL})`,
);
console.log();
console.log(
  '| scenario | req per server CPU-s (median) | × accepted, same round (median, min–max) | server CPU a request, µs: user + system (medians) | p99 ms (median) | wrk woken per request (median) |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const scenario of CASES) {
  const own = runs.get(scenario) as RunResult[];
  const ratios = own.map((r, i) => perCpuSecond(r) / perCpuSecond(acceptedRuns[i] as RunResult));
  // A request's CPU split by mode: what a refusal saves in the kernel (no commit) and what it spends in
  // JavaScript are different things.
  const cpu = own.map(cpuMicroseconds);
  const systemUs = cpu.map((c) => c.system);
  const userUs = cpu.map((c) => c.total - c.system);
  console.log(
    `| ${scenario.label} | ${Math.round(median(own.map(perCpuSecond))).toLocaleString('en')} | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${median(userUs).toFixed(1)} + ${median(systemUs).toFixed(1)} | ${median(own.map((r) => r.p99Ms)).toFixed(1)} | ${medianWakeups(own)} |`,
  );
}

// Issue 10's ratios to bare Fastify and to the peers, with the servers taking turns: bare Fastify, Tripod on
// SQLite and on PostgreSQL + Redis, Express + passport-http-oauth and Flask + oauthlib all start once,
// pinned to the server core, and one load at a time goes round them, round after round (each round
// starting one further along), so each ratio is read within one round, seconds apart. `npm run bench`
// starts a fresh server per scenario one after another, a repeat lasting minutes, and on this VM the
// machine's speed drifts between those minutes, and not alike for every program: on 2026-12-03 one
// repeat put Tripod at 0.59 times passport's requests a second and the next at 1.35 (BENCHMARKS.md).
//
//   npm run bench:peers -- [--only ID,…] [--rounds 8] [--seconds 4] [--connections 50]
//     [--tripod-from build|sources] [--postgres-url postgres://…/postgres] [--redis-url redis://…]
//
// --only: the servers, by their scenario ids in `npm run bench` (bench/load/targets.ts): default
// bare-fastify,tripod-sqlite,tripod-postgres-redis,express-passport,flask-oauthlib; bare-fastify is always
// measured (the reference). Each takes the same GET verify_credentials requests as in `npm run bench`,
// pre-signed before its turn, each nonce used once. The first round warms every server up and is not
// counted. Servers wait idle while the others take their turns; their own timers (passport's nonce pruning,
// Tripod's housekeeping) then run on the server core beside the loaded one, as they would on one machine.
// Prints each round, then per server the medians of requests per server CPU-second, of its ratio to the
// same round's bare Fastify, p99 and peak RSS; then Tripod's ratio to each peer, round by round.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArguments } from '../arguments.ts';
import { isCodeFrom, prepareBenchCode } from './as-shipped.ts';
import { freePort } from './processes.ts';
import { randomCredentials } from './signing.ts';
import { isMissing, prepareTripods, SCENARIOS, type Scenario, serverOf } from './targets.ts';
import { SHARED_SERVERS_OPTIONS, type TripodStoresPlace } from './tripod.ts';
import { median, type TurnTarget, takeTurn } from './turns.ts';
import { perCpuSecond, type RunResult } from './wrk.ts';

const REFERENCE = 'bare-fastify';
const DEFAULT = [REFERENCE, 'tripod-sqlite', 'tripod-postgres-redis', 'express-passport', 'flask-oauthlib'];

const { values: flags } = benchArguments({
  options: {
    only: { type: 'string', default: DEFAULT.join(',') },
    rounds: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '50' },
    'tripod-from': { type: 'string', default: 'build' },
    ...SHARED_SERVERS_OPTIONS,
  },
});
const ROUNDS = Number(flags.rounds);
const SECONDS = Number(flags.seconds);
const CONNECTIONS = Number(flags.connections);
const CODE_FROM = flags['tripod-from'];
if (!isCodeFrom(CODE_FROM)) {
  console.error('--tripod-from: build or sources');
  process.exit(2);
}
if (ROUNDS < 2) {
  console.error('--rounds: at least 2 (the first is a warm-up)');
  process.exit(2);
}

/** The accepted verify_credentials scenarios a server can be named by: the reference, Tripod's, the peers'. */
const CHOOSABLE = SCENARIOS.filter(
  (s) => s.expect === 'accepted' && s.id === s.server && s.group !== 'pin-flow',
);
const ids = [REFERENCE, ...(flags.only as string).split(',').filter((id) => id !== '' && id !== REFERENCE)];
const scenarios: Scenario[] = [];
/** Servers left out (their tools missing, their stores unreachable), said after the heading. */
const leftOut: string[] = [];
for (const id of ids) {
  const scenario = CHOOSABLE.find((s) => s.id === id);
  if (scenario === undefined) {
    console.error(`--only: ${id} is not one of ${CHOOSABLE.map((s) => s.id).join(', ')}`);
    process.exit(2);
  }
  const absent = serverOf(scenario).requires.filter(isMissing);
  if (absent.length > 0) {
    leftOut.push(`bench: leaving out "${scenario.label}": ${absent.map((t) => t.install).join('; ')}`);
    continue;
  }
  scenarios.push(scenario);
}

interface Contestant extends TurnTarget {
  scenario: Scenario;
  /** One result a counted round. */
  runs: RunResult[];
}

const work = mkdtempSync(join(tmpdir(), 'tripod-peers-'));
const logs = join(work, 'logs');
mkdirSync(logs);
const contestants: Contestant[] = [];
const places: TripodStoresPlace[] = [];
try {
  const code = prepareBenchCode(CODE_FROM, work);
  const peerCredentials = randomCredentials();
  const { tripods, unprepared } = await prepareTripods(scenarios, {
    dataDir: join(work, 'data'),
    logsDir: logs,
    postgresUrl: flags['postgres-url'] as string,
    redisUrl: flags['redis-url'] as string,
    places,
  });
  // As `npm run bench` does: PostgreSQL or Redis not running leaves that Tripod out, not the comparison.
  for (const reason of unprepared.values()) leftOut.push(`bench: leaving out ${reason}`);
  for (const scenario of scenarios) {
    const kind = serverOf(scenario).tripod;
    if (kind !== undefined && unprepared.has(kind)) continue;
    const port = await freePort();
    const started = await serverOf(scenario).start({
      port,
      logFile: join(logs, `${scenario.id}.log`),
      code,
      tripod: kind === undefined ? undefined : tripods.get(kind),
      peerCredentials,
    });
    contestants.push({
      scenario,
      server: started.process,
      base: `http://127.0.0.1:${port}`,
      credentials: started.credentials,
      runs: [],
    });
  }
  console.log(
    `# Taking turns: ${contestants.map((c) => c.scenario.id).join(', ')}; ${SECONDS}-s loads of ${CONNECTIONS} connections, ${ROUNDS} rounds (the first a warm-up)`,
  );
  for (const line of leftOut) console.log(line);
  const settings = { seconds: SECONDS, connections: CONNECTIONS, headersFile: join(work, 'headers.txt') };
  for (let round = 0; round < ROUNDS; round++) {
    const line: string[] = [];
    for (let i = 0; i < contestants.length; i++) {
      const contestant = contestants[(round + i) % contestants.length] as Contestant;
      const result = await takeTurn(contestant.scenario, contestant, settings);
      if (round > 0) contestant.runs.push(result);
      line.push(`${contestant.scenario.id} ${Math.round(perCpuSecond(result))}`);
    }
    console.log(`round ${round}${round === 0 ? ' (warm-up)' : ''}: ${line.join(', ')} req per server CPU-s`);
  }

  const [reference] = contestants as [Contestant];
  /** Per counted round: a's requests per server CPU-second over b's. */
  const ratios = (a: Contestant, b: Contestant) =>
    a.runs.map((run, i) => perCpuSecond(run) / perCpuSecond(b.runs[i] as RunResult));
  const summary = (values: number[]) =>
    `${median(values).toFixed(2)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
  console.log();
  console.log(
    '| server | req per server CPU-s | × bare Fastify, same round | req/s × bare Fastify, same round | p99 ms | RSS peak MB |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const c of contestants) {
    const perSecond = c.runs.map(
      (run, i) => run.requestsPerSecond / (reference.runs[i] as RunResult).requestsPerSecond,
    );
    console.log(
      `| ${c.scenario.label} | ${Math.round(median(c.runs.map(perCpuSecond))).toLocaleString('en')} | ${summary(ratios(c, reference))} | ${summary(perSecond)} | ${median(c.runs.map((r) => r.p99Ms)).toFixed(1)} | ${Math.round(median(c.runs.map((r) => r.rssPeakMb)))} |`,
    );
  }
  const tripodSide = contestants.filter((c) => c.scenario.group === 'tripod');
  const peerSide = contestants.filter((c) => c.scenario.group === 'peers');
  if (tripodSide.length > 0 && peerSide.length > 0) {
    console.log();
    console.log('Tripod ÷ peer, per server CPU-second, each counted round (then the median and range):');
    for (const tripod of tripodSide) {
      for (const peer of peerSide) {
        const each = ratios(tripod, peer);
        console.log(
          `- ${tripod.scenario.id} ÷ ${peer.scenario.id}: ${each.map((r) => r.toFixed(2)).join(', ')}; median ${summary(each)}`,
        );
      }
    }
  }
} finally {
  for (const c of contestants) await c.server.stop();
  for (const place of places) await place.remove();
  rmSync(work, { recursive: true, force: true });
}

// Two checkouts of Tripod compared over real sockets: each runs its own `tripod-server serve` on its own
// SQLite data, both pinned to the server core, and one load at a time takes turns between them, round
// after round (the order alternating), so that the VM's drift, a third between runs minutes apart, falls
// on both alike (BENCHMARKS.md). This is how each change to the request path of 2026-12-01 was measured:
// the code before it in a worktree (`git worktree add /tmp/before HEAD~1`, its node_modules linked to this
// checkout's) against the code after it.
//
//   npm run bench:checkouts -- --a /tmp/before [--b .] [--scenario tripod-sqlite] [--rounds 7]
//     [--seconds 3] [--connections 50] [--serve-a="--log-level warn"] [--serve-b="--nonce-writes behind"]
//     [--node-a="--max-old-space-size=1024"] [--node-b=…] [--stores sqlite|postgres-redis]
//     [--postgres-url postgres://…/postgres] [--redis-url redis://…]
//
// --scenario: one of `npm run bench`'s scenarios on Tripod/SQLite (tripod-sqlite, refused-signature,
// refused-consumer, refused-replay). --serve-a/--serve-b: more `tripod-server serve` flags for one side
// (the same checkout twice with different flags compares settings), given with "=" since they begin with
// "--". --node-a/--node-b: more flags for one side's Node, after `npm start`'s (to price a V8 setting).
// --stores postgres-redis: each side on a PostgreSQL database and a Redis key prefix of its own (removed at
// the end) instead of a SQLite file; the scenario's requests are the same.
// Prints each round, then the median of requests per server CPU-second per side and of B ÷ A, with its
// range, p99, peak RSS and how often an answer woke wrk (cross-CPU interrupts on its core per request).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchArguments } from '../arguments.ts';
import { freePort, type ServerProcess, startPinned, waitUntilAnswering } from './processes.ts';
import { SCENARIOS, type Scenario } from './targets.ts';
import {
  accessTokenThroughPinFlow,
  chosenPlace,
  STORES_OPTIONS,
  serveArguments,
  serverNodeFlags,
  setUpTripod,
  type TripodStoresPlace,
} from './tripod.ts';
import { median, medianWakeups, type TurnTarget, takeTurn } from './turns.ts';
import { perCpuSecond, type RunResult } from './wrk.ts';

const { values: flags } = benchArguments({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    scenario: { type: 'string', default: 'tripod-sqlite' },
    rounds: { type: 'string', default: '7' },
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'serve-a': { type: 'string', default: '' },
    'serve-b': { type: 'string', default: '' },
    'node-a': { type: 'string', default: '' },
    'node-b': { type: 'string', default: '' },
    ...STORES_OPTIONS,
  },
});
if (flags.a === undefined) {
  console.error('usage: npm run bench:checkouts -- --a CHECKOUT [--b CHECKOUT] [--scenario ID] …');
  process.exit(2);
}
const SCENARIO = SCENARIOS.find((s) => s.id === flags.scenario && s.server === 'tripod-sqlite') as
  | Scenario
  | undefined;
if (SCENARIO === undefined) {
  console.error(
    `--scenario: one of ${SCENARIOS.filter((s) => s.server === 'tripod-sqlite')
      .map((s) => s.id)
      .join(', ')}`,
  );
  process.exit(2);
}
if (flags.stores !== 'sqlite' && flags.stores !== 'postgres-redis') {
  console.error('--stores: sqlite or postgres-redis');
  process.exit(2);
}
const ROUNDS = Number(flags.rounds);
const SECONDS = Number(flags.seconds);
const CONNECTIONS = Number(flags.connections);

interface Side extends TurnTarget {
  name: 'A' | 'B';
  checkout: string;
  /** The `serve` flags given to this side. */
  serve: string;
  /** The Node flags given to this side beyond `npm start`'s. */
  node: string;
  runs: RunResult[];
}

const work = mkdtempSync(join(tmpdir(), 'tripod-checkouts-'));
const sides: Side[] = [];
/** Every server started, for the cleanup, whether or not it came up. */
const servers: ServerProcess[] = [];
/** Every place made, for the cleanup (PostgreSQL databases). */
const places: TripodStoresPlace[] = [];
try {
  for (const [name, checkout, extra, node] of [
    ['A', flags.a, flags['serve-a'], flags['node-a']],
    ['B', flags.b, flags['serve-b'], flags['node-b']],
  ] as const) {
    const cli = join(resolve(checkout), 'bin/tripod-server.js');
    const place = await chosenPlace(flags, join(work, `data-${name}`));
    places.push(place);
    const setup = await setUpTripod(place, cli);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startPinned(
      process.execPath,
      // As bench/load/targets.ts starts Tripod (and `npm start` runs it).
      [...serverNodeFlags(node), ...serveArguments(setup, port, extra.split(' ').filter(Boolean), cli)],
      join(work, `server-${name}.log`),
    );
    servers.push(server);
    await waitUntilAnswering(server, `${base}/`);
    const credentials = await accessTokenThroughPinFlow(base, setup);
    sides.push({
      name,
      checkout,
      serve: extra,
      node,
      server,
      base,
      credentials,
      runs: [],
    });
  }
  const [a, b] = sides as [Side, Side];
  const described = (side: Side) =>
    [side.checkout, side.node && `node ${side.node}`, side.serve].filter(Boolean).join(' ');
  // The scenarios are named for the SQLite file they run on by default.
  const label =
    flags.stores === 'sqlite' ? SCENARIO.label : SCENARIO.label.replace('on SQLite', 'on PostgreSQL + Redis');
  console.log(`# ${label}: A = ${described(a)}, B = ${described(b)}`);
  const settings = { seconds: SECONDS, connections: CONNECTIONS, headersFile: join(work, 'headers.txt') };
  for (let round = 0; round < ROUNDS; round++) {
    const line: string[] = [];
    for (const side of round % 2 === 0 ? [a, b] : [b, a]) {
      const result = await takeTurn(SCENARIO, side, settings);
      // Round 0 warms up: V8 compiles each server's path under load first.
      if (round > 0) side.runs.push(result);
      line.push(
        `${side.name} ${Math.round(perCpuSecond(result))} (p99 ${result.p99Ms.toFixed(1)} ms, RSS ${Math.round(result.rssStartMb)}/${Math.round(result.rssPeakMb)} MB)`,
      );
    }
    const ratio =
      round > 0
        ? ` B/A ${(perCpuSecond(b.runs.at(-1) as RunResult) / perCpuSecond(a.runs.at(-1) as RunResult)).toFixed(3)}`
        : ' (warm-up)';
    console.log(`round ${round}: ${line.join(', ')} req per server CPU-s;${ratio}`);
  }
  const ratios = b.runs.map((r, i) => perCpuSecond(r) / perCpuSecond(a.runs[i] as RunResult));
  console.log();
  console.log(
    '| side | req per server CPU-s (median) | p99 ms (median) | RSS peak MB (median) | wrk woken per request (median) |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const side of sides) {
    console.log(
      `| ${side.name}: ${described(side)} | ${Math.round(median(side.runs.map(perCpuSecond))).toLocaleString('en')} | ${median(side.runs.map((r) => r.p99Ms)).toFixed(1)} | ${Math.round(median(side.runs.map((r) => r.rssPeakMb)))} | ${medianWakeups(side.runs)} |`,
    );
  }
  console.log();
  console.log(
    `B ÷ A, per server CPU-second: median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}) over ${ratios.length} rounds`,
  );
} finally {
  for (const server of servers) await server.stop();
  for (const place of places) await place.remove();
  rmSync(work, { recursive: true, force: true });
}

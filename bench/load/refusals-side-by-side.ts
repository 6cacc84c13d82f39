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
// of its ratio to the same round's acceptance, and p99 latency.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startPinned, waitUntilAnswering } from './processes.ts';
import { VERIFY_CREDENTIALS_PATH } from './servers/answer.ts';
import { type Credentials, randomCredentials, writeSignedHeaders } from './signing.ts';
import { accessTokenThroughPinFlow, serveArguments, setUpTripod, sqlitePlace } from './tripod.ts';
import { type RunResult, runWrk } from './wrk.ts';

const { values: flags } = parseArgs({
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
/** Distinct requests signed per second of load: more than Tripod answers, so no nonce is sent twice. */
const RATE = 20_000;

type Case = 'accepted' | 'wrong signature' | 'unknown consumer' | 'replayed nonce';
const CASES: readonly Case[] = ['accepted', 'wrong signature', 'unknown consumer', 'replayed nonce'];

const work = mkdtempSync(join(tmpdir(), 'tripod-refusals-'));
const place = sqlitePlace(join(work, 'data'));
const setup = await setUpTripod(place);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = startPinned(
  process.execPath,
  // As bench/load/targets.ts starts Tripod (and `npm start` runs it).
  ['--max-semi-space-size=8', ...serveArguments(setup, port, ['--log-level', LOG_LEVEL])],
  join(work, 'server.log'),
);

/** The credentials each case signs with. */
function credentialsOf(kind: Case, real: Credentials): Credentials {
  if (kind === 'wrong signature') return { ...real, consumerSecret: `${real.consumerSecret}x` };
  if (kind === 'unknown consumer') {
    const { consumerKey, consumerSecret } = randomCredentials();
    return { ...real, consumerKey, consumerSecret };
  }
  return real;
}

/** A headers file for one run of `kind`: fresh nonces, or one already-used request sent over and over. */
async function headersFor(kind: Case, real: Credentials, file: string): Promise<void> {
  const plan = {
    method: 'GET',
    url: `${base}${VERIFY_CREDENTIALS_PATH}`,
    signatureMethod: 'HMAC-SHA1' as const,
    request: () => ({ credentials: credentialsOf(kind, real) }),
  };
  await writeSignedHeaders(file, plan, kind === 'replayed nonce' ? 1 : RATE * SECONDS);
  if (kind === 'replayed nonce') {
    const [header] = readFileSync(file, 'utf8').split('\n');
    const first = await fetch(`${base}${VERIFY_CREDENTIALS_PATH}`, {
      headers: { authorization: header as string },
    });
    if (!first.ok) throw new Error(`the request to replay was refused the first time: ${first.status}`);
  }
}

const expected: Record<Case, 'accepted' | 'refused'> = {
  accepted: 'accepted',
  'wrong signature': 'refused',
  'unknown consumer': 'refused',
  'replayed nonce': 'refused',
};
const runs = new Map<Case, RunResult[]>(CASES.map((kind) => [kind, []]));
try {
  await waitUntilAnswering(server, `${base}/`);
  const real = await accessTokenThroughPinFlow(base, setup);
  const headersFile = join(work, 'headers.txt');
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of CASES) {
      await headersFor(kind, real, headersFile);
      const result = await runWrk({
        base,
        method: 'GET',
        path: VERIFY_CREDENTIALS_PATH,
        headersFile,
        seconds: SECONDS,
        connections: CONNECTIONS,
        serverPid: server.child.pid as number,
      });
      const answeredAsExpected =
        result.socketErrors === 0 &&
        (expected[kind] === 'accepted' ? result.non2xx === 0 : result.non2xx === result.requests);
      // The replay case sends its one header over and over; every other case must never repeat a nonce.
      if (!answeredAsExpected || (kind !== 'replayed nonce' && result.wraps > 0)) {
        throw new Error(`${kind}: ${result.non2xx} of ${result.requests} refused, ${result.wraps} wraps`);
      }
      // Round 0 warms up: V8 compiles each path under its own load first.
      if (round > 0) runs.get(kind)?.push(result);
    }
  }
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
    : (sorted[Math.floor(middle)] as number);
};
const perCpuSecond = (r: RunResult) => r.requestsPerSecond / r.serverCpu;
const acceptedRuns = runs.get('accepted') as RunResult[];
console.log(
  `# Refused against accepted on one Tripod/SQLite server, taking turns (${ROUNDS - 1} rounds × ${SECONDS} s, ${CONNECTIONS} connections, HMAC-SHA1, log level ${LOG_LEVEL})`,
);
console.log();
console.log(
  '| case | req per server CPU-s (median) | × accepted, same round (median, min–max) | p99 ms (median) |',
);
console.log('|---|---:|---:|---:|');
for (const kind of CASES) {
  const own = runs.get(kind) as RunResult[];
  const ratios = own.map((r, i) => perCpuSecond(r) / perCpuSecond(acceptedRuns[i] as RunResult));
  console.log(
    `| ${kind} | ${Math.round(median(own.map(perCpuSecond))).toLocaleString('en')} | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${median(own.map((r) => r.p99Ms)).toFixed(1)} |`,
  );
}

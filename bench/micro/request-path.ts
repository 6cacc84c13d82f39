// What one request costs Tripod's server, accepted or refused, measured in CPU time of this process rather
// than in requests per second: on a machine shared with other work, wall-clock rates mostly measure the
// neighbours, while the CPU a request takes stays put. The real app (buildApp, default settings, log
// level info written to /dev/null) on a real SQLite file with the verification cache; requests go through
// Fastify's inject (no sockets: what the load benchmark adds on top is the same for every case), 50 at a
// time so that nonce claims are group-committed as under load. Cases are interleaved round by round; each
// figure is the median over the rounds of CPU µs per request.
//
//   node bench/micro/request-path.ts [--rounds 9] [--requests 4000]

import { randomBytes } from 'node:crypto';
import { benchArguments } from '../arguments.ts';
import { startInProcessTripod } from './in-process-tripod.ts';

const { values } = benchArguments({
  options: { rounds: { type: 'string', default: '9' }, requests: { type: 'string', default: '4000' } },
});
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);

const tripod = await startInProcessTripod({ logLevel: 'info' });
const { consumer, header, send } = tripod;

type Case = 'accepted' | 'wrong signature' | 'unknown consumer' | 'replayed nonce';
const CASES: Case[] = ['accepted', 'wrong signature', 'unknown consumer', 'replayed nonce'];
const EXPECTED: Record<Case, number> = {
  accepted: 200,
  'wrong signature': 401,
  'unknown consumer': 401,
  'replayed nonce': 401,
};

/** The Authorization headers of one round of a case, signed before the clock starts. */
async function headersOf(kind: Case): Promise<string[]> {
  if (kind === 'replayed nonce') {
    const once = header(consumer.key, consumer.secret);
    await send([once], 200);
    return Array.from({ length: REQUESTS }, () => once);
  }
  return Array.from({ length: REQUESTS }, () =>
    kind === 'accepted'
      ? header(consumer.key, consumer.secret)
      : kind === 'wrong signature'
        ? header(consumer.key, 'not-the-secret')
        : header(`unknown-${randomBytes(6).toString('hex')}`, consumer.secret),
  );
}

const samples = new Map<Case, number[]>(CASES.map((c) => [c, []]));
for (let round = 0; round <= ROUNDS; round++) {
  for (const kind of CASES) {
    const headers = await headersOf(kind);
    const before = process.cpuUsage();
    await send(headers, EXPECTED[kind]);
    const used = process.cpuUsage(before);
    // Round 0 warms up (JIT, caches, the statements).
    if (round > 0) samples.get(kind)!.push((used.user + used.system) / REQUESTS);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const accepted = median(samples.get('accepted')!);
console.log(`# Tripod's request path: CPU µs per request (median of ${ROUNDS} rounds × ${REQUESTS})\n`);
console.log('| case | CPU µs per request | × accepted | min–max µs |');
console.log('|---|---:|---:|---:|');
for (const kind of CASES) {
  const xs = samples.get(kind)!;
  const m = median(xs);
  console.log(
    `| ${kind} | ${m.toFixed(1)} | ${(m / accepted).toFixed(2)} | ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} |`,
  );
}
await tripod.close();

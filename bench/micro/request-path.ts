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
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from '../../src/core/signing.ts';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { buildApp } from '../../src/server/app.ts';
import { serverConfig } from '../../src/server/config.ts';
import { registerApp, registerUser } from '../../src/server/registration.ts';
import { openStores } from '../../src/stores/open-stores.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '9' }, requests: { type: 'string', default: '4000' } },
});
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);
const CONCURRENCY = 50;
const PATH = '/1.1/account/verify_credentials.json';
const URL_SIGNED = `http://localhost${PATH}`;

const dataDir = mkdtempSync(join(tmpdir(), 'tripod-request-path-'));
const stores = await openStores({ dataDir });
const clock = { now: () => Date.now() };
const random = createRandomSource();
const app = await buildApp({
  config: serverConfig({ port: '0', logLevel: 'info' }),
  stores,
  clock,
  random,
  logStream: createWriteStream('/dev/null'),
});
await app.ready();
const user = await registerUser(stores, { username: 'bench', password: 'bench password' }, { clock, random });
const consumer = await registerApp(stores, { name: 'Bench' }, { clock, random });
const token = { token: `t-${randomBytes(8).toString('hex')}`, secret: randomBytes(16).toString('hex') };
await stores.accessTokens.create({
  ...token,
  consumerKey: consumer.key,
  userId: user.id,
  accessLevel: 'read-write',
  createdAt: clock.now(),
  revokedAt: null,
});

type Case = 'accepted' | 'wrong signature' | 'unknown consumer' | 'replayed nonce';
const CASES: Case[] = ['accepted', 'wrong signature', 'unknown consumer', 'replayed nonce'];
const EXPECTED: Record<Case, number> = {
  accepted: 200,
  'wrong signature': 401,
  'unknown consumer': 401,
  'replayed nonce': 401,
};

function header(
  consumerKey: string,
  consumerSecret: string,
  nonce = randomBytes(12).toString('hex'),
): string {
  return signRequest({
    method: 'GET',
    url: URL_SIGNED,
    consumerKey,
    consumerSecret,
    token: token.token,
    tokenSecret: token.secret,
    nonce,
    timestamp: Math.floor(Date.now() / 1000),
  }).authorization;
}

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

async function send(headers: string[], expected: number): Promise<void> {
  for (let i = 0; i < headers.length; i += CONCURRENCY) {
    const answers = await Promise.all(
      headers
        .slice(i, i + CONCURRENCY)
        .map((authorization) =>
          app.inject({ method: 'GET', url: PATH, headers: { host: 'localhost', authorization } }),
        ),
    );
    for (const answer of answers) {
      if (answer.statusCode !== expected) {
        throw new Error(`expected ${expected}, got ${answer.statusCode}: ${answer.body}`);
      }
    }
  }
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
await app.close();
await stores.close();
rmSync(dataDir, { recursive: true, force: true });

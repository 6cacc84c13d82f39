// What encrypting secrets at rest costs a lookup (issue 11): `accessTokens.get` and `consumers.get` on a
// SQLite file with secrets in clear, and on one with them sealed (one AES-256-GCM open per row read).
// Interleaved round by round so that noise from other work on the machine hits both alike; each figure is
// the median over the rounds. Not part of `npm run bench`'s default run (it measures the stores, not HTTP).
//
//   node bench/micro/secrets-at-rest.ts [--rounds 31] [--iterations 2000]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newOperatorKeyLine, parseOperatorKeys } from '../../src/stores/operator-keys.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import type { TripodStores } from '../../src/stores/types.ts';
import { benchArguments } from '../arguments.ts';

const { values: flags } = benchArguments({
  options: { rounds: { type: 'string', default: '31' }, iterations: { type: 'string', default: '2000' } },
});
const ROUNDS = Number(flags.rounds);
const ITERATIONS = Number(flags.iterations);

const dir = mkdtempSync(join(tmpdir(), 'tripod-bench-secrets-'));
const clear = await openSqliteStores(join(dir, 'clear.db'));
const sealed = await openSqliteStores(join(dir, 'sealed.db'), {
  operatorKeys: parseOperatorKeys(newOperatorKeyLine(), 'bench'),
});
const secret = 'Pj2k0T7tS1w4kq3Y2H7xj1o3cQ7YH0lq8bq3m9W0Y1Q';
for (const stores of [clear, sealed]) {
  await stores.consumers.create({
    key: 'bench-app',
    secret,
    name: 'Bench',
    description: '',
    website: '',
    ownerUserId: null,
    callbackUrls: [],
    accessLevel: 'read-write',
    xauth: false,
    rsaPublicKey: null,
    disabled: false,
    createdAt: 1,
  });
  await stores.accessTokens.create({
    token: 'bench-token',
    secret,
    consumerKey: 'bench-app',
    userId: 'u1',
    accessLevel: 'read-write',
    createdAt: 1,
    revokedAt: null,
  });
}

const cases: Record<string, (stores: TripodStores) => Promise<unknown>> = {
  'accessTokens.get': (stores) => stores.accessTokens.get('bench-token'),
  'consumers.get': (stores) => stores.consumers.get('bench-app'),
};

async function perCall(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await run();
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
for (const [name, run] of Object.entries(cases)) {
  const clearNs: number[] = [];
  const sealedNs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    clearNs.push(await perCall(() => run(clear)));
    sealedNs.push(await perCall(() => run(sealed)));
  }
  const extra = median(sealedNs.map((ns, i) => ns - (clearNs[i] as number)));
  console.log(
    `${name.padEnd(18)} clear ${(median(clearNs) / 1000).toFixed(1)} µs  sealed ${(median(sealedNs) / 1000).toFixed(1)} µs  (+${(extra / 1000).toFixed(1)} µs per lookup)`,
  );
}
await Promise.all([clear.close(), sealed.close()]);
rmSync(dir, { recursive: true, force: true });

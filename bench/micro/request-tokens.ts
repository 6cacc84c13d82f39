// An app's request tokens piling up, through the store as the server opens it: tokens answered, denied or
// exchanged stay until they expire (15 minutes by default), so an app finishing 100 flows a second holds
// about 90,000 of them, and the purge (every 5 minutes by default) finds some 30,000 expired at a time.
//
// - The cap check of each request_token (provider/request-token-endpoint.ts: an app may hold at most
//   `maxOutstandingRequestTokens` tokens nobody has answered yet, 1,000 by default), as the app's finished
//   tokens grow; it keeps 20 tokens waiting throughout. The median of 9 rounds of 50 checks, µs a check
//   (SQLite's runs on the event loop; PostgreSQL's is a round trip).
// - The purge of `--expired` expired tokens (each leaves a tombstone), then of their tombstones once those
//   expire: ms in all, and the longest the event loop went without a turn meanwhile (a 1-ms timer's gap),
//   which is how long every request waited.
//
//   node bench/micro/request-tokens.ts [--stores sqlite|postgres] [--database-url postgres://…] [--finished 0,1000,10000,100000] [--expired 30000]
//
// --stores postgres needs a database of its own (the script adds tables to it); --database-url names it.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestToken } from '../../src/provider/types.ts';
import { openPostgresStores } from '../../src/stores/postgres/open.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import { benchArguments } from '../arguments.ts';
import { timedWithPauses as timed } from '../pauses.ts';

const { values } = benchArguments({
  options: {
    stores: { type: 'string', default: 'sqlite' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/tripod_bench_tokens' },
    finished: { type: 'string', default: '0,1000,10000,100000' },
    expired: { type: 'string', default: '30000' },
  },
});
const steps = values.finished.split(',').map(Number);
const EXPIRED = Number(values.expired);
const CAP = 1000;
const WAITING = 20;

const dir = mkdtempSync(join(tmpdir(), 'tripod-request-tokens-'));
const stores =
  values.stores === 'postgres'
    ? await openPostgresStores(values['database-url'], { revocationEvents: false })
    : await openSqliteStores(join(dir, 'tripod.sqlite'));
const now = Date.now();
const token = (state: RequestToken['state'], expiresAt = now + 900_000): RequestToken => ({
  token: randomBytes(16).toString('base64url'),
  secret: 'secret',
  consumerKey: 'busy-app',
  callback: 'oob',
  accessLevel: 'read',
  createdAt: expiresAt - 900_000,
  expiresAt,
  state,
  version: 0,
});

/**
 * Adds `count` tokens, 500 at a time (one event-loop turn's writes share a commit on SQLite), the i-th
 * expiring at `expiresAt(i)`.
 */
async function add(
  count: number,
  state: RequestToken['state'],
  expiresAt?: (i: number) => number,
): Promise<void> {
  for (let i = 0; i < count; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, (_, j) =>
        stores.requestTokens.create(token(state, expiresAt?.(i + j))),
      ),
    );
  }
}

await add(WAITING, { status: 'issued' });
console.log(
  `| ${values.stores}: finished tokens of the app | counted | µs a cap check, median (min–max of 9 rounds) |`,
);
console.log('|---:|---:|---:|');
let finished = 0;
for (const step of steps) {
  // Exchanged and denied in turn, as an app's users finish their flows or turn it away.
  await add(Math.ceil((step - finished) / 2), { status: 'exchanged', userId: 'u', accessToken: 'at' });
  await add(Math.floor((step - finished) / 2), { status: 'denied' });
  finished = step;
  const rounds: number[] = [];
  let counted = 0;
  for (let round = 0; round < 9; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 50; i++) counted = await stores.requestTokens.countOutstanding('busy-app', now, CAP);
    rounds.push(Number(process.hrtime.bigint() - start) / 50 / 1000);
  }
  rounds.sort((a, b) => a - b);
  const at = (i: number) => (rounds[i] as number).toFixed(1);
  console.log(`| ${step.toLocaleString('en-US')} | ${counted} | ${at(4)} (${at(0)}–${at(8)}) |`);
}

// Expired over the last five minutes (the purge's interval), finished and abandoned alike, beside the live
// ones above.
const spread = (i: number) => now - 1000 - Math.floor((i * 300_000) / EXPIRED);
await add(EXPIRED / 2, { status: 'exchanged', userId: 'u', accessToken: 'at' }, (i) => spread(2 * i));
await add(EXPIRED / 2, { status: 'issued' }, (i) => spread(2 * i + 1));
const purge = await timed(() => stores.requestTokens.deleteExpired(now));
const tombstones = await timed(() => stores.requestTokens.deleteTombstones(now));
console.log();
console.log(
  `| ${values.stores}: purged | ms in all / longest pause | their tombstones purged | ms in all / longest pause |`,
);
console.log('|---:|---:|---:|---:|');
console.log(
  `| ${purge.result.toLocaleString('en-US')} | ${purge.ms.toFixed(0)} / ${purge.longestPauseMs.toFixed(0)} | ${tombstones.result.toLocaleString('en-US')} | ${tombstones.ms.toFixed(0)} / ${tombstones.longestPauseMs.toFixed(0)} |`,
);
await stores.close();
rmSync(dir, { recursive: true, force: true });

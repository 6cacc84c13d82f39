// What request_token's cap check costs (provider/request-token-endpoint.ts: an app may hold at most
// `maxOutstandingRequestTokens` tokens nobody has answered yet, 1,000 by default), as the app's finished
// flows pile up: tokens answered, denied or exchanged stay in the table until they expire (15 minutes by
// default), so an app finishing 100 flows a second holds about 90,000 of them. Through the store as the
// server opens it; the app keeps 20 tokens waiting throughout. Each row: the median of 9 rounds of 50
// checks, µs a check (SQLite's run on the event loop; PostgreSQL's is a round trip).
//
//   node bench/micro/request-token-cap.ts [--stores sqlite|postgres] [--database-url postgres://…] [--finished 0,1000,10000,100000]
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

const { values } = benchArguments({
  options: {
    stores: { type: 'string', default: 'sqlite' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/tripod_bench_cap' },
    finished: { type: 'string', default: '0,1000,10000,100000' },
  },
});
const steps = values.finished.split(',').map(Number);
const CAP = 1000;
const WAITING = 20;

const dir = mkdtempSync(join(tmpdir(), 'tripod-request-token-cap-'));
const stores =
  values.stores === 'postgres'
    ? await openPostgresStores(values['database-url'], { revocationEvents: false })
    : await openSqliteStores(join(dir, 'tripod.sqlite'));
const now = Date.now();
const token = (state: RequestToken['state']): RequestToken => ({
  token: randomBytes(16).toString('base64url'),
  secret: 'secret',
  consumerKey: 'busy-app',
  callback: 'oob',
  accessLevel: 'read',
  createdAt: now,
  expiresAt: now + 900_000,
  state,
  version: 0,
});

/** Adds `count` tokens in `state`, 500 at a time (one event-loop turn's writes share a commit on SQLite). */
async function add(count: number, state: RequestToken['state']): Promise<void> {
  for (let i = 0; i < count; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, () => stores.requestTokens.create(token(state))),
    );
  }
}

await add(WAITING, { status: 'issued' });
console.log(
  `| ${values.stores}: finished tokens of the app | counted | µs a check, median (min–max of 9 rounds) |`,
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
await stores.close();
rmSync(dir, { recursive: true, force: true });

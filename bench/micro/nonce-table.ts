// The SQLite nonce table under a verified request's load, through the store as the server opens it: what
// a claim costs when claims come in batches of one event-loop turn (the group commit), and what a purge of
// the expired ones costs, in all and at most between two turns of the event loop (a 1-ms timer's longest
// gap while it runs), and what counting them for the metric costs. Keys as the provider makes them
// (provider/signed-request.ts `nonceKey`: the timestamp, then a digest), `--rate` claims per second of
// timestamps, each expiring with its second.
//
//   node bench/micro/nonce-table.ts [--claims 1000000] [--batch 45] [--rate 7000] [--keys nonceKey|before-0012]
//
// --keys before-0012: keys of the longer form written before migration 0012 (15 digits, '.', 43 characters).

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { nonceKey, type SignedRequest } from '../../src/provider/signed-request.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import { benchArguments } from '../arguments.ts';
import { timedWithPauses as timed } from '../pauses.ts';

const { values } = benchArguments({
  options: {
    claims: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '45' },
    rate: { type: 'string', default: '7000' },
    keys: { type: 'string', default: 'nonceKey' },
  },
});
const CLAIMS = Number(values.claims);
const BATCH = Number(values.batch);
const RATE = Number(values.rate);
const WINDOW_SECONDS = 300;

const dir = mkdtempSync(join(tmpdir(), 'tripod-nonce-table-'));
const file = join(dir, 'nonces.sqlite');
const stores = await openSqliteStores(file);
// Timestamps that have all expired by now, so that the purge takes every claim.
const firstSecond = Math.floor(Date.now() / 1000) - WINDOW_SECONDS - 1 - Math.ceil(CLAIMS / RATE) - 10;
const keyAt = (i: number) => {
  const second = firstSecond + Math.floor(i / RATE);
  const request = {
    consumerKey: 'app',
    token: 'token',
    timestamp: second,
    nonce: randomBytes(16).toString('hex'),
  };
  return {
    key:
      values.keys === 'before-0012'
        ? `${String(second).padStart(15, '0')}.${randomBytes(32).toString('base64url')}`
        : nonceKey(request as SignedRequest),
    expiresAt: (second + WINDOW_SECONDS + 1) * 1000,
  };
};

// What the process grew by outside V8's heap over the claims (SQLite's page cache among it), after a full
// collection of the JavaScript heap.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
collectGarbage();
/** Memory the process holds outside V8's heap (which keeps what it grew to for a while). */
const outsideHeap = () => process.memoryUsage().rss - process.memoryUsage().heapTotal;
const outsideBefore = outsideHeap();

let claimMs = 0;
let claimCpuUs = 0;
for (let i = 0; i < CLAIMS; i += BATCH) {
  const claims = Array.from({ length: Math.min(BATCH, CLAIMS - i) }, (_, j) => keyAt(i + j));
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // One turn's claims, committed together at setImmediate.
  await Promise.all(claims.map(({ key, expiresAt }) => stores.nonces.claim(key, expiresAt)));
  const cpu = process.cpuUsage(cpuStart);
  claimCpuUs += cpu.user + cpu.system;
  claimMs += performance.now() - start;
}

collectGarbage();
const grewMb = (outsideHeap() - outsideBefore) / 1e6;
/** The database file and its write-ahead log, in MB. */
const fileMb = (statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / 1e6;

// What the metric's count costs (tripod_nonce_store_size) when every nonce is still live (counted as of
// the epoch's start): the busiest case, a server whose table holds only its live window.
const count = await timed(() => stores.nonces.size(0));
const purge = await timed(() => stores.nonces.deleteExpired(Date.now()));
await stores.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  `| claims | µs per claim (batches of ${BATCH}), wall / CPU | file + log MB | grew outside V8's heap, MB | count ms, in all / longest pause | purged | purge ms, in all / longest pause |`,
);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
console.log(
  `| ${CLAIMS.toLocaleString('en-US')} | ${((claimMs * 1000) / CLAIMS).toFixed(2)} / ${(claimCpuUs / CLAIMS).toFixed(2)} | ${fileMb.toFixed(0)} | ${grewMb.toFixed(0)} | ${count.ms.toFixed(0)} / ${count.longestPauseMs.toFixed(0)} | ${purge.result.toLocaleString('en-US')} | ${purge.ms.toFixed(0)} / ${purge.longestPauseMs.toFixed(0)} |`,
);

// Memory and the nonce store over a long run (issue 10): N verified requests (default one million) through
// the real app on SQLite, with RSS, the nonce table's rows (all rows, and the live ones) and the nonces held
// in memory in front of it (src/stores/recent-nonces.ts by default; nonce-window.ts with `behind`) every
// `--every` requests; then no traffic, and the same every 5 s until the table is empty again. The
// timestamp window is the shortest allowed (30 s) and pruning every 10 s, so the table's bound
// (rate × (window + prune interval)) and its shrinking show within a minute; the defaults (300 s, 300 s)
// only make both ten to thirty times longer.
//
//   node --expose-gc bench/micro/soak.ts [--requests 1000000] [--every 100000]

import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { NonceWindow } from '../../src/stores/nonce-window.ts';
import { RecentNonces } from '../../src/stores/recent-nonces.ts';
import { startInProcessTripod } from './in-process-tripod.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' },
    every: { type: 'string', default: '100000' },
  },
});
const REQUESTS = Number(values.requests);
const EVERY = Number(values.every);
const WINDOW_SECONDS = 30;
const PRUNE_SECONDS = 10;
const BATCH = 2000;

const tripod = await startInProcessTripod({
  logLevel: 'info',
  timestampWindowSeconds: String(WINDOW_SECONDS),
  pruneIntervalSeconds: String(PRUNE_SECONDS),
});
const db = new Database(tripod.databaseFile, { readonly: true });
const rows = () => (db.prepare('select count(*) as n from nonces').get() as { n: number }).n;
const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
// With --expose-gc, the heap after a full collection: what is really kept, apart from the heap's slack.
const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

console.log(
  `# Soak: ${REQUESTS.toLocaleString('en-US')} verified requests, window ${WINDOW_SECONDS} s, prune every ${PRUNE_SECONDS} s\n`,
);
console.log(
  '| after | s | RSS MB | heap used MB | nonce rows | live nonces | held in memory | req/s so far |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const line = async (label: string) => {
  const live = await tripod.stores.nonces.size(Date.now());
  const rate = sent / ((performance.now() - started) / 1000);
  const nonces = tripod.stores.nonces;
  const remembered =
    nonces instanceof NonceWindow || nonces instanceof RecentNonces
      ? nonces.remembered.toLocaleString('en-US')
      : '–';
  console.log(
    `| ${label} | ${seconds()} | ${rssMb().toFixed(0)} | ${heapMb().toFixed(0)} | ${rows().toLocaleString('en-US')} | ${live.toLocaleString('en-US')} | ${remembered} | ${Math.round(rate).toLocaleString('en-US')} |`,
  );
};

let sent = 0;
// A first batch warms up (JIT, statements, caches): RSS is taken as the start after it.
await tripod.send(
  Array.from({ length: BATCH }, () => tripod.header(tripod.consumer.key, tripod.consumer.secret)),
  200,
);
sent += BATCH;
await line(`${sent.toLocaleString('en-US')} requests (the start)`);
const startRss = rssMb();
while (sent < REQUESTS) {
  const headers = Array.from({ length: Math.min(BATCH, REQUESTS - sent) }, () =>
    tripod.header(tripod.consumer.key, tripod.consumer.secret),
  );
  await tripod.send(headers, 200);
  sent += headers.length;
  if (sent % EVERY === 0 || sent === REQUESTS) await line(`${sent.toLocaleString('en-US')} requests`);
}
const endRss = rssMb();
for (let waited = 5; waited <= WINDOW_SECONDS + 3 * PRUNE_SECONDS; waited += 5) {
  await new Promise((resolve) => setTimeout(resolve, 5000));
  await line(`idle ${waited} s`);
  if (rows() === 0) break;
}
console.log(
  `\nRSS: ${startRss.toFixed(0)} MB at the start, ${endRss.toFixed(0)} MB after ${REQUESTS.toLocaleString('en-US')} requests (${(endRss - startRss).toFixed(0)} MB more).`,
);
db.close();
await tripod.close();

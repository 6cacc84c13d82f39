// Issue 10's memory targets on the server as an operator runs it: a real `tripod-server serve` (as `npm
// start` runs it: `--max-semi-space-size=8`) on stores of its own (SQLite by default, or PostgreSQL +
// Redis), pinned to the server core, answers N verified requests (default one million), each signed with
// its own nonce and a fresh timestamp by this process on the other core, 50 in flight over keep-alive
// connections. Every `--every` requests it prints the server's RSS (/proc), its V8 heap and the nonces it
// keeps (its /metrics), and on SQLite the nonce table's rows, expired ones included (a read-only
// connection to its file); then no traffic, and the same every 5 s until no nonce is kept; last, the RSS
// after one memory-reducing collection (reclaim-on-signal.mjs), which tells memory in use from freed memory
// V8 keeps for reuse. The timestamp window is the shortest allowed (30 s) and pruning every 10 s, so the
// store's bound (rate × (window + prune interval)) and its shrinking show within a minute; the defaults
// (300 s, 300 s) only make both ten to thirty times longer. The load's pace is not the point (`npm run
// bench` measures that): nothing of the load generator counts in the server's memory.
//
//   npm run bench:soak -- [--requests 1000000] [--every 100000] [--connections 50]
//     [--stores sqlite|postgres-redis] [--postgres-url postgres://…/postgres] [--redis-url redis://…]
//     [--node-flags='--trace-gc --trace-gc-nvp'] (more flags for the server's Node, after npm start's; its
//     output is in the server's log, removed at the end: copy it while the soak runs)
//     [--tripod-from build|sources] (the server from its build, as the installed package runs it, after
//     `npm run build`; or from the TypeScript: as-shipped.ts)

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { signRequest } from '../../src/core/signing.ts';
import { DATABASE_FILE } from '../../src/stores/open-stores.ts';
import { benchArguments } from '../arguments.ts';
import { type CodeFrom, isCodeFrom, prepareBenchCode } from './as-shipped.ts';
import { freePort, startPinned, treeRssMb, waitUntilAnswering } from './processes.ts';
import { heapTotals, metricValue, scrapeMetrics } from './server-metrics.ts';
import { VERIFY_CREDENTIALS_PATH } from './servers/answer.ts';
import type { Credentials } from './signing.ts';
import {
  accessTokenThroughPinFlow,
  chosenPlace,
  STORES_OPTIONS,
  serveArguments,
  serverNodeFlags,
  setUpTripod,
} from './tripod.ts';

const { values } = benchArguments({
  options: {
    requests: { type: 'string', default: '1000000' },
    every: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '50' },
    ...STORES_OPTIONS,
    'node-flags': { type: 'string', default: '' },
    'tripod-from': { type: 'string', default: 'build' },
  },
});
const REQUESTS = Number(values.requests);
const EVERY = Number(values.every);
const CONNECTIONS = Number(values.connections);
const WARM_UP = 2000;
const WINDOW_SECONDS = 30;
const PRUNE_SECONDS = 10;
/** The target: the server's RSS after the requests within this much of where it started. */
const ALLOWED_GROWTH_MB = 50;
if (
  ![REQUESTS, EVERY, CONNECTIONS].every((n) => Number.isInteger(n) && n > 0) ||
  REQUESTS < WARM_UP ||
  !['sqlite', 'postgres-redis'].includes(values.stores) ||
  !isCodeFrom(values['tripod-from'])
) {
  console.error(
    `usage: npm run bench:soak -- [--requests N ≥ ${WARM_UP}] [--every N] [--connections N] [--stores sqlite|postgres-redis] [--tripod-from build|sources]`,
  );
  process.exit(2);
}

const workDir = mkdtempSync(join(tmpdir(), 'tripod-soak-'));
// As the installed package runs it (its build), or from the sources (as-shipped.ts).
const code = prepareBenchCode(values['tripod-from'] as CodeFrom, workDir);
const place = await chosenPlace(values, join(workDir, 'data'));
const setup = await setUpTripod(place).catch(async (error: unknown) => {
  await place.remove();
  rmSync(workDir, { recursive: true, force: true });
  throw error;
});
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// After the load and the idle, one memory-reducing collection (on SIGUSR2): how much of the growth is in use.
const RECLAIM_FLAGS = [
  '--expose-gc',
  `--import=${fileURLToPath(new URL('./reclaim-on-signal.mjs', import.meta.url))}`,
];
const server = startPinned(
  process.execPath,
  [
    ...serverNodeFlags(values['node-flags']),
    ...RECLAIM_FLAGS,
    ...serveArguments(
      setup,
      port,
      ['--timestamp-window', String(WINDOW_SECONDS), '--prune-interval', String(PRUNE_SECONDS)],
      code.tripodCli,
    ),
  ],
  join(workDir, 'server.log'),
);

/** Sends `count` signed GET verify_credentials, `CONNECTIONS` at a time; throws on any answer but 200. */
function load(credentials: Credentials): (count: number) => Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const url = `${base}${VERIFY_CREDENTIALS_PATH}`;
  const prefix = randomBytes(4).toString('hex');
  let signed = 0;
  const authorization = () =>
    signRequest({
      method: 'GET',
      url,
      ...credentials,
      nonce: `${prefix}${String(signed++).padStart(16, '0')}`,
      timestamp: Math.floor(Date.now() / 1000),
    }).authorization;
  const send = () =>
    new Promise<number>((resolve, reject) => {
      const outgoing = request(url, { agent, headers: { authorization: authorization() } }, (answer) => {
        answer.resume();
        answer.once('end', () => resolve(answer.statusCode ?? 0));
        answer.once('error', reject);
      });
      outgoing.once('error', reject);
      outgoing.end();
    });
  return async (count) => {
    let left = count;
    const connection = async () => {
      while (left > 0) {
        left--;
        const status = await send();
        if (status !== 200) throw new Error(`a verified request was answered ${status}:\n${server.output()}`);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, connection));
  };
}

try {
  await waitUntilAnswering(server, `${base}/`);
  const credentials = await accessTokenThroughPinFlow(base, setup);
  const send = load(credentials);
  // SQLite's table keeps expired nonces until the next prune: its rows show the bound. (Redis expires them.)
  const db =
    place.settings.dataDir === undefined
      ? null
      : new Database(join(place.settings.dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  const rows = () => (db?.prepare('select count(*) as n from nonces').get() as { n: number } | undefined)?.n;
  const rss = () => treeRssMb(server.child.pid as number);
  const started = performance.now();
  let sent = 0;
  let stretch = { at: started, sent: 0 };
  /** Prints a row of the table; returns the RSS and the nonces kept. */
  const line = async (label: string) => {
    const metrics = await scrapeMetrics(base);
    const heap = heapTotals(metrics);
    const kept = metricValue(metrics, 'tripod_nonce_store_size');
    const now = performance.now();
    const rate = sent > stretch.sent ? ((sent - stretch.sent) * 1000) / (now - stretch.at) : 0;
    stretch = { at: now, sent };
    const mb = rss();
    const cells = [
      label,
      ((now - started) / 1000).toFixed(0),
      mb.toFixed(0),
      heap ? `${heap.usedMb} / ${heap.totalMb}` : '–',
      kept?.toLocaleString('en-US') ?? '–',
      rows()?.toLocaleString('en-US') ?? '–',
      rate ? Math.round(rate).toLocaleString('en-US') : '',
    ];
    console.log(`| ${cells.join(' | ')} |`);
    return { mb, kept };
  };

  console.log(
    `# Soak: ${REQUESTS.toLocaleString('en-US')} verified requests to tripod-server serve (from its ${code.from}; ${[...serverNodeFlags(values['node-flags']), RECLAIM_FLAGS[0]].join(' ')}, ${values.stores}), ${CONNECTIONS} in flight, window ${WINDOW_SECONDS} s, prune every ${PRUNE_SECONDS} s\n`,
  );
  console.log(
    '| after | s | server RSS MB | V8 heap used / total MB | nonces kept (metric) | nonce table rows | req/s since the line before |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const idleRss = (await line('started, one PIN flow (idle)')).mb;
  await send(WARM_UP);
  sent += WARM_UP;
  const warmRss = (await line(`${sent.toLocaleString('en-US')} requests`)).mb;
  while (sent < REQUESTS) {
    const count = Math.min(EVERY - (sent % EVERY), REQUESTS - sent);
    await send(count);
    sent += count;
    await line(`${sent.toLocaleString('en-US')} requests`);
  }
  const endRss = rss();
  let settledRss = endRss;
  for (let waited = 5; waited <= WINDOW_SECONDS + 3 * PRUNE_SECONDS; waited += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const idle = await line(`idle ${waited} s`);
    settledRss = idle.mb;
    if (idle.kept === 0 && (rows() ?? 0) === 0) break;
  }
  server.child.kill('SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const inUseRss = (await line('idle, after one memory-reducing collection')).mb;
  db?.close();
  const signed = (mb: number) => `${mb >= 0 ? '+' : ''}${mb.toFixed(0)} MB`;
  const growth = (from: number) => signed(endRss - from);
  console.log(
    `\nServer RSS: ${idleRss.toFixed(0)} MB idle after start, ${warmRss.toFixed(0)} MB after the first ${WARM_UP.toLocaleString('en-US')} requests, ${endRss.toFixed(0)} MB after ${REQUESTS.toLocaleString('en-US')} (${growth(idleRss)} from idle, ${growth(warmRss)} from the first ${WARM_UP.toLocaleString('en-US')}), ${settledRss.toFixed(0)} MB idle afterwards, ${inUseRss.toFixed(0)} MB after one memory-reducing collection (${signed(inUseRss - idleRss)} from idle: the rest was freed memory V8 kept for reuse).`,
  );
  console.log(
    `Within ${ALLOWED_GROWTH_MB} MB of the start (issue 10): ${endRss - idleRss <= ALLOWED_GROWTH_MB ? 'yes' : 'no'} from idle, ${endRss - warmRss <= ALLOWED_GROWTH_MB ? 'yes' : 'no'} from the first ${WARM_UP.toLocaleString('en-US')}; in use (after the collection), ${inUseRss - idleRss <= ALLOWED_GROWTH_MB ? 'yes' : 'no'} from idle.`,
  );
} finally {
  await server.stop();
  await place.remove();
  rmSync(workDir, { recursive: true, force: true });
}

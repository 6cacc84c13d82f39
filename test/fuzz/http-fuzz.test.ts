// Malformed input never gives a 5xx, a crash or a hang (issue 11): a short fuzz campaign (a few thousand
// requests, fixed fast-check seed) against a real `tripod-server` process — real signed requests from the
// SDK and real page forms, broken at every layer — with a real client still served afterwards and the
// server's memory bounded. `npm run fuzz` runs the same campaign with 100,000 requests and a fresh seed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { removeTempDirs } from '../cli/tripod-process.ts';
import { type CampaignReport, runCampaign } from './fixtures/campaign.ts';
import { type FuzzTarget, startFuzzTarget } from './fixtures/fuzz-target.ts';
import { megabytes } from './fixtures/process-memory.ts';

// Measured peaks are 250–370 MB (Node, Fastify and SQLite at rest take ~140 MB; in flight, 1–3 MB bodies on
// many connections); an unbounded buffer of bodies, sessions or debugger entries blows past this.
const RSS_BOUND = 512 * 1024 * 1024;

let target: FuzzTarget;
let report: CampaignReport;
before(async () => {
  target = await startFuzzTarget();
  report = await runCampaign(target, { requests: 2000, seed: 11, checkEvery: 1000 });
});
after(async () => {
  await target?.close();
  removeTempDirs();
});

test('every broken request gets a 4xx in Tripod’s shape (JSON oauth_problem or an HTML page): no 5xx, silence or hang', (t) => {
  t.diagnostic(
    `${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(report.byStatus)}`,
  );
  assert.equal(report.requests, 2000);
  assert.deepEqual(report.failures, []);
  assert.deepEqual(report.serverErrors, [], 'the server logged unhandled errors');
});

test('every family of mutation was sent, to every seed', () => {
  for (const family of [
    'header dropped',
    'OAuth parameter duplicated',
    'request target',
    'huge body',
    'chunked body',
    'signed parameter changed (must be refused)',
    'slow client (bytes dripped)',
  ]) {
    assert.ok((report.byMutation[family] ?? 0) > 0, `no "${family}" request`);
  }
  for (const seed of target.seeds())
    assert.ok((report.bySeed[seed.name] ?? 0) > 0, `seed "${seed.name}" never used`);
});

test('a real client is served afterwards: signed requests and a whole PIN flow', async () => {
  assert.ok(report.healthChecks >= 3);
  await target.healthCheck({ fullFlow: true });
});

test('the server’s memory stays bounded under the fuzz', (t) => {
  t.diagnostic(
    `RSS start ${megabytes(report.rss.start)}, peak ${megabytes(report.rss.peak)}, end ${megabytes(report.rss.end)}`,
  );
  assert.ok(report.rss.peak > 0);
  assert.ok(report.rss.peak < RSS_BOUND, `peak RSS ${megabytes(report.rss.peak)}`);
});

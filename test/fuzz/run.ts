// `npm run fuzz [-- --requests N --seed S --json]`: the full fuzz campaign against a real tripod-server
// (100,000 requests by default), with a summary of what was sent, what came back and the server's memory.
// Exits 1 when any answer was wrong (a 5xx, a hang, silence, a shapeless 4xx, a tampered request accepted),
// the server logged an unhandled error or exited, or a real client stopped working.

import { parseArgs } from 'node:util';
import { removeTempDirs } from '../cli/tripod-process.ts';
import { type CampaignReport, runCampaign } from './fixtures/campaign.ts';
import { startFuzzTarget } from './fixtures/fuzz-target.ts';
import { megabytes } from './fixtures/process-memory.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    json: { type: 'boolean', default: false },
  },
});
const requests = Number(values.requests);
const seed = Number(values.seed);
if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run fuzz -- [--requests N] [--seed S] [--json]\n');
  process.exit(2);
}

function table(title: string, rows: Record<string, number>): string {
  const sorted = Object.entries(rows).sort((a, b) => b[1] - a[1]);
  const width = Math.max(...sorted.map(([k]) => k.length));
  return [title, ...sorted.map(([k, n]) => `  ${k.padEnd(width)}  ${n}`)].join('\n');
}

function summary(report: CampaignReport): string {
  const seconds = report.durationMs / 1000;
  return [
    `Fuzzed ${report.requests} requests in ${seconds.toFixed(1)} s (${(report.requests / seconds).toFixed(0)}/s), fast-check seed ${seed}`,
    `Server RSS: start ${megabytes(report.rss.start)}, peak ${megabytes(report.rss.peak)}, end ${megabytes(report.rss.end)}`,
    `Health checks passed (a real signed request, then a whole PIN flow at the end): ${report.healthChecks}`,
    table('Answers by status:', report.byStatus),
    table('Requests by mutation (a request has one to three):', report.byMutation),
    table('Requests by seed:', report.bySeed),
    `Failures: ${report.failures.length}; server error log lines: ${report.serverErrors.length}`,
    ...report.failures
      .slice(0, 30)
      .map(
        (f) =>
          `  ${f.reason}\n    seed ${f.seed}; ${f.mutations.join(' + ')}\n    sent ${f.sent.slice(0, 400)}`,
      ),
    ...report.serverErrors.slice(0, 10).map((line) => `  log: ${line}`),
  ].join('\n');
}

const target = await startFuzzTarget();
let report: CampaignReport;
try {
  report = await runCampaign(target, {
    requests,
    seed,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
} finally {
  await target.close();
  removeTempDirs();
}
process.stdout.write(`${values.json ? JSON.stringify(report) : summary(report)}\n`);
process.exitCode = report.failures.length > 0 || report.serverErrors.length > 0 ? 1 : 0;

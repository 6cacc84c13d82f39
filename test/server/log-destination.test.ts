// The standalone server's log destination (logger-options.ts, logDestination) on a real pipe: lines reach
// a reader that reads, and when nothing reads, at most the bound waits in memory and newer lines are
// dropped and counted (tripod_log_lines_dropped_total), instead of the server's memory growing.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { LogDestination, logDestination } from '../../src/server/logger-options.ts';
import { TripodMetrics } from '../../src/server/metrics.ts';

const dir = mkdtempSync(join(tmpdir(), 'tripod-log-destination-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fifos = 0;

/** A named pipe, its reading end open (without blocking) and its writing end for the destination. */
function pipe(): { reader: number; writer: number } {
  const path = join(dir, `fifo-${fifos++}`);
  execFileSync('mkfifo', [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY);
  return { reader, writer };
}

/** What the pipe's reader gets within a second, until `length` characters have come. */
async function readPipe(reader: number, length: number): Promise<string> {
  const buffer = Buffer.alloc(64 * 1024);
  let text = '';
  for (let i = 0; i < 100 && text.length < length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    try {
      text += buffer.subarray(0, readSync(reader, buffer)).toString();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
  return text;
}

const LINE = `${JSON.stringify({ level: 30, msg: 'request completed', pad: 'x'.repeat(200) })}\n`;

test('a line reaches a pipe that is read at once, whole', async () => {
  const { reader, writer } = pipe();
  const destination = logDestination(writer);
  destination.write(LINE);
  assert.equal(await readPipe(reader, LINE.length), LINE);
  destination.destroy();
  closeSync(reader);
});

test('when nothing reads, at most the bound waits and newer lines are dropped and counted', async () => {
  const { reader, writer } = pipe();
  const bound = 256 * 1024;
  const destination = logDestination(writer, bound);
  const metrics = new TripodMetrics({ nonceStoreSize: async () => 0 });
  let dropped = 0;
  destination.onDropped((lines) => {
    dropped += lines;
    metrics.logLinesDropped(lines);
  });
  // Far more than the pipe's own buffer (64 KB) and the bound together: 2.3 MB of lines.
  const lines = 10_000;
  for (let i = 0; i < lines; i++) destination.write(LINE);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const waiting = Math.floor(bound / LINE.length);
  assert.ok(dropped > 0, 'lines beyond the bound are dropped');
  // What the pipe took (at most its 64 KB buffer, line by line) and what waits are all that was kept.
  assert.ok(lines - dropped <= waiting + Math.ceil((64 * 1024) / LINE.length) + 1, `${dropped} dropped`);
  assert.match(await metrics.exposition(), new RegExp(`^tripod_log_lines_dropped_total ${dropped}$`, 'm'));
  // Closing the reading end fails the write in flight (EPIPE), which pino's destination swallows.
  closeSync(reader);
  await new Promise((resolve) => setTimeout(resolve, 50));
  destination.destroy();
});

test("a turn's lines reach the reader together and whole, in the order they were logged", async () => {
  const { reader, writer } = pipe();
  const destination = logDestination(writer);
  const lines = Array.from({ length: 45 }, (_, i) => `${JSON.stringify({ level: 30, msg: `line ${i}` })}\n`);
  for (const line of lines) destination.write(line);
  assert.equal(await readPipe(reader, lines.join('').length), lines.join(''));
  destination.destroy();
  closeSync(reader);
});

test('lines logged just before process.exit are written before the process ends', () => {
  // A child logs 200 lines through the destination on its stderr and exits in the same turn.
  const script = `
    import { logDestination } from ${JSON.stringify(new URL('../../src/server/logger-options.ts', import.meta.url).href)};
    const destination = logDestination();
    for (let i = 0; i < 200; i++) destination.write(JSON.stringify({ level: 30, msg: 'line ' + i }) + '\\n');
    process.exit(0);
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 200);
  assert.deepEqual(JSON.parse(lines[199] as string), { level: 30, msg: 'line 199' });
});

test('a line logged after pino closed the destination is dropped, not thrown at the end of the turn', async () => {
  // pino ends its destination itself at beforeExit, once drained; a line may still come after that.
  const { reader, writer } = pipe();
  const out = pino.destination({ dest: writer, sync: false });
  const destination = new LogDestination(out);
  out.destroy();
  let uncaught: unknown = null;
  const onUncaught = (error: unknown) => {
    uncaught = error;
  };
  process.on('uncaughtException', onUncaught);
  try {
    destination.write(LINE);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.removeListener('uncaughtException', onUncaught);
  }
  assert.equal(uncaught, null);
  closeSync(reader);
});

// The standalone server's log destination (logger-options.ts, logDestination) on a real pipe: lines reach
// a reader that reads, and when nothing reads, at most the bound waits in memory and newer lines are
// dropped and counted (tripod_log_lines_dropped_total), instead of the server's memory growing. On a
// regular file, a turn's lines are written by the main thread at the turn's end.

import assert from 'node:assert/strict';
import { execFileSync, type SpawnSyncOptionsWithStringEncoding, spawnSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sonicBoom from 'sonic-boom';
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

/** Every thread of libuv's pool (4 unless UV_THREADPOOL_SIZE says more) busy for a few hundred ms. */
function busyThreadPool(): Promise<unknown> {
  const threads = Math.max(4, Number(process.env.UV_THREADPOOL_SIZE ?? 4));
  return Promise.all(
    Array.from(
      { length: threads * 2 },
      () => new Promise((resolve) => pbkdf2('password', 'salt', 400_000, 32, 'sha256', resolve)),
    ),
  );
}

/** A turn's 45 log lines under load, each its own JSON line. */
function turnOfLines(): string[] {
  return Array.from({ length: 45 }, (_, i) => `${JSON.stringify({ level: 30, msg: `line ${i}` })}\n`);
}

/** Runs `body` in a child process where `destination` is the server's log destination on its stderr. */
function childWithDestination(
  body: string,
  options: Omit<SpawnSyncOptionsWithStringEncoding, 'encoding'> = {},
) {
  const script = `
    import { logDestination } from ${JSON.stringify(new URL('../../src/server/logger-options.ts', import.meta.url).href)};
    const destination = logDestination();
    ${body}
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { ...options, encoding: 'utf8' });
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
  // Closing the reading end fails the write in flight (EPIPE): the destination keeps its lines, bounded.
  closeSync(reader);
  await new Promise((resolve) => setTimeout(resolve, 50));
  destination.destroy();
});

test("a turn's lines reach the reader together and whole, in the order they were logged", async () => {
  const { reader, writer } = pipe();
  const destination = logDestination(writer);
  const lines = turnOfLines();
  for (const line of lines) destination.write(line);
  assert.equal(await readPipe(reader, lines.join('').length), lines.join(''));
  destination.destroy();
  closeSync(reader);
});

test("on a regular file, a turn's lines are written at its end by the main thread, not libuv's thread pool", async () => {
  const path = join(dir, 'server.log');
  const file = openSync(path, 'a');
  const destination = logDestination(file);
  // An asynchronous write would wait behind the busy pool.
  const busy = busyThreadPool();
  const lines = turnOfLines();
  for (const line of lines) destination.write(line);
  assert.equal(readFileSync(path, 'utf8'), '', 'nothing before the turn ends');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(readFileSync(path, 'utf8'), lines.join(''));
  await busy;
  destination.destroy();
});

test('flushed() resolves once the lines are written, even behind a busy thread pool (a shutdown waits for it)', async () => {
  const { reader, writer } = pipe();
  const destination = logDestination(writer);
  const busy = busyThreadPool();
  const lines = turnOfLines();
  for (const line of lines) destination.write(line);
  await destination.flushed();
  const buffer = Buffer.alloc(64 * 1024);
  assert.equal(buffer.subarray(0, readSync(reader, buffer)).toString(), lines.join(''));
  await busy;
  destination.destroy();
  closeSync(reader);
});

test('lines logged just before process.exit are written before the process ends', () => {
  // A child logs 200 lines through the destination on its stderr and exits in the same turn.
  const result = childWithDestination(`
    for (let i = 0; i < 200; i++) destination.write(JSON.stringify({ level: 30, msg: 'line ' + i }) + '\\n');
    process.exit(0);
  `);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 200);
  assert.deepEqual(JSON.parse(lines[199] as string), { level: 30, msg: 'line 199' });
});

test('a line logged after the writer was destroyed elsewhere is dropped, not thrown at the end of the turn', async () => {
  const { reader, writer } = pipe();
  const out = new sonicBoom.SonicBoom({ fd: writer, sync: false });
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

test('a stderr that fails every write (a full disk) neither stops the server nor its exit', () => {
  // /dev/full fails every write with ENOSPC, as a full disk does. The child logs in several turns, goes
  // on working, and exits with lines still waiting; before, the first failure was an uncaught exception
  // and the exit then retried the write forever.
  const full = openSync('/dev/full', 'w');
  try {
    const result = childWithDestination(
      `
    let turns = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 10; i++) destination.write(JSON.stringify({ level: 30, msg: 'line ' + i }) + '\\n');
      if (++turns === 5) {
        clearInterval(timer);
        process.stdout.write('still serving after ' + turns + ' turns of failed writes');
        destination.write(JSON.stringify({ level: 30, msg: 'the last line' }) + '\\n');
        process.exit(0);
      }
    }, 10);
    `,
      { stdio: ['ignore', 'pipe', full], timeout: 20_000 },
    );
    assert.equal(result.signal, null, 'the process ended by itself');
    assert.equal(result.status, 0);
    assert.equal(result.stdout, 'still serving after 5 turns of failed writes');
  } finally {
    closeSync(full);
  }
});

// Background checkpoints (src/stores/sqlite/background-checkpoints.ts): the write-ahead log reaches the
// database file through the worker's connection, not the server's; the server's own connection keeps a
// threshold of its own; stopping ends the thread; and `tripod-server serve --sqlite-checkpoints background`
// serves and stops cleanly on it.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { BackgroundCheckpoints } from '../../src/stores/sqlite/background-checkpoints.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import { serveTripod } from '../cli/tripod-process.ts';
import { eventually } from './fixtures/eventually.ts';

const dir = mkdtempSync(join(tmpdir(), 'tripod-checkpoints-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.sqlite`);

/** The nonces the database file itself holds, without its log: a copy of the file alone, opened. */
function noncesInTheFileAlone(file: string): number {
  const copy = `${file}.alone-${Math.random().toString(36).slice(2)}`;
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const table = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'nonces'").get();
    // Not even the schema in the file yet: it is all still in the log.
    if (table === undefined) return 0;
    return (db.prepare('select count(*) as n from nonces').get() as { n: number }).n;
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

/** Claims `count` fresh nonces, 100 per event-loop turn. */
async function claimMany(stores: Awaited<ReturnType<typeof openSqliteStores>>, count: number): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const claims = Array.from({ length: 100 }, (_, j) =>
      stores.nonces.claim(`nonce-${i + j}-${Math.random()}`, Date.now() + 300_000),
    );
    assert.ok((await Promise.all(claims)).every(Boolean));
  }
}

describe('SQLite background checkpoints', () => {
  test("the log reaches the file through the worker's connection, the server's own never checkpointing", async () => {
    const file = freshFile();
    const stores = await openSqliteStores(file, {
      checkpoints: 'background',
      // So high the server's connection never checkpoints here: whatever reaches the file, the worker copied.
      backgroundCheckpoints: { intervalMs: 20, fallbackFrames: 1_000_000 },
    });
    try {
      await claimMany(stores, 3000);
      const copied = await eventually(
        async () => (noncesInTheFileAlone(file) === 3000 ? true : null),
        'the 3,000 nonces in the database file itself',
      );
      assert.equal(copied, true);
    } finally {
      await stores.close();
    }
  });

  test('inline (the default), a log under the threshold stays in the log: the control of the test above', async () => {
    const file = freshFile();
    const stores = await openSqliteStores(file);
    try {
      await claimMany(stores, 300);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(noncesInTheFileAlone(file) < 300, 'nothing copied the log into the file');
    } finally {
      await stores.close();
    }
  });

  test("the server's connection checkpoints past the fallback threshold only; stop ends the thread, once", async () => {
    const file = freshFile();
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    try {
      assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 1000);
      const checkpoints = new BackgroundCheckpoints(sqlite, file, { intervalMs: 20 });
      assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 10_000);
      assert.equal(checkpoints.running, true);
      await checkpoints.stop();
      assert.equal(checkpoints.running, false);
      await checkpoints.stop();
    } finally {
      sqlite.close();
    }
  });

  test('tripod-server serve --sqlite-checkpoints background answers, and stops cleanly', async () => {
    const data = join(dir, 'served');
    const server = await serveTripod(['--data', data], { args: ['--sqlite-checkpoints', 'background'] });
    try {
      const health = await fetch(`${server.url}/readyz`);
      assert.equal(health.status, 200);
    } finally {
      await server.stop();
    }
    assert.equal(server.child.exitCode, 0, server.stderr());
    assert.doesNotMatch(server.stderr(), /error/i);
  });
});

// The nonce window (src/stores/nonce-window.ts): in front of the SQLite file (--nonce-writes behind) it
// decides and writes behind, and steps aside whenever the table may know more.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { MemoryNonceStore } from '../../src/stores/memory/nonces.ts';
import { type NonceClaim, NonceWindow, type OwnedNonceTable } from '../../src/stores/nonce-window.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';

const dir = mkdtempSync(join(tmpdir(), 'tripod-nonce-window-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `t${files++}.db`);

/** A table in memory that counts what it is asked, and can be told another connection wrote. */
class FakeTable implements OwnedNonceTable {
  readonly memory = new MemoryNonceStore();
  claims = 0;
  batches: NonceClaim[][] = [];
  latest: number | null = null;
  othersWriting = false;
  failNextBatch = false;
  claim(key: string, expiresAt: number) {
    this.claims++;
    return this.memory.claim(key, expiresAt);
  }
  async claimEach(claims: readonly NonceClaim[]) {
    if (this.failNextBatch) {
      this.failNextBatch = false;
      throw new Error('SQLITE_BUSY: database is locked');
    }
    this.batches.push([...claims]);
    return Promise.all(claims.map(({ key, expiresAt }) => this.memory.claim(key, expiresAt)));
  }
  async latestExpiry() {
    return this.latest;
  }
  /** What the table holds, for `held`. */
  readonly holding = new Map<string, number>();
  /** Another connection's claim, straight into the table. */
  preclaim(key: string, expiresAt: number) {
    this.holding.set(key, expiresAt);
    return this.memory.claim(key, expiresAt);
  }
  async held(limit: number) {
    return [...this.holding].slice(0, limit).map(([key, expiresAt]) => ({ key, expiresAt }));
  }
  othersWrote() {
    const wrote = this.othersWriting;
    this.othersWriting = false;
    return wrote;
  }
  deleteExpired(before: number) {
    return this.memory.deleteExpired(before);
  }
  size(now: number) {
    return this.memory.size(now);
  }
}

describe('the nonce window in front of a table this instance owns (SQLite)', () => {
  test('decides in memory and writes every claim behind, in one batch per interval', async () => {
    const table = new FakeTable();
    const window = await NonceWindow.owning(table, { flushIntervalMs: 20 });
    assert.equal(window.decidesInMemory, true, 'an empty table holds nothing this process has not seen');
    const soon = Date.now() + 60_000;
    const answers = await Promise.all(['a', 'b', 'a', 'c'].map((key) => window.claim(key, soon)));
    assert.deepEqual(answers, [true, true, false, true]);
    assert.equal(table.claims, 0, 'the table was not asked');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(
      table.batches.map((batch) => batch.map(({ key }) => key)),
      [['a', 'b', 'c']],
    );
    await window.close();
    await assert.rejects(window.claim('d', soon), /closed/);
  });

  test("a claim decided in memory settles after its event-loop turn's I/O, and a replay in that turn is refused", async () => {
    // As claims the store decides settle after the turn's group commit: adapters then write the turn's
    // answers together (settled at once, this mode served 0.88x the committing default; BENCHMARKS.md).
    const window = await NonceWindow.owning(new FakeTable(), { flushIntervalMs: 20 });
    const soon = Date.now() + 60_000;
    const order: string[] = [];
    setImmediate(() => order.push('end of the turn'));
    const first = window.claim('k', soon).then((claimed) => order.push(`first use ${claimed}`));
    const replay = window.claim('k', soon).then((claimed) => order.push(`replay ${claimed}`));
    await Promise.all([first, replay]);
    assert.deepEqual(order, ['replay false', 'end of the turn', 'first use true']);
    await window.close();
  });

  test('reads the nonces the table holds at open, and lets the table decide when they are too many', async () => {
    const table = new FakeTable();
    await table.preclaim('before-restart', 70_000); // nonces of the previous run
    await table.preclaim('older', 5_000);
    const window = await NonceWindow.owning(table);
    assert.equal(window.decidesInMemory, true);
    assert.equal(window.remembered, 2, 'used until purged, as in the table');
    assert.equal(await window.claim('before-restart', 70_000, 10_000), false, 'a replay across the restart');
    assert.equal(table.claims, 0, 'refused from memory');
    await window.close();

    table.latest = 70_000;
    const small = await NonceWindow.owning(table, { maxEntries: 1 });
    assert.equal(small.decidesInMemory, false, 'two nonces do not fit in one');
    assert.equal(await small.claim('before-restart', 70_000, 10_000), false);
    assert.equal(await small.claim('new', 70_000, 10_000), true);
    assert.equal(table.claims, 2, 'the table decided');
    // Once the verifier's time passes the latest expiry the table held, the window decides again.
    assert.equal(await small.claim('later', 130_000, 70_001), true);
    assert.equal(small.decidesInMemory, true);
    await small.close();
  });

  test('lets the table decide for a while once another connection wrote to the file', async () => {
    const table = new FakeTable();
    let now = 1_000;
    const window = await NonceWindow.owning(table, { now: () => now, othersQuietMs: 5_000 });
    assert.equal(await window.claim('mine', 60_000), true);
    assert.equal(table.claims, 0);
    // Another process claimed 'theirs' in the table.
    await table.preclaim('theirs', 60_000);
    table.othersWriting = true;
    now = 1_100; // others' writes are looked for once per interval (100 ms by default)
    assert.equal(await window.claim('theirs', 60_000), false, "the other process's claim is seen");
    assert.equal(window.decidesInMemory, false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      table.batches.flat().map(({ key }) => key),
      ['mine'],
      'what was pending was written at once, for the other process to see',
    );
    now = 6_101;
    assert.equal(window.decidesInMemory, true, 'quiet again');
    await window.close();
  });

  test('a batch that finds a key already taken hands the decisions back to the table', async () => {
    const table = new FakeTable();
    const window = await NonceWindow.owning(table, { othersQuietMs: 60_000 });
    await table.preclaim('raced', Date.now() + 60_000);
    assert.equal(await window.claim('raced', Date.now() + 60_000), true); // decided before it could know
    await window.size(Date.now());
    assert.equal(window.decidesInMemory, false);
    await window.close();
  });

  test('a batch the file refuses (locked) is kept and written with the next', async () => {
    const table = new FakeTable();
    const window = await NonceWindow.owning(table, { flushIntervalMs: 10 });
    table.failNextBatch = true;
    assert.equal(await window.claim('kept', Date.now() + 60_000), true);
    await window.flush();
    assert.equal(table.batches.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(
      table.batches.flat().map(({ key }) => key),
      ['kept'],
    );
    await window.close();
  });

  test('when full, the table decides (and nothing is lost)', async () => {
    const table = new FakeTable();
    const window = await NonceWindow.owning(table, { maxEntries: 1 });
    const soon = Date.now() + 60_000;
    assert.equal(await window.claim('first', soon), true);
    assert.equal(await window.claim('second', soon), true);
    assert.equal(await window.claim('second', soon), false);
    assert.equal(table.claims, 2, 'the second nonce went to the table, both times');
    await window.close();
    assert.deepEqual(
      table.batches.flat().map(({ key }) => key),
      ['first'],
    );
  });
});

describe('on a real SQLite file', () => {
  const rowsOf = (file: string) => {
    const reader = new Database(file, { readonly: true });
    return {
      count: () => (reader.prepare('select count(*) as n from nonces').get() as { n: number }).n,
      close: () => reader.close(),
    };
  };

  test('by default a nonce is in the file before the claim answers, and a replay is refused from memory', async () => {
    const file = freshFile();
    const stores = await openSqliteStores(file);
    const soon = Date.now() + 60_000;
    assert.equal(await stores.nonces.claim('k', soon), true);
    const rows = rowsOf(file);
    assert.equal(rows.count(), 1, 'committed before the answer');
    rows.close();
    assert.equal(await stores.nonces.claim('k', soon), false);
    await stores.close();
  });

  test('written behind: in the file within the interval; a stop writes the rest; a restart refuses the replays', async () => {
    const file = freshFile();
    const soon = Date.now() + 60_000;
    const stores = await openSqliteStores(file, { nonceWrites: 'behind' });
    assert.equal(await stores.nonces.claim('k', soon), true);
    const rows = rowsOf(file);
    assert.equal(rows.count(), 0, 'not yet written: decided in memory');
    const deadline = Date.now() + 2_000;
    while (rows.count() === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(rows.count(), 1, 'written behind');
    assert.equal(await stores.nonces.claim('stopped', soon), true);
    await stores.close(); // a stop writes everything pending
    assert.equal(rows.count(), 2);
    rows.close();
    const restarted = await openSqliteStores(file, { nonceWrites: 'behind' });
    assert.equal(await restarted.nonces.claim('k', soon), false);
    assert.equal(await restarted.nonces.claim('stopped', soon), false);
    await restarted.close();
  });
});

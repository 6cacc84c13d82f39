// The SQLite group commit (src/stores/sqlite/group-commit.ts) on a real SQLite database: the writes of one
// event-loop turn, whatever their statements, are one transaction; each learns its own result in arrival
// order; a write that breaks a constraint fails alone; a transaction that fails records none of its writes.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit } from '../../src/stores/sqlite/group-commit.ts';

/**
 * A nonce-like table and a counter table (an upsert with RETURNING, as the rate limits'), and a group
 * commit over both that records how it wrote: each batch's size, and the writes that ran alone.
 */
function world() {
  const sqlite = new Database(':memory:');
  sqlite.exec('create table claims (key text primary key) without rowid');
  sqlite.exec('create table counters (key text primary key, count integer not null) without rowid');
  const insert = sqlite.prepare('insert into claims (key) values (?) on conflict (key) do nothing');
  const upsert = sqlite.prepare(
    'insert into counters (key, count) values (?, 1) on conflict (key) do update set count = count + 1 returning count',
  );
  const counts = { alone: 0, batches: [] as number[] };
  const counted =
    <V, T>(write: (values: V) => T) =>
    (values: V) => {
      if (!sqlite.inTransaction) counts.alone++;
      return write(values);
    };
  const claim = counted((key: string) => Number(insert.run(key).changes));
  const hit = counted((key: string) => (upsert.get(key) as { count: number }).count);
  const group = new GroupCommit({
    get inTransaction() {
      return sqlite.inTransaction;
    },
    transaction<A extends unknown[], R>(fn: (...args: A) => R) {
      const run = sqlite.transaction(fn);
      return (...args: A) => {
        counts.batches.push((args[0] as unknown[]).length);
        return run(...args);
      };
    },
  });
  const held = () =>
    (sqlite.prepare('select key from claims order by key').pluck().all() as string[]).join(',');
  return {
    sqlite,
    group,
    counts,
    held,
    claim: (key: string) => group.run(claim, key),
    hit: (key: string) => group.run(hit, key),
  };
}

describe('SQLite group commit', () => {
  test("a turn's writes are one transaction, the first included; each learns its own result, first wins", async () => {
    const { claim, counts, held } = world();
    const results = await Promise.all([claim('a'), claim('b'), claim('a'), claim('c')]);
    assert.deepEqual(results, [1, 1, 0, 1]);
    assert.deepEqual(counts, { alone: 0, batches: [4] }, 'one commit for the whole turn');
    assert.equal(held(), 'a,b,c');

    // The next turn is a batch of its own.
    assert.deepEqual(await Promise.all([claim('a'), claim('d')]), [0, 1]);
    assert.deepEqual(counts, { alone: 0, batches: [4, 2] });
  });

  test("writes of different statements share the turn's commit, each with its own result in order", async () => {
    const { claim, hit, counts, held } = world();
    const results = await Promise.all([hit('k'), claim('n1'), hit('k'), hit('other'), claim('n1'), hit('k')]);
    // The upsert's RETURNING row for each hit: the counts as they were written one after the other.
    assert.deepEqual(results, [1, 1, 2, 1, 0, 3]);
    assert.deepEqual(counts, { alone: 0, batches: [6] });
    assert.equal(held(), 'n1');
  });

  test('a lone write is one statement, committed in the turn it was made in', async () => {
    const { claim, counts, held } = world();
    let settled = false;
    const pending = claim('x').then((changes) => {
      settled = true;
      return changes;
    });
    assert.equal(held(), '', 'queued, not yet written');
    // A setImmediate queued after the write's runs after its flush: the same iteration of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, true);
    assert.equal(await pending, 1);
    assert.deepEqual(counts, { alone: 1, batches: [] });
    assert.equal(held(), 'x');
  });

  test('a write that breaks a constraint fails alone: the others of its turn are written', async () => {
    const { sqlite, claim, hit, counts, held } = world();
    sqlite.exec(
      "create trigger refuse before insert on claims when new.key = 'bad' begin select raise(abort, 'refused'); end",
    );
    const results = await Promise.allSettled([claim('y'), claim('bad'), hit('k'), claim('z')]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected')),
      [1, 'rejected', 1, 1],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /refused/);
    assert.deepEqual(counts.batches, [4], 'still one commit');
    assert.equal(held(), 'y,z');
    assert.equal(sqlite.prepare("select count from counters where key = 'k'").pluck().get(), 1);
  });

  test('a failure that ends the transaction rejects every write of it and records none', async () => {
    const { sqlite, claim, hit, held } = world();
    await claim('kept');
    // RAISE(ROLLBACK) ends the whole transaction, as a full disk or a failed commit would.
    sqlite.exec(
      "create trigger refuse before insert on claims when new.key = 'bad' begin select raise(rollback, 'rolled back'); end",
    );
    const results = await Promise.allSettled([claim('y'), hit('k'), claim('bad'), claim('z')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected', 'rejected'],
    );
    assert.match(String((results[0] as PromiseRejectedResult).reason), /rolled back/);
    assert.equal(held(), 'kept', 'the batch rolled back');
    assert.equal(sqlite.prepare('select count(*) from counters').pluck().get(), 0);
    assert.equal(sqlite.inTransaction, false);
    // The group goes on with the next turn.
    assert.deepEqual(await Promise.all([claim('y'), claim('z')]), [1, 1]);
    assert.equal(held(), 'kept,y,z');
  });

  test('a lone write that fails is rejected, and the next turn goes on', async () => {
    const { sqlite, claim, held } = world();
    sqlite.exec(
      "create trigger refuse before insert on claims when new.key = 'bad' begin select raise(abort, 'refused'); end",
    );
    await assert.rejects(claim('bad'), /refused/);
    assert.equal(await claim('fine'), 1);
    assert.equal(held(), 'fine');
  });

  test('flush writes what is queued at once (before the database closes)', async () => {
    const { group, claim, held } = world();
    const pending = [claim('p'), claim('q')];
    group.flush();
    assert.equal(held(), 'p,q');
    assert.deepEqual(await Promise.all(pending), [1, 1]);
  });
});

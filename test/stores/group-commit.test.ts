// The SQLite group commit (src/stores/sqlite/group-commit.ts) on a real SQLite database: the writes of one
// event-loop turn are one transaction, each learns its own result in arrival order, and a transaction that
// fails records none of its writes.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Values } from '../../src/stores/sql/statements.ts';
import { GroupCommit } from '../../src/stores/sqlite/group-commit.ts';

/** A nonce-like table and a group commit over its `INSERT … ON CONFLICT DO NOTHING`, counting its calls. */
function claims() {
  const sqlite = new Database(':memory:');
  sqlite.exec('create table claims (key text primary key) without rowid');
  const insert = sqlite.prepare('insert into claims (key) values (?) on conflict (key) do nothing');
  const counts = { alone: 0, batches: [] as number[] };
  const runOne = (values: Values) => Number(insert.run((values as { key: string }).key).changes);
  const batch = sqlite.transaction((all: readonly Values[]) => all.map(runOne));
  const group = new GroupCommit(
    (values) => {
      counts.alone++;
      return runOne(values);
    },
    (all) => {
      counts.batches.push(all.length);
      return batch(all);
    },
  );
  const held = () =>
    (sqlite.prepare('select key from claims order by key').pluck().all() as string[]).join(',');
  return { sqlite, group, counts, held };
}

describe('SQLite group commit', () => {
  test("a turn's writes are one transaction, the first included; each learns its own result, first wins", async () => {
    const { group, counts, held } = claims();
    const results = await Promise.all([
      group.run({ key: 'a' }),
      group.run({ key: 'b' }),
      group.run({ key: 'a' }),
      group.run({ key: 'c' }),
    ]);
    assert.deepEqual(results, [1, 1, 0, 1]);
    assert.deepEqual(counts, { alone: 0, batches: [4] }, 'one commit for the whole turn');
    assert.equal(held(), 'a,b,c');

    // The next turn is a batch of its own.
    assert.deepEqual(await Promise.all([group.run({ key: 'a' }), group.run({ key: 'd' })]), [0, 1]);
    assert.deepEqual(counts, { alone: 0, batches: [4, 2] });
  });

  test('a lone write is one statement, committed in the turn it was made in', async () => {
    const { group, counts, held } = claims();
    let settled = false;
    const claim = group.run({ key: 'x' }).then((changes) => {
      settled = true;
      return changes;
    });
    assert.equal(held(), '', 'queued, not yet written');
    // A setImmediate queued after the write's runs after its flush: the same iteration of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, true);
    assert.equal(await claim, 1);
    assert.deepEqual(counts, { alone: 1, batches: [] });
    assert.equal(held(), 'x');
  });

  test('a transaction that fails rejects every write of it and records none', async () => {
    const { sqlite, group, held } = claims();
    await group.run({ key: 'kept' });
    sqlite.exec(
      "create trigger refuse before insert on claims when new.key = 'bad' begin select raise(abort, 'refused'); end",
    );
    const results = await Promise.allSettled([
      group.run({ key: 'y' }),
      group.run({ key: 'bad' }),
      group.run({ key: 'z' }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected'],
    );
    assert.match(String((results[0] as PromiseRejectedResult).reason), /refused/);
    assert.equal(held(), 'kept', 'the batch rolled back');
    // The group goes on with the next turn.
    assert.equal(await group.run({ key: 'y' }), 1);
    assert.equal(held(), 'kept,y');
  });

  test('flush writes what is queued at once (before the database closes)', async () => {
    const { group, held } = claims();
    const pending = [group.run({ key: 'p' }), group.run({ key: 'q' })];
    group.flush();
    assert.equal(held(), 'p,q');
    assert.deepEqual(await Promise.all(pending), [1, 1]);
  });
});

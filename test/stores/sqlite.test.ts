import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import { storeContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'tripod-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.sqlite`);

storeContract('SQLite (file)', () => openSqliteStores(freshFile()));
storeContract('SQLite (:memory:)', () => openSqliteStores(':memory:'));

describe('SQLite store', () => {
  test('nonces survive closing and reopening the file, so a restart does not reopen replay', async () => {
    const file = freshFile();
    const first = await openSqliteStores(file);
    assert.equal(await first.nonces.claim('nonce-key', Date.now() + 300_000), true);
    await first.close();
    const second = await openSqliteStores(file);
    assert.equal(await second.nonces.claim('nonce-key', Date.now() + 300_000), false);
    await second.close();
  });

  test('request token state and revocations survive reopening', async () => {
    const file = freshFile();
    const first = await openSqliteStores(file);
    await first.requestTokens.create({
      token: 'rt',
      secret: 's',
      consumerKey: 'c',
      callback: 'oob',
      accessLevel: 'read',
      createdAt: 1,
      expiresAt: 2,
      state: { status: 'issued' },
      version: 0,
    });
    await first.requestTokens.transition(
      {
        token: 'rt',
        secret: 's',
        consumerKey: 'c',
        callback: 'oob',
        accessLevel: 'read',
        createdAt: 1,
        expiresAt: 2,
        state: { status: 'burned' },
        version: 1,
      },
      0,
    );
    await first.close();
    const second = await openSqliteStores(file);
    assert.deepEqual((await second.requestTokens.get('rt'))?.state, { status: 'burned' });
    await second.close();
  });

  test('opening applies the migrations once: reopening an up-to-date file changes nothing', async () => {
    const file = freshFile();
    await (await openSqliteStores(file)).close();
    await (await openSqliteStores(file)).close();
    const db = new Database(file, { readonly: true });
    const applied = db.prepare('select name from kysely_migration order by name').all() as { name: string }[];
    db.close();
    assert.deepEqual(
      applied.map((r) => r.name),
      ['0001_initial_schema'],
    );
  });

  test('several connections opening one fresh file at once all succeed: one migrates, the rest wait', async () => {
    const file = freshFile();
    const results = await Promise.allSettled([
      openSqliteStores(file),
      openSqliteStores(file),
      openSqliteStores(file),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled'],
    );
    for (const r of results) if (r.status === 'fulfilled') await r.value.close();
  });

  test('several processes opening one fresh file at once all succeed (the migration lock spans processes)', async () => {
    const file = freshFile();
    const script = fileURLToPath(new URL('./fixtures/open-and-write.ts', import.meta.url));
    const names = ['p1', 'p2', 'p3', 'p4'];
    const exits = await Promise.all(
      names.map(
        (name) =>
          new Promise<{ code: number | null; stderr: string }>((done) => {
            const child = spawn(process.execPath, [script, file, name], {
              stdio: ['ignore', 'ignore', 'pipe'],
            });
            let stderr = '';
            child.stderr.on('data', (chunk) => {
              stderr += chunk;
            });
            child.on('close', (code) => done({ code, stderr }));
          }),
      ),
    );
    assert.deepEqual(
      exits.map((e) => e.code),
      [0, 0, 0, 0],
      exits.map((e) => e.stderr).join('\n'),
    );
    const stores = await openSqliteStores(file);
    assert.deepEqual((await stores.users.list()).map((u) => u.id).sort(), names);
    await stores.close();
  });

  test('the database runs in WAL mode', async () => {
    const file = freshFile();
    await (await openSqliteStores(file)).close();
    const db = new Database(file, { readonly: true });
    const mode = db.pragma('journal_mode', { simple: true });
    db.close();
    assert.equal(mode, 'wal');
  });

  test('two handles on one file see each other: a nonce claimed by one is a replay for the other', async () => {
    const file = freshFile();
    const a = await openSqliteStores(file);
    const b = await openSqliteStores(file);
    assert.equal(await a.nonces.claim('shared', Date.now() + 1000), true);
    assert.equal(await b.nonces.claim('shared', Date.now() + 1000), false);
    await a.close();
    await b.close();
  });

  test('claims queued in one event-loop turn are written together, each with its own answer', async () => {
    const stores = await openSqliteStores(freshFile());
    const keys = ['a', 'b', 'a', 'c', 'b', 'a'];
    const results = await Promise.all(keys.map((key) => stores.nonces.claim(key, Date.now() + 1000)));
    assert.deepEqual(results, [true, true, false, true, false, false]);
    await stores.close();
  });

  test('claims still queued when the store closes are written first, not lost', async () => {
    const file = freshFile();
    const stores = await openSqliteStores(file);
    const pending = stores.nonces.claim('late', Date.now() + 1000);
    await stores.close();
    assert.equal(await pending, true);
    const reopened = await openSqliteStores(file);
    assert.equal(await reopened.nonces.claim('late', Date.now() + 1000), false);
    await reopened.close();
  });

  test('with the database gone, a nonce claim fails loudly instead of letting the request through', async () => {
    const stores = await openSqliteStores(freshFile());
    await stores.close();
    await assert.rejects(stores.nonces.claim('after-close', Date.now() + 1000));
    await assert.rejects(stores.consumers.get('any'));
  });

  test('close is idempotent', async () => {
    const stores = await openSqliteStores(freshFile());
    await stores.close();
    await stores.close();
  });

  test('opening a file that is not a database fails with an error, not a crash', async () => {
    const file = freshFile();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'this is not a sqlite database, just text that is long enough to have a header');
    await assert.rejects(openSqliteStores(file));
  });
});

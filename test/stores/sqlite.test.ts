import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { nonceKey } from '../../src/provider/signed-request.ts';
import { inCodeMigrations, migrationsFor } from '../../src/stores/migrations.ts';
import {
  NONCE_COUNT_CHUNK,
  PURGE_CHUNK,
  REQUEST_TOKEN_PRUNE_CHUNK,
} from '../../src/stores/sql/sql-stores.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import { legacyNonceKey, replayOf } from './fixtures/legacy-nonce-key.ts';
import { storeQuery } from './fixtures/store-query.ts';
import { requestToken, storeContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'tripod-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.sqlite`);

/** A new database file migrated up to `migration` only, as an earlier Tripod left it: its file and handles. */
async function databaseAt(migration: string) {
  const file = freshFile();
  const sqlite = new Database(file);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: inCodeMigrations('sqlite') }).migrateTo(migration);
  assert.equal(error, undefined);
  return { file, sqlite, db };
}

/** What `work` gives, and how many turns of the event loop ran while it was pending. */
async function turnsDuring<T>(work: Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let pending = true;
  const tick = () => {
    if (!pending) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work.finally(() => {
    pending = false;
  });
  return { result, turns };
}

/**
 * Another process holding `file`'s lock for `ms` (`BEGIN IMMEDIATE`: the write lock, as a migration does;
 * `BEGIN EXCLUSIVE` on a file not yet in WAL mode: every lock, as switching it to WAL does). Resolves once
 * it holds it.
 */
async function holdLock(file: string, mode: 'IMMEDIATE' | 'EXCLUSIVE', ms: number) {
  const holder = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { default: Database } = await import('better-sqlite3');
       const db = new Database(process.argv[1]);
       db.exec('BEGIN ${mode}');
       console.log('locked');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`,
      file,
      String(ms),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => holder.once('close', resolve));
  await new Promise((resolve) => holder.stdout.once('data', resolve));
  return { exited, kill: () => holder.kill() };
}

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
    const issued = requestToken('rt');
    await first.requestTokens.create(issued);
    await first.requestTokens.transition({ ...issued, state: { status: 'burned' }, version: 1 }, 0);
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
      Object.keys(migrationsFor('sqlite')),
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
    assert.deepEqual((await stores.users.list({ offset: 0, limit: 10 })).map((u) => u.id).sort(), names);
    await stores.close();
  });

  test("opening waits for another process's migration longer than a write may wait, up to the migration deadline", async () => {
    const file = freshFile();
    await (await openSqliteStores(file)).close();

    // Another process holds the write lock, as a migration does.
    const migrating = await holdLock(file, 'IMMEDIATE', 1000);
    const stores = await openSqliteStores(file, { busyTimeoutMs: 100 });
    assert.equal(await stores.users.count(), 0);
    await stores.close();
    await migrating.exited;

    const stuck = await holdLock(file, 'IMMEDIATE', 5000);
    try {
      await assert.rejects(
        openSqliteStores(file, { busyTimeoutMs: 100, migrationTimeoutMs: 300 }),
        /held the write lock of .* for more than 300 ms \(migrating it\?\); start this one again/,
      );
    } finally {
      stuck.kill();
      await stuck.exited;
    }
  });

  test('opening a fresh file while another process holds every lock of it waits, up to the migration deadline', async () => {
    // Two processes switching a fresh file to WAL at once can each hold the lock the other needs, and SQLite
    // answers one SQLITE_BUSY at once; a lock held past the busy timeout is the same answer, made on purpose.
    const file = freshFile();
    const switching = await holdLock(file, 'EXCLUSIVE', 1000);
    const stores = await openSqliteStores(file, { busyTimeoutMs: 100 });
    assert.equal(await stores.users.count(), 0);
    await stores.close();
    await switching.exited;

    const other = freshFile();
    const stuck = await holdLock(other, 'EXCLUSIVE', 5000);
    try {
      await assert.rejects(
        openSqliteStores(other, { busyTimeoutMs: 100, migrationTimeoutMs: 300 }),
        /held the lock of .* for more than 300 ms \(opening it\?\); start this one again/,
      );
    } finally {
      stuck.kill();
      await stuck.exited;
    }
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

  test('with nonces written behind, two handles see each other within an interval', async () => {
    const file = freshFile();
    const a = await openSqliteStores(file, { nonceWrites: 'behind' });
    const b = await openSqliteStores(file, { nonceWrites: 'behind' });
    const soon = Date.now() + 60_000;
    // a decides in memory and writes behind (nonce-window.ts); once written, b finds it taken.
    assert.equal(await a.nonces.claim('from-a', soon), true);
    await a.nonces.size(Date.now()); // writes what is pending, as the timer does within 100 ms
    assert.equal(await b.nonces.claim('from-a', soon), false);
    // b has seen a write: the table decides its claims, at once. a looks for others' writes once per
    // interval (100 ms): within it, b's claim is news to a.
    assert.equal(await b.nonces.claim('from-b', soon), true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(await a.nonces.claim('from-b', soon), false);
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

  test('a purge of many expired nonces deletes them in chunks and lets other work run between them', async () => {
    const stores = await openSqliteStores(freshFile());
    const now = Date.now();
    const count = 3 * PURGE_CHUNK + 7;
    for (let i = 0; i < count; i += 2000) {
      const keys = Array.from({ length: Math.min(2000, count - i) }, (_, j) => `expired-${i + j}`);
      await Promise.all(keys.map((key) => stores.nonces.claim(key, now - 1000)));
    }
    // One statement would let no other turn of the event loop run.
    const { result: deleted, turns } = await turnsDuring(stores.nonces.deleteExpired(now));
    assert.equal(deleted, count);
    assert.ok(turns >= 3, `${turns} turns ran during the purge`);
    assert.equal(await stores.nonces.size(0), 0);
    await stores.close();
  });

  test('a purge of many expired request tokens goes chunk by chunk, each with its tombstones, and so do the tombstones', async () => {
    const stores = await openSqliteStores(freshFile());
    const now = Date.now();
    const count = PURGE_CHUNK + 3;
    // Expired ones of each kind among live ones, in three expiries only, so that chunks end inside a run of
    // tokens that expire together.
    const expired = Array.from({ length: count }, (_, i) =>
      requestToken(`old-${i}`, {
        expiresAt: now - 1000 - (i % 3),
        state: i % 2 ? { status: 'denied' } : { status: 'issued' },
      }),
    );
    await Promise.all(expired.map((rt) => stores.requestTokens.create(rt)));
    await stores.requestTokens.create(requestToken('live', { expiresAt: now + 60_000 }));
    // One transaction would let no other turn of the event loop run.
    const purge = await turnsDuring(stores.requestTokens.deleteExpired(now));
    assert.equal(purge.result, count);
    assert.ok(
      purge.turns >= Math.floor(count / REQUEST_TOKEN_PRUNE_CHUNK),
      `${purge.turns} turns ran during the purge`,
    );
    for (let i = 0; i < count; i++) {
      assert.equal(await stores.requestTokens.get(`old-${i}`), null);
      assert.equal(
        (await stores.requestTokens.getTombstone(`old-${i}`))?.status,
        i % 2 ? 'denied' : 'expired',
      );
    }
    assert.equal((await stores.requestTokens.get('live'))?.state.status, 'issued');
    assert.equal(await stores.requestTokens.deleteExpired(now), 0);

    const tombstones = await turnsDuring(stores.requestTokens.deleteTombstones(now));
    assert.equal(tombstones.result, count);
    assert.ok(tombstones.turns >= 1, `${tombstones.turns} turns ran during the tombstones' purge`);
    assert.equal(await stores.requestTokens.getTombstone('old-0'), null);
    await stores.close();
  });

  test('every purge of an expiring table goes chunk by chunk and keeps the live rows: rate-limit counts, sessions, password resets', async () => {
    const stores = await openSqliteStores(freshFile());
    const now = Date.now();
    const count = PURGE_CHUNK + 2;
    // Expired in a few hundred expiries, so that chunks end inside runs of rows that expire together.
    const expiredAt = (i: number) => now - 1 - (i % 300);
    const session = (idHash: string, expiresAt: number) => ({
      idHash,
      userId: 'u1',
      createdAt: expiresAt - 86_400_000,
      expiresAt,
      stash: null,
      lastSeenAt: expiresAt - 60_000,
      userAgent: 'curl/8',
      address: '192.0.2.1',
    });
    const reset = (tokenHash: string, expiresAt: number) => ({
      tokenHash,
      userId: 'u1',
      createdAt: expiresAt - 3_600_000,
      expiresAt,
    });
    for (let i = 0; i < count; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - i) }, (_, j) => i + j);
      await Promise.all(
        batch.flatMap((n) => [
          stores.rateLimits.hit(`flood|192.0.2.${n}`, 60_000, expiredAt(n) - 60_000),
          stores.sessions.create(session(`old-${n}`, expiredAt(n))),
          stores.passwordResets.create(reset(`old-${n}`, expiredAt(n))),
        ]),
      );
    }
    await stores.rateLimits.hit('live', 60_000, now);
    await stores.sessions.create(session('live', now + 60_000));
    await stores.passwordResets.create(reset('live', now + 60_000));
    for (const [what, purge] of [
      ['rate-limit counts', () => stores.rateLimits.deleteExpired(now)],
      ['sessions', () => stores.sessions.deleteExpired(now)],
      ['password resets', () => stores.passwordResets.deleteExpired(now)],
    ] as const) {
      // One statement would let no other turn of the event loop run.
      const { result, turns } = await turnsDuring(purge());
      assert.equal(result, count, what);
      assert.ok(turns >= 1, `${turns} turns ran during the purge of the ${what}`);
      assert.equal(await purge(), 0, what);
    }
    assert.equal((await stores.rateLimits.get('live', now))?.count, 1);
    assert.equal(await stores.rateLimits.get('flood|192.0.2.0', now - 400), null);
    assert.equal((await stores.sessions.get('live', now))?.idHash, 'live');
    assert.equal(await stores.sessions.get('old-0', now - 400), null);
    assert.equal((await stores.passwordResets.get('live', now))?.tokenHash, 'live');
    assert.equal(await stores.passwordResets.get('old-0', now - 400), null);
    await stores.close();
  });

  test('counting many nonces goes chunk by chunk, lets other work run between, and counts only the live', async () => {
    const stores = await openSqliteStores(freshFile());
    const now = Date.now();
    const count = 2 * NONCE_COUNT_CHUNK + 5;
    // Every third nonce live; keys out of expiry order.
    const expiry = (i: number) => (i % 3 === 0 ? now + 60_000 : now - 1000);
    for (let i = 0; i < count; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, count - i) }, (_, j) => i + j);
      await Promise.all(batch.map((n) => stores.nonces.claim(`nonce-${n}`, expiry(n))));
    }
    const { result: live, turns } = await turnsDuring(stores.nonces.size(now));
    assert.equal(live, Math.ceil(count / 3));
    assert.ok(turns >= 2, `${turns} turns ran during the count`);
    assert.equal(await stores.nonces.size(0), count);
    await stores.close();
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

  // Each nonce migration must carry the nonces over: a replay across an upgrade is refused.
  for (const [from, shape] of [
    ['0009_daily_counts_and_icons', 'keyed by key (0001)'],
    ['0010_nonce_rowids', 'a rowid table (0010)'],
  ] as const) {
    test(`upgrading from ${shape} keeps the nonces the database held, in a table keyed by its key alone`, async () => {
      const { file, sqlite, db } = await databaseAt(from);
      sqlite
        .prepare('insert into nonces (key, expires_at) values (?, ?)')
        .run('before-upgrade', Date.now() + 60_000);
      await db.destroy();
      const stores = await openSqliteStores(file);
      assert.equal(await stores.nonces.claim('before-upgrade', Date.now() + 60_000), false);
      assert.equal(await stores.nonces.claim('after-upgrade', Date.now() + 60_000), true);
      await stores.close();
      const reader = new Database(file, { readonly: true });
      const ddl = (
        reader.prepare("select sql from sqlite_master where name = 'nonces'").get() as { sql: string }
      ).sql;
      const indexes = reader
        .prepare("select name from sqlite_master where type = 'index' and tbl_name = 'nonces'")
        .all() as { name: string }[];
      reader.close();
      assert.match(ddl, /"key" text primary key/i);
      assert.match(ddl, /without rowid/i);
      // The primary key's own index only (SQLite names it sqlite_autoindex_…): no expiry index.
      assert.deepEqual(
        indexes.filter(({ name }) => !name.startsWith('sqlite_autoindex_')),
        [],
      );
    });
  }

  test('upgrading past 0012 shortens the stored replay keys: a request claimed before it is still refused', async () => {
    const { file, sqlite, db } = await databaseAt('0011_nonces_by_key');
    const [claimed, unclaimed] = [replayOf('claimed-before'), replayOf('never-claimed')];
    const insert = sqlite.prepare('insert into nonces (key, expires_at) values (?, ?)');
    insert.run(legacyNonceKey(claimed), Date.now() + 60_000);
    insert.run('in-no-known-form', Date.now() + 60_000);
    await db.destroy();
    const stores = await openSqliteStores(file);
    assert.equal(await stores.nonces.claim(nonceKey(claimed), Date.now() + 60_000), false);
    assert.equal(await stores.nonces.claim(nonceKey(unclaimed), Date.now() + 60_000), true);
    assert.equal(await stores.nonces.claim('in-no-known-form', Date.now() + 60_000), false);
    await stores.close();
    const reader = new Database(file, { readonly: true });
    const keys = (reader.prepare('select key from nonces order by key').pluck().all() as string[]).sort();
    reader.close();
    assert.deepEqual(keys, [nonceKey(claimed), nonceKey(unclaimed), 'in-no-known-form'].sort());
    assert.equal(nonceKey(claimed).length, 33);
  });

  test("upgrading past 0013, request_token's cap is counted in the outstanding tokens' own index, no row read", async () => {
    const { file, sqlite, db } = await databaseAt('0012_compact_nonce_keys');
    const now = Date.now();
    const insert = sqlite.prepare(
      `insert into request_tokens (token, secret, consumer_key, callback, access_level, created_at, expires_at,
         status, version) values (?, 's', ?, 'oob', 'read', ?, ?, ?, 0)`,
    );
    // An app with two flows waiting and many finished ones, which 0004's index made every count read.
    insert.run('waiting', 'app', now, now + 60_000, 'issued');
    insert.run('answered', 'app', now, now + 60_000, 'authorized');
    for (let i = 0; i < 300; i++)
      insert.run(`done-${i}`, 'app', now, now + 60_000, i % 2 ? 'exchanged' : 'denied');
    insert.run('expired', 'app', now - 120_000, now - 60_000, 'issued');
    insert.run('theirs', 'other', now, now + 60_000, 'issued');
    await db.destroy();
    const stores = await openSqliteStores(file);
    assert.equal(await stores.requestTokens.countOutstanding('app', now, 1000), 2);
    assert.equal(await stores.requestTokens.countOutstanding('other', now, 1000), 1);
    await stores.close();

    const reader = new Database(file, { readonly: true });
    const { sql, parameters } = storeQuery('sqlite', 'requestTokenCountOutstanding', {
      consumer_key: 'app',
      now,
      limit: 1000,
    });
    const plan = reader
      .prepare(`explain query plan ${sql}`)
      .all(...parameters)
      .map((step) => (step as { detail: string }).detail);
    reader.close();
    assert.ok(
      plan.some((detail) =>
        /^SEARCH request_tokens USING COVERING INDEX request_tokens_outstanding /.test(detail),
      ),
      plan.join('\n'),
    );
    assert.ok(!plan.some((detail) => /^SCAN request_tokens\b/.test(detail)), plan.join('\n'));
  });

  test("0013 undone gives back 0004's index of every token by app", async () => {
    const file = freshFile();
    await (await openSqliteStores(file)).close();
    const sqlite = new Database(file);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const { error } = await new Migrator({ db, provider: inCodeMigrations('sqlite') }).migrateTo(
      '0012_compact_nonce_keys',
    );
    assert.equal(error, undefined);
    const index = (name: string) => sqlite.prepare('select sql from sqlite_master where name = ?').get(name);
    assert.equal(index('request_tokens_outstanding'), undefined);
    assert.deepEqual(index('request_tokens_consumer_key_expires_at'), {
      sql: 'CREATE INDEX "request_tokens_consumer_key_expires_at" on "request_tokens" ("consumer_key", "expires_at")',
    });
    await db.destroy();
  });

  test("0011 undone gives back 0010's rowid table with its expiry index, nonces and all", async () => {
    const file = freshFile();
    const stores = await openSqliteStores(file);
    await stores.nonces.claim('kept', Date.now() + 60_000);
    await stores.close();
    const sqlite = new Database(file);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const { error } = await new Migrator({ db, provider: inCodeMigrations('sqlite') }).migrateTo(
      '0010_nonce_rowids',
    );
    assert.equal(error, undefined);
    const ddl = (
      sqlite.prepare("select sql from sqlite_master where name = 'nonces'").get() as { sql: string }
    ).sql;
    assert.doesNotMatch(ddl, /without rowid/i);
    assert.ok(sqlite.prepare("select 1 from sqlite_master where name = 'nonces_expires_at'").get());
    assert.deepEqual(sqlite.prepare('select key from nonces').all(), [{ key: 'kept' }]);
    await db.destroy();
  });

  describe("a database made by an earlier Tripod (0001, the server's session table, the portal's tables)", () => {
    /** The file as Tripod left it before the one store layer: 0001 applied, and the server's own tables. */
    async function earlierDatabase(usernames: string[]): Promise<string> {
      const { file, sqlite, db } = await databaseAt('0001_initial_schema');
      sqlite.exec(`
        create table server_sessions (id_hash text primary key, user_id text not null,
          created_at integer not null, expires_at integer not null);
        create table portal_rejections (id integer primary key autoincrement, consumer_key text not null,
          at bigint not null, entry text not null);
        create table portal_migrations (name varchar(255) not null primary key, timestamp varchar(255) not null);
        create table portal_migrations_lock (id varchar(255) not null primary key, is_locked integer default 0 not null);
        insert into server_sessions values ('hash-1', 'u0', 1000, 9999999999999);
        insert into portal_rejections (consumer_key, at, entry) values ('app', 1, '{}');
      `);
      const insert = sqlite.prepare(
        'insert into users (id, username, password_hash, is_operator, created_at) values (?, ?, ?, 0, ?)',
      );
      for (const [i, name] of usernames.entries()) insert.run(`u${i}`, name, 'hash', i);
      await db.destroy();
      return file;
    }

    test('opens and migrates: sessions carried over, the old tables dropped, usernames found in any case', async () => {
      const file = await earlierDatabase(['olga', 'Alice']);
      const stores = await openSqliteStores(file);
      try {
        assert.deepEqual(await stores.sessions.get('hash-1', 2000), {
          idHash: 'hash-1',
          userId: 'u0',
          createdAt: 1000,
          expiresAt: 9999999999999,
          stash: null,
          // Sessions from before 0008: last seen at sign-in, browser and address unknown.
          lastSeenAt: 1000,
          userAgent: null,
          address: null,
        });
        assert.equal((await stores.users.getByUsername('ALICE'))?.id, 'u1');
        assert.equal((await stores.users.getByUsername('olga'))?.disabled, false);
        await assert.rejects(
          stores.users.create({
            id: 'u9',
            username: 'OLGA',
            passwordHash: 'x',
            isOperator: false,
            disabled: false,
            createdAt: 9,
          }),
        );
      } finally {
        await stores.close();
      }
      const db = new Database(file, { readonly: true });
      const tables = (
        db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]
      )
        .map((t) => t.name)
        .sort();
      db.close();
      for (const gone of [
        'server_sessions',
        'portal_rejections',
        'portal_migrations',
        'portal_migrations_lock',
      ]) {
        assert.ok(!tables.includes(gone), gone);
      }
      for (const table of ['sessions', 'rejections', 'rate_limits', 'audit_events'])
        assert.ok(tables.includes(table), table);
    });

    test('holding two usernames that differ only in case, it refuses to migrate and names them, changing nothing', async () => {
      const file = await earlierDatabase(['olga', 'OLGA', 'bob']);
      await assert.rejects(openSqliteStores(file), (error: Error) => {
        assert.match(error.message, /'olga' and 'OLGA'/);
        assert.doesNotMatch(error.message, /bob/);
        return true;
      });
      const db = new Database(file, { readonly: true });
      const applied = db.prepare('select name from kysely_migration').all() as { name: string }[];
      const columns = (db.prepare('pragma table_info(users)').all() as { name: string }[]).map((c) => c.name);
      const sessions = db.prepare('select count(*) as n from server_sessions').get() as { n: number };
      db.close();
      assert.deepEqual(
        applied.map((m) => m.name),
        ['0001_initial_schema'],
      );
      assert.ok(!columns.includes('username_key'), 'the failed migration was rolled back');
      assert.equal(sessions.n, 1);
    });
  });
});

// The stores on a real PostgreSQL (this file's own database, a schema per test) and on PostgreSQL + Redis
// (a key prefix of its own): the same contract as memory and SQLite, plus what only a shared database
// has: several processes migrating at once, events across instances, and an outage.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { nonceKey } from '../../src/provider/signed-request.ts';
import { StoreUnavailableError } from '../../src/stores/errors.ts';
import { inCodeMigrations, migrationsFor } from '../../src/stores/migrations.ts';
import { openStores } from '../../src/stores/open-stores.ts';
import { openPostgresStores } from '../../src/stores/postgres/open.ts';
import type { RevocationEvent, TripodStores } from '../../src/stores/types.ts';
import { eventually } from './fixtures/eventually.ts';
import { legacyNonceKey, replayOf } from './fixtures/legacy-nonce-key.ts';
import {
  createTestDatabase,
  deleteRedisKeys,
  REDIS_URL,
  type TestDatabase,
  uniqueKeyPrefix,
} from './fixtures/services.ts';
import { storeQuery } from './fixtures/store-query.ts';
import { TcpForwarder } from './fixtures/tcp-forwarder.ts';
import { requestToken, storeContract } from './store-contract.ts';

const database: TestDatabase = await createTestDatabase('stores');
const prefix = uniqueKeyPrefix('stores');
after(async () => {
  await database.drop();
  await deleteRedisKeys(prefix);
});
let schemas = 0;
const freshSchema = () => `contract_${++schemas}`;

storeContract('PostgreSQL', () => openPostgresStores(database.url, { schema: freshSchema() }));
storeContract('PostgreSQL + Redis', () => {
  const schema = freshSchema();
  return openStores({
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    keyPrefix: `${prefix}${schema}:`,
    postgres: { schema },
  });
});

/** A new schema migrated up to `migration` only, as an earlier Tripod left its database. */
async function schemaAt(schema: string, migration: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`create schema ${sql.id(schema)}`.execute(db);
    await sql`set search_path to ${sql.id(schema)}`.execute(db);
    const migrator = new Migrator({
      db,
      provider: inCodeMigrations('postgres'),
      migrationTableSchema: schema,
    });
    const { error } = await migrator.migrateTo(migration);
    assert.equal(error, undefined);
  } finally {
    await db.destroy();
  }
}

function runChild(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('PostgreSQL store', () => {
  test('migrates a fresh empty database, and reopening an existing one applies nothing twice', async () => {
    const schema = freshSchema();
    await (await openPostgresStores(database.url, { schema })).close();
    const stores = await openPostgresStores(database.url, { schema });
    await stores.close();
    const client = new pg.Client(database.url);
    await client.connect();
    try {
      const applied = await client.query(
        `select name from ${pg.escapeIdentifier(schema)}.kysely_migration order by name`,
      );
      assert.deepEqual(
        applied.rows.map((r) => r.name),
        Object.keys(migrationsFor('postgres')),
      );
    } finally {
      await client.end();
    }
  });

  test('upgrading past 0012 shortens the stored replay keys: a request claimed before it is still refused', async () => {
    const schema = freshSchema();
    // The database as the Tripod before 0012 left it: migrated up to 0011, a nonce in the longer form.
    await schemaAt(schema, '0011_nonces_by_key');
    const [claimed, unclaimed] = [replayOf('claimed-before'), replayOf('never-claimed')];
    const client = new pg.Client(database.url);
    await client.connect();
    const table = (name: string) => `${pg.escapeIdentifier(schema)}.${name}`;
    try {
      await client.query(`insert into ${table('nonces')} (key, expires_at) values ($1, $2)`, [
        legacyNonceKey(claimed),
        Date.now() + 60_000,
      ]);
      const stores = await openPostgresStores(database.url, { schema });
      try {
        assert.equal(await stores.nonces.claim(nonceKey(claimed), Date.now() + 60_000), false);
        assert.equal(await stores.nonces.claim(nonceKey(unclaimed), Date.now() + 60_000), true);
      } finally {
        await stores.close();
      }
      const keys = await client.query(`select key from ${table('nonces')} order by key`);
      assert.deepEqual(keys.rows.map((r) => r.key).sort(), [nonceKey(claimed), nonceKey(unclaimed)].sort());
    } finally {
      await client.end();
    }
  });

  test("request_token's cap is counted in the outstanding tokens' own index, with the plan a prepared statement keeps", async () => {
    const schema = freshSchema();
    const stores = await openPostgresStores(database.url, { schema });
    const now = Date.now();
    try {
      await stores.requestTokens.create(requestToken('waiting', { expiresAt: now + 60_000 }));
      for (let i = 0; i < 50; i++) {
        await stores.requestTokens.create(
          requestToken(`done-${i}`, { expiresAt: now + 60_000, state: { status: 'denied' } }),
        );
      }
      assert.equal(await stores.requestTokens.countOutstanding('app', now, 1000), 1);
    } finally {
      await stores.close();
    }
    const client = new pg.Client(database.url);
    await client.connect();
    try {
      const { sql, parameters } = storeQuery('postgres', 'requestTokenCountOutstanding', {
        consumer_key: 'app',
        now,
        limit: 1000,
      });
      // The plan a statement prepared once is run with for any values (the generic one), on a table too small
      // to be worth an index unless a sequential scan is ruled out: could the count use the index at all?
      await client.query(`set search_path to ${pg.escapeIdentifier(schema)}`);
      await client.query('set plan_cache_mode = force_generic_plan');
      await client.query('set enable_seqscan = off');
      await client.query(`prepare count_outstanding as ${sql}`);
      const values = parameters.map((value) => pg.escapeLiteral(String(value))).join(', ');
      const explained = await client.query(`explain (format json) execute count_outstanding(${values})`);
      const plan = JSON.stringify(explained.rows[0]['QUERY PLAN']);
      assert.match(
        plan,
        /"Node Type":"Index Only Scan","Parent Relationship":"Outer"[^}]*"Index Name":"request_tokens_outstanding"/,
        plan,
      );
    } finally {
      await client.end();
    }
  });

  test('several processes opening one fresh database at once all succeed: one migrates, the others wait', async () => {
    const fresh = await createTestDatabase('migrate');
    try {
      const script = fileURLToPath(new URL('./fixtures/open-and-write.ts', import.meta.url));
      const names = ['p1', 'p2', 'p3', 'p4'];
      const exits = await Promise.all(names.map((name) => runChild(script, [fresh.url, name])));
      assert.deepEqual(
        exits.map((e) => e.code),
        [0, 0, 0, 0],
        exits.map((e) => e.stderr).join('\n'),
      );
      const stores = await openPostgresStores(fresh.url);
      try {
        assert.deepEqual((await stores.users.list({ offset: 0, limit: 10 })).map((u) => u.id).sort(), names);
      } finally {
        await stores.close();
      }
    } finally {
      await fresh.drop();
    }
  });

  test("an instance waits for another's migration longer than a query may take, up to the migration deadline", async () => {
    // Another instance "migrating": it holds the lock a migration takes.
    const schema = freshSchema();
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock(hashtext($1))', [`tripod-migrations:${schema}`]);
      const opening = openPostgresStores(database.url, { schema, queryTimeoutMs: 200 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await other.query('select pg_advisory_unlock(hashtext($1))', [`tripod-migrations:${schema}`]);
      const stores = await opening;
      try {
        assert.equal(await stores.users.count(), 0);
      } finally {
        await stores.close();
      }
      // Past the migration deadline it gives up, and says why.
      await other.query('select pg_advisory_lock(hashtext($1))', [`tripod-migrations:${schema}`]);
      await assert.rejects(
        openPostgresStores(database.url, { schema, migrationTimeoutMs: 300 }),
        (error: unknown) =>
          error instanceof StoreUnavailableError &&
          /another instance has been migrating this database for more than 300 ms/.test(error.message),
      );
    } finally {
      await other.end();
    }
  });

  test('a revocation published on one instance reaches the other through LISTEN/NOTIFY', async () => {
    const schema = freshSchema();
    const first = await openPostgresStores(database.url, { schema });
    const second = await openPostgresStores(database.url, { schema });
    try {
      const seen: RevocationEvent[] = [];
      second.revocations.subscribe((event) => seen.push(event));
      await first.revocations.publish({ kind: 'access-token-revoked', token: 'at-1' });
      await eventually(async () => (seen.length > 0 ? seen : null), 'the event reached the other instance');
      assert.deepEqual(seen, [{ kind: 'access-token-revoked', token: 'at-1' }]);
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('a broken rule (a duplicate key) is an error of its own, not an outage', async () => {
    const stores = await openPostgresStores(database.url, { schema: freshSchema() });
    try {
      const user = {
        id: 'u1',
        username: 'u',
        passwordHash: 'x',
        isOperator: false,
        disabled: false,
        createdAt: 1,
      };
      await stores.users.create(user);
      await assert.rejects(
        stores.users.create(user),
        (error: unknown) => !(error instanceof StoreUnavailableError),
      );
    } finally {
      await stores.close();
    }
  });

  test('nothing listening on the port: opening fails with StoreUnavailableError', async () => {
    const closed = await new TcpForwarder({ host: '127.0.0.1', port: 5432 }).start();
    await closed.cut();
    await assert.rejects(
      openPostgresStores(`postgres://postgres@127.0.0.1:${closed.port}/${database.name}`),
      StoreUnavailableError,
    );
  });

  describe('an outage while running', () => {
    const refusedAt = (at: number) => ({
      at,
      method: 'GET',
      url: 'https://x.example/',
      problem: 'signature_invalid',
      status: 401,
      code: 32,
      advice: '',
      parameters: [],
      baseString: null,
    });
    let forwarder: TcpForwarder;
    let stores: TripodStores;
    before(async () => {
      forwarder = await new TcpForwarder({ host: '127.0.0.1', port: 5432 }).start();
      stores = await openPostgresStores(`postgres://postgres@127.0.0.1:${forwarder.port}/${database.name}`, {
        schema: freshSchema(),
        connectionTimeoutMs: 500,
        queryTimeoutMs: 500,
      });
    });
    after(async () => {
      await forwarder.cut();
      await stores.close();
    });

    test('the database gone: calls fail with StoreUnavailableError, then succeed again by themselves', async () => {
      assert.equal(await stores.consumers.get('k'), null);
      await forwarder.cut();
      await assert.rejects(stores.consumers.get('k'), StoreUnavailableError);
      await assert.rejects(stores.nonces.claim('n1', Date.now() + 60_000), StoreUnavailableError);
      await assert.rejects(stores.ping(), StoreUnavailableError);
      await forwarder.restore();
      await eventually(
        async () => (await stores.nonces.claim('n1', Date.now() + 60_000)) || null,
        'recovered',
      );
      assert.equal(await stores.nonces.claim('n1', Date.now() + 60_000), false, 'and the claim was kept');
    });

    test('the database no longer answering: calls time out with StoreUnavailableError instead of hanging', async () => {
      await stores.ping();
      forwarder.stall();
      await assert.rejects(stores.accessTokens.get('t'), StoreUnavailableError);
      await assert.rejects(stores.rejections.record('app', refusedAt(1)), StoreUnavailableError);
      await forwarder.restore();
      await eventually(async () => {
        await stores.ping();
        return true;
      }, 'answering again');
      assert.equal(await stores.accessTokens.get('t'), null);
    });

    test('the connection lost in the middle of a transaction: that call fails with StoreUnavailableError, the process lives on', async () => {
      // A connection checked out of the pool (a transaction holds one from begin to commit: nonce batches,
      // rejections, daily counts) that the server drops emits 'error' on its client, which the pool does not
      // listen to while the connection is out: unheard, it ended the process (here: fails the test).
      await stores.ping();
      forwarder.stall();
      const settled = stores.rejections.record('mid-transaction', refusedAt(1)).then(
        () => 'written',
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await forwarder.cut();
      const outcome = await settled;
      assert.ok(outcome instanceof StoreUnavailableError, String(outcome));
      await forwarder.restore();
      await eventually(async () => {
        await stores.rejections.record('mid-transaction', refusedAt(2));
        return true;
      }, 'transactions succeed again');
      const written = (await stores.rejections.list('mid-transaction', 10)).map((entry) => entry.at);
      assert.deepEqual([...new Set(written)], [2], 'the lost transaction wrote nothing');
    });
  });
});

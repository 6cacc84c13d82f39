// One set of migrations for every SQL store: they must compile to PostgreSQL as well as SQLite, using only
// portable column types. (The PostgreSQL DDL below was also run against a real PostgreSQL server when
// this test was written; the PostgreSQL store's own tests will run it for real.)

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { migrationsFor } from '../../src/stores/migrations.ts';

async function compiledMigrations(dialect: 'postgres' | 'sqlite'): Promise<string[]> {
  const statements: string[] = [];
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => (dialect === 'postgres' ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) =>
        dialect === 'postgres' ? new PostgresIntrospector(k) : new SqliteIntrospector(k),
      createQueryCompiler: () =>
        dialect === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler(),
    },
    log: (event) => {
      statements.push(event.query.sql);
    },
  });
  for (const migration of Object.values(migrationsFor(dialect))) await migration.up(db);
  await db.destroy();
  return statements;
}

describe('migrations', () => {
  test('are named so that they sort in the order they apply', () => {
    const names = Object.keys(migrationsFor('sqlite'));
    assert.deepEqual(Object.keys(migrationsFor('postgres')), names);
    assert.deepEqual([...names].sort(), names);
    for (const name of names) assert.match(name, /^\d{4}_[a-z0-9_]+$/);
  });

  test('compile to the same DDL for PostgreSQL and SQLite but for storage hints, with portable column types only', async () => {
    const postgres = await compiledMigrations('postgres');
    const sqlite = await compiledMigrations('sqlite');
    // The only difference: SQLite's nonce table has no rowid (a storage hint; same columns, same keys).
    assert.deepEqual(
      sqlite.map((s) => s.replace(/ without rowid$/, '')),
      postgres,
    );
    assert.equal(sqlite.filter((s) => s.endsWith(' without rowid')).length, 1);
    const types = new Set<string>();
    for (const statement of postgres.filter((s) => s.startsWith('create table'))) {
      for (const match of statement.matchAll(/"[a-z_]+" (\w+)/g)) types.add(match[1] as string);
    }
    assert.deepEqual([...types].sort(), ['bigint', 'boolean', 'integer', 'text']);
    assert.ok(!postgres.some((s) => /autoincrement|without rowid|pragma/i.test(s)));
  });

  test('create the five tables of the Stores interfaces, with the indexes the queries use', async () => {
    const statements = await compiledMigrations('postgres');
    const tables = statements.flatMap((s) => /^create table "(\w+)"/.exec(s)?.[1] ?? []);
    assert.deepEqual(tables, ['users', 'consumers', 'request_tokens', 'access_tokens', 'nonces']);
    const indexes = statements.flatMap((s) => /^create (?:unique )?index "(\w+)"/.exec(s)?.[1] ?? []);
    assert.deepEqual(indexes, [
      'request_tokens_expires_at',
      'access_tokens_live_grant',
      'access_tokens_user_id',
      'nonces_expires_at',
    ]);
  });
});

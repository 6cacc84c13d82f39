// Every schema change, in order, in code (no files to ship or find at run time), applied at open by
// Kysely's Migrator. Written with Kysely's schema builder and portable column types only (text, integer,
// bigint, boolean) so the PostgreSQL store runs the very same list. The dialect is passed in only for
// storage hints that change no behaviour (SQLite's WITHOUT ROWID). Never edit a migration that has
// shipped: add the next one.

import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';

/** The SQL stores Tripod runs on. */
export type SqlDialect = 'sqlite' | 'postgres';

const initialSchema = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('is_operator', 'boolean', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('consumers')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('website', 'text', (c) => c.notNull())
      .addColumn('owner_user_id', 'text')
      .addColumn('callback_urls', 'text', (c) => c.notNull())
      .addColumn('access_level', 'text', (c) => c.notNull())
      .addColumn('xauth', 'boolean', (c) => c.notNull())
      .addColumn('rsa_public_key', 'text')
      .addColumn('disabled', 'boolean', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('request_tokens')
      .addColumn('token', 'text', (c) => c.primaryKey())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('consumer_key', 'text', (c) => c.notNull())
      .addColumn('callback', 'text', (c) => c.notNull())
      .addColumn('access_level', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('verifier', 'text')
      .addColumn('attempts_left', 'integer')
      .addColumn('access_token', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('request_tokens_expires_at')
      .on('request_tokens')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('access_tokens')
      .addColumn('token', 'text', (c) => c.primaryKey())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('consumer_key', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('access_level', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    // At most one live token per (app, user, access level): re-authorizing returns that token (Twitter's
    // rule), and two exchanges racing for the same grant cannot both create one. Partial, so revoked
    // tokens (kept as tombstones) do not count.
    await db.schema
      .createIndex('access_tokens_live_grant')
      .on('access_tokens')
      .columns(['consumer_key', 'user_id', 'access_level'])
      .unique()
      .where(sql.ref('revoked_at'), 'is', null)
      .execute();
    await db.schema.createIndex('access_tokens_user_id').on('access_tokens').column('user_id').execute();

    const nonces = db.schema
      .createTable('nonces')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull());
    // One insert per verified request: on SQLite a table keyed by its text primary key alone needs no
    // separate rowid b-tree, and leaving it out takes about a fifth off every claim.
    await (dialect === 'sqlite' ? nonces.modifyEnd(sql`without rowid`) : nonces).execute();
    await db.schema.createIndex('nonces_expires_at').on('nonces').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['nonces', 'access_tokens', 'request_tokens', 'consumers', 'users']) {
      await db.schema.dropTable(table).execute();
    }
  },
});

/** The migrations by name, for one dialect; names sort in the order they apply. */
export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001_initial_schema': initialSchema(dialect),
  };
}

/** Hands the in-code migrations to Kysely's Migrator. */
export function inCodeMigrations(dialect: SqlDialect): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}

/**
 * Applies every pending migration; throws (with the failing migration's name) if one fails. With
 * `inCallersTransaction`, the Migrator opens no transaction of its own: the caller holds one (SQLite's
 * `BEGIN IMMEDIATE`, which also serializes processes that open the same file at once).
 */
export async function applyMigrations(
  db: Kysely<unknown>,
  dialect: SqlDialect,
  options: { inCallersTransaction?: boolean } = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: inCodeMigrations(dialect),
    disableTransactions: options.inCallersTransaction ?? false,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

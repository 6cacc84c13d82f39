// Every schema change, in order, in code (no files to ship or find at run time), applied at open by
// Kysely's Migrator. Written with Kysely's schema builder and portable column types only (text, integer,
// bigint, boolean) so the PostgreSQL store runs the very same list. The dialect is passed in only for
// storage hints that change no behaviour (SQLite's WITHOUT ROWID; how each spells an auto-numbered key).
// Never edit a migration that has shipped: add the next one.

import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { caseFold } from './case-fold.ts';

/** The SQL stores Tripod runs on. */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * How long opening a store waits for another instance's migration, and a migration's statement may run,
 * unless told otherwise: ten minutes, as a migration may rewrite a large table (0012, the nonce table).
 */
export const MIGRATION_TIMEOUT_MS = 600_000;

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

/** An auto-numbered primary key: SQLite's rowid alias, PostgreSQL's identity column. */
function withAutoNumberedId<T extends string>(
  dialect: SqlDialect,
  table: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, 'id'> {
  return dialect === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey())
    : table.addColumn('id', 'bigint', (c: ColumnDefinitionBuilder) =>
        c.primaryKey().generatedByDefaultAsIdentity(),
      );
}

/** A table keyed by its text primary key alone: on SQLite, no separate rowid b-tree (a storage hint). */
function withoutRowid<T extends string, C extends string>(
  dialect: SqlDialect,
  table: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C> {
  return dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table;
}

// The rows a data step of 0002 reads and writes (the schema as it stood then, not as it is now).
interface SchemaOf0002 {
  users: { id: string; username: string; username_key: string | null };
  consumers: { key: string; name: string; name_key: string | null };
  server_sessions: { id_hash: string; user_id: string; created_at: number; expires_at: number };
  sessions: { id_hash: string; user_id: string; created_at: number; expires_at: number };
}

/**
 * One store layer (issue 8): the server's state moves into the shared schema (sessions, the debugger's
 * entries, rate limits, the audit trail), usernames become unique in any letter case, and the
 * administrative lists get the columns and indexes that let them page and search without a scan.
 * A database made by an earlier Tripod keeps its browser sessions (copied from the server's own
 * `server_sessions` table); the debugger's old tables are dropped (their entries are only a debugging
 * aid, and their format changes).
 */
const oneStoreLayer = (dialect: SqlDialect): Migration => ({
  async up(untyped: Kysely<unknown>): Promise<void> {
    const db = untyped as Kysely<SchemaOf0002>;
    // The server's own tables only ever existed in SQLite files (PostgreSQL came with this migration, and
    // introspection there would also see other schemas' tables).
    const existing = new Set(
      dialect === 'sqlite' ? (await db.introspection.getTables()).map((t) => t.name) : [],
    );

    // -- users: a folded username, unique; a disabled flag.
    await db.schema.alterTable('users').addColumn('username_key', 'text').execute();
    await db.schema
      .alterTable('users')
      .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();
    const users = await db.selectFrom('users').select(['id', 'username']).execute();
    const byKey = new Map<string, string[]>();
    for (const u of users)
      byKey.set(caseFold(u.username), [...(byKey.get(caseFold(u.username)) ?? []), u.username]);
    const clashes = [...byKey.values()].filter((names) => names.length > 1);
    if (clashes.length > 0) {
      throw new Error(
        `usernames must be unique whatever their letter case, but this database holds ${clashes
          .map((names) => names.map((n) => `'${n}'`).join(' and '))
          .join('; ')}: rename or delete all but one of each, then start again`,
      );
    }
    for (const u of users) {
      await db
        .updateTable('users')
        .set({ username_key: caseFold(u.username) })
        .where('id', '=', u.id)
        .execute();
    }
    await db.schema
      .createIndex('users_username_folded')
      .on('users')
      .column('username_key')
      .unique()
      .execute();
    await db.schema.createIndex('users_created_at').on('users').columns(['created_at', 'id']).execute();

    // -- consumers: a folded name for search; lists by owner and by age.
    await db.schema.alterTable('consumers').addColumn('name_key', 'text').execute();
    const consumers = await db.selectFrom('consumers').select(['key', 'name']).execute();
    for (const c of consumers) {
      await db
        .updateTable('consumers')
        .set({ name_key: caseFold(c.name) })
        .where('key', '=', c.key)
        .execute();
    }
    await db.schema
      .createIndex('consumers_owner_user_id')
      .on('consumers')
      .columns(['owner_user_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('consumers_created_at')
      .on('consumers')
      .columns(['created_at', 'key'])
      .execute();

    // -- browser sessions (were the server's own table on SQLite).
    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
    if (existing.has('server_sessions')) {
      await db
        .insertInto('sessions')
        .columns(['id_hash', 'user_id', 'created_at', 'expires_at'])
        .expression(
          db.selectFrom('server_sessions').select(['id_hash', 'user_id', 'created_at', 'expires_at']),
        )
        .execute();
      await db.schema.dropTable('server_sessions').execute();
    }

    // -- the signature debugger's entries (were the portal's own tables, with their own migrations).
    for (const table of ['portal_rejections', 'portal_migrations', 'portal_migrations_lock']) {
      if (existing.has(table)) await db.schema.dropTable(table).execute();
    }
    await withAutoNumberedId(dialect, db.schema.createTable('rejections'))
      .addColumn('consumer_key', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('entry', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('rejections_consumer_key')
      .on('rejections')
      .columns(['consumer_key', 'id'])
      .execute();

    // -- fixed-window rate-limit counters (when Redis does not keep them).
    await withoutRowid(
      dialect,
      db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('reset_at', 'bigint', (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex('rate_limits_reset_at').on('rate_limits').column('reset_at').execute();

    // -- the audit trail (issue 11 writes it).
    await withAutoNumberedId(dialect, db.schema.createTable('audit_events'))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('consumer_key', 'text')
      .addColumn('address', 'text')
      .addColumn('detail', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_events_at').on('audit_events').columns(['at', 'id']).execute();
    await db.schema
      .createIndex('audit_events_user_id')
      .on('audit_events')
      .columns(['user_id', 'at'])
      .execute();
    await db.schema
      .createIndex('audit_events_consumer_key')
      .on('audit_events')
      .columns(['consumer_key', 'at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['audit_events', 'rate_limits', 'rejections', 'sessions']) {
      await db.schema.dropTable(table).execute();
    }
    for (const index of [
      'consumers_created_at',
      'consumers_owner_user_id',
      'users_created_at',
      'users_username_folded',
    ]) {
      await db.schema.dropIndex(index).execute();
    }
    await db.schema.alterTable('consumers').dropColumn('name_key').execute();
    await db.schema.alterTable('users').dropColumn('disabled').execute();
    await db.schema.alterTable('users').dropColumn('username_key').execute();
  },
});

/**
 * The PIN page after a redirect (issue 12): a session may hold a stash, sealed with a key only its cookie
 * gives, that the prune timer deletes once it expires.
 */
const sessionStash: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('sessions').addColumn('stash', 'text').execute();
    await db.schema.alterTable('sessions').addColumn('stash_expires_at', 'bigint').execute();
    await db.schema
      .createIndex('sessions_stash_expires_at')
      .on('sessions')
      .column('stash_expires_at')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('sessions_stash_expires_at').execute();
    await db.schema.alterTable('sessions').dropColumn('stash_expires_at').execute();
    await db.schema.alterTable('sessions').dropColumn('stash').execute();
  },
};

/**
 * Hardening (issue 11): expired request tokens are purged at the next prune and leave a tombstone (token
 * hash, app, last state, expiry); outstanding tokens are counted per app, by an index that also serves
 * the purge.
 */
const requestTokenTombstones: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('request_token_tombstones')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('consumer_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('request_token_tombstones_expires_at')
      .on('request_token_tombstones')
      .column('expires_at')
      .execute();
    await db.schema
      .createIndex('request_tokens_consumer_key_expires_at')
      .on('request_tokens')
      .columns(['consumer_key', 'expires_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('request_tokens_consumer_key_expires_at').execute();
    await db.schema.dropTable('request_token_tombstones').execute();
  },
};

/**
 * Secrets at rest (issue 11): the data keys of envelope encryption (sql/envelope.ts) and the key of the
 * verifiers' keyed hash. Secrets already stored stay readable in clear until `tripod-server secrets
 * rotate` seals them; verifiers stored in clear by an earlier Tripod no longer match (their request tokens
 * live minutes: those users authorize again).
 */
const secretsAtRest: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('data_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('wrapped', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('data_keys').execute();
  },
};

/**
 * The audit trail's webhook deliveries (issue 11): one row per event and webhook URL, claimed by an
 * instance with a compare-and-set on `version`, so a log shared by every instance survives restarts and
 * no event is sent twice at once. Due rows are found by (status, next_try_at).
 */
const auditDeliveries = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await withAutoNumberedId(dialect, db.schema.createTable('audit_deliveries'))
      .addColumn('event_id', 'bigint', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('next_try_at', 'bigint', (c) => c.notNull())
      .addColumn('last_status', 'integer')
      .addColumn('error', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_deliveries_event_url')
      .on('audit_deliveries')
      .columns(['event_id', 'url'])
      .unique()
      .execute();
    await db.schema
      .createIndex('audit_deliveries_due')
      .on('audit_deliveries')
      .columns(['status', 'next_try_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('audit_deliveries').execute();
  },
});

/**
 * Accounts that can be recovered (issue 12): an optional e-mail address per user, what the settings page
 * shows of each session (last seen, browser, address), and one-time password-reset links (hashed).
 */
const accounts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').addColumn('email', 'text').execute();
    await db.schema.alterTable('users').addColumn('email_key', 'text').execute();
    await db.schema.createIndex('users_email_key').on('users').column('email_key').execute();
    await db.schema.alterTable('sessions').addColumn('last_seen_at', 'bigint').execute();
    await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
    await db.schema.alterTable('sessions').addColumn('address', 'text').execute();
    await db.schema
      .createTable('password_resets')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('password_resets_user_id').on('password_resets').column('user_id').execute();
    await db.schema
      .createIndex('password_resets_expires_at')
      .on('password_resets')
      .column('expires_at')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('password_resets').execute();
    for (const column of ['address', 'user_agent', 'last_seen_at']) {
      await db.schema.alterTable('sessions').dropColumn(column).execute();
    }
    await db.schema.dropIndex('users_email_key').execute();
    await db.schema.alterTable('users').dropColumn('email_key').execute();
    await db.schema.alterTable('users').dropColumn('email').execute();
  },
};

/**
 * 0009: the operator's charts — one row per UTC day, metric and subject, added to in batches — and the
 * apps' icons (base64 text: one portable type on both databases; an icon is at most a few hundred KB).
 */
const dailyCountsAndIcons: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('daily_counts')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .execute();
    // The upsert's conflict target; also serves the charts' `day >= ?`.
    await db.schema
      .createIndex('daily_counts_day_metric_subject')
      .unique()
      .on('daily_counts')
      .columns(['day', 'metric', 'subject'])
      .execute();
    await db.schema
      .createTable('app_icons')
      .addColumn('consumer_key', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('app_icons').execute();
    await db.schema.dropIndex('daily_counts_day_metric_subject').execute();
    await db.schema.dropTable('daily_counts').execute();
  },
};

/**
 * 0010: nonces in a table with a unique key instead of keyed by it. On SQLite that gives the table a rowid:
 * keys are random within their second, so every batch of claims lands all over the key's B-tree, and the
 * table keyed by the key (without rowid) had a second such tree, the expiry index, whose entries (expiry,
 * key) were just as scattered. With a rowid, the expiry index holds (expiry, rowid) and the rows are
 * appended: one scattered tree instead of two, about a quarter off each claim's CPU and a third off its
 * time under load (BENCHMARKS.md). PostgreSQL's tables are heaps either way; the same DDL keeps the two
 * schemas one.
 */
const nonceRowids = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('nonces_by_rowid')
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into nonces_by_rowid (key, expires_at) select key, expires_at from nonces order by key`.execute(
      db,
    );
    await db.schema.dropTable('nonces').execute();
    await db.schema.alterTable('nonces_by_rowid').renameTo('nonces').execute();
    await db.schema.createIndex('nonces_expires_at').on('nonces').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await noncesKeyedByKey(db, dialect);
    await db.schema.createIndex('nonces_expires_at').on('nonces').column('expires_at').execute();
  },
});

/** The nonces moved into a table keyed by the key (on SQLite without rowid), with no index of its own. */
async function noncesKeyedByKey(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const byKey = db.schema
    .createTable('nonces_by_key')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull());
  await (dialect === 'sqlite' ? byKey.modifyEnd(sql`without rowid`) : byKey).execute();
  await sql`insert into nonces_by_key (key, expires_at) select key, expires_at from nonces order by key`.execute(
    db,
  );
  await db.schema.dropTable('nonces').execute();
  await db.schema.alterTable('nonces_by_key').renameTo('nonces').execute();
}

/**
 * 0011: nonces keyed by their key alone, with no expiry index. The provider's keys begin with the request's
 * timestamp (provider/signed-request.ts, `nonceKey`), so a batch of claims lands at the end of the key's
 * B-tree, and expired nonces are the lowest keys: the table keyed by the key (on SQLite without rowid) is
 * the one B-tree a claim writes, where 0010's rowid table wrote three (rows, unique key, expiry). A claim
 * through the store costs 10-20 % less, and a purge deletes key ranges from the table's start, about twice
 * as fast (`bench/micro/nonce-table.ts`, BENCHMARKS.md). What it costs: counting the live nonces (the
 * metric) reads the table instead of the expiry index: in chunks that leave the event loop free, about
 * 160 ms of work at a million live nonces against 17-19 ms in one statement on 0010's index.
 */
const noncesByKey = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await noncesKeyedByKey(db, dialect);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await nonceRowids(dialect).up(db);
  },
});

/**
 * 0012: the nonces' keys shortened to the provider's new form (provider/signed-request.ts, `nonceKey`): the
 * timestamp zero-padded to 10 digits instead of 15, and 22 characters of the digest instead of 43, which
 * are its first 22. So each stored key is cut to its new form in place, and a request claimed before the
 * upgrade is still refused as a replay after it. Keys in no known form (none are written) are left to
 * expire. There is no way back to the longer digest: undoing 0012 leaves the keys as they are, and the
 * nonces of the last timestamp window (five minutes by default) are then no longer recognised.
 */
const compactNonceKeys: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Before: 15 digits, '.', 43 characters (59). After: the last 10 digits, '.', 22 characters (33).
    await sql`update nonces set key = substr(key, 6, 33)
      where length(key) = 59 and substr(key, 1, 5) = '00000' and substr(key, 16, 1) = '.'`.execute(db);
  },
  async down(): Promise<void> {},
};

/**
 * 0013: request_token's cap counts only the tokens it is about (provider/request-token-endpoint.ts). The
 * index of 0004 held every token of an app, so counting its issued and authorized ones read each of its
 * answered, denied and exchanged ones too, row by row, until they expired: a check grew with the app's own
 * finished flows (SQLite 0.65 ms at 10,000 of them, 11.8 ms at 100,000, on the event loop). A partial
 * index of the outstanding ones alone: a token leaves it with its answer, and the count reads at most the
 * cap's worth of index entries, never a row. Its condition is the count's own term, literals and all
 * (sql/queries.ts), so that both planners can prove the count may use it. The purge keeps 0001's index on the expiry.
 */
const outstandingRequestTokens: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('request_tokens_consumer_key_expires_at').execute();
    await db.schema
      .createIndex('request_tokens_outstanding')
      .on('request_tokens')
      // The status too, though the condition fixes it: SQLite reads the row to test a term it cannot see.
      .columns(['consumer_key', 'expires_at', 'status'])
      .where(sql<boolean>`status in ('issued', 'authorized')`)
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('request_tokens_outstanding').execute();
    await db.schema
      .createIndex('request_tokens_consumer_key_expires_at')
      .on('request_tokens')
      .columns(['consumer_key', 'expires_at'])
      .execute();
  },
};

/** The migrations by name, for one dialect; names sort in the order they apply. */
export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001_initial_schema': initialSchema(dialect),
    '0002_one_store_layer': oneStoreLayer(dialect),
    '0003_session_stash': sessionStash,
    '0004_request_token_tombstones': requestTokenTombstones,
    '0005_secrets_at_rest': secretsAtRest,
    '0006_audit_deliveries': auditDeliveries(dialect),
    '0008_accounts': accounts,
    '0009_daily_counts_and_icons': dailyCountsAndIcons,
    '0010_nonce_rowids': nonceRowids(dialect),
    '0011_nonces_by_key': noncesByKey(dialect),
    '0012_compact_nonce_keys': compactNonceKeys,
    '0013_outstanding_request_tokens': outstandingRequestTokens,
  };
}

/** Hands the in-code migrations to Kysely's Migrator. */
export function inCodeMigrations(dialect: SqlDialect): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}

/**
 * Applies every pending migration; throws (with the failing migration's name) if one fails. With
 * `inCallersTransaction`, the Migrator opens no transaction of its own: the caller holds one (SQLite's
 * `BEGIN IMMEDIATE`, which also serializes processes that open the same file at once). `schema`: the
 * PostgreSQL schema the tables live in.
 */
export async function applyMigrations(
  db: Kysely<unknown>,
  dialect: SqlDialect,
  options: { inCallersTransaction?: boolean; schema?: string } = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: inCodeMigrations(dialect),
    disableTransactions: options.inCallersTransaction ?? false,
    // Named, so that the Migrator's own tables are looked for in this schema and not found in another.
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
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

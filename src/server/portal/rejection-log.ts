// The signature debugger's memory: the last rejected requests of each app, with what the server received
// and the base string it computed, so a developer can diff it against their own. Nothing secret is kept:
// consumer and token secrets never enter an entry, and xAuth passwords are replaced before storing.

import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import type { Parameter } from '../../core/encoding.ts';

/** How many rejected requests the debugger keeps and shows per app (issue 4). */
export const REJECTIONS_KEPT = 20;

export interface RejectedRequest {
  /** When the server refused it, ms since the epoch. */
  at: number;
  method: string;
  /** The public URL the server verified against (query included). */
  url: string;
  /** The oauth_problem (Problem Reporting extension), e.g. signature_invalid. */
  problem: string;
  /** HTTP status and Twitter error code of the answer. */
  status: number;
  code: number | null;
  /** The sentence of advice sent with the answer. */
  advice: string;
  /** Every parameter received (header, query, form body), oauth_signature included, in arrival order. */
  parameters: Parameter[];
  /** The signature base string the server computed (RFC 5849 §3.4.1); null if it never got that far. */
  baseString: string | null;
}

export interface RejectionLog {
  record(consumerKey: string, entry: RejectedRequest): Promise<void>;
  /** Newest first, at most `limit`. */
  list(consumerKey: string, limit?: number): Promise<RejectedRequest[]>;
  /** Drops everything kept for an app (it was deleted). */
  forget(consumerKey: string): Promise<void>;
  close(): Promise<void>;
}

// Parameters whose values are secrets a client may (wrongly or by design) send in clear.
const SECRET_PARAMETERS = new Set(['x_auth_password']);
const REDACTED = '[redacted]';
// In the base string each value is percent-encoded twice, so '&' between parameters is %26 and never
// occurs inside a value; `[redacted]` encoded twice is %255Bredacted%255D.
const SECRET_IN_BASE_STRING = /(x_auth_password%3D).*?(?=%26|$)/g;

/** The entry with every secret value replaced; applied by both implementations before storing. */
export function redactRejectedRequest(entry: RejectedRequest): RejectedRequest {
  let url = entry.url;
  try {
    const parsed = new URL(entry.url);
    let changed = false;
    for (const name of SECRET_PARAMETERS) {
      if (parsed.searchParams.has(name)) {
        parsed.searchParams.set(name, REDACTED);
        changed = true;
      }
    }
    if (changed) url = parsed.toString();
  } catch {
    url = entry.url.split('?', 1)[0]!;
  }
  return {
    ...entry,
    url,
    parameters: entry.parameters.map(([name, value]) => [
      name,
      SECRET_PARAMETERS.has(name) ? REDACTED : value,
    ]),
    baseString: entry.baseString?.replace(SECRET_IN_BASE_STRING, '$1%255Bredacted%255D') ?? null,
  };
}

function clampLimit(limit: number | undefined): number {
  return Math.max(0, Math.min(limit ?? REJECTIONS_KEPT, REJECTIONS_KEPT));
}

export function createMemoryRejectionLog(): RejectionLog {
  const byConsumer = new Map<string, RejectedRequest[]>();
  return {
    async record(consumerKey, entry) {
      const entries = byConsumer.get(consumerKey) ?? [];
      entries.unshift(structuredClone(redactRejectedRequest(entry)));
      entries.length = Math.min(entries.length, REJECTIONS_KEPT);
      byConsumer.set(consumerKey, entries);
    },
    async list(consumerKey, limit) {
      return structuredClone((byConsumer.get(consumerKey) ?? []).slice(0, clampLimit(limit)));
    },
    async forget(consumerKey) {
      byConsumer.delete(consumerKey);
    },
    async close() {},
  };
}

interface RejectionTables {
  portal_rejections: {
    id: number | null;
    consumer_key: string;
    at: number;
    entry: string;
  };
}

// The portal's own migrations, tracked in their own table so they never interleave with the stores'.
const portalMigrations: Record<string, Migration> = {
  '0001_rejections': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('portal_rejections')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('consumer_key', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('entry', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('portal_rejections_consumer')
        .on('portal_rejections')
        .columns(['consumer_key', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('portal_rejections').execute();
    },
  },
};

/** Rejections in the server's SQLite file (own connection, own table and migration history). */
export async function openSqliteRejectionLog(file: string): Promise<RejectionLog> {
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<RejectionTables>({ dialect: new SqliteDialect({ database }) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => portalMigrations },
    migrationTableName: 'portal_migrations',
    migrationLockTableName: 'portal_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw new Error(`portal migration failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return {
    async record(consumerKey, entry) {
      const safe = redactRejectedRequest(entry);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('portal_rejections')
          .values({ id: null, consumer_key: consumerKey, at: safe.at, entry: JSON.stringify(safe) })
          .execute();
        // Keep the newest REJECTIONS_KEPT of this app: a noisy client cannot grow the table without bound.
        const cutoff = await trx
          .selectFrom('portal_rejections')
          .select('id')
          .where('consumer_key', '=', consumerKey)
          .orderBy('id', 'desc')
          .offset(REJECTIONS_KEPT)
          .limit(1)
          .executeTakeFirst();
        if (cutoff?.id != null) {
          await trx
            .deleteFrom('portal_rejections')
            .where('consumer_key', '=', consumerKey)
            .where('id', '<=', cutoff.id)
            .execute();
        }
      });
    },
    async list(consumerKey, limit) {
      const rows = await db
        .selectFrom('portal_rejections')
        .select('entry')
        .where('consumer_key', '=', consumerKey)
        .orderBy('id', 'desc')
        .limit(clampLimit(limit))
        .execute();
      return rows.map((row) => JSON.parse(row.entry) as RejectedRequest);
    },
    async forget(consumerKey) {
      await db.deleteFrom('portal_rejections').where('consumer_key', '=', consumerKey).execute();
    },
    async close() {
      await db.destroy();
    },
  };
}

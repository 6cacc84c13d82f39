// The default store: one SQLite file (WAL mode), migrated at open, holding every store of the bundle.
// The queries are the shared ones (sql/queries.ts) run as better-sqlite3 prepared statements. One file
// serves one instance: revocation events stay in the process. Nonce claims are group-committed with the
// other claims of the same event-loop turn (group-commit.ts), or, with nonceWrites 'behind', decided in
// memory and written behind (nonce-window.ts).

import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { InProcessRevocationBus } from '../in-process-revocation-bus.ts';
import { applyMigrations, MIGRATION_TIMEOUT_MS } from '../migrations.ts';
import { NonceWindow, type NonceWindowOptions } from '../nonce-window.ts';
import type { OperatorKey } from '../operator-keys.ts';
import { RecentNonces } from '../recent-nonces.ts';
import type { TripodDatabase } from '../schema.ts';
import { sqlStores } from '../sql/sql-stores.ts';
import type { TripodStores } from '../types.ts';
import { type BackgroundCheckpointOptions, BackgroundCheckpoints } from './background-checkpoints.ts';
import { SqliteExecutor } from './executor.ts';

export interface SqliteStoreOptions {
  /** How long a writer waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
  /** How long opening waits for another process's migration of the file (default MIGRATION_TIMEOUT_MS). */
  migrationTimeoutMs?: number;
  /** The operator's keys for secrets at rest, newest last; none: secrets are stored in clear. */
  operatorKeys?: readonly OperatorKey[] | null;
  /**
   * commit (the default): each nonce is in the file before the request's answer. behind: decided in memory
   * and written every 100 ms (a crash can forget the last interval's nonces).
   */
  nonceWrites?: 'commit' | 'behind';
  /** The nonce window's bounds and timing (tests shorten them). */
  nonceWindow?: NonceWindowOptions;
  /**
   * inline (the default): SQLite checkpoints the log in the commit that fills it. background: a worker
   * thread does, off the event loop (background-checkpoints.ts): for a long-running server.
   */
  checkpoints?: 'inline' | 'background';
  /** The background checkpoints' timing (tests shorten them). */
  backgroundCheckpoints?: BackgroundCheckpointOptions;
}

/**
 * Opens (creating if needed) the SQLite database at `file`, applies pending migrations and returns the
 * stores. `':memory:'` gives a private in-memory database.
 */
export async function openSqliteStores(
  file: string,
  options: SqliteStoreOptions = {},
): Promise<TripodStores> {
  const sqlite = new Database(file);
  try {
    const busyTimeoutMs = Math.trunc(options.busyTimeoutMs ?? 5000);
    const migrationTimeoutMs = Math.trunc(options.migrationTimeoutMs ?? MIGRATION_TIMEOUT_MS);
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // WAL: readers never block the writer and a crash never leaves a half-written page.
    await switchToWal(sqlite, file, migrationTimeoutMs);
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    // SQLite's own default page cache, 2 MB (better-sqlite3 sets 16 MB): the pages a server reads again are
    // the end of the nonce table and the few rows of apps and tokens, and the operating system's file cache
    // holds the rest outside this process. After a million nonce claims the process had grown 15 MB
    // instead of 30, each claim taking no more CPU (BENCHMARKS.md, 2026-12-01).
    sqlite.pragma('cache_size = -2000');
    const db = new Kysely<TripodDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
    // The stores open (making the first data keys) in the same turn as the migration: a write of this
    // connection must not wait on the lock another connection of this process holds across an await.
    const waits = { busyTimeoutMs, migrationTimeoutMs };
    return await migrateExclusively(file, sqlite, db, waits, () => buildStores(sqlite, db, file, options));
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/**
 * Puts the file in WAL mode (a no-op once it is). The first connections to a fresh file all switch it, and
 * two processes doing so at once can each hold the lock the other needs: SQLite then answers one of them
 * `SQLITE_BUSY` at once instead of waiting (its busy handler would deadlock), and that process failed to
 * start (seen once in CI, 4 processes opening one fresh file). Such a switch is retried, as long as opening
 * waits for another process's migration.
 */
async function switchToWal(sqlite: Database.Database, file: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      if (performance.now() >= deadline) throw heldTooLong(file, 'lock', timeoutMs, 'opening', error);
      // A few ms, differently in each process, so that two that collided do not collide again.
      await delay(5 + randomInt(20));
    }
  }
}

/** What an opening says when another process kept `file`'s lock past the migration deadline. */
function heldTooLong(file: string, lock: string, ms: number, doing: string, cause: unknown): Error {
  return new Error(
    `another process held the ${lock} of ${file} for more than ${ms} ms (${doing} it?); start this one again when it has finished`,
    { cause },
  );
}

// Opens of one file within this process, chained: a second connection must not start migrating while
// the first is between two awaits of its own migration (it would block the thread waiting for the lock
// the first holds).
const migrationsInProgress = new Map<string, Promise<unknown>>();

/**
 * Applies pending migrations under `BEGIN IMMEDIATE`: the write lock is taken before the migration state
 * is read, so of several processes opening a fresh file at once one migrates and the others, after
 * waiting for the lock, find nothing left to do (Kysely's SQLite adapter takes no lock of its own). They
 * wait as long as a migration may take, not as long as one write may: on a busy machine a migration can
 * take longer than the busy timeout. `then` runs next, still ahead of the next connection of this process
 * to the same file.
 */
async function migrateExclusively<T>(
  file: string,
  sqlite: Database.Database,
  db: Kysely<TripodDatabase>,
  waits: { busyTimeoutMs: number; migrationTimeoutMs: number },
  then: () => Promise<T>,
): Promise<T> {
  const key = file === ':memory:' || file === '' ? null : resolve(file);
  const migrate = async () => {
    sqlite.pragma(`busy_timeout = ${waits.migrationTimeoutMs}`);
    try {
      sqlite.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      throw heldTooLong(file, 'write lock', waits.migrationTimeoutMs, 'migrating', error);
    } finally {
      sqlite.pragma(`busy_timeout = ${waits.busyTimeoutMs}`);
    }
    try {
      await applyMigrations(db as Kysely<unknown>, 'sqlite', { inCallersTransaction: true });
      sqlite.exec('COMMIT');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
    return then();
  };
  if (key === null) return migrate();
  const current = (migrationsInProgress.get(key) ?? Promise.resolve()).catch(() => {}).then(migrate);
  migrationsInProgress.set(key, current);
  try {
    return await current;
  } finally {
    if (migrationsInProgress.get(key) === current) migrationsInProgress.delete(key);
  }
}

async function buildStores(
  sqlite: Database.Database,
  db: Kysely<TripodDatabase>,
  file: string,
  options: SqliteStoreOptions,
): Promise<TripodStores> {
  const executor = new SqliteExecutor(sqlite);
  const sql = await sqlStores(executor, db, { operatorKeys: options.operatorKeys ?? null });
  const checkpoints =
    options.checkpoints === 'background' && file !== ':memory:' && file !== ''
      ? new BackgroundCheckpoints(sqlite, file, options.backgroundCheckpoints)
      : null;
  // Nonces: each first use committed before its answer (group-committed), recent replays refused from memory
  // (recent-nonces.ts); or, when asked, decided in memory and written behind (nonce-window.ts).
  const nonces =
    options.nonceWrites === 'behind'
      ? await NonceWindow.owning(
          { ...sql.nonces, othersWrote: () => executor.othersWrote() },
          options.nonceWindow,
        )
      : new RecentNonces(sql.nonces);
  let closed = false;
  return {
    ...sql,
    nonces,
    secretsAtRest: {
      get encrypted() {
        return sql.secretsAtRest.encrypted;
      },
      // The values a rotation replaces (secrets once stored in clear) must not stay behind in the file's
      // freed space or in the WAL: zeroed as they are freed, and the WAL emptied into the file at the end
      // (fully only when no other connection is reading at that moment: run it with the server stopped).
      async rotate(rotation) {
        sqlite.pragma('secure_delete = ON');
        const result = await sql.secretsAtRest.rotate(rotation);
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
        return result;
      },
    },
    revocations: new InProcessRevocationBus(),
    ping: () => executor.ping(),
    backingServices: [{ name: 'database', ping: () => executor.ping() }],
    async close() {
      if (closed) return;
      closed = true;
      await nonces.close();
      await checkpoints?.stop();
      await executor.close();
    },
  };
}

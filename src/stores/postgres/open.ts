// The shared store: PostgreSQL through a `pg` Pool, for several instances behind a load balancer. The same
// migrations and the same queries as SQLite (sql/queries.ts), as named prepared statements. Migrations run
// under a session-level advisory lock, so of several instances starting together on a fresh database one
// migrates and the others wait and find nothing left to do. Timeouts on connecting and on every query mean
// a database that is down or gone makes store calls fail fast with StoreUnavailableError instead of
// hanging; the pool reconnects by itself when it is back. Migrating has a deadline of its own, longer: a
// migration may rewrite a large table, and the instances waiting for it wait as long as it runs.

import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import { StoreUnavailableError } from '../errors.ts';
import { InProcessRevocationBus } from '../in-process-revocation-bus.ts';
import { applyMigrations, MIGRATION_TIMEOUT_MS } from '../migrations.ts';
import type { OperatorKey } from '../operator-keys.ts';
import type { TripodDatabase } from '../schema.ts';
import { sqlStores } from '../sql/sql-stores.ts';
import type { TripodStores } from '../types.ts';
import { PostgresExecutor } from './executor.ts';
import { PostgresRevocationBus } from './revocation-bus.ts';
import { unavailableOr } from './unavailable.ts';

export interface PostgresStoreOptions {
  /** Tables in this schema (created if absent) instead of the connection's default (usually `public`). */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Giving up on connecting, or on waiting for a free connection (default 2000 ms). */
  connectionTimeoutMs?: number;
  /** Giving up on one query, on the server and in the client (default 5000 ms). */
  queryTimeoutMs?: number;
  /**
   * Giving up on one statement of a migration, or on waiting for another instance's migration to end
   * (default MIGRATION_TIMEOUT_MS: ten minutes).
   */
  migrationTimeoutMs?: number;
  /**
   * Relay revocation events between instances with LISTEN/NOTIFY (default true; one more connection).
   * False keeps them in the process, for when Redis relays them instead.
   */
  revocationEvents?: boolean;
  /** The operator's keys for secrets at rest, newest last; none: secrets are stored in clear. */
  operatorKeys?: readonly OperatorKey[] | null;
}

const INT8 = 20;

/** Connection settings shared by the pool and the revocation listener. */
function clientConfig(url: string, options: PostgresStoreOptions): pg.ClientConfig {
  const queryTimeoutMs = options.queryTimeoutMs ?? 5000;
  return {
    connectionString: url,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
    // The server cancels a statement that runs too long; the client gives up a little later in case the
    // server itself stopped answering.
    statement_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + 1000,
    keepAlive: true,
    ...(options.schema ? { options: `-c search_path=${pg.escapeIdentifier(options.schema)}` } : {}),
    // bigint columns (times in ms, counts) as numbers: every value Tripod stores fits in 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as never,
    },
  };
}

/** Kysely on one connection: the Migrator must run on the connection that holds the advisory lock. */
function onOneConnection(client: pg.Client): PostgresPool {
  return {
    connect: async () =>
      ({
        query: client.query.bind(client),
        release: () => {},
      }) as never,
    end: async () => {},
    options: {},
  };
}

/**
 * Migrates on a connection of its own, whose statements (the wait for the lock among them) have the
 * migration deadline instead of the per-query one: on a busy machine one instance's migration took longer
 * than 5 s, and every instance waiting for it failed to start.
 */
async function migrate(config: pg.ClientConfig, options: PostgresStoreOptions): Promise<void> {
  const deadlineMs = options.migrationTimeoutMs ?? MIGRATION_TIMEOUT_MS;
  const client = new pg.Client({
    ...config,
    statement_timeout: deadlineMs,
    query_timeout: deadlineMs + 1000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw unavailableOr(error);
  }
  const lock = `tripod-migrations:${options.schema ?? ''}`;
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [lock]).catch((error: unknown) => {
      if (!(error instanceof pg.DatabaseError && error.code === '57014')) throw error;
      throw new StoreUnavailableError(
        'postgres',
        `another instance has been migrating this database for more than ${deadlineMs} ms; start this one again when it has finished`,
      );
    });
    try {
      if (options.schema)
        await client.query(`create schema if not exists ${pg.escapeIdentifier(options.schema)}`);
      await applyMigrations(
        new Kysely<unknown>({ dialect: new PostgresDialect({ pool: onOneConnection(client) }) }),
        'postgres',
        { schema: options.schema ?? 'public' },
      );
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [lock]);
    }
  } catch (error) {
    throw unavailableOr(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Opens the pool, migrates (once, whatever else starts at the same time) and returns the stores. */
export async function openPostgresStores(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<TripodStores> {
  const config = clientConfig(url, options);
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 10 });
  // An idle connection the server dropped is removed by the pool; without a listener it would crash.
  pool.on('error', () => {});
  // A connection lost while checked out (a transaction holds one from begin to commit) emits 'error' on its
  // client, and the pool listens to idle ones only: unheard, that error ended the process. The calls on it
  // fail by themselves (StoreUnavailableError), and released it is discarded, being no longer queryable.
  pool.on('connect', (client) => client.on('error', () => {}));
  const relay =
    options.revocationEvents === false
      ? null
      : new PostgresRevocationBus(pool, config, `tripod_revocations:${options.schema ?? 'public'}`);
  try {
    await migrate(config, options);
    await relay?.listen();
  } catch (error) {
    await relay?.close();
    await pool.end().catch(() => {});
    throw error;
  }
  const executor = new PostgresExecutor(pool);
  const db = new Kysely<TripodDatabase>({ dialect: new PostgresDialect({ pool }) });
  let sql: Awaited<ReturnType<typeof sqlStores>>;
  try {
    sql = await sqlStores(executor, db, { operatorKeys: options.operatorKeys ?? null });
  } catch (error) {
    await relay?.close();
    await executor.close().catch(() => {});
    throw unavailableOr(error);
  }
  let closed = false;
  return {
    ...sql,
    revocations: relay ?? new InProcessRevocationBus(),
    ping: () => executor.ping(),
    backingServices: [{ name: 'database', ping: () => executor.ping() }],
    async close() {
      if (closed) return;
      closed = true;
      await relay?.close();
      await executor.close();
    },
  };
}

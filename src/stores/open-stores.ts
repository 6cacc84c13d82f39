// The one way to open Tripod's stores, for every command and every embedder: the SQLite file
// DIR/tripod.db by default, PostgreSQL when a database URL is given, and Redis layered on top for the
// ephemeral state (nonces, rate limits, revocation events) when a Redis URL is given. Consumer, access-token
// and user reads are cached above all of it (verification-cache.ts), invalidated through the revocation bus,
// and nonces seen used are remembered in front of the nonce store (recent-nonces.ts).

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OperatorKey } from './operator-keys.ts';
import type { PostgresStoreOptions } from './postgres/open.ts';
import { RecentNonces } from './recent-nonces.ts';
import type { RedisStoreOptions, RedisStores } from './redis/open.ts';
import { openSqliteStores } from './sqlite/open.ts';
import type { TripodStores } from './types.ts';
import { type VerificationCacheOptions, withVerificationCache } from './verification-cache.ts';

export const DATABASE_FILE = 'tripod.db';

export interface StoreSettings {
  /** Directory of the SQLite file (default ./data); ignored with a database URL. */
  dataDir?: string;
  /** postgres://… : use PostgreSQL instead of the SQLite file. */
  databaseUrl?: string | null;
  /** redis://… : keep nonces, rate limits and revocation events in Redis. */
  redisUrl?: string | null;
  /** Prefix of every Redis key (default `tripod:`). */
  keyPrefix?: string;
  /** The operator's keys for secrets at rest, newest last (operator-keys.ts); none: stored in clear. */
  operatorKeys?: readonly OperatorKey[] | null;
  /** SQLite: nonces committed before each answer (default), or decided in memory and written behind. */
  nonceWrites?: 'commit' | 'behind';
  /** SQLite: the log checkpointed in the commit that fills it (default), or by a worker thread (a server). */
  checkpoints?: 'inline' | 'background';
  postgres?: PostgresStoreOptions;
  redis?: Omit<RedisStoreOptions, 'keyPrefix'>;
  /** The verified request's lookups cached in memory (default on); false reads the store every time. */
  verificationCache?: VerificationCacheOptions | false;
}

/** Where the SQL stores live, as a person reads it (never the URL's password). */
export function describeStoreLocation(settings: StoreSettings): string {
  if (settings.databaseUrl) {
    try {
      const url = new URL(settings.databaseUrl);
      if (url.password) url.password = '***';
      return url.toString();
    } catch {
      return 'PostgreSQL';
    }
  }
  return join(resolve(settings.dataDir ?? './data'), DATABASE_FILE);
}

async function openSql(settings: StoreSettings): Promise<TripodStores> {
  if (settings.databaseUrl) {
    // With Redis, revocation events travel through it: PostgreSQL need not relay them too.
    // Loaded only when configured: the PostgreSQL and Redis clients are a good part of an idle server's memory.
    const { openPostgresStores } = await import('./postgres/open.ts');
    const stores = await openPostgresStores(settings.databaseUrl, {
      operatorKeys: settings.operatorKeys ?? null,
      ...settings.postgres,
      revocationEvents: settings.postgres?.revocationEvents ?? !settings.redisUrl,
    });
    // Shared by every instance: the table decides each first use; the recent ones are remembered here.
    return { ...stores, nonces: new RecentNonces(stores.nonces) };
  }
  const dir = resolve(settings.dataDir ?? './data');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new Error(`cannot create the data directory ${dir}: ${(error as Error).message}`, { cause: error });
  }
  return openSqliteStores(join(dir, DATABASE_FILE), {
    operatorKeys: settings.operatorKeys ?? null,
    nonceWrites: settings.nonceWrites ?? 'commit',
    checkpoints: settings.checkpoints ?? 'inline',
  });
}

export async function openStores(settings: StoreSettings = {}): Promise<TripodStores> {
  const stores = await openUncached(settings);
  return settings.verificationCache === false
    ? stores
    : withVerificationCache(stores, settings.verificationCache);
}

async function openUncached(settings: StoreSettings): Promise<TripodStores> {
  const sql = await openSql(settings);
  if (!settings.redisUrl) return sql;
  let redis: RedisStores;
  try {
    const { openRedisStores } = await import('./redis/open.ts');
    redis = await openRedisStores(settings.redisUrl, { ...settings.redis, keyPrefix: settings.keyPrefix });
  } catch (error) {
    await sql.close();
    throw error;
  }
  return {
    ...sql,
    nonces: new RecentNonces(redis.nonces),
    rateLimits: redis.rateLimits,
    revocations: redis.revocations,
    async ping() {
      await Promise.all([sql.ping(), redis.ping()]);
    },
    backingServices: [...sql.backingServices, { name: 'redis', ping: () => redis.ping() }],
    async close() {
      await Promise.all([sql.close(), redis.close()]);
    },
  };
}

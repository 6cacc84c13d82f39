// The stores' public API (`tripod/stores`): one function to open them, the implementations, the server
// state interfaces and the error a store throws when its database or Redis is away.

export { type StoreService, StoreUnavailableError } from './errors.ts';
export { createMemoryStores } from './memory.ts';
export {
  DATABASE_FILE,
  describeStoreLocation,
  openStores,
  type StoreSettings,
} from './open-stores.ts';
export { openPostgresStores, type PostgresStoreOptions } from './postgres/open.ts';
export { openRedisStores, type RedisStoreOptions, type RedisStores } from './redis/open.ts';
export { openSqliteStores, type SqliteStoreOptions } from './sqlite/open.ts';
export * from './types.ts';

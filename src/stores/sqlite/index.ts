export { openSqliteStores, type SqliteStoreOptions } from './open.ts';

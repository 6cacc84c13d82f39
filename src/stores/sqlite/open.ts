// The default store: one SQLite file (WAL mode), migrated at open. Every operation is one prepared
// statement, so each is atomic on its own: the request token transition is a compare-and-set
// (`UPDATE … WHERE token = ? AND version = ?`) and a nonce claim is `INSERT … ON CONFLICT DO NOTHING`
// (group-committed with the other claims of the same event-loop turn: batched-nonce-claims.ts).

import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type {
  AccessLevel,
  AccessToken,
  AccessTokenStore,
  Consumer,
  ConsumerStore,
  NonceStore,
  RequestToken,
  RequestTokenStore,
  Stores,
  User,
  UserStore,
} from '../../provider/types.ts';
import { applyMigrations } from '../migrations.ts';
import type {
  AccessTokensTable,
  ConsumersTable,
  RequestTokensTable,
  TripodDatabase,
  UsersTable,
} from '../schema.ts';
import { BatchedNonceClaims } from './batched-nonce-claims.ts';
import { compileStatement, param } from './compiled-statements.ts';
import {
  accessTokenFromRow,
  accessTokenToRow,
  consumerFromRow,
  consumerToRow,
  requestTokenFromRow,
  requestTokenToRow,
  stateToColumns,
  userFromRow,
  userToRow,
} from './rows.ts';

export interface SqliteStoreOptions {
  /** How long a writer waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the SQLite database at `file`, applies pending migrations and returns the
 * stores. `':memory:'` gives a private in-memory database.
 */
export async function openSqliteStores(file: string, options: SqliteStoreOptions = {}): Promise<Stores> {
  const sqlite = new Database(file);
  try {
    sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    // WAL: readers never block the writer and a crash never leaves a half-written page.
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<TripodDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
    await migrateExclusively(file, sqlite, db);
    return buildStores(sqlite, db);
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

// Opens of one file within this process, chained: a second connection must not start migrating while
// the first is between two awaits of its own migration (it would block the thread waiting for the lock
// the first holds).
const migrationsInProgress = new Map<string, Promise<unknown>>();

/**
 * Applies pending migrations under `BEGIN IMMEDIATE`: the write lock is taken before the migration state
 * is read, so of several processes opening a fresh file at once one migrates and the others, after
 * waiting for the lock, find nothing left to do (Kysely's SQLite adapter takes no lock of its own).
 */
async function migrateExclusively(
  file: string,
  sqlite: Database.Database,
  db: Kysely<TripodDatabase>,
): Promise<void> {
  const key = file === ':memory:' || file === '' ? null : resolve(file);
  const migrate = async () => {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      await applyMigrations(db as Kysely<unknown>, 'sqlite', { inCallersTransaction: true });
      sqlite.exec('COMMIT');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
  };
  if (key === null) return migrate();
  const current = (migrationsInProgress.get(key) ?? Promise.resolve()).catch(() => {}).then(migrate);
  migrationsInProgress.set(key, current);
  try {
    await current;
  } finally {
    if (migrationsInProgress.get(key) === current) migrationsInProgress.delete(key);
  }
}

function buildStores(sqlite: Database.Database, db: Kysely<TripodDatabase>): Stores {
  const compile = <Row>(query: Parameters<typeof compileStatement>[1]) =>
    compileStatement<Row>(sqlite, query);

  const user = {
    insert: compile(
      db.insertInto('users').values({
        id: param('id'),
        username: param('username'),
        password_hash: param('password_hash'),
        is_operator: param('is_operator'),
        created_at: param('created_at'),
      }),
    ),
    byId: compile<UsersTable>(db.selectFrom('users').selectAll().where('id', '=', param('id'))),
    byUsername: compile<UsersTable>(
      db.selectFrom('users').selectAll().where('username', '=', param('username')),
    ),
    list: compile<UsersTable>(db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id')),
    count: compile<{ n: number }>(db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))),
  };

  const consumerColumns = {
    key: param('key'),
    secret: param('secret'),
    name: param('name'),
    description: param('description'),
    website: param('website'),
    owner_user_id: param('owner_user_id'),
    callback_urls: param('callback_urls'),
    access_level: param('access_level'),
    xauth: param('xauth'),
    rsa_public_key: param('rsa_public_key'),
    disabled: param('disabled'),
    created_at: param('created_at'),
  };
  const { key: _key, ...consumerUpdatable } = consumerColumns;
  const consumer = {
    insert: compile(db.insertInto('consumers').values(consumerColumns)),
    byKey: compile<ConsumersTable>(db.selectFrom('consumers').selectAll().where('key', '=', param('key'))),
    list: compile<ConsumersTable>(
      db.selectFrom('consumers').selectAll().orderBy('created_at').orderBy('key'),
    ),
    update: compile(db.updateTable('consumers').set(consumerUpdatable).where('key', '=', param('key'))),
    delete: compile(db.deleteFrom('consumers').where('key', '=', param('key'))),
  };

  const requestToken = {
    insert: compile(
      db.insertInto('request_tokens').values({
        token: param('token'),
        secret: param('secret'),
        consumer_key: param('consumer_key'),
        callback: param('callback'),
        access_level: param('access_level'),
        created_at: param('created_at'),
        expires_at: param('expires_at'),
        status: param('status'),
        user_id: param('user_id'),
        verifier: param('verifier'),
        attempts_left: param('attempts_left'),
        access_token: param('access_token'),
        version: param('version'),
      }),
    ),
    byToken: compile<RequestTokensTable>(
      db.selectFrom('request_tokens').selectAll().where('token', '=', param('token')),
    ),
    // The compare-and-set: the row changes only if nobody transitioned it since it was read.
    transition: compile(
      db
        .updateTable('request_tokens')
        .set({
          status: param('status'),
          user_id: param('user_id'),
          verifier: param('verifier'),
          attempts_left: param('attempts_left'),
          access_token: param('access_token'),
          expires_at: param('expires_at'),
          version: param('next_version'),
        })
        .where('token', '=', param('token'))
        .where('version', '=', param('expected_version')),
    ),
    deleteExpired: compile(db.deleteFrom('request_tokens').where('expires_at', '<', param('before'))),
  };

  const accessToken = {
    insert: compile(
      db.insertInto('access_tokens').values({
        token: param('token'),
        secret: param('secret'),
        consumer_key: param('consumer_key'),
        user_id: param('user_id'),
        access_level: param('access_level'),
        created_at: param('created_at'),
        revoked_at: param('revoked_at'),
      }),
    ),
    byToken: compile<AccessTokensTable>(
      db.selectFrom('access_tokens').selectAll().where('token', '=', param('token')),
    ),
    findActive: compile<AccessTokensTable>(
      db
        .selectFrom('access_tokens')
        .selectAll()
        .where('consumer_key', '=', param('consumer_key'))
        .where('user_id', '=', param('user_id'))
        .where('access_level', '=', param('access_level'))
        .where('revoked_at', 'is', null)
        .orderBy('created_at')
        .limit(1),
    ),
    revoke: compile(
      db
        .updateTable('access_tokens')
        .set({ revoked_at: param('at') })
        .where('token', '=', param('token'))
        .where('revoked_at', 'is', null),
    ),
    revokeAllFor: compile(
      db
        .updateTable('access_tokens')
        .set({ revoked_at: param('at') })
        .where('consumer_key', '=', param('consumer_key'))
        .where('user_id', '=', param('user_id'))
        .where('revoked_at', 'is', null),
    ),
    listActiveForUser: compile<AccessTokensTable>(
      db
        .selectFrom('access_tokens')
        .selectAll()
        .where('user_id', '=', param('user_id'))
        .where('revoked_at', 'is', null)
        .orderBy('created_at'),
    ),
  };

  const nonce = {
    claim: compile(
      db
        .insertInto('nonces')
        .values({ key: param('key'), expires_at: param('expires_at') })
        .onConflict((oc) => oc.column('key').doNothing()),
    ),
    deleteExpired: compile(db.deleteFrom('nonces').where('expires_at', '<', param('before'))),
  };

  const users: UserStore = {
    async create(u: User) {
      user.insert.run(userToRow(u));
    },
    async getById(id) {
      const row = user.byId.get({ id });
      return row ? userFromRow(row) : null;
    },
    async getByUsername(username) {
      const row = user.byUsername.get({ username });
      return row ? userFromRow(row) : null;
    },
    async list() {
      return user.list.all({}).map(userFromRow);
    },
    async count() {
      return Number(user.count.get({})?.n ?? 0);
    },
  };

  const consumers: ConsumerStore = {
    async create(c: Consumer) {
      consumer.insert.run(consumerToRow(c));
    },
    async get(key) {
      const row = consumer.byKey.get({ key });
      return row ? consumerFromRow(row) : null;
    },
    async list() {
      return consumer.list.all({}).map(consumerFromRow);
    },
    async update(c: Consumer) {
      if (consumer.update.run(consumerToRow(c)) !== 1) throw new Error(`no such consumer: ${c.key}`);
    },
    async delete(key) {
      consumer.delete.run({ key });
    },
  };

  const requestTokens: RequestTokenStore = {
    async create(rt: RequestToken) {
      requestToken.insert.run(requestTokenToRow(rt));
    },
    async get(token) {
      const row = requestToken.byToken.get({ token });
      return row ? requestTokenFromRow(row) : null;
    },
    async transition(next: RequestToken, expectedVersion: number) {
      const changed = requestToken.transition.run({
        ...stateToColumns(next),
        token: next.token,
        next_version: expectedVersion + 1,
        expected_version: expectedVersion,
      });
      return changed === 1;
    },
    async deleteExpired(before) {
      return requestToken.deleteExpired.run({ before });
    },
  };

  const accessTokens: AccessTokenStore = {
    async create(at: AccessToken) {
      accessToken.insert.run(accessTokenToRow(at));
    },
    async get(token) {
      const row = accessToken.byToken.get({ token });
      return row ? accessTokenFromRow(row) : null;
    },
    async findActive(consumerKey: string, userId: string, accessLevel: AccessLevel) {
      const row = accessToken.findActive.get({
        consumer_key: consumerKey,
        user_id: userId,
        access_level: accessLevel,
      });
      return row ? accessTokenFromRow(row) : null;
    },
    async revoke(token, at) {
      return accessToken.revoke.run({ token, at }) === 1;
    },
    async revokeAllFor(consumerKey, userId, at) {
      return accessToken.revokeAllFor.run({ consumer_key: consumerKey, user_id: userId, at });
    },
    async listActiveForUser(userId) {
      return accessToken.listActiveForUser.all({ user_id: userId }).map(accessTokenFromRow);
    },
  };

  const claims = new BatchedNonceClaims(sqlite, nonce.claim);
  const nonces: NonceStore = {
    claim: (key, expiresAt) => claims.claim(key, expiresAt),
    async deleteExpired(before) {
      return nonce.deleteExpired.run({ before });
    },
  };

  let closed = false;
  return {
    users,
    consumers,
    requestTokens,
    accessTokens,
    nonces,
    async close() {
      if (closed) return;
      closed = true;
      claims.flush();
      await db.destroy();
    },
  };
}

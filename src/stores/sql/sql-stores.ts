// The stores over SQL, once for both dialects: each method runs one prepared statement of queries.ts
// through the executor (SQLite or PostgreSQL) and maps rows with rows.ts. Each statement is atomic on its
// own: the request token transition is a compare-and-set (`UPDATE … WHERE token = ? AND version = ?`), a
// nonce claim is `INSERT … ON CONFLICT DO NOTHING`, a rate-limit hit one upsert.

import type { Compilable, Kysely } from 'kysely';
import type {
  AccessTokenStore,
  ConsumerStore,
  ExpiringNonceStore,
  ListPage,
  RequestToken,
  RequestTokenStore,
  RequestTokenTombstone,
  UserStore,
} from '../../provider/types.ts';
import { caseFold } from '../case-fold.ts';
import { auditLimit, pageBounds, rejectionsLimit } from '../limits.ts';
import { windowResetAt } from '../rate-limit-window.ts';
import { tombstoneKey, tombstoneStatus } from '../request-token-tombstones.ts';
import type { TripodDatabase } from '../schema.ts';
import type {
  AuditLog,
  RateLimitStore,
  RejectedRequest,
  RejectionLog,
  SessionStore,
  TripodStores,
} from '../types.ts';
import { type TripodQueries, tripodQueries } from './queries.ts';
import {
  accessTokenFromRow,
  accessTokenToRow,
  auditEventFromRow,
  auditEventToRow,
  consumerFromRow,
  consumerToRow,
  requestTokenFromRow,
  requestTokenToRow,
  sessionFromRow,
  sessionToRow,
  stateToColumns,
  userFromRow,
  userToRow,
} from './rows.ts';
import { compileSql, type SqlExecutor, type Statement } from './statements.ts';

type RowOf<Q> = Q extends Compilable<infer Row> ? Row : never;
type Statements = { [Name in keyof TripodQueries]: Statement<RowOf<TripodQueries[Name]>> };

/** The SQL part of the bundle; the opener adds revocations, ping, backing services and close. */
export type SqlStores = Omit<TripodStores, 'revocations' | 'ping' | 'backingServices' | 'close'>;

// Nonce claims come with every verified request: worth committing together where commits are dear.
const GROUP_COMMITTED: ReadonlySet<keyof TripodQueries> = new Set(['nonceClaim']);

/** Compiles every query for the executor's dialect (the builder `db` is used for compiling only). */
export function prepareStatements(executor: SqlExecutor, db: Kysely<TripodDatabase>): Statements {
  const queries = tripodQueries(db);
  const statements: Partial<Record<keyof TripodQueries, Statement<unknown>>> = {};
  for (const name of Object.keys(queries) as (keyof TripodQueries)[]) {
    statements[name] = executor.prepare(compileSql(name, queries[name] as Compilable<unknown>), {
      groupCommit: GROUP_COMMITTED.has(name),
    });
  }
  return statements as Statements;
}

/** `%search%` for `LIKE … ESCAPE '\'`, folded as the key columns are; everything when there is none. */
function likePattern(search: string | undefined): string {
  if (search === undefined || search === '') return '%';
  return `%${caseFold(search).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function sqlStores(executor: SqlExecutor, db: Kysely<TripodDatabase>): SqlStores {
  const s = prepareStatements(executor, db);

  const users: UserStore = {
    async create(user) {
      await s.userInsert.run(userToRow(user));
    },
    async getById(id) {
      const row = await s.userById.get({ id });
      return row ? userFromRow(row) : null;
    },
    async getByUsername(username) {
      const row = await s.userByUsername.get({ username_key: caseFold(username) });
      return row ? userFromRow(row) : null;
    },
    async list(page: ListPage) {
      const rows = await s.userList.all({ pattern: likePattern(page.search), ...pageBounds(page) });
      return rows.map(userFromRow);
    },
    async count(search) {
      return Number((await s.userCount.get({ pattern: likePattern(search) }))?.n ?? 0);
    },
    async updatePassword(id, passwordHash) {
      return (await s.userSetPassword.run({ id, value: passwordHash })) === 1;
    },
    async setDisabled(id, disabled) {
      return (await s.userSetDisabled.run({ id, value: disabled })) === 1;
    },
    async setOperator(id, isOperator) {
      return (await s.userSetOperator.run({ id, value: isOperator })) === 1;
    },
    async delete(id) {
      return (await s.userDelete.run({ id })) === 1;
    },
  };

  const consumers: ConsumerStore = {
    async create(consumer) {
      await s.consumerInsert.run(consumerToRow(consumer));
    },
    async get(key) {
      const row = await s.consumerByKey.get({ key });
      return row ? consumerFromRow(row) : null;
    },
    async list(page: ListPage) {
      const rows = await s.consumerList.all({
        pattern: likePattern(page.search),
        search: page.search ?? '',
        ...pageBounds(page),
      });
      return rows.map(consumerFromRow);
    },
    async listByOwner(userId) {
      return (await s.consumerListByOwner.all({ owner_user_id: userId })).map(consumerFromRow);
    },
    async count(search) {
      const row = await s.consumerCount.get({ pattern: likePattern(search), search: search ?? '' });
      return Number(row?.n ?? 0);
    },
    async update(consumer) {
      if ((await s.consumerUpdate.run(consumerToRow(consumer))) !== 1) {
        throw new Error(`no such consumer: ${consumer.key}`);
      }
    },
    async delete(key) {
      await s.consumerDelete.run({ key });
    },
  };

  const requestTokens: RequestTokenStore = {
    async create(requestToken) {
      await s.requestTokenInsert.run(requestTokenToRow(requestToken));
    },
    async get(token) {
      const row = await s.requestTokenByToken.get({ token });
      return row ? requestTokenFromRow(row) : null;
    },
    async transition(next, expectedVersion) {
      const changed = await s.requestTokenTransition.run({
        ...stateToColumns(next),
        token: next.token,
        next_version: expectedVersion + 1,
        expected_version: expectedVersion,
      });
      return changed === 1;
    },
    async countOutstanding(consumerKey, now, atMost) {
      const row = await s.requestTokenCountOutstanding.get({ consumer_key: consumerKey, now, limit: atMost });
      return Number(row?.n ?? 0);
    },
    async getTombstone(token) {
      const row = await s.requestTokenTombstoneByHash.get({ token_hash: tombstoneKey(token) });
      if (!row) return null;
      return {
        consumerKey: row.consumer_key,
        status: row.status as RequestTokenTombstone['status'],
        expiresAt: Number(row.expires_at),
      };
    },
    deleteTombstones: (before) => s.requestTokenTombstoneDeleteExpired.run({ before }),
    async deleteExpired(before) {
      // Tombstones first, then the rows, in one transaction: no token is ever gone without a trace.
      const expired = await s.requestTokenExpired.all({ before });
      if (expired.length === 0) return 0;
      const tombstones = expired.map((row) => ({
        statement: s.requestTokenTombstoneInsert,
        values: {
          token_hash: tombstoneKey(row.token),
          consumer_key: row.consumer_key,
          status: tombstoneStatus(row.status as RequestToken['state']['status']),
          expires_at: row.expires_at,
        },
      }));
      const changed = await executor.transaction([
        ...tombstones,
        { statement: s.requestTokenDeleteExpired, values: { before } },
      ]);
      return changed.at(-1) ?? 0;
    },
  };

  const accessTokens: AccessTokenStore = {
    async create(accessToken) {
      await s.accessTokenInsert.run(accessTokenToRow(accessToken));
    },
    async get(token) {
      const row = await s.accessTokenByToken.get({ token });
      return row ? accessTokenFromRow(row) : null;
    },
    async findActive(consumerKey, userId, accessLevel) {
      const row = await s.accessTokenFindActive.get({
        consumer_key: consumerKey,
        user_id: userId,
        access_level: accessLevel,
      });
      return row ? accessTokenFromRow(row) : null;
    },
    async revoke(token, at) {
      return (await s.accessTokenRevoke.run({ token, at })) === 1;
    },
    async revokeAllFor(consumerKey, userId, at) {
      return s.accessTokenRevokeAllFor.run({ consumer_key: consumerKey, user_id: userId, at });
    },
    async listActiveForUser(userId) {
      return (await s.accessTokenListActiveForUser.all({ user_id: userId })).map(accessTokenFromRow);
    },
  };

  const nonces: ExpiringNonceStore = {
    async claim(key, expiresAt) {
      return (await s.nonceClaim.run({ key, expires_at: expiresAt })) === 1;
    },
    deleteExpired: (before) => s.nonceDeleteExpired.run({ before }),
    async size(now) {
      return Number((await s.nonceCount.get({ now }))?.n ?? 0);
    },
  };

  const sessions: SessionStore = {
    async create(session) {
      await s.sessionInsert.run(sessionToRow(session));
    },
    async get(idHash, now) {
      const row = await s.sessionLive.get({ id_hash: idHash, now });
      return row ? sessionFromRow(row) : null;
    },
    async delete(idHash) {
      await s.sessionDelete.run({ id_hash: idHash });
    },
    async listForUser(userId, now) {
      return (await s.sessionListForUser.all({ user_id: userId, now })).map(sessionFromRow);
    },
    deleteForUser: (userId) => s.sessionDeleteForUser.run({ user_id: userId }),
    deleteExpired: (before) => s.sessionDeleteExpired.run({ before }),
    async setStash(idHash, stash) {
      const row = { stash: stash?.sealed ?? null, stash_expires_at: stash?.expiresAt ?? null };
      return (await s.sessionSetStash.run({ id_hash: idHash, ...row })) > 0;
    },
    deleteExpiredStashes: (before) => s.sessionDeleteExpiredStashes.run({ before }),
  };

  const recordRejections: RejectionLog['recordMany'] = async (entries) => {
    if (entries.length === 0) return;
    const inserts = entries.map(({ consumerKey, entry }) => ({
      statement: s.rejectionInsert,
      values: { consumer_key: consumerKey, at: entry.at, entry: JSON.stringify(entry) },
    }));
    const trims = [...new Set(entries.map((e) => e.consumerKey))].map((consumerKey) => ({
      statement: s.rejectionTrim,
      values: { consumer_key: consumerKey },
    }));
    await executor.transaction([...inserts, ...trims]);
  };
  const rejections: RejectionLog = {
    record: (consumerKey, entry) => recordRejections([{ consumerKey, entry }]),
    recordMany: recordRejections,
    async list(consumerKey, limit) {
      const rows = await s.rejectionList.all({ consumer_key: consumerKey, limit: rejectionsLimit(limit) });
      return rows.map((row) => JSON.parse(row.entry) as RejectedRequest);
    },
    async forget(consumerKey) {
      await s.rejectionForget.run({ consumer_key: consumerKey });
    },
  };

  const rateLimits: RateLimitStore = {
    async hit(key, windowMs, now) {
      const row = await s.rateLimitHit.get({ key, reset_at: windowResetAt(now, windowMs) });
      if (!row) throw new Error('the rate-limit upsert returned no row');
      return { count: Number(row.count), resetAt: Number(row.reset_at) };
    },
    async get(key, now) {
      const row = await s.rateLimitGet.get({ key, now });
      return row ? { count: Number(row.count), resetAt: Number(row.reset_at) } : null;
    },
    async reset(key) {
      await s.rateLimitReset.run({ key });
    },
    deleteExpired: (before) => s.rateLimitDeleteExpired.run({ before }),
  };

  const audit: AuditLog = {
    async append(event) {
      await s.auditInsert.run(auditEventToRow(event));
    },
    async query(query) {
      const values = {
        since: query.since ?? 0,
        user_id: query.userId,
        consumer_key: query.consumerKey,
        limit: auditLimit(query),
      };
      const byUser = query.userId !== undefined;
      const byApp = query.consumerKey !== undefined;
      const statement = byUser
        ? byApp
          ? s.auditQueryByUserAndApp
          : s.auditQueryByUser
        : byApp
          ? s.auditQueryByApp
          : s.auditQuery;
      return (await statement.all(values)).map(auditEventFromRow);
    },
  };

  return { users, consumers, requestTokens, accessTokens, nonces, sessions, rejections, rateLimits, audit };
}

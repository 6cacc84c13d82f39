// The stores over SQL, once for both dialects: each method runs one prepared statement of queries.ts
// through the executor (SQLite or PostgreSQL) and maps rows with rows.ts. Each statement is atomic on its
// own: the request token transition is a compare-and-set (`UPDATE … WHERE token = ? AND version = ?`), a
// nonce claim is `INSERT … ON CONFLICT DO NOTHING`, a rate-limit hit one upsert. Secret columns are sealed
// and opened by the envelope (envelope.ts) inside rows.ts, once per row read: a cache above the stores holds
// opened values in memory only.

import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Compilable, Kysely } from 'kysely';
import type {
  AccessTokenStore,
  ConsumerStore,
  ListPage,
  RequestToken,
  RequestTokenStore,
  RequestTokenTombstone,
  UserStore,
} from '../../provider/types.ts';
import { caseFold } from '../case-fold.ts';
import { auditLimit, auditTypePattern, pageBounds, rejectionsLimit } from '../limits.ts';
import type { OwnedNonceTable } from '../nonce-window.ts';
import type { OperatorKey } from '../operator-keys.ts';
import { windowResetAt } from '../rate-limit-window.ts';
import { tombstoneKey, tombstoneStatus } from '../request-token-tombstones.ts';
import type { TripodDatabase } from '../schema.ts';
import type {
  AppIcon,
  AppIconStore,
  AuditDeliveryLog,
  AuditLog,
  DailyCountStore,
  DailyMetric,
  PasswordResetStore,
  RateLimitStore,
  RejectedRequest,
  RejectionLog,
  SessionStore,
  TripodStores,
} from '../types.ts';
import { Envelope } from './envelope.ts';
import { type TripodQueries, tripodQueries } from './queries.ts';
import {
  accessTokenFromRow,
  accessTokenToRow,
  auditDeliveryFromRow,
  auditEventFromRow,
  auditEventToRow,
  consumerFromRow,
  consumerToRow,
  passwordResetFromRow,
  requestTokenFromRow,
  requestTokenToRow,
  sessionFromRow,
  sessionToRow,
  stateToColumns,
  userFromRow,
  userToRow,
} from './rows.ts';
import { rotateSecrets } from './secret-rotation.ts';
import { compileSql, type SqlExecutor, type Statement } from './statements.ts';

type RowOf<Q> = Q extends Compilable<infer Row> ? Row : never;
export type Statements = { [Name in keyof TripodQueries]: Statement<RowOf<TripodQueries[Name]>> };

/** The SQL part of the bundle; the opener adds revocations, ping, backing services and close. */
export type SqlStores = Omit<TripodStores, 'revocations' | 'ping' | 'backingServices' | 'close' | 'nonces'> &
  Required<Pick<TripodStores, 'secretsAtRest' | 'verifierKey'>> & { nonces: SqlNonceStore };

/** The nonce table: what the nonce window needs of it but knowing other connections' writes (SQLite's). */
export type SqlNonceStore = Omit<OwnedNonceTable, 'othersWrote'>;

// The writes that come with requests, worth committing together where commits are dear (SQLite): a nonce
// claim with every verified request, a rate-limit count with every limited one (the protocol's endpoints,
// sign-in, and protected resources under --rate-limit-protected), and on the PIN flow's endpoints the new
// request token and each of its transitions. The rest (the portal's, the operator's) stay one commit each.
const GROUP_COMMITTED: ReadonlySet<keyof TripodQueries> = new Set([
  'nonceClaim',
  'rateLimitHit',
  'requestTokenInsert',
  'requestTokenTransition',
]);
/**
 * Rows deleted per statement by a purge (nonces, tombstones, sessions, password resets, rate-limit counts):
 * a few milliseconds of SQLite's time each, where one statement over a busy table held every request for as
 * long as it took (a million nonces: 1.3–2.0 s).
 */
export const PURGE_CHUNK = 5000;
/**
 * Expired request tokens purged per transaction, each writing its tombstone in it. All at once, a busy
 * app's 30,000 expired tokens (100 flows a second between two purges) held SQLite's thread, and every
 * request, for 0.43 s, and ten times as many would hold it ten times as long; in these chunks the longest
 * pause was 46–53 ms (`node bench/micro/request-tokens.ts`, 100,000 other tokens in the table). The price:
 * each chunk is a commit of the index pages it touched, and the purge took 1.0 s of CPU in all instead of
 * 0.43, once every `--prune-interval`.
 */
export const REQUEST_TOKEN_PRUNE_CHUNK = 1000;
/** Nonces read per statement when counting them (the metric): a few milliseconds each. */
export const NONCE_COUNT_CHUNK = 50_000;

/**
 * Runs `chunk` with `limit` until it sees fewer than `limit` rows, letting other work run between two
 * chunks; returns how many rows the chunks counted (deleted, or found) in all.
 */
async function inChunks(
  limit: number,
  chunk: (limit: number) => Promise<{ seen: number; counted: number }>,
): Promise<number> {
  let counted = 0;
  for (;;) {
    const done = await chunk(limit);
    counted += done.counted;
    if (done.seen < limit) return counted;
    await nextTurn();
  }
}

/** A purge by `statement` (its values `before` and `limit`: queries.ts, `expiredChunk`), chunk by chunk. */
function purgeInChunks(statement: Statement<unknown>): (before: number) => Promise<number> {
  return (before) =>
    inChunks(PURGE_CHUNK, async (limit) => {
      const deleted = await statement.run({ before, limit });
      return { seen: deleted, counted: deleted };
    });
}

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

export interface SqlStoreOptions {
  /** The operator's keys, newest last (operator-keys.ts); null or empty: secrets are stored in clear. */
  operatorKeys?: readonly OperatorKey[] | null;
}

export async function sqlStores(
  executor: SqlExecutor,
  db: Kysely<TripodDatabase>,
  options: SqlStoreOptions = {},
): Promise<SqlStores> {
  const s = prepareStatements(executor, db);
  const envelope = await Envelope.open(s, options.operatorKeys ?? null, Date.now());
  // Reads that open a secret: a data key made by another instance since is loaded, then the read retried.
  const reading = <T>(read: () => Promise<T>) => envelope.reading(read);

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
    async setEmail(id, email) {
      const row = { id, email, email_key: email === null ? null : caseFold(email) };
      return (await s.userSetEmail.run(row)) === 1;
    },
    async listByEmail(email) {
      return (await s.userListByEmail.all({ email_key: caseFold(email) })).map(userFromRow);
    },
    async delete(id) {
      return (await s.userDelete.run({ id })) === 1;
    },
  };

  const consumers: ConsumerStore = {
    async create(consumer) {
      await s.consumerInsert.run(consumerToRow(consumer, envelope));
    },
    get: (key) =>
      reading(async () => {
        const row = await s.consumerByKey.get({ key });
        return row ? consumerFromRow(row, envelope) : null;
      }),
    list: (page: ListPage) =>
      reading(async () => {
        const rows = await s.consumerList.all({
          pattern: likePattern(page.search),
          search: page.search ?? '',
          ...pageBounds(page),
        });
        return rows.map((row) => consumerFromRow(row, envelope));
      }),
    listByOwner: (userId) =>
      reading(async () =>
        (await s.consumerListByOwner.all({ owner_user_id: userId })).map((row) =>
          consumerFromRow(row, envelope),
        ),
      ),
    async count(search) {
      const row = await s.consumerCount.get({ pattern: likePattern(search), search: search ?? '' });
      return Number(row?.n ?? 0);
    },
    async update(consumer) {
      if ((await s.consumerUpdate.run(consumerToRow(consumer, envelope))) !== 1) {
        throw new Error(`no such consumer: ${consumer.key}`);
      }
    },
    async keys(limit) {
      return (await s.consumerKeys.all({ limit })).map((row) => row.key);
    },
    async delete(key) {
      await s.consumerDelete.run({ key });
    },
  };

  const requestTokens: RequestTokenStore = {
    async create(requestToken) {
      await s.requestTokenInsert.run(requestTokenToRow(requestToken, envelope));
    },
    get: (token) =>
      reading(async () => {
        const row = await s.requestTokenByToken.get({ token });
        return row ? requestTokenFromRow(row, envelope) : null;
      }),
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
    deleteTombstones: purgeInChunks(s.requestTokenTombstoneDeleteExpired),
    deleteExpired: (before) =>
      inChunks(REQUEST_TOKEN_PRUNE_CHUNK, async (limit) => {
        const expired = await s.requestTokenExpired.all({ before, limit });
        if (expired.length === 0) return { seen: 0, counted: 0 };
        // A chunk's tombstones and its deletion in one transaction: no token is ever gone without a trace.
        const tombstones = expired.map((row) => ({
          statement: s.requestTokenTombstoneInsert,
          values: {
            token_hash: tombstoneKey(row.token),
            consumer_key: row.consumer_key,
            status: tombstoneStatus(row.status as RequestToken['state']['status']),
            expires_at: row.expires_at,
          },
        }));
        const last = expired.at(-1) as (typeof expired)[number];
        const changed = await executor.transaction([
          ...tombstones,
          {
            statement: s.requestTokenDeleteExpired,
            values: { last_expires_at: last.expires_at, last_token: last.token },
          },
        ]);
        return { seen: expired.length, counted: changed.at(-1) ?? 0 };
      }),
  };

  const accessTokens: AccessTokenStore = {
    async create(accessToken) {
      await s.accessTokenInsert.run(accessTokenToRow(accessToken, envelope));
    },
    get: (token) =>
      reading(async () => {
        const row = await s.accessTokenByToken.get({ token });
        return row ? accessTokenFromRow(row, envelope) : null;
      }),
    findActive: (consumerKey, userId, accessLevel) =>
      reading(async () => {
        const row = await s.accessTokenFindActive.get({
          consumer_key: consumerKey,
          user_id: userId,
          access_level: accessLevel,
        });
        return row ? accessTokenFromRow(row, envelope) : null;
      }),
    async revoke(token, at) {
      return (await s.accessTokenRevoke.run({ token, at })) === 1;
    },
    async revokeAllFor(consumerKey, userId, at) {
      return s.accessTokenRevokeAllFor.run({ consumer_key: consumerKey, user_id: userId, at });
    },
    listActiveForUser: (userId) =>
      reading(async () =>
        (await s.accessTokenListActiveForUser.all({ user_id: userId })).map((row) =>
          accessTokenFromRow(row, envelope),
        ),
      ),
  };

  const nonces: SqlNonceStore = {
    async claim(key, expiresAt) {
      return (await s.nonceClaim.run({ key, expires_at: expiresAt })) === 1;
    },
    async claimEach(claims) {
      const runs = claims.map(({ key, expiresAt }) => ({
        statement: s.nonceClaim as Statement<unknown>,
        values: { key, expires_at: expiresAt },
      }));
      return (await executor.transaction(runs)).map((changed) => changed === 1);
    },
    async held(limit) {
      const rows = await s.nonceHeld.all({ limit });
      return rows.map((row) => ({ key: row.key, expiresAt: Number(row.expires_at) }));
    },
    async latestExpiry() {
      const latest = (await s.nonceLatestExpiry.get({}))?.latest;
      return latest === null || latest === undefined ? null : Number(latest);
    },
    // A busy window's nonces: about a million rows at 3,500 claims a second with the default five minutes.
    deleteExpired: purgeInChunks(s.nonceDeleteExpired),
    size(now) {
      // In chunks of keys, yielding between them, as the purge does: one count over a million nonces held
      // SQLite's thread for 70-80 ms at every scrape of the metric.
      let after = '';
      return inChunks(NONCE_COUNT_CHUNK, async (limit) => {
        const chunk = await s.nonceCountChunk.get({ after, now, limit });
        const live = Number(chunk?.live ?? 0);
        if (chunk?.last == null) return { seen: 0, counted: live };
        after = chunk.last;
        return { seen: Number(chunk.seen ?? 0), counted: live };
      });
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
    deleteForUser: (userId, except) =>
      except === undefined
        ? s.sessionDeleteForUser.run({ user_id: userId })
        : s.sessionDeleteForUserExcept.run({ user_id: userId, except }),
    async touch(idHash, lastSeenAt) {
      return (await s.sessionTouch.run({ id_hash: idHash, last_seen_at: lastSeenAt })) > 0;
    },
    deleteExpired: purgeInChunks(s.sessionDeleteExpired),
    async setStash(idHash, stash) {
      const row = { stash: stash?.sealed ?? null, stash_expires_at: stash?.expiresAt ?? null };
      return (await s.sessionSetStash.run({ id_hash: idHash, ...row })) > 0;
    },
    deleteExpiredStashes: (before) => s.sessionDeleteExpiredStashes.run({ before }),
  };

  const passwordResets: PasswordResetStore = {
    async create(reset) {
      await s.passwordResetInsert.run({
        token_hash: reset.tokenHash,
        user_id: reset.userId,
        created_at: reset.createdAt,
        expires_at: reset.expiresAt,
      });
    },
    async get(tokenHash, now) {
      const row = await s.passwordResetLive.get({ token_hash: tokenHash, now });
      return row ? passwordResetFromRow(row) : null;
    },
    async take(tokenHash, now) {
      const row = await s.passwordResetTake.get({ token_hash: tokenHash, now });
      return row ? passwordResetFromRow(row) : null;
    },
    deleteForUser: (userId) => s.passwordResetDeleteForUser.run({ user_id: userId }),
    deleteExpired: purgeInChunks(s.passwordResetDeleteExpired),
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

  const dailyCounts: DailyCountStore = {
    async add(counts) {
      if (counts.length === 0) return;
      await executor.transaction(
        counts.map(({ day, metric, subject, count }) => ({
          statement: s.dailyCountAdd,
          values: { day, metric, subject, count },
        })),
      );
    },
    async since(firstDay) {
      return (await s.dailyCountSince.all({ first_day: firstDay })).map((row) => ({
        day: row.day,
        metric: row.metric as DailyMetric,
        subject: row.subject,
        count: Number(row.count),
      }));
    },
    deleteBefore: (day) => s.dailyCountDeleteBefore.run({ day }),
  };

  const icons: AppIconStore = {
    async put(consumerKey, icon) {
      await s.iconPut.run({
        consumer_key: consumerKey,
        type: icon.type,
        data: Buffer.from(icon.bytes).toString('base64'),
        updated_at: icon.updatedAt,
      });
    },
    async get(consumerKey) {
      const row = await s.iconGet.get({ consumer_key: consumerKey });
      if (!row) return null;
      return {
        type: row.type as AppIcon['type'],
        bytes: new Uint8Array(Buffer.from(row.data, 'base64')),
        updatedAt: Number(row.updated_at),
      };
    },
    async delete(consumerKey) {
      await s.iconDelete.run({ consumer_key: consumerKey });
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
    deleteExpired: purgeInChunks(s.rateLimitDeleteExpired),
  };

  const audit: AuditLog = {
    async append(event) {
      await s.auditInsert.run(auditEventToRow(event));
    },
    async appendMany(events) {
      if (events.length === 0) return;
      await executor.transaction(
        events.map((event) => ({ statement: s.auditInsert, values: auditEventToRow(event) })),
      );
    },
    async query(query) {
      const values = {
        since: query.since ?? 0,
        type_pattern: auditTypePattern(query.type),
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

  const secretsAtRest = {
    get encrypted() {
      return envelope.encrypting;
    },
    rotate: (rotation: Parameters<NonNullable<TripodStores['secretsAtRest']>['rotate']>[0]) =>
      rotateSecrets({ statements: s, executor, envelope }, rotation),
  };

  const auditDeliveries: AuditDeliveryLog = {
    enqueue: (url, since, now) => s.auditDeliveryEnqueue.run({ url, since, now }),
    async due(now, limit) {
      return (await s.auditDeliveryDue.all({ now, limit })).map((row) => ({
        delivery: auditDeliveryFromRow(row),
        event: auditEventFromRow({ ...row, id: row.event_id }),
      }));
    },
    async claim(delivery, leaseUntil) {
      return (await s.auditDeliveryClaim.run({ ...delivery, lease_until: leaseUntil })) === 1;
    },
    async settle(delivery, outcome) {
      const changed = await s.auditDeliverySettle.run({
        id: delivery.id,
        version: delivery.version,
        status: outcome.status,
        next_try_at: outcome.nextTryAt,
        last_status: outcome.lastStatus,
        error: outcome.error,
      });
      return changed === 1;
    },
    async list(query) {
      const limit = auditLimit(query);
      const rows =
        query.eventId === undefined
          ? await s.auditDeliveryList.all({ limit })
          : await s.auditDeliveryListForEvent.all({ event_id: query.eventId, limit });
      return rows.map(auditDeliveryFromRow);
    },
  };

  return {
    users,
    consumers,
    requestTokens,
    accessTokens,
    nonces,
    sessions,
    passwordResets,
    rejections,
    dailyCounts,
    icons,
    rateLimits,
    audit,
    secretsAtRest,
    verifierKey: envelope.verifierKey,
    auditDeliveries,
  };
}

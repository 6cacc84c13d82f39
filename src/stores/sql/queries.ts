// Every SQL query of every store, written once with Kysely's builder against the schema of schema.ts and
// compiled per dialect at open (statements.ts). Values are named placeholders (`param`); the executor binds
// them. Only portable SQL: `INSERT … ON CONFLICT`, `RETURNING`, `LIKE … ESCAPE`, scalar subqueries.

import { type Kysely, sql } from 'kysely';
import type { TripodDatabase } from '../schema.ts';
import { REJECTIONS_KEPT } from '../types.ts';
import { param } from './statements.ts';

/** `{ column: param('column') }` for each column: a row's values, bound by name at run time. */
function params<const C extends string>(...columns: C[]): Record<C, never> {
  return Object.fromEntries(columns.map((column) => [column, param(column)])) as Record<C, never>;
}

/** `LIKE` with a backslash escape, written the same on SQLite and PostgreSQL. */
const likeEscaped = (column: string, pattern: string) =>
  sql<boolean>`${sql.ref(column)} like ${param(pattern)} escape '\\'`;

/**
 * The purge of an expiring table, one chunk a statement: its rows whose `column` is before `before` (or at
 * it, `inclusive`), up to the `limit`-th of them in that column's order (and the few that share its
 * value), one range of the column's index. The store runs it until a chunk deletes fewer than `limit`
 * (sql-stores.ts, `inChunks`), letting requests run between two; one statement over a busy table held
 * SQLite's thread, and every request, for as long as it took.
 */
function expiredChunk(
  db: Kysely<TripodDatabase>,
  table: keyof TripodDatabase,
  column: string,
  inclusive = false,
) {
  const untyped = db as unknown as Kysely<Record<string, Record<string, number>>>;
  const expired = inclusive ? '<=' : '<';
  return untyped
    .deleteFrom(table)
    .where(column, '<=', (eb) =>
      eb
        .selectFrom(
          eb
            .selectFrom(table)
            .select(column)
            .where(column, expired, param('before'))
            .orderBy(column)
            .limit(param('limit'))
            .as('chunk'),
        )
        .select((e) => e.fn.max(column).as('last')),
    );
}

export function tripodQueries(db: Kysely<TripodDatabase>) {
  const consumerColumns = params(
    'key',
    'secret',
    'name',
    'name_key',
    'description',
    'website',
    'owner_user_id',
    'callback_urls',
    'access_level',
    'xauth',
    'rsa_public_key',
    'disabled',
    'created_at',
  );
  const { key: _key, ...consumerUpdatable } = consumerColumns;
  const userChange = (column: 'password_hash' | 'disabled' | 'is_operator') =>
    db
      .updateTable('users')
      .set({ [column]: param('value') })
      .where('id', '=', param('id'));
  const consumersMatching = () =>
    db
      .selectFrom('consumers')
      .where((eb) => eb.or([likeEscaped('name_key', 'pattern'), eb('key', '=', param('search'))]));
  const auditEvents = (filters: { user: boolean; app: boolean }) => {
    let query = db
      .selectFrom('audit_events')
      .selectAll()
      .where('at', '>=', param('since'))
      .where(likeEscaped('type', 'type_pattern'));
    if (filters.user) query = query.where('user_id', '=', param('user_id'));
    if (filters.app) query = query.where('consumer_key', '=', param('consumer_key'));
    return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(param('limit'));
  };

  return {
    // ---- users
    userInsert: db
      .insertInto('users')
      .values(
        params(
          'id',
          'username',
          'username_key',
          'password_hash',
          'is_operator',
          'disabled',
          'created_at',
          'email',
          'email_key',
        ),
      ),
    userById: db.selectFrom('users').selectAll().where('id', '=', param('id')),
    userByUsername: db.selectFrom('users').selectAll().where('username_key', '=', param('username_key')),
    userList: db
      .selectFrom('users')
      .selectAll()
      .where(likeEscaped('username_key', 'pattern'))
      .orderBy('created_at')
      .orderBy('id')
      .limit(param('limit'))
      .offset(param('offset')),
    userCount: db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(likeEscaped('username_key', 'pattern')),
    userSetPassword: userChange('password_hash'),
    userSetDisabled: userChange('disabled'),
    userSetOperator: userChange('is_operator'),
    userSetEmail: db.updateTable('users').set(params('email', 'email_key')).where('id', '=', param('id')),
    userListByEmail: db
      .selectFrom('users')
      .selectAll()
      .where('email_key', '=', param('email_key'))
      .orderBy('created_at')
      .orderBy('id'),
    userDelete: db.deleteFrom('users').where('id', '=', param('id')),

    // ---- consumers
    consumerInsert: db.insertInto('consumers').values(consumerColumns),
    consumerByKey: db.selectFrom('consumers').selectAll().where('key', '=', param('key')),
    consumerKeys: db.selectFrom('consumers').select('key').limit(param('limit')),
    consumerList: consumersMatching()
      .selectAll()
      .orderBy('created_at')
      .orderBy('key')
      .limit(param('limit'))
      .offset(param('offset')),
    consumerListByOwner: db
      .selectFrom('consumers')
      .selectAll()
      .where('owner_user_id', '=', param('owner_user_id'))
      .orderBy('created_at')
      .orderBy('key'),
    consumerCount: consumersMatching().select((eb) => eb.fn.countAll<number>().as('n')),
    consumerUpdate: db.updateTable('consumers').set(consumerUpdatable).where('key', '=', param('key')),
    consumerDelete: db.deleteFrom('consumers').where('key', '=', param('key')),

    // ---- request tokens
    requestTokenInsert: db
      .insertInto('request_tokens')
      .values(
        params(
          'token',
          'secret',
          'consumer_key',
          'callback',
          'access_level',
          'created_at',
          'expires_at',
          'status',
          'user_id',
          'verifier',
          'attempts_left',
          'access_token',
          'version',
        ),
      ),
    requestTokenByToken: db.selectFrom('request_tokens').selectAll().where('token', '=', param('token')),
    // The compare-and-set: the row changes only if nobody transitioned it since it was read.
    requestTokenTransition: db
      .updateTable('request_tokens')
      .set({
        ...params('status', 'user_id', 'verifier', 'attempts_left', 'access_token', 'expires_at'),
        version: param('next_version'),
      })
      .where('token', '=', param('token'))
      .where('version', '=', param('expected_version')),
    // The purge, a chunk at a time (sql-stores.ts): the first `limit` expired tokens in (expiry, token)
    // order, then, in the transaction that writes their tombstones, every token up to the last of them in
    // that order (expired, as it is): the same tokens, deleted by one range of the expiry index.
    requestTokenExpired: db
      .selectFrom('request_tokens')
      .select(['token', 'consumer_key', 'status', 'expires_at'])
      .where('expires_at', '<', param('before'))
      .orderBy('expires_at')
      .orderBy('token')
      .limit(param('limit')),
    requestTokenDeleteExpired: db
      .deleteFrom('request_tokens')
      .where('expires_at', '<=', param('last_expires_at'))
      .where((eb) =>
        eb.or([eb('expires_at', '<', param('last_expires_at')), eb('token', '<=', param('last_token'))]),
      ),
    // Counted up to `limit` only, in the partial index of the outstanding tokens (migration 0013) alone:
    // checking a cap reads at most the cap's worth of index entries, and no row. The status term is the
    // index's own, in literals: with placeholders neither planner could prove the index holds the rows.
    requestTokenCountOutstanding: db
      .selectFrom(
        db
          .selectFrom('request_tokens')
          .select('expires_at')
          .where('consumer_key', '=', param('consumer_key'))
          .where('expires_at', '>', param('now'))
          .where(sql<boolean>`status in ('issued', 'authorized')`)
          .limit(param('limit'))
          .as('outstanding'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n')),
    // A token purged twice (two instances pruning at once) keeps its first tombstone.
    requestTokenTombstoneInsert: db
      .insertInto('request_token_tombstones')
      .values(params('token_hash', 'consumer_key', 'status', 'expires_at'))
      .onConflict((oc) => oc.column('token_hash').doNothing()),
    requestTokenTombstoneByHash: db
      .selectFrom('request_token_tombstones')
      .selectAll()
      .where('token_hash', '=', param('token_hash')),
    requestTokenTombstoneDeleteExpired: expiredChunk(db, 'request_token_tombstones', 'expires_at'),

    // ---- access tokens
    accessTokenInsert: db
      .insertInto('access_tokens')
      .values(
        params('token', 'secret', 'consumer_key', 'user_id', 'access_level', 'created_at', 'revoked_at'),
      ),
    accessTokenByToken: db.selectFrom('access_tokens').selectAll().where('token', '=', param('token')),
    accessTokenFindActive: db
      .selectFrom('access_tokens')
      .selectAll()
      .where('consumer_key', '=', param('consumer_key'))
      .where('user_id', '=', param('user_id'))
      .where('access_level', '=', param('access_level'))
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .limit(1),
    accessTokenRevoke: db
      .updateTable('access_tokens')
      .set({ revoked_at: param('at') })
      .where('token', '=', param('token'))
      .where('revoked_at', 'is', null),
    accessTokenRevokeAllFor: db
      .updateTable('access_tokens')
      .set({ revoked_at: param('at') })
      .where('consumer_key', '=', param('consumer_key'))
      .where('user_id', '=', param('user_id'))
      .where('revoked_at', 'is', null),
    accessTokenListActiveForUser: db
      .selectFrom('access_tokens')
      .selectAll()
      .where('user_id', '=', param('user_id'))
      .where('revoked_at', 'is', null)
      .orderBy('created_at'),

    // ---- nonces
    nonceClaim: db
      .insertInto('nonces')
      .values({ key: param('key'), expires_at: param('expires_at') })
      .onConflict((oc) => oc.column('key').doNothing()),
    // The expired nonces among the keys up to the `limit`-th expired one, in key order: at most `limit`, one
    // range of the table's key (which begins with the request's timestamp, so expired nonces come first).
    // The store deletes in such chunks until fewer are left (sql-stores.ts).
    nonceDeleteExpired: db
      .deleteFrom('nonces')
      .where('expires_at', '<', param('before'))
      .where('key', '<=', (eb) =>
        eb
          .selectFrom(
            eb
              .selectFrom('nonces')
              .select('key')
              .where('expires_at', '<', param('before'))
              .orderBy('key')
              .limit(param('limit'))
              .as('chunk'),
          )
          .select((e) => e.fn.max('key').as('last')),
      ),
    // The live nonces among the `limit` keys after `after`: the store counts chunk by chunk (sql-stores.ts),
    // going on after `last` until a chunk sees fewer than `limit`.
    nonceCountChunk: db
      .selectFrom(
        db
          .selectFrom('nonces')
          .select(['key', 'expires_at'])
          .where('key', '>', param('after'))
          .orderBy('key')
          .limit(param('limit'))
          .as('chunk'),
      )
      .select((eb) => [
        eb.fn
          .sum<number>(eb.case().when('chunk.expires_at', '>=', param('now')).then(1).else(0).end())
          .as('live'),
        eb.fn.countAll<number>().as('seen'),
        eb.fn.max('chunk.key').as('last'),
      ]),
    nonceLatestExpiry: db.selectFrom('nonces').select((eb) => eb.fn.max<number>('expires_at').as('latest')),
    nonceHeld: db.selectFrom('nonces').select(['key', 'expires_at']).orderBy('key').limit(param('limit')),

    // ---- browser sessions
    sessionInsert: db
      .insertInto('sessions')
      .values(
        params(
          'id_hash',
          'user_id',
          'created_at',
          'expires_at',
          'stash',
          'stash_expires_at',
          'last_seen_at',
          'user_agent',
          'address',
        ),
      ),
    sessionLive: db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', param('id_hash'))
      .where('expires_at', '>', param('now')),
    sessionDelete: db.deleteFrom('sessions').where('id_hash', '=', param('id_hash')),
    sessionListForUser: db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', param('user_id'))
      .where('expires_at', '>', param('now'))
      .orderBy('created_at', 'desc')
      .orderBy('id_hash'),
    sessionDeleteForUser: db.deleteFrom('sessions').where('user_id', '=', param('user_id')),
    sessionDeleteForUserExcept: db
      .deleteFrom('sessions')
      .where('user_id', '=', param('user_id'))
      .where('id_hash', '!=', param('except')),
    sessionTouch: db
      .updateTable('sessions')
      .set({ last_seen_at: param('last_seen_at') })
      .where('id_hash', '=', param('id_hash')),
    sessionDeleteExpired: expiredChunk(db, 'sessions', 'expires_at'),
    sessionSetStash: db
      .updateTable('sessions')
      .set(params('stash', 'stash_expires_at'))
      .where('id_hash', '=', param('id_hash')),
    sessionDeleteExpiredStashes: db
      .updateTable('sessions')
      .set({ stash: null, stash_expires_at: null })
      .where('stash_expires_at', '<', param('before')),

    // ---- password resets: taking one is a single DELETE … RETURNING, so a link works once.
    passwordResetInsert: db
      .insertInto('password_resets')
      .values(params('token_hash', 'user_id', 'created_at', 'expires_at')),
    passwordResetLive: db
      .selectFrom('password_resets')
      .selectAll()
      .where('token_hash', '=', param('token_hash'))
      .where('expires_at', '>', param('now')),
    passwordResetTake: db
      .deleteFrom('password_resets')
      .where('token_hash', '=', param('token_hash'))
      .where('expires_at', '>', param('now'))
      .returningAll(),
    passwordResetDeleteForUser: db.deleteFrom('password_resets').where('user_id', '=', param('user_id')),
    passwordResetDeleteExpired: expiredChunk(db, 'password_resets', 'expires_at'),

    // ---- the signature debugger's entries
    rejectionInsert: db.insertInto('rejections').values(params('consumer_key', 'at', 'entry')),
    // Keeps the newest REJECTIONS_KEPT of one app: a noisy client cannot grow the table without bound.
    rejectionTrim: db
      .deleteFrom('rejections')
      .where('consumer_key', '=', param('consumer_key'))
      .where('id', '<=', (eb) =>
        eb
          .selectFrom('rejections')
          .select('id')
          .where('consumer_key', '=', param('consumer_key'))
          .orderBy('id', 'desc')
          .limit(1)
          .offset(REJECTIONS_KEPT),
      ),
    rejectionList: db
      .selectFrom('rejections')
      .select('entry')
      .where('consumer_key', '=', param('consumer_key'))
      .orderBy('id', 'desc')
      .limit(param('limit')),
    rejectionForget: db.deleteFrom('rejections').where('consumer_key', '=', param('consumer_key')),

    // ---- daily counts: an upsert adds to the day's row
    dailyCountAdd: db
      .insertInto('daily_counts')
      .values(params('day', 'metric', 'subject', 'count'))
      .onConflict((oc) =>
        oc
          .columns(['day', 'metric', 'subject'])
          .doUpdateSet({ count: sql`${sql.ref('daily_counts.count')} + ${sql.ref('excluded.count')}` }),
      ),
    dailyCountSince: db
      .selectFrom('daily_counts')
      .select(['day', 'metric', 'subject', 'count'])
      .where('day', '>=', param('first_day'))
      .orderBy('day')
      .orderBy('metric')
      .orderBy('subject'),
    dailyCountDeleteBefore: db.deleteFrom('daily_counts').where('day', '<', param('day')),

    // ---- app icons: one row per app, replaced by each upload
    iconPut: db
      .insertInto('app_icons')
      .values(params('consumer_key', 'type', 'data', 'updated_at'))
      .onConflict((oc) =>
        oc.column('consumer_key').doUpdateSet({
          type: sql`${sql.ref('excluded.type')}`,
          data: sql`${sql.ref('excluded.data')}`,
          updated_at: sql`${sql.ref('excluded.updated_at')}`,
        }),
      ),
    iconGet: db
      .selectFrom('app_icons')
      .select(['type', 'data', 'updated_at'])
      .where('consumer_key', '=', param('consumer_key')),
    iconDelete: db.deleteFrom('app_icons').where('consumer_key', '=', param('consumer_key')),

    // ---- rate limits: one row per key, the count of its latest window. A hit stamped in an earlier
    // window than the stored one (two instances' clocks) counts in the stored one; a later one restarts.
    rateLimitHit: db
      .insertInto('rate_limits')
      .values({ key: param('key'), count: 1, reset_at: param('reset_at') })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql`case when ${sql.ref('rate_limits.reset_at')} >= ${sql.ref('excluded.reset_at')} then ${sql.ref('rate_limits.count')} + 1 else 1 end`,
          reset_at: sql`case when ${sql.ref('rate_limits.reset_at')} >= ${sql.ref('excluded.reset_at')} then ${sql.ref('rate_limits.reset_at')} else ${sql.ref('excluded.reset_at')} end`,
        }),
      )
      .returning(['count', 'reset_at']),
    rateLimitGet: db
      .selectFrom('rate_limits')
      .select(['count', 'reset_at'])
      .where('key', '=', param('key'))
      .where('reset_at', '>', param('now')),
    rateLimitReset: db.deleteFrom('rate_limits').where('key', '=', param('key')),
    rateLimitDeleteExpired: expiredChunk(db, 'rate_limits', 'reset_at', true),

    // ---- the audit trail: one statement per combination of filters, so each can use its index.
    auditInsert: db
      .insertInto('audit_events')
      .values(params('at', 'type', 'user_id', 'consumer_key', 'address', 'detail')),
    auditQuery: auditEvents({ user: false, app: false }),
    auditQueryByUser: auditEvents({ user: true, app: false }),
    auditQueryByApp: auditEvents({ user: false, app: true }),
    auditQueryByUserAndApp: auditEvents({ user: true, app: true }),

    // ---- secrets at rest (envelope.ts): the data keys, and rotation's batches of rows to re-seal. A row
    // is re-sealed with a compare-and-set on its old value, so a concurrent change is never overwritten.
    dataKeyList: db.selectFrom('data_keys').selectAll().orderBy('created_at').orderBy('id'),
    dataKeyInsert: db
      .insertInto('data_keys')
      .values(params('id', 'purpose', 'wrapped', 'created_at'))
      .onConflict((oc) => oc.column('id').doNothing()),
    dataKeyRewrap: db
      .updateTable('data_keys')
      .set({ wrapped: param('wrapped') })
      .where('id', '=', param('id'))
      .where('wrapped', '=', param('previous')),
    consumerSecretsToReseal: db
      .selectFrom('consumers')
      .select(['key as row_key', 'secret'])
      .where('secret', 'not like', param('current_prefix'))
      .orderBy('key')
      .limit(param('limit')),
    consumerSecretReseal: db
      .updateTable('consumers')
      .set({ secret: param('secret') })
      .where('key', '=', param('row_key'))
      .where('secret', '=', param('previous')),
    requestTokenSecretsToReseal: db
      .selectFrom('request_tokens')
      .select(['token as row_key', 'secret'])
      .where('secret', 'not like', param('current_prefix'))
      .orderBy('token')
      .limit(param('limit')),
    requestTokenSecretReseal: db
      .updateTable('request_tokens')
      .set({ secret: param('secret') })
      .where('token', '=', param('row_key'))
      .where('secret', '=', param('previous')),
    accessTokenSecretsToReseal: db
      .selectFrom('access_tokens')
      .select(['token as row_key', 'secret'])
      .where('secret', 'not like', param('current_prefix'))
      .orderBy('token')
      .limit(param('limit')),
    accessTokenSecretReseal: db
      .updateTable('access_tokens')
      .set({ secret: param('secret') })
      .where('token', '=', param('row_key'))
      .where('secret', '=', param('previous')),
    // ---- the audit trail's webhook deliveries: every change a compare-and-set on version.
    auditDeliveryEnqueue: db
      .insertInto('audit_deliveries')
      .columns(['event_id', 'url', 'status', 'attempt', 'next_try_at', 'version'])
      .expression(
        db
          .selectFrom('audit_events as e')
          .select([
            'e.id',
            sql<string>`${param('url')}`.as('url'),
            sql<string>`'pending'`.as('status'),
            sql<number>`0`.as('attempt'),
            sql<number>`${param('now')}`.as('next_try_at'),
            sql<number>`0`.as('version'),
          ])
          .where('e.at', '>=', param('since'))
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('audit_deliveries as d')
                  .select('d.id')
                  .whereRef('d.event_id', '=', 'e.id')
                  .where('d.url', '=', param('url')),
              ),
            ),
          ),
      )
      .onConflict((oc) => oc.columns(['event_id', 'url']).doNothing()),
    auditDeliveryDue: db
      .selectFrom('audit_deliveries as d')
      .innerJoin('audit_events as e', 'e.id', 'd.event_id')
      .select([
        'd.id',
        'd.event_id',
        'd.url',
        'd.status',
        'd.attempt',
        'd.next_try_at',
        'd.last_status',
        'd.error',
        'd.version',
        'e.at',
        'e.type',
        'e.user_id',
        'e.consumer_key',
        'e.address',
        'e.detail',
      ])
      .where('d.status', '=', 'pending')
      .where('d.next_try_at', '<=', param('now'))
      .orderBy('d.event_id')
      .orderBy('d.id')
      .limit(param('limit')),
    auditDeliveryClaim: db
      .updateTable('audit_deliveries')
      .set({
        next_try_at: param('lease_until'),
        attempt: sql`${sql.ref('attempt')} + 1`,
        version: sql`${sql.ref('version')} + 1`,
      })
      .where('id', '=', param('id'))
      .where('version', '=', param('version'))
      .where('status', '=', 'pending'),
    auditDeliverySettle: db
      .updateTable('audit_deliveries')
      .set({
        ...params('status', 'next_try_at', 'last_status', 'error'),
        version: sql`${sql.ref('version')} + 1`,
      })
      .where('id', '=', param('id'))
      .where('version', '=', param('version')),
    auditDeliveryList: db
      .selectFrom('audit_deliveries')
      .selectAll()
      .orderBy('event_id', 'desc')
      .orderBy('id', 'desc')
      .limit(param('limit')),
    auditDeliveryListForEvent: db
      .selectFrom('audit_deliveries')
      .selectAll()
      .where('event_id', '=', param('event_id'))
      .orderBy('id')
      .limit(param('limit')),
  };
}

export type TripodQueries = ReturnType<typeof tripodQueries>;

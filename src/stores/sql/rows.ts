// Rows ↔ the stores' values, for both dialects. SQLite gives flags back as 0/1 (PostgreSQL as booleans),
// bigint columns may come back as strings, and lists and objects are JSON text. The one place a secret
// column is read or written: every secret goes through `RowSecrets` (envelope.ts seals it when an operator
// key is configured), bound to its column and row by `secretContext`.

import type {
  AccessLevel,
  AccessToken,
  Consumer,
  RequestToken,
  RequestTokenState,
  User,
} from '../../provider/types.ts';
import { caseFold } from '../case-fold.ts';
import type {
  AccessTokensTable,
  AuditDeliveriesTable,
  AuditEventsTable,
  ConsumersTable,
  PasswordResetsTable,
  RequestTokensTable,
  SessionsTable,
  UsersTable,
} from '../schema.ts';
import type { AuditDelivery, AuditEvent, PasswordReset, Session, StoredAuditEvent } from '../types.ts';
import type { RowSecrets } from './envelope.ts';

/** The associated data of a sealed secret: its column and its row's key, so it opens in that row only. */
export const secretContext = (
  column: 'consumers.secret' | 'request_tokens.secret' | 'access_tokens.secret',
  rowKey: string,
) => `${column}:${rowKey}`;

function accessLevel(value: string): AccessLevel {
  if (value === 'read' || value === 'read-write') return value;
  throw new Error(`stored access level is invalid: ${JSON.stringify(value)}`);
}

export function userFromRow(row: UsersTable): User {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    isOperator: Boolean(row.is_operator),
    disabled: Boolean(row.disabled),
    createdAt: Number(row.created_at),
    // Absent when there is none, as on a user created without one.
    ...(row.email ? { email: row.email } : {}),
  };
}

export function userToRow(user: User): UsersTable {
  return {
    id: user.id,
    username: user.username,
    username_key: caseFold(user.username),
    password_hash: user.passwordHash,
    is_operator: user.isOperator,
    disabled: user.disabled,
    created_at: user.createdAt,
    email: user.email ?? null,
    email_key: user.email ? caseFold(user.email) : null,
  };
}

export function consumerFromRow(row: ConsumersTable, secrets: RowSecrets): Consumer {
  return {
    key: row.key,
    secret: secrets.open(row.secret, secretContext('consumers.secret', row.key)),
    name: row.name,
    description: row.description,
    website: row.website,
    ownerUserId: row.owner_user_id,
    callbackUrls: JSON.parse(row.callback_urls) as string[],
    accessLevel: accessLevel(row.access_level),
    xauth: Boolean(row.xauth),
    rsaPublicKey: row.rsa_public_key,
    disabled: Boolean(row.disabled),
    createdAt: Number(row.created_at),
  };
}

export function consumerToRow(consumer: Consumer, secrets: RowSecrets): ConsumersTable {
  return {
    key: consumer.key,
    secret: secrets.seal(consumer.secret, secretContext('consumers.secret', consumer.key)),
    name: consumer.name,
    name_key: caseFold(consumer.name),
    description: consumer.description,
    website: consumer.website,
    owner_user_id: consumer.ownerUserId,
    callback_urls: JSON.stringify(consumer.callbackUrls),
    access_level: consumer.accessLevel,
    xauth: consumer.xauth,
    rsa_public_key: consumer.rsaPublicKey,
    disabled: consumer.disabled,
    created_at: consumer.createdAt,
  };
}

function stateFromRow(row: RequestTokensTable): RequestTokenState {
  switch (row.status) {
    case 'issued':
      return { status: 'issued' };
    case 'authorized':
      return {
        status: 'authorized',
        userId: row.user_id ?? '',
        verifier: row.verifier ?? '',
        attemptsLeft: Number(row.attempts_left ?? 0),
      };
    case 'exchanged':
      return { status: 'exchanged', userId: row.user_id ?? '', accessToken: row.access_token ?? '' };
    case 'denied':
      return { status: 'denied' };
    case 'burned':
      return { status: 'burned' };
    default:
      throw new Error(`stored request token status is invalid: ${JSON.stringify(row.status)}`);
  }
}

/** The columns a transition may change (the rest of a request token never changes after issue). */
export type RequestTokenStateColumns = Pick<
  RequestTokensTable,
  'status' | 'user_id' | 'verifier' | 'attempts_left' | 'access_token' | 'expires_at'
>;

export function stateToColumns(requestToken: RequestToken): RequestTokenStateColumns {
  const s = requestToken.state;
  return {
    status: s.status,
    user_id: s.status === 'authorized' || s.status === 'exchanged' ? s.userId : null,
    // The verifier is cleared once the token is spent or burned: nothing left to compare it with.
    verifier: s.status === 'authorized' ? s.verifier : null,
    attempts_left: s.status === 'authorized' ? s.attemptsLeft : null,
    access_token: s.status === 'exchanged' ? s.accessToken : null,
    expires_at: requestToken.expiresAt,
  };
}

export function requestTokenFromRow(row: RequestTokensTable, secrets: RowSecrets): RequestToken {
  return {
    token: row.token,
    secret: secrets.open(row.secret, secretContext('request_tokens.secret', row.token)),
    consumerKey: row.consumer_key,
    callback: row.callback,
    accessLevel: accessLevel(row.access_level),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    state: stateFromRow(row),
    version: Number(row.version),
  };
}

export function requestTokenToRow(requestToken: RequestToken, secrets: RowSecrets): RequestTokensTable {
  return {
    token: requestToken.token,
    secret: secrets.seal(requestToken.secret, secretContext('request_tokens.secret', requestToken.token)),
    consumer_key: requestToken.consumerKey,
    callback: requestToken.callback,
    access_level: requestToken.accessLevel,
    created_at: requestToken.createdAt,
    version: requestToken.version,
    ...stateToColumns(requestToken),
  };
}

export function accessTokenFromRow(row: AccessTokensTable, secrets: RowSecrets): AccessToken {
  return {
    token: row.token,
    secret: secrets.open(row.secret, secretContext('access_tokens.secret', row.token)),
    consumerKey: row.consumer_key,
    userId: row.user_id,
    accessLevel: accessLevel(row.access_level),
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

export function accessTokenToRow(accessToken: AccessToken, secrets: RowSecrets): AccessTokensTable {
  return {
    token: accessToken.token,
    secret: secrets.seal(accessToken.secret, secretContext('access_tokens.secret', accessToken.token)),
    consumer_key: accessToken.consumerKey,
    user_id: accessToken.userId,
    access_level: accessToken.accessLevel,
    created_at: accessToken.createdAt,
    revoked_at: accessToken.revokedAt,
  };
}

export function sessionFromRow(row: SessionsTable): Session {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    stash:
      row.stash === null || row.stash_expires_at === null
        ? null
        : { sealed: row.stash, expiresAt: Number(row.stash_expires_at) },
    lastSeenAt: Number(row.last_seen_at ?? row.created_at),
    userAgent: row.user_agent,
    address: row.address,
  };
}

export function sessionToRow(session: Session): SessionsTable {
  return {
    id_hash: session.idHash,
    user_id: session.userId,
    created_at: session.createdAt,
    expires_at: session.expiresAt,
    stash: session.stash?.sealed ?? null,
    stash_expires_at: session.stash?.expiresAt ?? null,
    last_seen_at: session.lastSeenAt,
    user_agent: session.userAgent,
    address: session.address,
  };
}

export function passwordResetFromRow(row: PasswordResetsTable): PasswordReset {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

export function auditEventFromRow(row: Omit<AuditEventsTable, 'id'> & { id: number }): StoredAuditEvent {
  return {
    id: Number(row.id),
    at: Number(row.at),
    type: row.type,
    userId: row.user_id,
    consumerKey: row.consumer_key,
    address: row.address,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}

export function auditEventToRow(event: AuditEvent): Omit<AuditEventsTable, 'id'> {
  return {
    at: event.at,
    type: event.type,
    user_id: event.userId,
    consumer_key: event.consumerKey,
    address: event.address,
    detail: JSON.stringify(event.detail),
  };
}

export function auditDeliveryFromRow(row: Omit<AuditDeliveriesTable, 'id'> & { id: number }): AuditDelivery {
  return {
    id: Number(row.id),
    eventId: Number(row.event_id),
    url: row.url,
    status: row.status as AuditDelivery['status'],
    attempt: Number(row.attempt),
    nextTryAt: Number(row.next_try_at),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    error: row.error,
    version: Number(row.version),
  };
}

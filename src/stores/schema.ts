// The SQL schema as Kysely sees it, shared by every SQL store (SQLite and PostgreSQL), after every
// migration of migrations.ts. Times are milliseconds since the epoch (bigint columns); flags are booleans
// in the schema and 0/1 integers on SQLite, which has no boolean type (sql/rows.ts converts both ways).
// Generated columns (`id` of the append-only tables) are optional on insert.

import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  /** caseFold(username), unique: usernames are unique whatever their letter case. */
  username_key: string | null;
  password_hash: string;
  is_operator: number | boolean;
  disabled: number | boolean;
  created_at: number;
  email: string | null;
  /** caseFold(email), for finding the accounts of an address. */
  email_key: string | null;
}

export interface ConsumersTable {
  key: string;
  /** Sealed (sql/envelope.ts) when an operator key is configured, else in clear; so are tokens' secrets. */
  secret: string;
  name: string;
  /** caseFold(name), for case-insensitive search. */
  name_key: string | null;
  description: string;
  website: string;
  owner_user_id: string | null;
  /** JSON array of strings. */
  callback_urls: string;
  access_level: string;
  xauth: number | boolean;
  rsa_public_key: string | null;
  disabled: number | boolean;
  created_at: number;
}

export interface RequestTokensTable {
  token: string;
  secret: string;
  consumer_key: string;
  callback: string;
  access_level: string;
  created_at: number;
  expires_at: number;
  /** issued | authorized | exchanged | denied | burned */
  status: string;
  user_id: string | null;
  /** The verifier's keyed hash (provider/verifier-digest.ts), never the verifier or PIN itself. */
  verifier: string | null;
  attempts_left: number | null;
  access_token: string | null;
  version: number;
}

/** What outlives a purged request token (stores/request-token-tombstones.ts). */
export interface RequestTokenTombstonesTable {
  token_hash: string;
  consumer_key: string;
  /** expired | exchanged | denied | burned */
  status: string;
  expires_at: number;
}

export interface AccessTokensTable {
  token: string;
  secret: string;
  consumer_key: string;
  user_id: string;
  access_level: string;
  created_at: number;
  revoked_at: number | null;
}

export interface NoncesTable {
  /** sha256 of (consumer key, token, timestamp, nonce), base64url: bounded size whatever the input. */
  key: string;
  expires_at: number;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the cookie's session id. */
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  /** SessionStash.sealed; null with no stash. */
  stash: string | null;
  stash_expires_at: number | null;
  /** null on sessions from before migration 0008: created_at stands in. */
  last_seen_at: number | null;
  user_agent: string | null;
  address: string | null;
}

export interface PasswordResetsTable {
  /** SHA-256 (hex) of the link's token. */
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface RejectionsTable {
  id: Generated<number>;
  consumer_key: string;
  at: number;
  /** The RejectedRequest as JSON. */
  entry: string;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  /** End of the counted window (ms). */
  reset_at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  type: string;
  user_id: string | null;
  consumer_key: string | null;
  address: string | null;
  /** JSON object. */
  detail: string;
}

/** Envelope encryption's data keys (sql/envelope.ts), each wrapped under an operator key (or in clear). */
export interface DataKeysTable {
  id: string;
  /** `seal`: seals secret columns; `verifier`: the key of the verifiers' keyed hash (one row). */
  purpose: string;
  /** `OPERATORKEYID.IV.SEALED` (base64url), or `clear.KEY` when no operator key was configured. */
  wrapped: string;
  created_at: number;
}

export interface AuditDeliveriesTable {
  id: Generated<number>;
  event_id: number;
  url: string;
  /** pending, delivered or failed. */
  status: string;
  attempt: number;
  next_try_at: number;
  last_status: number | null;
  error: string | null;
  version: number;
}

export interface DailyCountsTable {
  /** YYYY-MM-DD (UTC). */
  day: string;
  metric: string;
  subject: string;
  count: number;
}

export interface AppIconsTable {
  consumer_key: string;
  type: string;
  /** The image, base64 (one portable column type on both databases). */
  data: string;
  updated_at: number;
}

export interface TripodDatabase {
  users: UsersTable;
  consumers: ConsumersTable;
  request_tokens: RequestTokensTable;
  request_token_tombstones: RequestTokenTombstonesTable;
  access_tokens: AccessTokensTable;
  nonces: NoncesTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  rejections: RejectionsTable;
  daily_counts: DailyCountsTable;
  app_icons: AppIconsTable;
  rate_limits: RateLimitsTable;
  audit_events: AuditEventsTable;
  data_keys: DataKeysTable;
  audit_deliveries: AuditDeliveriesTable;
}

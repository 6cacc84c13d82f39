// The SQL schema as Kysely sees it, shared by every SQL store (SQLite now, PostgreSQL later).
// Times are milliseconds since the epoch (bigint columns); flags are booleans in the schema and
// 0/1 integers on SQLite, which has no boolean type (the SQLite store converts).

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  is_operator: number | boolean;
  created_at: number;
}

export interface ConsumersTable {
  key: string;
  secret: string;
  name: string;
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
  verifier: string | null;
  attempts_left: number | null;
  access_token: string | null;
  version: number;
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

export interface TripodDatabase {
  users: UsersTable;
  consumers: ConsumersTable;
  request_tokens: RequestTokensTable;
  access_tokens: AccessTokensTable;
  nonces: NoncesTable;
}

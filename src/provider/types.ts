// The provider's vocabulary and the interfaces it depends on. The provider is framework-agnostic:
// it takes an `OAuthRequest` (with `url` the PUBLIC URL the client signed) and returns results or
// throws `OAuthProblem`. Storage, time and randomness come in through the interfaces below so tests
// can pin them (DESIGN.md §1, §4).

export type AccessLevel = 'read' | 'read-write';

/** What a protected route needs: `read` for GET-like routes, `write` for routes that change state. */
export type RequiredAccess = 'read' | 'write';

export type { SignatureMethodName } from '../core/signature.ts';

/** A request as the provider sees it. `url` is the public URL (scheme, host, port, path, query). */
export interface OAuthRequest {
  method: string;
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body, exactly as received (needed for form parameters and oauth_body_hash). */
  body?: string | Uint8Array | null;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface RandomSource {
  /** Cryptographically random bytes. */
  bytes(length: number): Uint8Array;
  /** A uniformly distributed integer in [0, maxExclusive), from a cryptographic source. */
  int(maxExclusive: number): number;
}

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  isOperator: boolean;
  /** A disabled account cannot sign in or use xAuth (an operator's decision). */
  disabled: boolean;
  createdAt: number;
  /** Where a password-reset link may be mailed (optional; the server's accounts, issue 12). */
  email?: string | null;
}

/** A registered client application ("consumer" in RFC 5849's words). */
export interface Consumer {
  key: string;
  secret: string;
  name: string;
  description: string;
  website: string;
  ownerUserId: string | null;
  /** Registered callback URLs; empty means PIN-only (Twitter's "desktop application"). */
  callbackUrls: string[];
  accessLevel: AccessLevel;
  /** xAuth (x_auth_mode=client_auth) is allowed only for apps the operator flagged. */
  xauth: boolean;
  /** PEM public key for RSA-SHA1/RSA-SHA256 apps, else null. */
  rsaPublicKey: string | null;
  disabled: boolean;
  createdAt: number;
}

/** The request token state machine of DESIGN.md §2. `expired` is derived from `expiresAt`. */
export type RequestTokenState =
  | { status: 'issued' }
  | {
      status: 'authorized';
      userId: string;
      /** The verifier's keyed digest (verifier-digest.ts): the verifier or PIN itself is never stored. */
      verifier: string;
      attemptsLeft: number;
    }
  | { status: 'exchanged'; userId: string; accessToken: string }
  | { status: 'denied' }
  | { status: 'burned' };

export interface RequestToken {
  token: string;
  secret: string;
  consumerKey: string;
  /** 'oob' or the confirmed callback URL. */
  callback: string;
  accessLevel: AccessLevel;
  createdAt: number;
  expiresAt: number;
  state: RequestTokenState;
  /** Incremented by every transition; stores compare-and-set on it. */
  version: number;
}

export interface AccessToken {
  token: string;
  secret: string;
  consumerKey: string;
  userId: string;
  accessLevel: AccessLevel;
  createdAt: number;
  /** Revoked tokens are kept as tombstones so a correctly signed request can get code 89. */
  revokedAt: number | null;
}

// ---- Store interfaces, split by who reads them ------------------------------------------------------
// A resource server that only verifies signed requests needs the four of `VerificationStores`; the
// provider's token endpoints need `ProviderStores`; the portal and the CLI administer users and apps
// through `UserStore` and `ConsumerStore`. Server-only state (sessions, the debugger's entries, rate
// limits, the audit trail, revocation events) is declared in src/stores/types.ts.

export interface ConsumerReader {
  get(key: string): Promise<Consumer | null>;
}

export interface AccessTokenReader {
  get(token: string): Promise<AccessToken | null>;
}

export interface NonceStore {
  /**
   * Atomically records `key` until at least `expiresAt` (ms; a store may keep it a little longer, as Redis
   * does to the next whole second). Returns true the first time a key is seen,
   * false when it was already recorded (a replay). Survives restarts in persistent stores. `now` is the
   * verifier's clock (ms), on which `expiresAt` is: a store that keeps nonces in memory forgets by it.
   */
  claim(key: string, expiresAt: number, now?: number): Promise<boolean>;
  /**
   * Optional and synchronous: true when `key` is known, without asking anyone, to be claimed already (a
   * replay of a request just seen), so that the replay is refused as a bad signature is, in the same turn
   * and without a promise. False means only "not known here": `claim` decides. Never true for a key that
   * `claim` would accept.
   */
  knownClaimed?(key: string): boolean;
}

/**
 * The one thing verification reads about a user: the screen name it hands the resource server with the
 * user id. Nothing else of the user (its password hash least of all) is needed to verify a request.
 */
export interface ScreenNameReader {
  getById(id: string): Promise<Pick<User, 'username'> | null>;
}

/** All a resource server needs to verify a signed request: consumer, access token, nonce, screen name. */
export interface VerificationStores {
  consumers: ConsumerReader;
  accessTokens: AccessTokenReader;
  nonces: NonceStore;
  users: ScreenNameReader;
}

export interface UserReader extends ScreenNameReader {
  getById(id: string): Promise<User | null>;
  /** Case-insensitive: `OLGA` finds `olga`. */
  getByUsername(username: string): Promise<User | null>;
}

/** One page of an administrative list; `search` is a case-insensitive substring of the name. */
export interface ListPage {
  offset: number;
  limit: number;
  search?: string;
}

export interface UserStore extends UserReader {
  /** Throws if the id exists or the username exists in any letter case. */
  create(user: User): Promise<void>;
  /** Oldest first. */
  list(page: ListPage): Promise<User[]>;
  count(search?: string): Promise<number>;
  /** Each returns false when there is no such user. */
  updatePassword(id: string, passwordHash: string): Promise<boolean>;
  setDisabled(id: string, disabled: boolean): Promise<boolean>;
  setOperator(id: string, isOperator: boolean): Promise<boolean>;
  /** null forgets the address. */
  setEmail(id: string, email: string | null): Promise<boolean>;
  /** The users with this e-mail address in any letter case, oldest first. */
  listByEmail(email: string): Promise<User[]>;
  delete(id: string): Promise<boolean>;
}

export interface ConsumerStore extends ConsumerReader {
  create(consumer: Consumer): Promise<void>;
  /** Oldest first; the search matches the app's name (any letter case) or its exact key. */
  list(page: ListPage): Promise<Consumer[]>;
  /** Every app of one owner, oldest first. */
  listByOwner(userId: string): Promise<Consumer[]>;
  count(search?: string): Promise<number>;
  update(consumer: Consumer): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Up to `limit` keys of the registered apps, in no order: the verification cache keeps them to answer a
   * key no app has without asking the store (a flood of made-up keys). Optional for other stores.
   */
  keys?(limit: number): Promise<string[]>;
}

/**
 * What outlives a purged request token (issue 11): its token's hash, its app, what became of it and when
 * it expired — no secret, no verifier — so a late visitor still learns "expired" or "already used".
 */
export interface RequestTokenTombstone {
  consumerKey: string;
  /** `expired` for a token purged while still issued or authorized; else its last state. */
  status: 'expired' | 'exchanged' | 'denied' | 'burned';
  expiresAt: number;
}

export interface RequestTokenStore {
  create(requestToken: RequestToken): Promise<void>;
  get(token: string): Promise<RequestToken | null>;
  /**
   * Tokens of this consumer still waiting for an answer or an exchange (issued or authorized, unexpired),
   * counted up to `atMost` (a cap's check costs no more than the cap).
   */
  countOutstanding(consumerKey: string, now: number, atMost: number): Promise<number>;
  /** The tombstone of a purged token, or null. */
  getTombstone(token: string): Promise<RequestTokenTombstone | null>;
  /** Deletes tombstones of tokens that expired before `before`. Returns how many. */
  deleteTombstones(before: number): Promise<number>;
  /**
   * Atomic compare-and-set: replaces the stored token with `next` only if the stored version equals
   * `expectedVersion` (next.version must be expectedVersion + 1). Returns false when another
   * transition won the race. PIN attempts left live in this state, so they are counted atomically too.
   */
  transition(next: RequestToken, expectedVersion: number): Promise<boolean>;
  /** Replaces every token whose expiresAt is before `before` by its tombstone. Returns how many. */
  deleteExpired(before: number): Promise<number>;
}

export interface AccessTokenStore extends AccessTokenReader {
  create(accessToken: AccessToken): Promise<void>;
  /** The live (not revoked) token of this user for this app at this level, if any. */
  findActive(consumerKey: string, userId: string, accessLevel: AccessLevel): Promise<AccessToken | null>;
  /** Marks the token revoked. Returns false if it did not exist or was already revoked. */
  revoke(token: string, at: number): Promise<boolean>;
  /** Revokes every live token of this user for this app (the "connected apps" revoke). */
  revokeAllFor(consumerKey: string, userId: string, at: number): Promise<number>;
  listActiveForUser(userId: string): Promise<AccessToken[]>;
}

/** A nonce store the server looks after: expired keys are purged and the live ones can be counted. */
export interface ExpiringNonceStore extends NonceStore {
  /** Forgets keys that expired before `before`; returns how many (0 where the store expires them itself). */
  deleteExpired(before: number): Promise<number>;
  /** How many claimed keys are still live at `now` (for a metric; may be approximate). */
  size(now: number): Promise<number>;
}

/** What the provider's endpoints use: verification plus users by id/name, request and access tokens. */
export interface ProviderStores extends VerificationStores {
  users: UserReader;
  consumers: ConsumerReader;
  requestTokens: RequestTokenStore;
  accessTokens: AccessTokenStore;
  nonces: ExpiringNonceStore;
  /**
   * The key of the verifiers' keyed hash (verifier-digest.ts): the same for every instance that shares
   * these stores, since one instance approves and another may take the exchange. Absent: a random key per
   * Provider (enough for one process; its outstanding PINs do not survive a restart).
   */
  verifierKey?: Uint8Array;
}

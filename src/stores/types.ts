// The server's own state, beside the provider's (src/provider/types.ts): browser sessions, the signature
// debugger's entries, rate-limit counters, the audit trail and revocation events. Every implementation
// (memory, SQLite, PostgreSQL, Redis for the ephemeral parts) passes the same contract suite
// (test/stores/store-contract.ts), and `TripodStores` bundles them with the provider's stores.

import type { Parameter } from '../core/encoding.ts';
import type { ConsumerStore, ProviderStores, UserStore } from '../provider/types.ts';

// ---- Browser sessions --------------------------------------------------------------------------------

export interface Session {
  /** SHA-256 (hex) of the id held in the cookie: a copy of the database cannot ride a live session. */
  idHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  /** What the server keeps for this browser between two requests (the PIN page's PIN), or null. */
  stash: SessionStash | null;
  /** When the browser was last seen (refreshed at most every few minutes), for the settings page. */
  lastSeenAt: number;
  /** The browser's User-Agent and address at sign-in, cut short; null when unknown. */
  userAgent: string | null;
  address: string | null;
}

/**
 * Sealed by the server with a key derived from the cookie's session id, which the database never holds
 * (only its SHA-256): opaque to the store, readable only with the cookie of that browser.
 */
export interface SessionStash {
  sealed: string;
  /** When nothing in it is worth keeping any more: the prune timer deletes it then. */
  expiresAt: number;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  get(idHash: string, now: number): Promise<Session | null>;
  delete(idHash: string): Promise<void>;
  /** The user's live sessions at `now`, newest first. */
  listForUser(userId: string, now: number): Promise<Session[]>;
  /** Ends every session of the user ("sign out everywhere"), but `except` if given; returns how many. */
  deleteForUser(userId: string, except?: string): Promise<number>;
  /** Records when the session was last seen; false when there is no such session. */
  touch(idHash: string, lastSeenAt: number): Promise<boolean>;
  deleteExpired(before: number): Promise<number>;
  /** Replaces (null: deletes) the session's stash; false when there is no such session. */
  setStash(idHash: string, stash: SessionStash | null): Promise<boolean>;
  /** Deletes stashes whose expiresAt is before `before` (the sessions stay); returns how many. */
  deleteExpiredStashes(before: number): Promise<number>;
}

// ---- Password resets ---------------------------------------------------------------------------------

/** A one-time password-reset link: only the SHA-256 of its token is kept. */
export interface PasswordReset {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface PasswordResetStore {
  create(reset: PasswordReset): Promise<void>;
  /** The reset if it exists and has not expired at `now` (the link's form is shown). */
  get(tokenHash: string, now: number): Promise<PasswordReset | null>;
  /** Single use, atomically: deletes the reset and returns it if it was live at `now`; else null. */
  take(tokenHash: string, now: number): Promise<PasswordReset | null>;
  /** Forgets every reset of the user (the password changed, the account went); returns how many. */
  deleteForUser(userId: string): Promise<number>;
  deleteExpired(before: number): Promise<number>;
}

// ---- The signature debugger's entries ----------------------------------------------------------------

/** How many rejected requests are kept (and shown) per app. */
export const REJECTIONS_KEPT = 20;

export interface RejectedRequest {
  /** When the server refused it, ms since the epoch. */
  at: number;
  method: string;
  /** The public URL the server verified against (query included). */
  url: string;
  /** The oauth_problem (Problem Reporting extension), e.g. signature_invalid. */
  problem: string;
  /** HTTP status and Twitter error code of the answer. */
  status: number;
  code: number | null;
  /** The sentence of advice sent with the answer. */
  advice: string;
  /** Every parameter received (header, query, form body), oauth_signature included, in arrival order. */
  parameters: Parameter[];
  /** The signature base string the server computed (RFC 5849 §3.4.1); null if it never got that far. */
  baseString: string | null;
}

/** Stores what it is given: the server redacts an entry before recording it. */
export interface RejectionLog {
  record(consumerKey: string, entry: RejectedRequest): Promise<void>;
  /** Several entries in one write (in the order given, the last one newest). */
  recordMany(entries: readonly { consumerKey: string; entry: RejectedRequest }[]): Promise<void>;
  /** Newest first, at most `limit` (and never more than REJECTIONS_KEPT). */
  list(consumerKey: string, limit?: number): Promise<RejectedRequest[]>;
  /** Drops everything kept for an app (it was deleted). */
  forget(consumerKey: string): Promise<void>;
}

// ---- Daily counts for the operator's charts ---------------------------------------------------------------

/** What is counted per UTC day: access tokens issued, PINs burned by wrong tries, refused requests (subject:
 * the oauth_problem) and accepted signed requests of each app (subject: its consumer key). */
export type DailyMetric = 'authorizations' | 'pins_burned' | 'refused' | 'app_requests';

export interface DailyCount {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  metric: DailyMetric;
  /** What the count is broken down by ('' for none). */
  subject: string;
  count: number;
}

/** One row per (day, metric, subject); the server adds to them in batches, off the request path. */
export interface DailyCountStore {
  /** Adds each count to its row (created at 0 if missing), all in one write. */
  add(counts: readonly DailyCount[]): Promise<void>;
  /** Every row of `firstDay` and later, by day, metric, subject. */
  since(firstDay: string): Promise<DailyCount[]>;
  /** Deletes the rows of days before `day`; returns how many. */
  deleteBefore(day: string): Promise<number>;
}

// ---- App icons ----------------------------------------------------------------------------------------

/** The image types an icon may have: what the server sniffed from its bytes, never what a client said. */
export type IconType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface AppIcon {
  type: IconType;
  bytes: Uint8Array;
  /** When it was uploaded (ms): the icon URL's version and its ETag. */
  updatedAt: number;
}

/** One icon per app, replaced by each upload. */
export interface AppIconStore {
  put(consumerKey: string, icon: AppIcon): Promise<void>;
  get(consumerKey: string): Promise<AppIcon | null>;
  delete(consumerKey: string): Promise<void>;
}

// ---- Rate limits -------------------------------------------------------------------------------------

export interface RateLimitWindow {
  /** Hits counted in the current window. */
  count: number;
  /** When the window ends and the count starts again from zero (ms since the epoch). */
  resetAt: number;
}

/**
 * Fixed-window counters. Windows are aligned to multiples of `windowMs` since the epoch, so every
 * instance and every implementation agrees on where a window starts and ends.
 */
export interface RateLimitStore {
  /** Counts one hit for `key` in the window holding `now`; returns the count so far, this hit included. */
  hit(key: string, windowMs: number, now: number): Promise<RateLimitWindow>;
  /** The current window of `key` at `now`, or null when it has no hit in a live window. */
  get(key: string, now: number): Promise<RateLimitWindow | null>;
  /** Forgets `key` (a success resets a failure counter). */
  reset(key: string): Promise<void>;
  /** Deletes windows that ended before `before`; returns how many (0 where the store expires them itself). */
  deleteExpired(before: number): Promise<number>;
}

// ---- Audit trail -------------------------------------------------------------------------------------

export interface AuditEvent {
  at: number;
  /** What happened, e.g. `authorization.granted`, `token.revoked`, `operator.app_disabled`. */
  type: string;
  userId: string | null;
  consumerKey: string | null;
  /** The client address the action came from, when there was one. */
  address: string | null;
  /** Anything else worth keeping; never a secret. */
  detail: Record<string, unknown>;
}

/** An event as the trail keeps it: numbered in the order it was appended. */
export interface StoredAuditEvent extends AuditEvent {
  id: number;
}

export interface AuditQuery {
  userId?: string;
  consumerKey?: string;
  /** One type (`sign_in.failed`), or every type below a prefix ending in `.*` (`sign_in.*`). */
  type?: string;
  /** Only events at or after this time. */
  since?: number;
  /** At most this many (default 100). */
  limit?: number;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Several events in one write (one transaction), numbered in the order given. */
  appendMany(events: readonly AuditEvent[]): Promise<void>;
  /** Newest first. */
  query(query: AuditQuery): Promise<StoredAuditEvent[]>;
}

// ---- Audit webhook deliveries ------------------------------------------------------------------------

/**
 * One event to be sent to one webhook URL. `pending` until it is delivered or given up (`failed`); an
 * instance that claims it pushes `nextTryAt` to the end of its lease, so a crashed sender's claim lapses
 * and another instance takes it over. Every change is a compare-and-set on `version`.
 */
export interface AuditDelivery {
  id: number;
  eventId: number;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  /** Attempts started so far. */
  attempt: number;
  /** When it is due (pending), or when the current claim lapses; when it ended otherwise. */
  nextTryAt: number;
  /** The receiver's HTTP status on the last attempt, null when none came (or none yet). */
  lastStatus: number | null;
  /** Why the last attempt failed, null when it did not. */
  error: string | null;
  version: number;
}

export interface AuditDeliveryOutcome {
  status: AuditDelivery['status'];
  nextTryAt: number;
  lastStatus: number | null;
  error: string | null;
}

export interface AuditDeliveryLog {
  /**
   * Adds a pending delivery to `url`, due at `now`, for every event at or after `since` that has none to
   * that URL yet (several instances may do it at once: each pair gets one). Returns how many it added.
   */
  enqueue(url: string, since: number, now: number): Promise<number>;
  /** Pending deliveries due at `now` with their events, oldest event first, at most `limit`. */
  due(now: number, limit: number): Promise<{ delivery: AuditDelivery; event: StoredAuditEvent }[]>;
  /** Takes a due delivery for an attempt until `leaseUntil`; false when another instance took it first. */
  claim(delivery: Pick<AuditDelivery, 'id' | 'version'>, leaseUntil: number): Promise<boolean>;
  /** Records how the claimed attempt ended (`version` is the one claim left); false if the claim was lost. */
  settle(delivery: Pick<AuditDelivery, 'id' | 'version'>, outcome: AuditDeliveryOutcome): Promise<boolean>;
  /** The log, newest event first: every delivery of `eventId` when given. */
  list(query: { eventId?: number; limit?: number }): Promise<AuditDelivery[]>;
}

// ---- Revocation events -------------------------------------------------------------------------------

/** Something a cache of consumers or access tokens must forget at once, on every instance. */
export type RevocationEvent =
  | { kind: 'consumer-changed'; consumerKey: string }
  | { kind: 'access-token-revoked'; token: string }
  /** Every token of one user for one app (the "connected apps" revoke). */
  | { kind: 'access-tokens-revoked'; consumerKey: string; userId: string }
  /** A user disabled, deleted, or changed otherwise. */
  | { kind: 'user-changed'; userId: string };

export interface RevocationBus {
  /** Delivers to every subscriber on every instance (this one included, at once). */
  publish(event: RevocationEvent): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: RevocationEvent) => void): () => void;
}

// ---- Secrets at rest ---------------------------------------------------------------------------------

/** What `tripod-server secrets rotate` did. */
export interface SecretRotation {
  /** The operator key every data key is now wrapped under. */
  operatorKey: string;
  /** The data key every secret is now sealed under. */
  dataKey: string;
  dataKeysRewrapped: number;
  rowsResealed: number;
  batches: number;
}

/** Encryption of the secret columns under the operator's key (src/stores/sql/envelope.ts). */
export interface SecretsAtRest {
  /** Whether secrets written now are encrypted (an operator key is configured). */
  readonly encrypted: boolean;
  /**
   * Wraps every data key under the newest operator key, then re-seals every secret (clear ones included)
   * under the newest data key, `batchSize` rows a transaction: interrupted, it loses nothing and a second
   * run carries on. Afterwards the older operator keys may be removed from the key file.
   */
  rotate(options?: { batchSize?: number; onBatch?: (resealed: number) => void }): Promise<SecretRotation>;
}

// ---- The bundle --------------------------------------------------------------------------------------

/** A service the stores stand on, pinged on its own so that readiness can say which one is down. */
export interface BackingService {
  /** `database` (the SQLite file or PostgreSQL) or `redis`. */
  readonly name: 'database' | 'redis';
  /** Resolves when the service answers; rejects (StoreUnavailableError) otherwise. */
  ping(): Promise<void>;
}

/** Every store the server uses, opened once (src/stores/open-stores.ts) and closed once. */
export interface TripodStores extends ProviderStores {
  users: UserStore;
  consumers: ConsumerStore;
  sessions: SessionStore;
  passwordResets: PasswordResetStore;
  rejections: RejectionLog;
  dailyCounts: DailyCountStore;
  icons: AppIconStore;
  rateLimits: RateLimitStore;
  audit: AuditLog;
  auditDeliveries: AuditDeliveryLog;
  revocations: RevocationBus;
  /** Absent where nothing is kept at rest (the memory stores). */
  secretsAtRest?: SecretsAtRest;
  /** Resolves when every backing service answers; rejects (StoreUnavailableError) otherwise. */
  ping(): Promise<void>;
  /** The database, then Redis when it is configured. */
  readonly backingServices: readonly BackingService[];
  close(): Promise<void>;
}

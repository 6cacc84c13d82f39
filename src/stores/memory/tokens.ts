// Request and access tokens in memory, with the same compare-and-set and one-live-grant rules as SQL.

import type {
  AccessLevel,
  AccessToken,
  AccessTokenStore,
  RequestToken,
  RequestTokenStore,
  RequestTokenTombstone,
} from '../../provider/types.ts';
import { isOutstanding, isWaiting, tombstoneKey, tombstoneStatus } from '../request-token-tombstones.ts';

// A spread per level is a full copy, and far cheaper than structuredClone on the verification hot path.
const copyRequestToken = (rt: RequestToken): RequestToken => ({ ...rt, state: { ...rt.state } });
const copyAccessToken = (at: AccessToken): AccessToken => ({ ...at });

export class MemoryRequestTokenStore implements RequestTokenStore {
  readonly #byToken = new Map<string, RequestToken>();
  readonly #tombstones = new Map<string, RequestTokenTombstone>();
  /** Each app's issued and authorized tokens, as SQL's partial index (migration 0013): what its cap counts. */
  readonly #waitingByApp = new Map<string, Set<string>>();

  async create(requestToken: RequestToken): Promise<void> {
    if (this.#byToken.has(requestToken.token)) throw new Error('request token already exists');
    this.#byToken.set(requestToken.token, copyRequestToken(requestToken));
    this.#keepWaiting(requestToken);
  }
  async get(token: string): Promise<RequestToken | null> {
    const requestToken = this.#byToken.get(token);
    return requestToken ? copyRequestToken(requestToken) : null;
  }
  async transition(next: RequestToken, expectedVersion: number): Promise<boolean> {
    // No await between the read and the write: atomic on Node's single thread.
    const current = this.#byToken.get(next.token);
    if (!current || current.version !== expectedVersion) return false;
    this.#byToken.set(next.token, copyRequestToken({ ...next, version: expectedVersion + 1 }));
    this.#keepWaiting(next);
    return true;
  }
  async countOutstanding(consumerKey: string, now: number, atMost: number): Promise<number> {
    let count = 0;
    for (const token of this.#waitingByApp.get(consumerKey) ?? []) {
      if (count >= atMost) break;
      if (isOutstanding(this.#byToken.get(token) as RequestToken, now)) count++;
    }
    return count;
  }
  /** Files the token among its app's waiting ones, or takes it out once answered, exchanged or gone. */
  #keepWaiting(requestToken: RequestToken, gone = false): void {
    const { consumerKey, token, state } = requestToken;
    const waiting = this.#waitingByApp.get(consumerKey);
    if (!gone && isWaiting(state.status)) {
      if (waiting) waiting.add(token);
      else this.#waitingByApp.set(consumerKey, new Set([token]));
    } else if (waiting?.delete(token) && waiting.size === 0) {
      this.#waitingByApp.delete(consumerKey);
    }
  }
  async getTombstone(token: string): Promise<RequestTokenTombstone | null> {
    const tombstone = this.#tombstones.get(tombstoneKey(token));
    return tombstone ? { ...tombstone } : null;
  }
  async deleteTombstones(before: number): Promise<number> {
    let deleted = 0;
    for (const [key, tombstone] of this.#tombstones) {
      if (tombstone.expiresAt < before) {
        this.#tombstones.delete(key);
        deleted++;
      }
    }
    return deleted;
  }
  async deleteExpired(before: number): Promise<number> {
    let deleted = 0;
    for (const [token, rt] of this.#byToken) {
      if (rt.expiresAt < before) {
        this.#tombstones.set(tombstoneKey(token), {
          consumerKey: rt.consumerKey,
          status: tombstoneStatus(rt.state.status),
          expiresAt: rt.expiresAt,
        });
        this.#byToken.delete(token);
        this.#keepWaiting(rt, true);
        deleted++;
      }
    }
    return deleted;
  }
}

export class MemoryAccessTokenStore implements AccessTokenStore {
  readonly #byToken = new Map<string, AccessToken>();

  async create(accessToken: AccessToken): Promise<void> {
    if (this.#byToken.has(accessToken.token)) throw new Error('access token already exists');
    if (accessToken.revokedAt === null) {
      for (const t of this.#byToken.values()) {
        if (
          t.revokedAt === null &&
          t.consumerKey === accessToken.consumerKey &&
          t.userId === accessToken.userId &&
          t.accessLevel === accessToken.accessLevel
        ) {
          throw new Error('a live access token already exists for this app, user and access level');
        }
      }
    }
    this.#byToken.set(accessToken.token, copyAccessToken(accessToken));
  }
  async get(token: string): Promise<AccessToken | null> {
    const accessToken = this.#byToken.get(token);
    return accessToken ? copyAccessToken(accessToken) : null;
  }
  async findActive(
    consumerKey: string,
    userId: string,
    accessLevel: AccessLevel,
  ): Promise<AccessToken | null> {
    let found: AccessToken | null = null;
    for (const t of this.#byToken.values()) {
      if (
        t.revokedAt === null &&
        t.consumerKey === consumerKey &&
        t.userId === userId &&
        t.accessLevel === accessLevel &&
        (found === null || t.createdAt < found.createdAt)
      ) {
        found = t;
      }
    }
    return found ? copyAccessToken(found) : null;
  }
  async revoke(token: string, at: number): Promise<boolean> {
    const t = this.#byToken.get(token);
    if (!t || t.revokedAt !== null) return false;
    this.#byToken.set(token, { ...t, revokedAt: at });
    return true;
  }
  async revokeAllFor(consumerKey: string, userId: string, at: number): Promise<number> {
    let revoked = 0;
    for (const [token, t] of this.#byToken) {
      if (t.revokedAt === null && t.consumerKey === consumerKey && t.userId === userId) {
        this.#byToken.set(token, { ...t, revokedAt: at });
        revoked++;
      }
    }
    return revoked;
  }
  async listActiveForUser(userId: string): Promise<AccessToken[]> {
    return [...this.#byToken.values()]
      .filter((t) => t.revokedAt === null && t.userId === userId)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map(copyAccessToken);
  }
}

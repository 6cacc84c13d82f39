// In-memory implementation of the provider's stores, for unit tests and throw-away demos. Every value is
// copied on the way in and out, so callers cannot mutate stored state behind the store's back (a real
// database would not let them either), and the compare-and-set semantics match the SQL stores exactly.

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
} from '../provider/types.ts';

// Values are flat but for one array or one state object: a spread per level is a full copy, and far
// cheaper than structuredClone on the verification hot path.
const copyUser = (u: User): User => ({ ...u });
const copyConsumer = (c: Consumer): Consumer => ({ ...c, callbackUrls: [...c.callbackUrls] });
const copyRequestToken = (rt: RequestToken): RequestToken => ({ ...rt, state: { ...rt.state } });
const copyAccessToken = (at: AccessToken): AccessToken => ({ ...at });

class MemoryUserStore implements UserStore {
  readonly #byId = new Map<string, User>();

  async create(user: User): Promise<void> {
    if (this.#byId.has(user.id)) throw new Error(`user id already exists: ${user.id}`);
    for (const u of this.#byId.values()) {
      if (u.username === user.username) throw new Error(`username already exists: ${user.username}`);
    }
    this.#byId.set(user.id, copyUser(user));
  }
  async getById(id: string): Promise<User | null> {
    const user = this.#byId.get(id);
    return user ? copyUser(user) : null;
  }
  async getByUsername(username: string): Promise<User | null> {
    for (const u of this.#byId.values()) if (u.username === username) return copyUser(u);
    return null;
  }
  async list(): Promise<User[]> {
    return [...this.#byId.values()].sort((a, b) => a.createdAt - b.createdAt).map(copyUser);
  }
  async count(): Promise<number> {
    return this.#byId.size;
  }
}

class MemoryConsumerStore implements ConsumerStore {
  readonly #byKey = new Map<string, Consumer>();

  async create(consumer: Consumer): Promise<void> {
    if (this.#byKey.has(consumer.key)) throw new Error(`consumer key already exists: ${consumer.key}`);
    this.#byKey.set(consumer.key, copyConsumer(consumer));
  }
  async get(key: string): Promise<Consumer | null> {
    const consumer = this.#byKey.get(key);
    return consumer ? copyConsumer(consumer) : null;
  }
  async list(): Promise<Consumer[]> {
    return [...this.#byKey.values()].sort((a, b) => a.createdAt - b.createdAt).map(copyConsumer);
  }
  async update(consumer: Consumer): Promise<void> {
    if (!this.#byKey.has(consumer.key)) throw new Error(`no such consumer: ${consumer.key}`);
    this.#byKey.set(consumer.key, copyConsumer(consumer));
  }
  async delete(key: string): Promise<void> {
    this.#byKey.delete(key);
  }
}

class MemoryRequestTokenStore implements RequestTokenStore {
  readonly #byToken = new Map<string, RequestToken>();

  async create(requestToken: RequestToken): Promise<void> {
    if (this.#byToken.has(requestToken.token)) throw new Error('request token already exists');
    this.#byToken.set(requestToken.token, copyRequestToken(requestToken));
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
    return true;
  }
  async deleteExpired(before: number): Promise<number> {
    let deleted = 0;
    for (const [token, rt] of this.#byToken) {
      if (rt.expiresAt < before) {
        this.#byToken.delete(token);
        deleted++;
      }
    }
    return deleted;
  }
}

class MemoryAccessTokenStore implements AccessTokenStore {
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

class MemoryNonceStore implements NonceStore {
  readonly #expiresAt = new Map<string, number>();

  async claim(key: string, expiresAt: number): Promise<boolean> {
    if (this.#expiresAt.has(key)) return false;
    this.#expiresAt.set(key, expiresAt);
    return true;
  }
  async deleteExpired(before: number): Promise<number> {
    let deleted = 0;
    for (const [key, expiresAt] of this.#expiresAt) {
      if (expiresAt < before) {
        this.#expiresAt.delete(key);
        deleted++;
      }
    }
    return deleted;
  }
}

export function createMemoryStores(): Stores {
  return {
    users: new MemoryUserStore(),
    consumers: new MemoryConsumerStore(),
    requestTokens: new MemoryRequestTokenStore(),
    accessTokens: new MemoryAccessTokenStore(),
    nonces: new MemoryNonceStore(),
    close: async () => {},
  };
}

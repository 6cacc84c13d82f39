// Every verified request reads its consumer, its access token and (verify_credentials) its user: three
// database lookups that were half of a verified request's cost. This layer keeps what those lookups
// answered in memory, bounded (oldest first out) and for a short time only, above the
// stores (so a secret the store keeps encrypted is held decrypted here, in this process's memory, never
// written anywhere). Every write through it that could change what verification decides — an app changed,
// disabled or deleted (its secret, its access level), a token revoked, a user changed or deleted — is
// published on the revocation bus, and every instance's cache drops the entry on that event: at once in
// this process, within the bus's delivery time (milliseconds) on the others. The TTL is the safety net for
// what the bus cannot carry: a write by another process on a shared SQLite file (the bus is in-process
// there), an event lost while Redis or PostgreSQL was unreachable. It is short enough that such a change
// still takes effect within a second.

import type {
  AccessToken,
  AccessTokenStore,
  Consumer,
  ConsumerStore,
  User,
  UserStore,
} from '../provider/types.ts';
import { OldestFirstMap } from './oldest-first-map.ts';
import type { RevocationBus, RevocationEvent, TripodStores } from './types.ts';

export interface VerificationCacheOptions {
  /** Entries kept per kind (consumers, access tokens, users). Default 10,000. */
  maxEntries?: number;
  /** Apps whose keys are kept, to refuse made-up keys without a lookup; past it, every key is looked up. Default 100,000. */
  maxKnownKeys?: number;
  /** How long an entry may be answered without asking the store again (ms). Default 1,000. */
  ttlMs?: number;
  /** Milliseconds since the epoch (tests pin it). */
  now?: () => number;
}

export const VERIFICATION_CACHE_DEFAULTS = {
  maxEntries: 10_000,
  maxKnownKeys: 100_000,
  ttlMs: 1000,
} as const;

interface Entry<V> {
  /** The answer, as the settled promise every hit hands out (no allocation per hit). */
  answer: Promise<V>;
  value: V;
  expiresAt: number;
}

/**
 * A bounded, expiring map in front of one lookup. Eviction takes the oldest entry: with every entry
 * answered for a second at most, oldest-first keeps what is in use as well as least-recently-used would,
 * without reordering the map on every hit. A lookup that started before an invalidation does not put its
 * (possibly stale) answer in the cache: every invalidation moves the generation on. Misses of one key
 * while its lookup runs share that lookup: when a busy app's entry expired, every request of the next few
 * milliseconds asked the database again (about 17 queries a second per kind at 3,600 requests a second on
 * PostgreSQL, BENCHMARKS.md); a lookup started before an invalidation is not shared after it.
 */
class LookupCache<V> {
  readonly #entries = new OldestFirstMap<Entry<V>>();
  readonly #loading = new Map<string, { generation: number; startedAt: number; answer: Promise<V> }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #generation = 0;

  constructor(maxEntries: number, ttlMs: number, now: () => number) {
    this.#maxEntries = maxEntries;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  get(key: string, load: (key: string) => Promise<V>): Promise<V> {
    const entry = this.#entries.get(key);
    const now = this.#now();
    if (entry !== undefined) {
      if (entry.expiresAt > now) return entry.answer;
      this.#entries.delete(key);
    }
    // Shared while it is as fresh as an entry would be: a lookup stuck in the store holds others back for
    // a TTL at most, and then they ask again.
    const running = this.#loading.get(key);
    if (running?.generation === this.#generation && now - running.startedAt < this.#ttlMs)
      return running.answer;
    const generation = this.#generation;
    const answer = this.#load(key, load, now, generation);
    this.#loading.set(key, { generation, startedAt: now, answer });
    const done = () => {
      if (this.#loading.get(key)?.answer === answer) this.#loading.delete(key);
    };
    answer.then(done, done);
    return answer;
  }

  async #load(key: string, load: (key: string) => Promise<V>, now: number, generation: number): Promise<V> {
    const value = await load(key);
    if (generation === this.#generation) {
      if (this.#entries.size >= this.#maxEntries) this.#entries.deleteOldest();
      this.#entries.set(key, { answer: Promise.resolve(value), value, expiresAt: now + this.#ttlMs });
    }
    return value;
  }

  forget(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
  }

  /** Forgets every entry whose value matches (a rare event: a scan of at most maxEntries). */
  forgetWhere(matches: (value: V) => boolean): void {
    this.#generation++;
    this.#entries.deleteWhere((entry) => matches(entry.value));
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * The keys of the registered apps, so that a key no app has (a flood of made-up keys: keys are public, and
 * anyone can invent more) is answered without asking the store, and without pushing real apps out of the
 * cache. Changes made through this process arrive on the bus; those made elsewhere (another instance, a
 * `tripod-server app add` on the same file) are found by reloading the list when a key is not in it and the
 * list is older than the TTL: a new app is known within the same second as every other change. Past
 * `maxKeys` apps it steps aside and every key is looked up.
 */
class KnownKeys {
  readonly #maxKeys: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #keys: Set<string> | null = null;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<void> | null = null;
  /** Keys announced while a reload was running: its list may predate them. */
  #announced: string[] = [];

  constructor(maxKeys: number, ttlMs: number, now: () => number) {
    this.#maxKeys = maxKeys;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** Whether `key` is an app's as far as this list knows (the common case, answered at once). */
  has(key: string): boolean {
    return this.#keys?.has(key) ?? false;
  }

  /** Whether `key` is surely no app's (false when in doubt: then the store is asked); `load` lists keys. */
  async unknown(key: string, load: (limit: number) => Promise<string[]>): Promise<boolean> {
    if (this.#keys?.has(key)) return false;
    if (this.#now() - this.#loadedAt >= this.#ttlMs) await this.#reload(load);
    return this.#keys !== null && !this.#keys.has(key);
  }

  /** An app was created, changed or deleted: its key may exist (the store then says). */
  announce(key: string): void {
    this.#keys?.add(key);
    if (this.#loading !== null) this.#announced.push(key);
  }

  #reload(load: (limit: number) => Promise<string[]>): Promise<void> {
    this.#loading ??= (async () => {
      const startedAt = this.#now();
      try {
        const keys = await load(this.#maxKeys + 1);
        this.#keys = keys.length > this.#maxKeys ? null : new Set([...keys, ...this.#announced]);
      } catch {
        this.#keys = null; // the store's own lookups will say what is wrong
      }
      this.#loadedAt = startedAt;
      this.#announced = [];
      this.#loading = null;
    })();
    return this.#loading;
  }
}

/**
 * An object answering every method of `store` on `store` itself (class stores keep their state in private
 * fields), whose methods can then be replaced one by one.
 */
function delegateTo<S extends object>(store: S): S {
  const delegate: Record<string, unknown> = {};
  for (
    let level = store;
    level !== Object.prototype && level !== null;
    level = Object.getPrototypeOf(level)
  ) {
    for (const name of Object.getOwnPropertyNames(level)) {
      const value = (store as Record<string, unknown>)[name];
      if (name !== 'constructor' && !(name in delegate) && typeof value === 'function') {
        delegate[name] = value.bind(store);
      }
    }
  }
  return delegate as S;
}

/** Sizes of the three caches, for tests and a metric. */
export interface VerificationCacheSizes {
  consumers: number;
  accessTokens: number;
  users: number;
}

/** The three caches and the known keys: one set per opened bundle, whatever layer is put below it. */
interface Caches {
  consumers: LookupCache<Consumer | null>;
  accessTokens: LookupCache<AccessToken | null>;
  users: LookupCache<User | null>;
  knownKeys: KnownKeys | null;
}

/** Where a cached bundle keeps how to rebuild itself over another layer (`belowVerificationCache`). */
const REBUILD = Symbol('the verification cache over another layer');

type CachedStores = TripodStores & {
  verificationCacheSizes(): VerificationCacheSizes;
  [REBUILD]: (wrap: (below: TripodStores) => TripodStores) => CachedStores;
};

/**
 * The stores with consumer, access-token and user reads cached and every write that matters to them
 * published on `stores.revocations`. Everything else is the stores' own.
 */
export function withVerificationCache(
  stores: TripodStores,
  options: VerificationCacheOptions = {},
): TripodStores & { verificationCacheSizes(): VerificationCacheSizes } {
  const maxEntries = options.maxEntries ?? VERIFICATION_CACHE_DEFAULTS.maxEntries;
  const ttlMs = options.ttlMs ?? VERIFICATION_CACHE_DEFAULTS.ttlMs;
  const now = options.now ?? Date.now;
  const caches: Caches = {
    consumers: new LookupCache(maxEntries, ttlMs, now),
    accessTokens: new LookupCache(maxEntries, ttlMs, now),
    users: new LookupCache(maxEntries, ttlMs, now),
    knownKeys: stores.consumers.keys
      ? new KnownKeys(options.maxKnownKeys ?? VERIFICATION_CACHE_DEFAULTS.maxKnownKeys, ttlMs, now)
      : null,
  };

  stores.revocations.subscribe((event: RevocationEvent) => {
    switch (event.kind) {
      case 'consumer-changed':
        caches.knownKeys?.announce(event.consumerKey);
        caches.consumers.forget(event.consumerKey);
        break;
      case 'access-token-revoked':
        caches.accessTokens.forget(event.token);
        break;
      case 'access-tokens-revoked':
        caches.accessTokens.forgetWhere(
          (token) =>
            token !== null && token.consumerKey === event.consumerKey && token.userId === event.userId,
        );
        break;
      case 'user-changed':
        caches.users.forget(event.userId);
        break;
    }
  });
  return cachedOver(stores, caches);
}

/**
 * `stores` with `wrap` put below its verification cache, the cache itself shared (the same entries, the
 * same invalidation); without a cache, `wrap(stores)`. For what must see the store's own calls and not the
 * cache's answers: timing a store operation (store-metrics.ts) times the database, not a hit.
 */
export function belowVerificationCache(
  stores: TripodStores,
  wrap: (below: TripodStores) => TripodStores,
): TripodStores {
  const rebuild = (stores as Partial<CachedStores>)[REBUILD];
  return rebuild === undefined ? wrap(stores) : rebuild(wrap);
}

/** The cached bundle reading through `stores` (the opened ones, or a layer over them). */
function cachedOver(stores: TripodStores, caches: Caches): CachedStores {
  const bus: RevocationBus = stores.revocations;
  const { consumers, accessTokens, users } = stores;

  const cachedConsumers: ConsumerStore = delegateTo(consumers);
  const consumerGet = (key: string) => consumers.get(key);
  const listKeys = (limit: number) => consumers.keys?.(limit) ?? Promise.resolve([]);
  const lookUpKnown = (key: string) => caches.consumers.get(key, consumerGet);
  const { knownKeys } = caches;
  cachedConsumers.get = (key) =>
    knownKeys === null || knownKeys.has(key)
      ? lookUpKnown(key)
      : knownKeys.unknown(key, listKeys).then((unknown) => (unknown ? null : lookUpKnown(key)));
  // A key may have been looked up (and found unknown) before the app existed.
  cachedConsumers.create = async (consumer) => {
    await consumers.create(consumer);
    await bus.publish({ kind: 'consumer-changed', consumerKey: consumer.key });
  };
  cachedConsumers.update = async (consumer) => {
    await consumers.update(consumer);
    await bus.publish({ kind: 'consumer-changed', consumerKey: consumer.key });
  };
  cachedConsumers.delete = async (key) => {
    await consumers.delete(key);
    await bus.publish({ kind: 'consumer-changed', consumerKey: key });
  };

  const cachedTokens: AccessTokenStore = delegateTo(accessTokens);
  const tokenGet = (token: string) => accessTokens.get(token);
  cachedTokens.get = (token) => caches.accessTokens.get(token, tokenGet);
  cachedTokens.revoke = async (token, at) => {
    const revoked = await accessTokens.revoke(token, at);
    await bus.publish({ kind: 'access-token-revoked', token });
    return revoked;
  };
  cachedTokens.revokeAllFor = async (consumerKey, userId, at) => {
    const revoked = await accessTokens.revokeAllFor(consumerKey, userId, at);
    await bus.publish({ kind: 'access-tokens-revoked', consumerKey, userId });
    return revoked;
  };

  const cachedUsers: UserStore = delegateTo(users);
  const userGet = (id: string) => users.getById(id);
  cachedUsers.getById = (id) => caches.users.get(id, userGet);
  const publishingUserWrite =
    <A extends unknown[]>(write: (id: string, ...rest: A) => Promise<boolean>) =>
    async (id: string, ...rest: A) => {
      const changed = await write.call(users, id, ...rest);
      await bus.publish({ kind: 'user-changed', userId: id });
      return changed;
    };
  cachedUsers.updatePassword = publishingUserWrite(users.updatePassword);
  cachedUsers.setDisabled = publishingUserWrite(users.setDisabled);
  cachedUsers.setOperator = publishingUserWrite(users.setOperator);
  cachedUsers.setEmail = publishingUserWrite(users.setEmail);
  cachedUsers.delete = publishingUserWrite(users.delete);

  // Inheriting the rest (the revocation bus, ping, close), as a layer below it may itself.
  return Object.assign(Object.create(stores) as TripodStores, {
    consumers: cachedConsumers,
    accessTokens: cachedTokens,
    users: cachedUsers,
    verificationCacheSizes: () => ({
      consumers: caches.consumers.size,
      accessTokens: caches.accessTokens.size,
      users: caches.users.size,
    }),
    [REBUILD]: (wrap: (below: TripodStores) => TripodStores) => cachedOver(wrap(stores), caches),
  });
}

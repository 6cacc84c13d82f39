// The nonces most recently claimed, in memory, in front of a nonce store that decides every first use
// (PostgreSQL, Redis, and the SQLite file by default). A replay comes right after its request, and is
// refused here without asking the store: a refusal must cost no more than an acceptance, and a replay the
// store refused cost a claim's round trip or commit and then a refusal's answer (0.82x an acceptance's
// requests per CPU-second over sockets, without this layer; BENCHMARKS.md).
//
// Remembering can never refuse a first use: a key is refused only when this very key is held. Each key
// has one place in a fixed table (by a hash of the key); a newer key landing on the same place takes it,
// and the older one is then the store's to refuse. So every claim costs a hash and one comparison, and
// nothing is allocated. The oldest-first map this replaced (10,000 entries) cost accepted requests 5-9 % of
// their rate over sockets (BENCHMARKS.md, 2026-12-01): its entries and its table churned the old
// generation of V8's heap, and four map operations a claim.

import type { ExpiringNonceStore } from '../provider/types.ts';

export interface RecentNoncesOptions {
  /** Places in the table (rounded up to a power of two). Default 16,384: about a second at 16,000 claims a second. */
  places?: number;
}

export const RECENT_NONCES_DEFAULTS = { places: 16_384 } as const;

export class RecentNonces implements ExpiringNonceStore {
  readonly #store: ExpiringNonceStore;
  readonly #mask: number;
  readonly #keys: (string | undefined)[];
  /** Each held key's expiry (ms): the store's purge forgets it here too, so it may be claimed again. */
  readonly #expiries: Float64Array;
  #closed = false;

  constructor(store: ExpiringNonceStore, options: RecentNoncesOptions = {}) {
    this.#store = store;
    const wanted = Math.max(1, options.places ?? RECENT_NONCES_DEFAULTS.places);
    const places = 2 ** Math.ceil(Math.log2(wanted));
    this.#mask = places - 1;
    this.#keys = new Array<string | undefined>(places).fill(undefined);
    this.#expiries = new Float64Array(places);
  }

  async claim(key: string, expiresAt: number, now?: number): Promise<boolean> {
    if (this.#closed) throw new Error('the nonce store is closed');
    const place = placeOf(key) & this.#mask;
    if (this.#keys[place] === key) return false;
    const claimed = await this.#store.claim(key, expiresAt, now);
    // Claimed now or before: used either way.
    this.#keys[place] = key;
    this.#expiries[place] = expiresAt;
    return claimed;
  }

  /** The server's purge (every few minutes): forgets what expired here as the store does. */
  async deleteExpired(before: number): Promise<number> {
    for (let place = 0; place <= this.#mask; place++) {
      if (this.#keys[place] !== undefined && this.#expiries[place]! < before) this.#keys[place] = undefined;
    }
    return this.#store.deleteExpired(before);
  }

  size(now: number): Promise<number> {
    return this.#store.size(now);
  }

  /** Claims fail from then on. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Keys held (for tests). */
  get remembered(): number {
    let held = 0;
    for (const key of this.#keys) if (key !== undefined) held++;
    return held;
  }
}

/**
 * FNV-1a over the key's last code units. The keys end in a digest (nonceKey: the timestamp, then 22
 * characters of base64url, whose bits are spread already), so its last eight characters (48 bits) place a
 * key as well as the whole of it, at a quarter of the cost (the whole key was 1,300 instructions a request).
 */
const HASHED_TAIL = 8;
function placeOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, key.length - HASHED_TAIL); i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

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
//
// A key is held as its bytes in one typed array, not as the string: a string held for the second or so a
// place keeps it outlives two young-generation collections, is promoted, and dies in the old generation,
// which then needs a mark-compact (15-38 ms of a stopped event loop on one core) every few seconds. The
// held strings were two thirds of what the server promoted under load (BENCHMARKS.md, 2026-12-03). A key
// too long for its place, or with a character outside Latin-1, is not held: the store decides it.

import type { ExpiringNonceStore } from '../provider/types.ts';

export interface RecentNoncesOptions {
  /** Places in the table (rounded up to a power of two). Default 16,384: about a second at 16,000 claims a second. */
  places?: number;
}

export const RECENT_NONCES_DEFAULTS = { places: 16_384 } as const;

/** Room for a key in its place: the provider's keys (nonceKey) are 33 characters. */
export const HELD_KEY_BYTES = 48;

export class RecentNonces implements ExpiringNonceStore {
  readonly #store: ExpiringNonceStore;
  readonly #mask: number;
  /** Each place's key, one character a byte, HELD_KEY_BYTES a place. */
  readonly #bytes: Uint8Array;
  /** Each place's key length; 0: the place holds nothing. */
  readonly #lengths: Uint8Array;
  /** Each held key's expiry (ms): the store's purge forgets it here too, so it may be claimed again. */
  readonly #expiries: Float64Array;
  #closed = false;

  constructor(store: ExpiringNonceStore, options: RecentNoncesOptions = {}) {
    this.#store = store;
    const wanted = Math.max(1, options.places ?? RECENT_NONCES_DEFAULTS.places);
    const places = 2 ** Math.ceil(Math.log2(wanted));
    this.#mask = places - 1;
    this.#bytes = new Uint8Array(places * HELD_KEY_BYTES);
    this.#lengths = new Uint8Array(places);
    this.#expiries = new Float64Array(places);
  }

  async claim(key: string, expiresAt: number, now?: number): Promise<boolean> {
    if (this.#closed) throw new Error('the nonce store is closed');
    const place = placeOf(key) & this.#mask;
    if (this.#holds(place, key)) return false;
    const claimed = await this.#store.claim(key, expiresAt, now);
    // Claimed now or before: used either way.
    this.#hold(place, key, expiresAt);
    return claimed;
  }

  /** A key held here: claimed already, known without asking the store (decideAuthentic's replay check). */
  knownClaimed(key: string): boolean {
    return !this.#closed && this.#holds(placeOf(key) & this.#mask, key);
  }

  /** The server's purge (every few minutes): forgets what expired here as the store does. */
  async deleteExpired(before: number): Promise<number> {
    for (let place = 0; place <= this.#mask; place++) {
      if (this.#lengths[place] !== 0 && this.#expiries[place]! < before) this.#lengths[place] = 0;
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
    for (const length of this.#lengths) if (length !== 0) held++;
    return held;
  }

  #holds(place: number, key: string): boolean {
    const length = key.length;
    // An empty place has length 0: an empty key is never held.
    if (length === 0 || this.#lengths[place] !== length) return false;
    const bytes = this.#bytes;
    const at = place * HELD_KEY_BYTES;
    for (let i = 0; i < length; i++) if (bytes[at + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** The place now holds `key`, or nothing when `key` cannot be held: a newer key takes its place either way. */
  #hold(place: number, key: string, expiresAt: number): void {
    const length = key.length;
    this.#lengths[place] = 0;
    if (length === 0 || length > HELD_KEY_BYTES) return;
    const bytes = this.#bytes;
    const at = place * HELD_KEY_BYTES;
    for (let i = 0; i < length; i++) {
      const code = key.charCodeAt(i);
      if (code > 0xff) return;
      bytes[at + i] = code;
    }
    this.#lengths[place] = length;
    this.#expiries[place] = expiresAt;
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

// Nonces in memory: a key is claimed once until it expires and is purged.

import type { ExpiringNonceStore } from '../../provider/types.ts';

export class MemoryNonceStore implements ExpiringNonceStore {
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
  async size(now: number): Promise<number> {
    let live = 0;
    for (const expiresAt of this.#expiresAt.values()) if (expiresAt >= now) live++;
    return live;
  }
}

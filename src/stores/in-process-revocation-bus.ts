// Revocation events within one process: enough for one instance (memory, SQLite). The Redis and
// PostgreSQL buses deliver through this one on their own instance and relay to the others.

import type { RevocationBus, RevocationEvent } from './types.ts';

export class InProcessRevocationBus implements RevocationBus {
  readonly #listeners = new Set<(event: RevocationEvent) => void>();

  async publish(event: RevocationEvent): Promise<void> {
    this.deliver(event);
  }

  /** Hands an event to this process's subscribers; one that throws does not stop the others. */
  deliver(event: RevocationEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A subscriber's bug must not keep the event from the others.
      }
    }
  }

  subscribe(listener: (event: RevocationEvent) => void): () => void {
    const own = (event: RevocationEvent) => listener(event);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }
}

// Group commit for nonce claims. Every verified request claims one nonce, and on SQLite each write is a
// commit (a WAL append and a wal-index update) that costs far more than the insert itself. Claims made
// while the event loop handles one batch of I/O are queued and written together in one transaction at
// the next `setImmediate`, so under concurrent load the commit cost is shared; a lone request waits only
// for the rest of the current loop turn. Each claim still learns its own answer from its own
// `INSERT … ON CONFLICT DO NOTHING` (1 row changed: first sighting; 0: replay), in arrival order, so two
// claims of the same key in one batch resolve as first-wins, exactly as without batching.

import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledStatement } from './compiled-statements.ts';

interface PendingClaim {
  key: string;
  expiresAt: number;
  resolve(claimed: boolean): void;
  reject(error: unknown): void;
}

export class BatchedNonceClaims {
  readonly #writeBatch: (batch: readonly PendingClaim[]) => boolean[];
  #pending: PendingClaim[] = [];
  #scheduled: NodeJS.Immediate | null = null;

  constructor(sqlite: BetterSqlite3.Database, insert: CompiledStatement<unknown>) {
    this.#writeBatch = sqlite.transaction((batch: readonly PendingClaim[]) =>
      batch.map((claim) => insert.run({ key: claim.key, expires_at: claim.expiresAt }) === 1),
    );
  }

  claim(key: string, expiresAt: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ key, expiresAt, resolve, reject });
      this.#scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Writes every queued claim now (also called before the database closes). */
  flush(): void {
    if (this.#scheduled !== null) {
      clearImmediate(this.#scheduled);
      this.#scheduled = null;
    }
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    let results: boolean[];
    try {
      results = this.#writeBatch(batch);
    } catch (error) {
      // The transaction rolled back: no claim in it was recorded, so none may pass.
      for (const claim of batch) claim.reject(error);
      return;
    }
    batch.forEach((claim, i) => {
      claim.resolve(results[i] as boolean);
    });
  }
}

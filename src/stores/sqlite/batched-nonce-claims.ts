// Group commit for nonce claims. Every verified request claims one nonce, and on SQLite each write is a
// commit (a WAL append and a wal-index update) that costs far more than the insert itself. The first
// claim of an event-loop turn is written at once (a lone request waits for nothing); claims that arrive
// later in the same turn — concurrent requests — are queued and written together in one transaction at
// `setImmediate`, so under load the commit cost is shared. Each claim still learns its own answer from
// its own `INSERT … ON CONFLICT DO NOTHING` (1 row changed: first sighting; 0: replay), in arrival order,
// so two claims of one key resolve first-wins, exactly as without batching.

import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledStatement } from './compiled-statements.ts';

interface PendingClaim {
  key: string;
  expiresAt: number;
  resolve(claimed: boolean): void;
  reject(error: unknown): void;
}

export class BatchedNonceClaims {
  readonly #insert: CompiledStatement<unknown>;
  readonly #writeBatch: (batch: readonly PendingClaim[]) => boolean[];
  #pending: PendingClaim[] = [];
  /** Set while a turn is open: claims queue until it flushes. */
  #scheduled: NodeJS.Immediate | null = null;

  constructor(sqlite: BetterSqlite3.Database, insert: CompiledStatement<unknown>) {
    this.#insert = insert;
    this.#writeBatch = sqlite.transaction((batch: readonly PendingClaim[]) =>
      batch.map((claim) => this.#insertOne(claim.key, claim.expiresAt)),
    );
  }

  #insertOne(key: string, expiresAt: number): boolean {
    return this.#insert.run({ key, expires_at: expiresAt }) === 1;
  }

  claim(key: string, expiresAt: number): Promise<boolean> {
    if (this.#scheduled === null) {
      // First claim of this turn: write it now, and open a batch for any that follow in the same turn.
      this.#scheduled = setImmediate(() => this.flush());
      try {
        return Promise.resolve(this.#insertOne(key, expiresAt));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ key, expiresAt, resolve, reject });
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
      // A batch of one is one autocommitted statement: no BEGIN/COMMIT around it.
      results =
        batch.length === 1 ? [this.#insertOne(batch[0]!.key, batch[0]!.expiresAt)] : this.#writeBatch(batch);
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

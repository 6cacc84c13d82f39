// Group commit for SQLite writes that come with every request (nonce claims). On SQLite each write is a
// commit (a WAL append and a wal-index update) that costs far more than the insert itself. The first
// write of an event-loop turn runs at once (a lone request waits for nothing); writes that arrive later
// in the same turn — concurrent requests — are queued and run together in one transaction at
// `setImmediate`, so under load the commit cost is shared. Each write still learns its own result (rows
// changed by its own `INSERT … ON CONFLICT DO NOTHING`: 1 first sighting, 0 replay), in arrival order, so
// two claims of one key resolve first-wins, exactly as without batching.

import type { Values } from '../sql/statements.ts';

interface PendingWrite {
  values: Values;
  resolve(changes: number): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  readonly #runOne: (values: Values) => number;
  readonly #runBatch: (batch: readonly Values[]) => number[];
  #pending: PendingWrite[] = [];
  /** Set while a turn is open: writes queue until it flushes. */
  #scheduled: NodeJS.Immediate | null = null;

  /** `runBatch` runs every write in one transaction (all or none). */
  constructor(runOne: (values: Values) => number, runBatch: (batch: readonly Values[]) => number[]) {
    this.#runOne = runOne;
    this.#runBatch = runBatch;
  }

  run(values: Values): Promise<number> {
    if (this.#scheduled === null) {
      // First write of this turn: run it now, and open a batch for any that follow in the same turn.
      this.#scheduled = setImmediate(() => this.flush());
      try {
        return Promise.resolve(this.#runOne(values));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ values, resolve, reject });
    });
  }

  /** Runs every queued write now (also called before the database closes). */
  flush(): void {
    if (this.#scheduled !== null) {
      clearImmediate(this.#scheduled);
      this.#scheduled = null;
    }
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    let results: number[];
    try {
      // A batch of one is one autocommitted statement: no BEGIN/COMMIT around it.
      results =
        batch.length === 1 ? [this.#runOne(batch[0]!.values)] : this.#runBatch(batch.map((w) => w.values));
    } catch (error) {
      // The transaction rolled back: no write in it was recorded, so none may pass.
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, i) => {
      write.resolve(results[i] as number);
    });
  }
}

// Group commit for SQLite writes that come with every request (nonce claims). On SQLite each write is a
// commit (a WAL append and a wal-index update) that costs far more than the insert itself. The writes of
// one event-loop turn — concurrent requests — are queued and run together in one transaction at
// `setImmediate`, in the same loop iteration (a lone request waits only for the rest of its turn), so under
// load the commit cost is shared. The first write of a turn used to run at once, alone: a second commit
// every turn, of pages the turn's batch wrote again (about 1 µs of CPU a claim in batches of 42,
// BENCHMARKS.md). Each write still learns its own result (rows changed by its own `INSERT … ON CONFLICT DO
// NOTHING`: 1 first sighting, 0 replay), in arrival order, so two claims of one key resolve first-wins,
// exactly as without batching.

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

  /**
   * `runOne` writes a turn's lone write (one autocommitted statement, no BEGIN/COMMIT around it);
   * `runBatch` runs a turn's several writes in one transaction (all or none).
   */
  constructor(runOne: (values: Values) => number, runBatch: (batch: readonly Values[]) => number[]) {
    this.#runOne = runOne;
    this.#runBatch = runBatch;
  }

  run(values: Values): Promise<number> {
    if (this.#scheduled === null) this.#scheduled = setImmediate(() => this.flush());
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

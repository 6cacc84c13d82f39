// Group commit for the SQLite writes that come with requests: nonce claims with every verified request,
// and on the PIN flow's endpoints the rate-limit count, the new request token and its transitions. On
// SQLite each write is a commit (a WAL append and a wal-index update) that costs far more than the write
// itself: alone, the rate-limit upsert and the token's write were half of a request_token's or an
// access_token's CPU (BENCHMARKS.md, 2026-12-03). The writes of one event-loop turn — concurrent
// requests, whatever statement each runs — are queued and run together in one transaction at
// `setImmediate`, in the same loop iteration (a lone request waits only for the rest of its turn), so under
// load the commit cost is shared. A turn's lone write runs alone, autocommitted: a second commit every turn
// was about 1 µs of CPU a claim in batches of 42 (BENCHMARKS.md).
//
// Each write still learns its own result (rows changed, or the row its `RETURNING` gave), in arrival
// order, each seeing the ones before it: two claims of one key resolve first-wins, two hits of one
// rate-limit key count 1 then 2, exactly as without batching. A write that breaks a constraint fails alone,
// as it would have alone: SQLite backs out that statement and keeps the transaction. Any other failure (the
// disk, a lock not had in time, a commit refused) rolls the transaction back, and then none of its writes
// was recorded and every one of them is rejected.

interface PendingWrite {
  write: (values: unknown) => unknown;
  values: unknown;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** A write's result in its batch when it broke a constraint (made only then: a result is kept as it is). */
class Failed {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/** The database as the group commit needs it (better-sqlite3's `Database` is one). */
export interface GroupCommitDatabase {
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  readonly inTransaction: boolean;
}

/** SQLite's constraint failures (SQLITE_CONSTRAINT and its extended codes): a statement's own, not the transaction's. */
function brokeConstraint(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

export class GroupCommit {
  readonly #runBatch: (batch: readonly PendingWrite[]) => unknown[];
  #pending: PendingWrite[] = [];
  /** Set while a turn is open: writes queue until it flushes. */
  #scheduled: NodeJS.Immediate | null = null;

  constructor(database: GroupCommitDatabase) {
    this.#runBatch = database.transaction((batch: readonly PendingWrite[]) =>
      batch.map((pending) => {
        try {
          return pending.write(pending.values);
        } catch (error) {
          // Backed out alone, the transaction still open: the other writes go on. Anything else ends
          // the transaction (rolled back by SQLite, or by the rethrow): the whole batch fails.
          if (brokeConstraint(error) && database.inTransaction) return new Failed(error);
          throw error;
        }
      }),
    );
  }

  /** Queues `write(values)` for this turn's commit; resolves to what it returned. */
  run<V, T>(write: (values: V) => T, values: V): Promise<T> {
    if (this.#scheduled === null) this.#scheduled = setImmediate(() => this.flush());
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({
        write: write as (values: unknown) => unknown,
        values,
        resolve: resolve as (result: unknown) => void,
        reject,
      });
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
    let results: unknown[];
    try {
      // A batch of one is one autocommitted statement: no BEGIN/COMMIT around it.
      const lone = batch.length === 1 ? (batch[0] as PendingWrite) : null;
      results = lone !== null ? [lone.write(lone.values)] : this.#runBatch(batch);
    } catch (error) {
      // The transaction rolled back (or the lone write failed): no write in it was recorded, so none may pass.
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const pending = batch[i] as PendingWrite;
      const result = results[i];
      if (result instanceof Failed) pending.reject(result.error);
      else pending.resolve(result);
    }
  }
}

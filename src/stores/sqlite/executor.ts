// The SQLite executor: better-sqlite3 prepared statements, run synchronously (one thread, no pool), each
// wrapped in a settled promise so the stores are written once for both dialects. Flags are bound as 0/1.

import type BetterSqlite3 from 'better-sqlite3';
import {
  binder,
  type CompiledSql,
  type SqlExecutor,
  type Statement,
  type StatementRun,
  type Values,
} from '../sql/statements.ts';
import { GroupCommit } from './group-commit.ts';

/** SQLite binds no booleans. */
function toSqlite(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function settled<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error);
  }
}

export class SqliteExecutor implements SqlExecutor {
  readonly #sqlite: BetterSqlite3.Database;
  /** The synchronous write of each statement, for transactions. */
  readonly #runners = new WeakMap<Statement<unknown>, (values: Values) => number>();
  /** One per connection: a turn's group-committed writes, whatever their statements, share one commit. */
  readonly #groupCommit: GroupCommit;
  readonly #transaction: (runs: readonly StatementRun[]) => number[];
  readonly #dataVersion: BetterSqlite3.Statement;
  #lastDataVersion = -1;

  constructor(sqlite: BetterSqlite3.Database) {
    this.#sqlite = sqlite;
    this.#groupCommit = new GroupCommit(sqlite);
    this.#dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
    this.#transaction = sqlite.transaction((runs: readonly StatementRun[]) =>
      runs.map(({ statement, values }) => this.#runnerOf(statement)(values)),
    );
  }

  #runnerOf(statement: Statement<unknown>): (values: Values) => number {
    const runner = this.#runners.get(statement);
    if (!runner) throw new Error('a statement of another executor was run in a SQLite transaction');
    return runner;
  }

  prepare<Row>(compiled: CompiledSql<Row>, options: { groupCommit?: boolean } = {}): Statement<Row> {
    const prepared = this.#sqlite.prepare(compiled.sql);
    const bind = binder(compiled, toSqlite);
    const runOne = (values: Values) => Number(prepared.run(...bind(values)).changes);
    let get = (values: Values) => settled(() => prepared.get(...bind(values)) as Row | undefined);
    let run = (values: Values) => settled(() => runOne(values));
    if (options.groupCommit) {
      // A write with RETURNING is read with `get`: group-committed like `run`, it learns its row.
      const getOne = (values: Values) => prepared.get(...bind(values)) as Row | undefined;
      const group = this.#groupCommit;
      get = (values) => group.run(getOne, values);
      run = (values) => group.run(runOne, values);
    }
    const statement: Statement<Row> = {
      get,
      all: (values) => settled(() => prepared.all(...bind(values)) as Row[]),
      run,
    };
    this.#runners.set(statement as Statement<unknown>, runOne);
    return statement;
  }

  transaction(runs: readonly StatementRun[]): Promise<number[]> {
    return settled(() => this.#transaction(runs));
  }

  /**
   * Whether another connection (another process, or another handle of this one) committed to the file since
   * the last call: SQLite's data_version moves on for every commit but this connection's own.
   */
  othersWrote(): boolean {
    const version = this.#dataVersion.get() as number;
    const changed = version !== this.#lastDataVersion;
    this.#lastDataVersion = version;
    return changed;
  }

  async ping(): Promise<void> {
    this.#sqlite.prepare('select 1').get();
  }

  /** Writes still queued are written first, not lost. */
  async close(): Promise<void> {
    this.#groupCommit.flush();
    this.#sqlite.close();
  }
}

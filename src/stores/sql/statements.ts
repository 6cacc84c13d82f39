// Every query is written once with Kysely's builder (queries.ts) and compiled once per dialect when a
// store opens, with named placeholders standing in for the values; an executor (SQLite or PostgreSQL)
// turns each compiled query into a prepared statement and binds the values by name at run time. So the
// hot path (consumer, token, nonce) does no query building, no SQL compilation and no preparation per
// request, and no SQL text exists twice for two dialects.

import type { Compilable } from 'kysely';

const PLACEHOLDER = '\u0000tripod-param:';

/**
 * A named placeholder for a value supplied when the statement runs. Typed `never` so it fits any column;
 * binding checks that every value is supplied at run time.
 */
export function param(name: string): never {
  return `${PLACEHOLDER}${name}` as never;
}

/** The named values of one execution (a row object fits: its columns are the names). */
export type Values = object;

type Slot = { name: string } | { constant: unknown };

/** A query compiled for one dialect: its SQL and where each positional parameter's value comes from. */
export interface CompiledSql<Row> {
  /** Unique within a store; PostgreSQL uses it to name the prepared statement. */
  readonly name: string;
  readonly sql: string;
  readonly slots: readonly Slot[];
  /** Carries the row type only. */
  readonly row?: Row;
}

export function compileSql<Row>(name: string, query: Compilable<Row>): CompiledSql<Row> {
  const { sql, parameters } = query.compile();
  const slots = parameters.map(
    (p): Slot =>
      typeof p === 'string' && p.startsWith(PLACEHOLDER)
        ? { name: p.slice(PLACEHOLDER.length) }
        : { constant: p },
  );
  return { name, sql, slots };
}

/** A binder for one compiled query: named values → positional parameters, converted for the driver. */
export function binder(
  compiled: CompiledSql<unknown>,
  toDriver: (value: unknown) => unknown,
): (values: Values) => unknown[] {
  const slots = compiled.slots.map((slot) =>
    'constant' in slot ? { constant: toDriver(slot.constant) } : slot,
  );
  return (values) =>
    slots.map((slot) => {
      if ('constant' in slot) return slot.constant;
      if (!(slot.name in values)) {
        throw new Error(`missing value for SQL parameter ${slot.name} of ${compiled.name}`);
      }
      return toDriver((values as Record<string, unknown>)[slot.name]);
    });
}

/** A prepared statement of either dialect. */
export interface Statement<Row> {
  get(values: Values): Promise<Row | undefined>;
  all(values: Values): Promise<Row[]>;
  /** Runs a write; resolves to the number of rows changed. */
  run(values: Values): Promise<number>;
}

export interface StatementRun {
  statement: Statement<unknown>;
  values: Values;
}

/** What a SQL store needs from its database: prepared statements, a transaction, a ping and a close. */
export interface SqlExecutor {
  /**
   * Prepares the statement once. With `groupCommit`, writes that arrive together (through `run`, or `get`
   * for a write with RETURNING) may be committed in one transaction, each still learning its own result and
   * failing alone on a constraint it breaks; an executor without a commit cost ignores it.
   */
  prepare<Row>(compiled: CompiledSql<Row>, options?: { groupCommit?: boolean }): Statement<Row>;
  /** Runs the writes in order in one transaction: all or none. Resolves to the rows each changed. */
  transaction(runs: readonly StatementRun[]): Promise<number[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

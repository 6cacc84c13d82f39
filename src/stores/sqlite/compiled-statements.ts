// Kysely writes the SQL (portable, type-checked against the schema); better-sqlite3 runs it. Each query
// is built and compiled once when the store opens, with named placeholders standing in for values, and
// kept as a prepared statement: the hot path (consumer, token, nonce) does no query building, no SQL
// compilation and no statement preparation per request.

import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable } from 'kysely';

const PLACEHOLDER = '\u0000tripod-param:';

/**
 * A named placeholder for a value supplied when the statement runs. Typed `never` so it fits any column;
 * `compileStatement` checks that every value is supplied at run time.
 */
export function param(name: string): never {
  return `${PLACEHOLDER}${name}` as never;
}

/** The named values of one execution (a row object fits: its columns are the names). */
type Values = object;

export interface CompiledStatement<Row> {
  get(values: Values): Row | undefined;
  all(values: Values): Row[];
  /** Runs a write; returns the number of rows changed. */
  run(values: Values): number;
}

/** SQLite binds no booleans: flags travel as 0/1. */
function bindable(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

export function compileStatement<Row>(
  db: BetterSqlite3.Database,
  query: Compilable<unknown>,
): CompiledStatement<Row> {
  const { sql, parameters } = query.compile();
  const slots = parameters.map((p) =>
    typeof p === 'string' && p.startsWith(PLACEHOLDER)
      ? { name: p.slice(PLACEHOLDER.length) }
      : { constant: bindable(p) },
  );
  const bind = (values: Values): unknown[] =>
    slots.map((slot) => {
      if ('constant' in slot) return slot.constant;
      if (!(slot.name in values)) throw new Error(`missing value for SQL parameter ${slot.name}`);
      return bindable((values as Record<string, unknown>)[slot.name]);
    });
  const statement = db.prepare(sql);
  return {
    get: (values) => statement.get(...bind(values)) as Row | undefined,
    all: (values) => statement.all(...bind(values)) as Row[],
    run: (values) => Number(statement.run(...bind(values)).changes),
  };
}

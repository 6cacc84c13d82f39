// The PostgreSQL executor: a `pg` Pool and named prepared statements (the server parses and plans each
// query once per connection, then only binds values). Every failure to reach the server becomes a
// StoreUnavailableError; the pool opens fresh connections when the server is back.

import type pg from 'pg';
import { StoreUnavailableError } from '../errors.ts';
import {
  binder,
  type CompiledSql,
  type SqlExecutor,
  type Statement,
  type StatementRun,
  type Values,
} from '../sql/statements.ts';
import { unavailableOr } from './unavailable.ts';

interface PreparedQuery {
  name: string;
  text: string;
  bind(values: Values): unknown[];
}

export class PostgresExecutor implements SqlExecutor {
  readonly #pool: pg.Pool;
  readonly #queries = new WeakMap<Statement<unknown>, PreparedQuery>();

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  prepare<Row>(compiled: CompiledSql<Row>): Statement<Row> {
    const query: PreparedQuery = {
      // Statement names are per connection and at most 63 bytes.
      name: `tripod_${compiled.name}`.slice(0, 63),
      text: compiled.sql,
      bind: binder(compiled, (value) => value),
    };
    const execute = async (values: Values): Promise<pg.QueryResult> => {
      const config = { name: query.name, text: query.text, values: query.bind(values) };
      try {
        return await this.#pool.query(config);
      } catch (error) {
        throw unavailableOr(error);
      }
    };
    const statement: Statement<Row> = {
      get: async (values) => (await execute(values)).rows[0] as Row | undefined,
      all: async (values) => (await execute(values)).rows as Row[],
      run: async (values) => (await execute(values)).rowCount ?? 0,
    };
    this.#queries.set(statement as Statement<unknown>, query);
    return statement;
  }

  async transaction(runs: readonly StatementRun[]): Promise<number[]> {
    const queries = runs.map(({ statement, values }) => {
      const query = this.#queries.get(statement);
      if (!query) throw new Error('a statement of another executor was run in a PostgreSQL transaction');
      return { name: query.name, text: query.text, values: query.bind(values) };
    });
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw unavailableOr(error);
    }
    let broken = false;
    try {
      await client.query('begin');
      const changed: number[] = [];
      for (const query of queries) changed.push((await client.query(query)).rowCount ?? 0);
      await client.query('commit');
      return changed;
    } catch (error) {
      const mapped = unavailableOr(error);
      broken = mapped instanceof StoreUnavailableError;
      if (!broken) await client.query('rollback').catch(() => {});
      throw mapped;
    } finally {
      // A connection that failed to answer is discarded, not handed to the next caller.
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.#pool.query('select 1');
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

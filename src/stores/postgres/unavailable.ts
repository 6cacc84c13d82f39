// Which PostgreSQL failures mean "the database cannot be reached now" (refused, reset, timed out, shutting
// down, out of connections) rather than a bug in a query: those become StoreUnavailableError, the rest are
// rethrown as they are.

import pg from 'pg';
import { StoreUnavailableError } from '../errors.ts';

// SQLSTATE classes and codes: 08 connection exception, 57P01-03 shutdown / cannot connect now, 53300 too
// many connections, 57014 statement_timeout (the server is too slow to answer in time).
const UNAVAILABLE_STATES = /^(08|57P0[123]$|53300$|57014$)/;
// pg's own errors when a connection cannot be made or is lost (they carry no SQLSTATE).
const CONNECTION_TROUBLE = /timeout|timed out|terminated|connection|not queryable|socket/i;

function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (error instanceof pg.DatabaseError) return UNAVAILABLE_STATES.test(error.code ?? '');
  if (!(error instanceof Error)) return false;
  if (error.cause !== undefined) return isUnavailable(error.cause);
  const code = (error as NodeJS.ErrnoException).code;
  // Node's socket errors: ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, EHOSTUNREACH, ENOTFOUND…
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return CONNECTION_TROUBLE.test(error.message) && !/after calling end on the pool/.test(error.message);
}

export function unavailableOr(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isUnavailable(error)) return error;
  return new StoreUnavailableError('postgres', error);
}

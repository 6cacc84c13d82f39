// Redis failures: a reply error is a bug in a command and is rethrown; anything else (refused, reset,
// timed out, the client offline with its offline queue off) means Redis cannot be reached now.

import { ReplyError } from 'ioredis';
import { StoreUnavailableError } from '../errors.ts';

export function redisUnavailableOr(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || error instanceof (ReplyError as typeof Error)) return error;
  return new StoreUnavailableError('redis', error);
}

/** Runs one Redis call, turning an outage into StoreUnavailableError. */
export async function redisCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw redisUnavailableOr(error);
  }
}

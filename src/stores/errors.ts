// The one error a store throws when its database or Redis cannot be reached (refused, reset, timed out,
// shutting down). Callers tell it from a bug by type: the server answers it with 503 and Retry-After, and
// the store recovers by itself when the service is back (the pool and the Redis client reconnect).

export type StoreService = 'postgres' | 'redis';

export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  readonly service: StoreService;
  /** A hint for Retry-After: reconnection is attempted continuously, so a few seconds is enough. */
  readonly retryAfterSeconds: number;

  constructor(service: StoreService, cause: unknown, retryAfterSeconds = 5) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${service === 'postgres' ? 'PostgreSQL' : 'Redis'} is unavailable: ${reason}`, { cause });
    this.service = service;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

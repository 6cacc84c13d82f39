// Where a fixed window starts and ends. Aligned to multiples of the window's length since the epoch, so
// that every instance and every store (memory, SQL, Redis) puts a hit in the same window without having
// to agree on when the first hit came.

export function windowResetAt(now: number, windowMs: number): number {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) {
    throw new RangeError(`a rate-limit window must be a positive whole number of ms, got ${windowMs}`);
  }
  return (Math.floor(now / windowMs) + 1) * windowMs;
}

// Every rate limit the server keeps, as one mechanism: fixed windows counted in the shared RateLimitStore
// (src/stores: SQL, or Redis when configured), so that every instance counts in the same window and a
// limit holds across instances and restarts. Two ways of counting:
//
// - `consume`: every request counts (for per-consumer and per-address limits on the protocol's endpoints:
//   a refusal carries the limit, what remains and when the window resets, which is what Twitter's 429
//   code 88, `Retry-After` and `x-rate-limit-*` need).
// - `attempt`: only failures count (sign-in). An attempt is counted when it starts and settled when its
//   outcome is known, so that concurrent attempts cannot all pass a check made before any of them failed.
//   A success then either clears the counter (one account at one address: the person who knows the
//   password) or is counted as a success, which cancels its own attempt (a counter shared by several
//   accounts: a success on one's own account must not wipe the failures on someone else's).
//
// Keys are a limit's name and the SHA-256 of its subject, so usernames and addresses are not kept readable
// in the store and any subject has a bounded key.

import { createHash } from 'node:crypto';
import type { Clock } from '../provider/types.ts';
import { caseFold } from '../stores/case-fold.ts';
import type { RateLimitStore, RateLimitWindow } from '../stores/types.ts';
import { auditRateLimitTrip } from './audit-trail.ts';

export interface RateLimit {
  /** Part of every key of this limit; unique among limits. */
  readonly name: string;
  /** Counted events allowed per window. */
  readonly max: number;
  readonly windowMs: number;
}

/** A limit that counts failures; `resetOnSuccess`: a success clears it (else it cancels its attempt). */
export interface FailureLimit extends RateLimit {
  readonly resetOnSuccess: boolean;
}

/** One limit applied to one subject (an address, a consumer key, an account at an address…). */
export interface Counted<L extends RateLimit = RateLimit> {
  readonly limit: L;
  readonly subject: string;
}

/** A fact remembered for a window (no counting): where an account's owner signed in. */
export type Mark = Pick<RateLimit, 'name' | 'windowMs'>;

/** Where a counter stands: what the x-rate-limit-* headers say. */
export interface RateLimitStatus {
  limit: number;
  remaining: number;
  /** When the window ends (ms since the epoch). */
  resetAt: number;
}

/** Refused: a limit is reached until `status.resetAt`. */
export class RateLimited extends Error {
  readonly limitName: string;
  readonly status: RateLimitStatus;
  constructor(limitName: string, status: RateLimitStatus) {
    super(`rate limit ${limitName} reached`);
    this.name = 'RateLimited';
    this.limitName = limitName;
    this.status = status;
  }
  /** Whole seconds until the window ends, at least 1 (the `Retry-After` header). */
  retryAfterSeconds(now: number): number {
    return Math.max(1, Math.ceil((this.status.resetAt - now) / 1000));
  }
}

/** An attempt counted by `attempt`, to settle once its outcome is known; a failure needs nothing more. */
export interface Attempt {
  succeeded(): Promise<void>;
}

function keyOf(name: string, subject: string): string {
  return `${name}|${createHash('sha256').update(subject).digest('base64url')}`;
}

function statusOf(limit: RateLimit, used: number, window: RateLimitWindow): RateLimitStatus {
  return { limit: limit.max, remaining: Math.max(0, limit.max - used), resetAt: window.resetAt };
}

export class RateLimits {
  readonly #store: RateLimitStore;
  readonly #clock: Clock;

  constructor(options: { store: RateLimitStore; clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  /** Counts one request against each; throws RateLimited past any. Returns the tightest status. */
  async consume(counts: readonly Counted[]): Promise<RateLimitStatus> {
    const now = this.#clock.now();
    const windows = await Promise.all(
      counts.map((c) => this.#store.hit(keyOf(c.limit.name, c.subject), c.limit.windowMs, now)),
    );
    let tightest: RateLimitStatus | null = null;
    for (const [i, c] of counts.entries()) {
      const window = windows[i]!;
      const status = statusOf(c.limit, window.count, window);
      if (window.count === c.limit.max + 1) auditRateLimitTrip(c.limit);
      if (window.count > c.limit.max) throw new RateLimited(c.limit.name, status);
      if (tightest === null || status.remaining < tightest.remaining) tightest = status;
    }
    return tightest ?? { limit: 0, remaining: 0, resetAt: now };
  }

  /**
   * Starts an attempt that only counts if it fails: counted at once against each limit (attempts minus
   * successes in the window must stay within `max`), RateLimited past any of them.
   */
  async attempt(counts: readonly Counted<FailureLimit>[]): Promise<Attempt> {
    const now = this.#clock.now();
    const store = this.#store;
    const windows = await Promise.all(
      counts.map(async (c) => {
        const key = keyOf(c.limit.name, c.subject);
        const [tries, successes] = await Promise.all([
          store.hit(`${key}|tries`, c.limit.windowMs, now),
          store.get(`${key}|ok`, now),
        ]);
        // This attempt is in `tries`: failures so far plus attempts still running.
        const failures = tries.count - (successes?.count ?? 0);
        return { c, key, failures, status: statusOf(c.limit, failures, tries) };
      }),
    );
    const over = windows.filter((w) => w.failures > w.c.limit.max);
    for (const w of over) if (w.failures === w.c.limit.max + 1) auditRateLimitTrip(w.c.limit);
    if (over.length > 0) {
      // The longest wait is the one that matters.
      const last = over.reduce((a, b) => (b.status.resetAt > a.status.resetAt ? b : a));
      throw new RateLimited(last.c.limit.name, { ...last.status, remaining: 0 });
    }
    return {
      async succeeded() {
        await Promise.all(
          windows.map(({ c, key }) =>
            c.limit.resetOnSuccess
              ? Promise.all([store.reset(`${key}|tries`), store.reset(`${key}|ok`)])
              : // Counted in the attempt's own window, so it cancels that attempt and nothing else.
                store.hit(`${key}|ok`, c.limit.windowMs, now),
          ),
        );
      },
    };
  }

  /** Whether `subject` was marked in the current window of `mark`. */
  async isMarked(mark: Mark, subject: string): Promise<boolean> {
    return (await this.#store.get(keyOf(mark.name, subject), this.#clock.now())) !== null;
  }

  async mark(mark: Mark, subject: string): Promise<void> {
    await this.#store.hit(keyOf(mark.name, subject), mark.windowMs, this.#clock.now());
  }
}

// ---- Sign-in ------------------------------------------------------------------------------------------
//
// One budget for the consent page and the portal (both sign in through server/browser-side.ts), counting
// failures only, so a client test suite that signs in afresh for every flow is never limited:
//
// - one account from one address: `perMinute` failures a minute; a success clears it. This is the limit a
//   person who mistypes meets, and the one guessing one password from one place meets.
// - one address, whatever the accounts: 5 × `perMinute` failures a minute (trying many accounts). A
//   success only cancels its own attempt, so signing in to one's own account buys no guesses on others.
// - one account, whatever the address, from addresses that have not signed in to it lately: 10 ×
//   `perMinute` failures in 15 minutes (guessing one password from many addresses). An address where the
//   account's owner signed in (a mark each success renews, kept to the end of its 30-day window) is never
//   held back by it, so failing on purpose from elsewhere cannot lock the owner out from their own
//   address; failures there only meet the first two limits, which count that address alone.
//
// Accounts are named by their case-folded username as typed, whether it exists or not, so the limits
// behave the same for unknown usernames (they reveal nothing).

const MINUTE = 60_000;

export interface SignInLimits {
  accountAtAddress: FailureLimit;
  address: FailureLimit;
  accountAnywhere: FailureLimit;
  /** Every sign-up from one address counts (each one hashes a password): as many as `address`. */
  signUpAddress: RateLimit;
  /** Where the account's owner signed in: marks that exempt an address from `accountAnywhere`. */
  ownersAddress: Mark;
}

export function signInLimits(perMinute: number): SignInLimits {
  return {
    accountAtAddress: {
      name: 'sign-in:account-address',
      max: perMinute,
      windowMs: MINUTE,
      resetOnSuccess: true,
    },
    address: { name: 'sign-in:address', max: perMinute * 5, windowMs: MINUTE, resetOnSuccess: false },
    accountAnywhere: {
      name: 'sign-in:account',
      max: perMinute * 10,
      windowMs: 15 * MINUTE,
      resetOnSuccess: false,
    },
    signUpAddress: { name: 'sign-up:address', max: perMinute * 5, windowMs: MINUTE },
    ownersAddress: { name: 'sign-in:owners-address', windowMs: 30 * 24 * 60 * MINUTE },
  };
}

export class SignInLimiter {
  readonly #rateLimits: RateLimits;
  readonly #limits: SignInLimits;

  constructor(rateLimits: RateLimits, perMinute: number) {
    this.#rateLimits = rateLimits;
    this.#limits = signInLimits(perMinute);
  }

  /** Counts a sign-up from `address`; RateLimited past the limit. */
  async signUp(address: string): Promise<void> {
    await this.#rateLimits.consume([{ limit: this.#limits.signUpAddress, subject: address }]);
  }

  /** Starts a sign-in as `username` from `address`; RateLimited when it may not be tried now. */
  async begin(username: string, address: string): Promise<Attempt> {
    const limits = this.#limits;
    const account = caseFold(username);
    const accountAtAddress = `${account}\n${address}`;
    const owners = await this.#rateLimits.isMarked(limits.ownersAddress, accountAtAddress);
    const counts: Counted<FailureLimit>[] = [
      { limit: limits.accountAtAddress, subject: accountAtAddress },
      { limit: limits.address, subject: address },
    ];
    if (!owners) counts.push({ limit: limits.accountAnywhere, subject: account });
    const attempt = await this.#rateLimits.attempt(counts);
    return {
      succeeded: async () => {
        await Promise.all([
          attempt.succeeded(),
          this.#rateLimits.mark(limits.ownersAddress, accountAtAddress),
        ]);
      },
    };
  }
}

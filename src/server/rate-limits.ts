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
// With `enabled: false` (`--rate-limits off`) nothing is counted and nothing refused: every limit, the
// sign-in ones included, goes through here.
//
// Keys are a limit's name and the SHA-256 of its subject, so usernames and addresses are not kept readable
// in the store and any subject has a bounded key.

import { createHash } from 'node:crypto';
import { OAuthProblem, TwitterCode } from '../core/problems.ts';
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
  /** When it was refused (ms since the epoch), for Retry-After. */
  readonly at: number;
  constructor(limitName: string, status: RateLimitStatus, at: number) {
    // Anyone can be refused as often as they like: no stack trace to capture (as OAuthProblem).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`rate limit ${limitName} reached`);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'RateLimited';
    this.limitName = limitName;
    this.status = status;
    this.at = at;
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

/** Twitter's headers for where a counter stands; the reset is in seconds since the epoch, as Twitter's. */
export function rateLimitHeaders(status: RateLimitStatus): Record<string, string> {
  return {
    'x-rate-limit-limit': String(status.limit),
    'x-rate-limit-remaining': String(status.remaining),
    'x-rate-limit-reset': String(Math.ceil(status.resetAt / 1000)),
  };
}

/** A refusal as the protocol answers it: 429, Twitter's code 88, Retry-After and x-rate-limit-*. */
export function rateLimitedProblem(error: RateLimited): OAuthProblem {
  const retryAfterSeconds = error.retryAfterSeconds(error.at);
  return new OAuthProblem({
    problem: 'rate_limited',
    status: 429,
    code: TwitterCode.rateLimitExceeded,
    advice: `Too many requests: try again in ${retryAfterSeconds} seconds.`,
    retryAfterSeconds,
    headers: rateLimitHeaders(error.status),
    logDetail: { limit: error.limitName },
  });
}

/** The attempt of a limit that is off: nothing to settle. */
const UNCOUNTED: Attempt = { succeeded: async () => {} };

function keyOf(name: string, subject: string): string {
  return `${name}|${createHash('sha256').update(subject).digest('base64url')}`;
}

function statusOf(limit: RateLimit, used: number, window: RateLimitWindow): RateLimitStatus {
  return { limit: limit.max, remaining: Math.max(0, limit.max - used), resetAt: window.resetAt };
}

export class RateLimits {
  readonly #store: RateLimitStore;
  readonly #clock: Clock;
  readonly enabled: boolean;

  constructor(options: { store: RateLimitStore; clock: Clock; enabled?: boolean }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.enabled = options.enabled ?? true;
  }

  /**
   * The one place a limit trips: every refusal is made here (an audit trail of trips belongs here too).
   * `subject` is what was counted (an address, a consumer key, an account…).
   */
  tripped(limit: RateLimit, _subject: string, status: RateLimitStatus, now: number): RateLimited {
    return new RateLimited(limit.name, status, now);
  }

  /**
   * Counts one request against each; throws RateLimited past any. Returns the tightest status, or null
   * when limits are off.
   */
  async consume(counts: readonly Counted[]): Promise<RateLimitStatus | null> {
    if (!this.enabled) return null;
    const now = this.#clock.now();
    const windows = await Promise.all(
      counts.map((c) => this.#store.hit(keyOf(c.limit.name, c.subject), c.limit.windowMs, now)),
    );
    let tightest: RateLimitStatus | null = null;
    for (const [i, c] of counts.entries()) {
      const window = windows[i]!;
      const status = statusOf(c.limit, window.count, window);
      if (window.count === c.limit.max + 1) auditRateLimitTrip(c.limit);
      if (window.count > c.limit.max) throw this.tripped(c.limit, c.subject, status, now);
      if (tightest === null || status.remaining < tightest.remaining) tightest = status;
    }
    return tightest ?? { limit: 0, remaining: 0, resetAt: now };
  }

  /**
   * Starts an attempt that only counts if it fails: counted at once against each limit (attempts minus
   * successes in the window must stay within `max`), RateLimited past any of them.
   */
  async attempt(counts: readonly Counted<FailureLimit>[]): Promise<Attempt> {
    if (!this.enabled) return UNCOUNTED;
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
      throw this.tripped(last.c.limit, last.c.subject, { ...last.status, remaining: 0 }, now);
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

// ---- The protocol ---------------------------------------------------------------------------------------
//
// The token endpoints (request_token, access_token with xAuth, invalidate_token), each with its own
// counters, a minute long:
//
// - per address: `perMinute` requests, counted before any other work (one counter, cheaper than the
//   signature check it spares), so a flood from one place is refused at the cost of a counter;
// - per consumer: 5 × `perMinute`, counted once the request is authentic, so nobody can spend an app's
//   budget with forged requests (consumer keys are public in every desktop app). An app serves many
//   people from many addresses, hence the larger budget.
//
// A client test suite doing a hundred flows a minute from one address (two token calls each) stays well
// inside; hundreds of request_token calls a second from one address are refused within the first second.
// xAuth passwords share the sign-in budget (SignInLimiter): guessing through xAuth or through the form is
// the same attack. Protected resources: `protectedPerWindow` requests per access token in 15 minutes
// (Twitter's shape), when the operator sets one; a two-legged request counts against its consumer.

export type TokenEndpoint = 'request_token' | 'access_token' | 'invalidate_token';

const TOKEN_ENDPOINTS: readonly TokenEndpoint[] = ['request_token', 'access_token', 'invalidate_token'];

export interface ProtocolLimits {
  address: Readonly<Record<TokenEndpoint, RateLimit>>;
  consumer: Readonly<Record<TokenEndpoint, RateLimit>>;
  protectedResource: RateLimit | null;
}

export function protocolLimits(perMinute: number, protectedPerWindow: number | null): ProtocolLimits {
  const each = (scope: string, max: number) =>
    Object.fromEntries(
      TOKEN_ENDPOINTS.map((endpoint) => [endpoint, { name: `${endpoint}:${scope}`, max, windowMs: MINUTE }]),
    ) as Record<TokenEndpoint, RateLimit>;
  return {
    address: each('address', perMinute),
    consumer: each('consumer', perMinute * 5),
    protectedResource:
      protectedPerWindow === null
        ? null
        : { name: 'protected:access-token', max: protectedPerWindow, windowMs: 15 * MINUTE },
  };
}

/** What a token endpoint's call is given (provider/context.ts `EndpointGuard`), bound to one request. */
export interface RequestGuard {
  authentic(consumerKey: string): Promise<void>;
  passwordAttempt(username: string): Promise<Attempt>;
}

export class ProtocolLimiter {
  readonly #rateLimits: RateLimits;
  readonly #limits: ProtocolLimits;
  readonly #signIn: SignInLimiter;

  constructor(
    rateLimits: RateLimits,
    options: { perMinute: number; signInPerMinute: number; protectedPerWindow: number | null },
  ) {
    this.#rateLimits = rateLimits;
    this.#limits = protocolLimits(options.perMinute, options.protectedPerWindow);
    this.#signIn = new SignInLimiter(rateLimits, options.signInPerMinute);
  }

  /** Counts, as the protocol answers: a refusal is a 429 problem (code 88) with Twitter's headers. */
  async #count(counts: readonly Counted[]): Promise<RateLimitStatus | null> {
    try {
      return await this.#rateLimits.consume(counts);
    } catch (error) {
      throw error instanceof RateLimited ? rateLimitedProblem(error) : error;
    }
  }

  /**
   * A request to a token endpoint from `address`, counted at once. The guard counts it against its
   * consumer once authentic, and an xAuth password attempt against the sign-in limits. `setHeaders` gets
   * the x-rate-limit-* headers of the tightest counter so far.
   */
  async tokenRequest(
    endpoint: TokenEndpoint,
    address: string,
    setHeaders: (headers: Record<string, string>) => void,
  ): Promise<RequestGuard> {
    const byAddress = await this.#count([{ limit: this.#limits.address[endpoint], subject: address }]);
    if (byAddress !== null) setHeaders(rateLimitHeaders(byAddress));
    return {
      authentic: async (consumerKey) => {
        const byConsumer = await this.#count([
          { limit: this.#limits.consumer[endpoint], subject: consumerKey },
        ]);
        if (byConsumer !== null && (byAddress === null || byConsumer.remaining < byAddress.remaining)) {
          setHeaders(rateLimitHeaders(byConsumer));
        }
      },
      passwordAttempt: async (username) => {
        try {
          return await this.#signIn.begin(username, address);
        } catch (error) {
          throw error instanceof RateLimited ? rateLimitedProblem(error) : error;
        }
      },
    };
  }

  /**
   * Whether protected resources are counted at all (`--rate-limit-protected` set, limits on). When not,
   * the verifier is given no limit: nothing to await on every protected request.
   */
  get countsProtectedResources(): boolean {
    return this.#limits.protectedResource !== null && this.#rateLimits.enabled;
  }

  /**
   * A verified request to a protected resource, counted against its access token (or, two-legged, its
   * consumer); the headers for the answer, none when there is no such limit.
   */
  async protectedResource(signer: {
    consumerKey: string;
    accessToken: string | null;
  }): Promise<Record<string, string>> {
    const limit = this.#limits.protectedResource;
    if (limit === null) return {};
    const subject = signer.accessToken === null ? `consumer\n${signer.consumerKey}` : signer.accessToken;
    const status = await this.#count([{ limit, subject }]);
    return status === null ? {} : rateLimitHeaders(status);
  }
}

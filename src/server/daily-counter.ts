// Counts for the operator's charts (issue 12): per UTC day, the access tokens issued (authorizations), the
// PINs burned by too many wrong tries, refused requests by oauth_problem and accepted signed requests per
// app. Like the rejection recorder, the request path only adds to a Map in memory; a timer detached from
// every connection writes the sums in one batch (DailyCountStore.add), and what is left is written when
// the server closes. Only accepted requests name an app, so the Map holds real keys, and it is bounded.

import type { FastifyInstance } from 'fastify';
import { OAuthProblem } from '../core/problems.ts';
import type { DailyCount, DailyCountStore, DailyMetric } from '../stores/types.ts';
import { WriteBehind } from '../stores/write-behind.ts';

/** Days of counts kept; older rows are deleted at the first write of a new day. */
export const DAILY_COUNTS_KEPT_DAYS = 60;
/** Distinct (day, metric, subject) sums waiting for a flush; beyond, new ones are dropped. */
const PENDING_KEPT = 10_000;

const DAY_MS = 86_400_000;
/** The last day formatted, and its bounds: every counted request asks, and nearly all ask for today. */
let lastDay = { from: 0, to: 0, day: '' };

/** The UTC day of a time, YYYY-MM-DD. */
export function dayOf(ms: number): string {
  if (ms >= lastDay.from && ms < lastDay.to) return lastDay.day;
  const from = Math.floor(ms / DAY_MS) * DAY_MS;
  lastDay = { from, to: from + DAY_MS, day: new Date(ms).toISOString().slice(0, 10) };
  return lastDay.day;
}

export interface DailyCounterOptions {
  counts: DailyCountStore;
  clock: { now(): number };
  /** How often the sums are written, in one batch (ms). */
  flushIntervalMs?: number;
}

export class DailyCounter {
  readonly #options: DailyCounterOptions;
  #pending = new Map<string, DailyCount>();
  readonly #writeBehind: WriteBehind<DailyCount[]>;
  #prunedDay = '';
  #log: (error: unknown) => void;

  constructor(options: DailyCounterOptions, log: (error: unknown) => void = () => {}) {
    this.#options = options;
    this.#log = log;
    this.#writeBehind = new WriteBehind({
      take: () => {
        const batch = [...this.#pending.values()];
        this.#pending = new Map();
        return batch;
      },
      write: (batch) => this.#write(batch),
      intervalMs: options.flushIntervalMs ?? 1000,
    });
  }

  count(metric: DailyMetric, subject = ''): void {
    const day = dayOf(this.#options.clock.now());
    const key = `${day}\u0000${metric}\u0000${subject}`;
    const row = this.#pending.get(key);
    if (row) row.count++;
    else if (this.#pending.size < PENDING_KEPT) this.#pending.set(key, { day, metric, subject, count: 1 });
    this.#writeBehind.schedule();
  }

  /** Writes every sum so far (called by the timer, and when the server closes). */
  flush(): Promise<void> {
    return this.#writeBehind.flush();
  }

  async #write(batch: DailyCount[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.#options.counts.add(batch);
      const today = dayOf(this.#options.clock.now());
      if (today !== this.#prunedDay) {
        this.#prunedDay = today;
        const oldest = dayOf(this.#options.clock.now() - DAILY_COUNTS_KEPT_DAYS * 86_400_000);
        await this.#options.counts.deleteBefore(oldest);
      }
    } catch (error) {
      this.#log(error);
    }
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The consumer key of a request once its signature is verified, noted by the endpoint that verified it
     * (oauth-endpoints.ts); null until then. An accepted request is counted for this app: reading the key
     * again from the Authorization header with a regular expression was 2 % of a verified request's CPU
     * (BENCHMARKS.md).
     */
    signedBy: string | null;
  }
}

/**
 * Adds the counting hooks to the instance that registers the protocol endpoints (before they are
 * registered, so that their errors and answers pass through them).
 */
export function countDaily(app: FastifyInstance, options: DailyCounterOptions): DailyCounter {
  app.decorateRequest('signedBy', null);
  const counter = new DailyCounter(options, (error) =>
    app.log.warn({ err: error }, 'could not write the daily counts of the operator’s charts'),
  );
  // Hooks with a callback rather than async ones: they run on every request, and an async hook costs a
  // promise and a turn of the microtask queue each time.
  app.addHook('onError', (_request, _reply, error, done) => {
    if (error instanceof OAuthProblem) {
      counter.count('refused', error.problem);
      if (error.problem === 'verifier_invalid' && error.extra.oauth_verifier_attempts_left === '0') {
        counter.count('pins_burned');
      }
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode < 400) {
      if (request.routeOptions.url?.endsWith('/oauth/access_token')) counter.count('authorizations');
      if (request.signedBy !== null) counter.count('app_requests', request.signedBy);
    }
    done();
  });
  app.addHook('onClose', () => counter.flush());
  return counter;
}

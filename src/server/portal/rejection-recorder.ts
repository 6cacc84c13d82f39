// Feeds the signature debugger: when a signed request to /oauth/* or the API is refused, the server's
// view of it (parameters received, the base string it computed) is recorded for the app it names — off
// the request path, in batches, capped per app, cut to a few KB and with every secret blanked, so that
// refusing a request never costs more than accepting one and an attacker learns nothing about which
// consumer keys are real (issue 7).

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { signatureBaseString } from '../../core/base-string.ts';
import { collectRequestParameters, type Parameter } from '../../core/parameters.ts';
import { OAuthProblem } from '../../core/problems.ts';
import type { ConsumerStore, OAuthRequest } from '../../provider/types.ts';
import type { RejectedRequest, RejectionLog } from '../../stores/types.ts';
import { WriteBehindQueue } from '../../stores/write-behind.ts';
import { MinuteCounts } from '../minute-counts.ts';
import { redactRejectedRequest } from './rejection-log.ts';

/** The consumer key a refused request names and what the debugger shows of it; null if it names none. */
export function describeRejectedRequest(
  request: OAuthRequest,
  problem: Pick<OAuthProblem, 'problem' | 'status' | 'code' | 'advice'>,
  at: number,
): { consumerKey: string; entry: RejectedRequest } | null {
  const header = request.headers.authorization;
  const contentType = request.headers['content-type'];
  let collected: ReturnType<typeof collectRequestParameters>;
  try {
    collected = collectRequestParameters({
      url: request.url,
      authorization: typeof header === 'string' ? header : undefined,
      contentType: typeof contentType === 'string' ? contentType : undefined,
      body: request.body ?? null,
    });
  } catch {
    // Malformed beyond reading (bad quoting, a parameter twice): the 400 answer already says what.
    return null;
  }
  const consumerKey = collected.protocol.get('oauth_consumer_key');
  if (!consumerKey) return null;
  const parameters: Parameter[] = [...collected.params];
  if (collected.signature !== null) parameters.push(['oauth_signature', collected.signature]);
  let baseString: string | null;
  try {
    baseString = signatureBaseString(request.method, request.url, collected.params);
  } catch {
    baseString = null;
  }
  return {
    consumerKey,
    entry: {
      at,
      method: request.method,
      url: request.url,
      problem: problem.problem,
      status: problem.status,
      code: problem.code,
      advice: problem.advice,
      parameters,
      baseString,
    },
  };
}

export interface RejectionRecorderOptions {
  rejections: RejectionLog;
  consumers: Pick<ConsumerStore, 'get'>;
  clock: { now(): number };
  /** The provider's view of a Fastify request (public URL, raw body). */
  toOAuthRequest: (request: FastifyRequest) => OAuthRequest;
  /** How often captured refusals are written, in one batch (ms). */
  flushIntervalMs?: number;
}

/** Refusals waiting for the next flush; beyond this, new ones are dropped (and counted). */
export const PENDING_KEPT = 256;
/** Entries recorded per app per minute; a flood of refusals naming one key writes no more than this. */
export const RECORDED_PER_APP_PER_MINUTE = 30;
/** Apps whose entries are counted in one minute (only apps that exist are: their number). */
const COUNTED_APPS_KEPT = 10_000;
/** Raw input kept per captured refusal (Authorization header, body): enough for any real request. */
const RAW_KEPT = 8192;

interface Captured {
  /** The key the provider's refusal names (its log detail), when it names one. */
  consumerKey: string | null;
  request: OAuthRequest;
  problem: Pick<OAuthProblem, 'problem' | 'status' | 'code' | 'advice'>;
  at: number;
}

/**
 * At most the first RAW_KEPT characters or bytes, never a slice that keeps a 1 MB original alive: a value
 * within the bound is kept as it is (it is all there is to keep), a longer one is copied.
 */
function bounded(value: string | Uint8Array | null | undefined): string | Uint8Array | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    return value.length <= RAW_KEPT ? value : Buffer.from(value.slice(0, RAW_KEPT), 'utf8').toString('utf8');
  }
  return value.byteLength <= RAW_KEPT ? value : Uint8Array.prototype.slice.call(value, 0, RAW_KEPT);
}

function boundedHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? (bounded(value) as string) : undefined;
}

/**
 * The debugger's side of refused requests. On the request path it only copies a few KB into a bounded
 * queue — the same work whether the key is real or not, so neither the answer nor its timing tells them
 * apart. A timer, detached from every connection, then describes the queued refusals, keeps those of apps
 * that exist (at most RECORDED_PER_APP_PER_MINUTE each), redacts and cuts them, and writes them in one
 * batch. A flood of refusals therefore costs each request a copy and the server a bounded amount of work.
 */
export class RejectionRecorder {
  readonly #options: RejectionRecorderOptions;
  readonly #queue: WriteBehindQueue<Captured>;
  /** Entries recorded per app in the current minute. */
  readonly #recorded = new MinuteCounts(COUNTED_APPS_KEPT);
  #log: (error: unknown, dropped: number) => void = () => {};

  constructor(options: RejectionRecorderOptions, log?: (error: unknown, dropped: number) => void) {
    this.#options = options;
    if (log) this.#log = log;
    this.#queue = new WriteBehindQueue({
      kept: PENDING_KEPT,
      intervalMs: options.flushIntervalMs ?? 100,
      write: (batch, dropped) => this.#write(batch, dropped),
    });
  }

  /** Refusals dropped because the queue was full since the recorder started. */
  get dropped(): number {
    return this.#queue.dropped;
  }

  capture(request: OAuthRequest, problem: OAuthProblem): void {
    this.#queue.push(() => ({
      request: {
        method: request.method,
        url: bounded(request.url) as string,
        headers: {
          authorization: boundedHeader(request.headers.authorization),
          'content-type': boundedHeader(request.headers['content-type']),
        },
        body: bounded(request.body),
      },
      consumerKey: typeof problem.logDetail.consumerKey === 'string' ? problem.logDetail.consumerKey : null,
      problem: {
        problem: problem.problem,
        status: problem.status,
        code: problem.code,
        advice: problem.advice,
      },
      at: this.#options.clock.now(),
    }));
  }

  /** Writes everything captured so far (called by the timer, and before the server closes). */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  async #write(batch: readonly Captured[], dropped: number): Promise<void> {
    if (batch.length === 0) return;
    try {
      // Refusals that name no existing app, or an app already at its cap for the minute, are not even
      // described: a flood naming one key (real or made up) would otherwise cost a full parameter
      // collection and base string per request, only to be dropped.
      const exists = new Map<string, boolean>();
      const appExists = async (key: string) => {
        let known = exists.get(key);
        if (known === undefined) {
          known = (await this.#options.consumers.get(key)) !== null;
          exists.set(key, known);
        }
        return known;
      };
      for (const captured of batch) if (captured.consumerKey !== null) await appExists(captured.consumerKey);
      const described = batch
        .filter(
          (captured) =>
            captured.consumerKey === null ||
            (exists.get(captured.consumerKey) === true &&
              !this.#capReached(captured.consumerKey, captured.at)),
        )
        .map((captured) => describeRejectedRequest(captured.request, captured.problem, captured.at))
        .filter((d) => d !== null);
      for (const d of described) await appExists(d.consumerKey);
      const entries = described
        .filter((d) => exists.get(d.consumerKey) && this.#withinCap(d.consumerKey, d.entry.at))
        .map((d) => ({ consumerKey: d.consumerKey, entry: redactRejectedRequest(d.entry) }));
      await this.#options.rejections.recordMany(entries);
    } catch (error) {
      this.#log(error, dropped);
    }
  }

  #capReached(consumerKey: string, at: number): boolean {
    return this.#recorded.get(consumerKey, at) >= RECORDED_PER_APP_PER_MINUTE;
  }

  #withinCap(consumerKey: string, at: number): boolean {
    if (this.#capReached(consumerKey, at)) return false;
    return this.#recorded.add(consumerKey, at) !== null;
  }
}

/** The request as the debugger compares it, or null when it has no usable URL (a bad Host header). */
function usableRequest(options: RejectionRecorderOptions, request: FastifyRequest): OAuthRequest | null {
  try {
    return options.toOAuthRequest(request);
  } catch {
    return null;
  }
}

/**
 * Adds the hook to `app`. Call it on the instance that registers the protocol endpoints, before they
 * are registered, so that their errors pass through it. Only refused requests pay for it, and only a
 * copy into the recorder's queue; what is queued is written when the server closes at the latest.
 */
export function recordRejections(app: FastifyInstance, options: RejectionRecorderOptions): RejectionRecorder {
  const recorder = new RejectionRecorder(options, (error, dropped) =>
    app.log.warn({ err: error, dropped }, 'could not record refused requests for the signature debugger'),
  );
  // A callback, not an async hook: no promise for each refused request.
  app.addHook('onError', (request, _reply, error, done) => {
    if (error instanceof OAuthProblem) {
      const oauthRequest = usableRequest(options, request);
      if (oauthRequest !== null) recorder.capture(oauthRequest, error);
    }
    done();
  });
  app.addHook('onClose', () => recorder.flush());
  return recorder;
}

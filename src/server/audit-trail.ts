// The audit trail's one recorder (issue 11): security events — sign-ins, authorizations, tokens issued and
// revoked, secrets regenerated, PINs burned, repeated signature failures, rate-limit trips, operator
// actions — written to the shared AuditLog (src/stores), where `tripod-server audit` reads them and the
// webhook sender (audit-webhooks.ts) picks them up. A call site says what happened in one line,
// `auditEvent('app.secret_regenerated', { consumerKey })`: the time, the client's address and the signed-in
// person come from the request being handled (the server's request scope, request-ids.ts), and
// the provider's own events arrive through its log. Recording costs the request a push onto a bounded
// queue; a timer writes the queue off the request path, like the signature debugger's recorder. A flood
// cannot flood the trail: refused signatures and xAuth password failures are counted per app and reported
// at 10, 100, 1000… a minute, only for apps that exist, and a rate limit once per window, when it trips.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProviderEvent } from '../provider/index.ts';
import type { Clock, ConsumerStore } from '../provider/types.ts';
import type { AuditEvent, AuditLog, StoredAuditEvent } from '../stores/types.ts';
import { WriteBehindQueue } from '../stores/write-behind.ts';
import { MinuteCounts } from './minute-counts.ts';
import { currentRequest, scopeRequests } from './request-ids.ts';

/** What a call site says about an event; the rest comes from the request. Never a secret. */
export interface AuditFields {
  /** Default: the signed-in person of the request, if any. */
  userId?: string | null;
  consumerKey?: string | null;
  detail?: Record<string, unknown>;
}

/** Events waiting for the next write; beyond this, new ones are dropped (and counted). */
export const AUDIT_PENDING_KEPT = 1024;
/**
 * Refused signatures (and xAuth password failures) naming one app are reported when the minute's count
 * reaches each power of ten from this one.
 */
export const FAILURES_REPORTED = 10;
/** Apps whose refusals are counted in one minute; keys beyond it (made up by a flood) are not. */
const COUNTED_APPS_KEPT = 10_000;

interface Pending {
  event: AuditEvent;
  /** Written only if this app exists (a refusal may name any key). */
  ifConsumerExists: boolean;
}

export interface AuditTrailOptions {
  log: AuditLog;
  consumers: Pick<ConsumerStore, 'get'>;
  clock: Clock;
  /** How often queued events are written (ms). */
  flushIntervalMs?: number;
  /** Told when a write fails (the events are then lost) or events were dropped. */
  warn?: (error: unknown, dropped: number) => void;
}

export class AuditTrail {
  readonly #options: AuditTrailOptions;
  readonly #queue: WriteBehindQueue<Pending>;
  /** Refusals (and xAuth password failures) counted per app and kind in the current minute. */
  readonly #failures = new MinuteCounts(COUNTED_APPS_KEPT);

  constructor(options: AuditTrailOptions) {
    this.#options = options;
    this.#queue = new WriteBehindQueue({
      kept: AUDIT_PENDING_KEPT,
      intervalMs: options.flushIntervalMs ?? 100,
      write: (batch, dropped) => this.#write(batch, dropped),
    });
  }

  /** Events dropped because the queue was full since the trail started. */
  get dropped(): number {
    return this.#queue.dropped;
  }

  record(type: string, fields: AuditFields & { address?: string | null } = {}, ifConsumerExists = false) {
    this.#queue.push(() => ({
      event: {
        at: this.#options.clock.now(),
        type,
        userId: fields.userId ?? null,
        consumerKey: fields.consumerKey ?? null,
        address: fields.address ?? null,
        detail: fields.detail ?? {},
      },
      ifConsumerExists,
    }));
  }

  /** The provider's events that are security events, as audit events (the rest are only logged). */
  providerEvent(event: ProviderEvent, context: { address: string | null; userId: string | null }) {
    const consumerKey = typeof event.consumerKey === 'string' ? event.consumerKey : null;
    const userId = typeof event.userId === 'string' ? event.userId : context.userId;
    const fields = { consumerKey, userId, address: context.address };
    switch (event.event) {
      case 'authorization.approved':
        return this.record('authorization.granted', { ...fields, detail: { mode: event.mode } });
      case 'authorization.denied':
        return this.record('authorization.denied', fields);
      case 'access_token.issued':
        return this.record('access_token.issued', {
          ...fields,
          detail: { via: event.via, accessLevel: event.accessLevel, reused: event.reused },
        });
      case 'access_token.revoked':
        return this.record('access_token.revoked', { ...fields, detail: { via: event.endpoint } });
      case 'verifier.rejected':
        if (event.burned === true) this.record('pin.burned', fields);
        return;
      case 'request.refused': {
        if (consumerKey === null) return;
        const reasons = Array.isArray(event.reasons) ? event.reasons : [];
        if (event.problem === 'signature_invalid')
          this.#countFailure('signature.failures', consumerKey, context);
        // xAuth's password guesses, counted the same way (the app is real: the signature verified).
        else if (reasons.includes('password_mismatch') || reasons.includes('user_unknown')) {
          this.#countFailure('xauth.failures', consumerKey, context);
        }
        return;
      }
    }
  }

  #countFailure(type: string, consumerKey: string, context: { address: string | null }) {
    const count = this.#failures.add(`${type}\n${consumerKey}`, this.#options.clock.now());
    if (count !== null && count >= FAILURES_REPORTED && Number.isInteger(Math.log10(count))) {
      const detail = { failures: count, windowSeconds: 60 };
      this.record(type, { consumerKey, address: context.address, detail }, true);
    }
  }

  /** Writes everything queued so far (called by the timer, and before the server closes). */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  async #write(batch: readonly Pending[], dropped: number): Promise<void> {
    try {
      const events: AuditEvent[] = [];
      for (const { event, ifConsumerExists } of batch) {
        const unknownApp =
          ifConsumerExists && (await this.#options.consumers.get(event.consumerKey ?? '')) === null;
        if (!unknownApp) events.push(event);
      }
      await this.#options.log.appendMany(events);
    } catch (error) {
      this.#options.warn?.(error, dropped);
    }
  }
}

/** An event as `tripod-server audit --json` prints it and the webhooks send it. */
export function auditEventJson(event: StoredAuditEvent) {
  return {
    id: event.id,
    at: new Date(event.at).toISOString(),
    type: event.type,
    user_id: event.userId,
    consumer_key: event.consumerKey,
    address: event.address,
    detail: event.detail,
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Where the request's security events go: the trail of the app that handles it (`recordAuditTrail`). */
    auditTrail?: AuditTrail;
  }
}

/** The request being handled and its trail, when it has one. */
function currentTrail(): { trail: AuditTrail; request: FastifyRequest } | undefined {
  const request = currentRequest();
  const trail = request?.auditTrail;
  return trail === undefined ? undefined : { trail, request: request as FastifyRequest };
}

function contextOf(request: FastifyRequest): { address: string | null; userId: string | null } {
  return { address: request.ip ?? null, userId: request.user?.id ?? null };
}

/**
 * Records a security event of the request being handled: its address and signed-in person are filled
 * in unless `fields` says otherwise. Outside a request (or a server without a trail) it does nothing.
 */
export function auditEvent(type: string, fields: AuditFields = {}): void {
  const current = currentTrail();
  if (current === undefined) return;
  const context = contextOf(current.request);
  current.trail.record(type, { userId: context.userId, ...fields, address: context.address });
}

/**
 * A rate limit refused its first request of a window (the request being handled): recorded once per
 * window and subject, not once per refusal. `limit` is a RateLimit of rate-limits.ts.
 */
export function auditRateLimitTrip(limit: { name: string; max: number; windowMs: number }): void {
  auditEvent('rate_limit.tripped', {
    detail: { limit: limit.name, max: limit.max, windowSeconds: limit.windowMs / 1000 },
  });
}

/** The provider's event, for the trail of the request being handled (app.ts passes every one). */
export function auditProviderEvent(event: ProviderEvent): void {
  const current = currentTrail();
  current?.trail.providerEvent(event, contextOf(current.request));
}

/** Makes `trail` the one every request of `app` records to; what is queued is written on close. */
export function recordAuditTrail(app: FastifyInstance, trail: AuditTrail): void {
  // The app's requests carry the trail (a getter: nothing set per request) and are made current while
  // handled, in the server's one request scope (request-ids.ts).
  app.decorateRequest('auditTrail', { getter: () => trail });
  scopeRequests(app);
  app.addHook('onClose', () => trail.flush());
}

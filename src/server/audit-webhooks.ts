// Audit events for a SIEM (issue 11): every event of the trail is POSTed as JSON to each --audit-webhook
// URL, signed the way Stripe signs its webhooks — `Tripod-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
// of "<t>.<body>" keyed with --audit-webhook-secret>` — so a receiver can check that Tripod sent it and
// refuse a replay (docs/operations.md shows how). The delivery log (the audit_deliveries table) is shared
// by every instance and survives restarts: each instance adds the deliveries that are missing (one per
// event and URL, whoever recorded the event: a server or `tripod-server user add`), then claims due ones
// with a compare-and-set, so two instances never send one delivery at once, and a claim that an instance
// crashed holding lapses after a lease. A failure (no answer, a timeout, anything but 2xx) is retried with
// exponential backoff, and given up after DELIVERY_ATTEMPTS, each attempt's status and error kept.

import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../provider/types.ts';
import type { AuditDelivery, AuditDeliveryLog, StoredAuditEvent } from '../stores/types.ts';
import { auditEventJson } from './audit-trail.ts';
import type { ServerConfig } from './config.ts';

export const SIGNATURE_HEADER = 'tripod-signature';
/** Attempts before a delivery is given up (about 68 minutes of retries in all). */
export const DELIVERY_ATTEMPTS = 12;
/** How long a receiver has to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A claim lasts this long: after it, another instance may take the delivery over. */
const LEASE_MS = DELIVERY_TIMEOUT_MS * 3;
const POLL_MS = 1000;
/** Deliveries sent at once per poll. */
const BATCH = 20;
/** A newly configured URL gets the events of the last day; later sweeps look back a few minutes. */
const FIRST_LOOKBACK_MS = 24 * 60 * 60_000;
const SWEEP_OVERLAP_MS = 5 * 60_000;

/** Seconds before attempt `attempt + 1`, after `attempt` failed: 1, 2, 4… up to an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** The Tripod-Signature header for `body` sent at `timestampSeconds`. */
export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export interface AuditWebhookSenderOptions {
  deliveries: AuditDeliveryLog;
  urls: readonly string[];
  secret: string;
  clock: Clock;
  warn?: (error: unknown, message: string) => void;
}

export class AuditWebhookSender {
  readonly #options: AuditWebhookSenderOptions;
  #sweptAt: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;
  /** Cuts the sends in flight short when the server stops (they are retried by the next round anywhere). */
  readonly #stopping = new AbortController();

  constructor(options: AuditWebhookSenderOptions) {
    this.#options = options;
  }

  /** One round: adds the missing deliveries, then sends those due (each claimed first). */
  async runOnce(): Promise<void> {
    const { deliveries, urls, clock } = this.#options;
    const now = clock.now();
    const since = this.#sweptAt === null ? now - FIRST_LOOKBACK_MS : this.#sweptAt - SWEEP_OVERLAP_MS;
    for (const url of urls) await deliveries.enqueue(url, since, now);
    this.#sweptAt = now;
    const due = await deliveries.due(now, BATCH);
    await Promise.all(due.map(({ delivery, event }) => this.#deliver(delivery, event)));
  }

  async #deliver(delivery: AuditDelivery, event: StoredAuditEvent): Promise<void> {
    const { deliveries, clock } = this.#options;
    if (!(await deliveries.claim(delivery, clock.now() + LEASE_MS))) return; // another instance has it
    const claimed = { id: delivery.id, version: delivery.version + 1 };
    const attempt = delivery.attempt + 1;
    const body = JSON.stringify(auditEventJson(event));
    let lastStatus: number | null = null;
    let error: string | null = null;
    try {
      const answer = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tripod-Audit-Webhook',
          [SIGNATURE_HEADER]: signatureHeader(this.#options.secret, body, Math.floor(clock.now() / 1000)),
          'tripod-event-id': String(event.id),
          'tripod-delivery-attempt': String(attempt),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), this.#stopping.signal]),
      });
      lastStatus = answer.status;
      await answer.body?.cancel();
      if (answer.status < 200 || answer.status > 299) error = `HTTP ${answer.status}`;
    } catch (failure) {
      const cause = (failure as Error).cause as Error | undefined;
      error = `${(failure as Error).message}${cause?.message ? `: ${cause.message}` : ''}`.slice(0, 500);
    }
    const now = clock.now();
    const outcome =
      error === null
        ? { status: 'delivered' as const, nextTryAt: now, lastStatus, error }
        : attempt >= DELIVERY_ATTEMPTS
          ? { status: 'failed' as const, nextTryAt: now, lastStatus, error }
          : { status: 'pending' as const, nextTryAt: now + retryDelayMs(attempt), lastStatus, error };
    if (!(await deliveries.settle(claimed, outcome))) {
      this.#options.warn?.(null, 'an audit webhook delivery outlived its claim; another instance retries it');
    } else if (outcome.status === 'failed') {
      this.#options.warn?.(null, `gave up an audit webhook delivery after ${attempt} attempts: ${error}`);
    }
  }

  /** Polls every second until stopped. */
  start(): void {
    const tick = () => {
      this.#running = this.runOnce()
        .catch((error: unknown) => this.#options.warn?.(error, 'audit webhook round failed'))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, POLL_MS).unref();
        });
    };
    tick();
  }

  /** Stops polling and cuts sends in flight short; resolves when the round in progress has settled. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#stopping.abort(new Error('the server is shutting down'));
    await this.#running;
  }
}

/** Starts the sender with the server when --audit-webhook is set (a mounted Tripod too). */
export function sendAuditWebhooks(
  app: FastifyInstance,
  options: { config: ServerConfig; stores: { auditDeliveries: AuditDeliveryLog }; clock: Clock },
): void {
  const { auditWebhooks: urls, auditWebhookSecret: secret } = options.config;
  if (urls === null || urls.length === 0 || secret === null) return;
  const sender = new AuditWebhookSender({
    deliveries: options.stores.auditDeliveries,
    urls,
    secret,
    clock: options.clock,
    warn: (error, message) => app.log.warn({ err: error ?? undefined }, message),
  });
  app.addHook('onReady', async () => sender.start());
  app.addHook('onClose', () => sender.stop());
}

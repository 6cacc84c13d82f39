// The server's own state in memory: sessions, password resets, the debugger's entries, rate-limit windows,
// the audit trail and its webhook deliveries.

import { auditLimit, auditTypeMatches, rejectionsLimit } from '../limits.ts';
import { windowResetAt } from '../rate-limit-window.ts';
import {
  type AppIcon,
  type AppIconStore,
  type AuditDelivery,
  type AuditDeliveryLog,
  type AuditDeliveryOutcome,
  type AuditEvent,
  type AuditLog,
  type AuditQuery,
  type DailyCount,
  type DailyCountStore,
  type PasswordReset,
  type PasswordResetStore,
  type RateLimitStore,
  type RateLimitWindow,
  REJECTIONS_KEPT,
  type RejectedRequest,
  type RejectionLog,
  type Session,
  type SessionStash,
  type SessionStore,
  type StoredAuditEvent,
} from '../types.ts';

const copy = (session: Session): Session => ({
  ...session,
  stash: session.stash === null ? null : { ...session.stash },
});

export class MemorySessionStore implements SessionStore {
  readonly #byHash = new Map<string, Session>();

  async create(session: Session): Promise<void> {
    if (this.#byHash.has(session.idHash)) throw new Error('session already exists');
    this.#byHash.set(session.idHash, copy(session));
  }
  async get(idHash: string, now: number): Promise<Session | null> {
    const session = this.#byHash.get(idHash);
    return session && session.expiresAt > now ? copy(session) : null;
  }
  async delete(idHash: string): Promise<void> {
    this.#byHash.delete(idHash);
  }
  async listForUser(userId: string, now: number): Promise<Session[]> {
    return [...this.#byHash.values()]
      .filter((s) => s.userId === userId && s.expiresAt > now)
      .sort((a, b) => b.createdAt - a.createdAt || (a.idHash < b.idHash ? -1 : 1))
      .map(copy);
  }
  async deleteForUser(userId: string, except?: string): Promise<number> {
    return this.#deleteWhere((s) => s.userId === userId && s.idHash !== except);
  }
  async touch(idHash: string, lastSeenAt: number): Promise<boolean> {
    const session = this.#byHash.get(idHash);
    if (!session) return false;
    session.lastSeenAt = lastSeenAt;
    return true;
  }
  async deleteExpired(before: number): Promise<number> {
    return this.#deleteWhere((s) => s.expiresAt < before);
  }
  async setStash(idHash: string, stash: SessionStash | null): Promise<boolean> {
    const session = this.#byHash.get(idHash);
    if (!session) return false;
    session.stash = stash === null ? null : { ...stash };
    return true;
  }
  async deleteExpiredStashes(before: number): Promise<number> {
    let count = 0;
    for (const session of this.#byHash.values()) {
      if (session.stash !== null && session.stash.expiresAt < before) {
        session.stash = null;
        count++;
      }
    }
    return count;
  }
  #deleteWhere(doomed: (session: Session) => boolean): number {
    let count = 0;
    for (const [key, session] of this.#byHash) {
      if (doomed(session)) {
        this.#byHash.delete(key);
        count++;
      }
    }
    return count;
  }
}

export class MemoryPasswordResetStore implements PasswordResetStore {
  readonly #byHash = new Map<string, PasswordReset>();

  async create(reset: PasswordReset): Promise<void> {
    if (this.#byHash.has(reset.tokenHash)) throw new Error('password reset already exists');
    this.#byHash.set(reset.tokenHash, { ...reset });
  }
  async get(tokenHash: string, now: number): Promise<PasswordReset | null> {
    const reset = this.#byHash.get(tokenHash);
    return reset && reset.expiresAt > now ? { ...reset } : null;
  }
  async take(tokenHash: string, now: number): Promise<PasswordReset | null> {
    // No await between the look-up and the delete: one take wins.
    const reset = this.#byHash.get(tokenHash);
    if (!reset || reset.expiresAt <= now) return null;
    this.#byHash.delete(tokenHash);
    return { ...reset };
  }
  async deleteForUser(userId: string): Promise<number> {
    return this.#deleteWhere((r) => r.userId === userId);
  }
  async deleteExpired(before: number): Promise<number> {
    return this.#deleteWhere((r) => r.expiresAt < before);
  }
  #deleteWhere(doomed: (reset: PasswordReset) => boolean): number {
    let count = 0;
    for (const [key, reset] of this.#byHash) {
      if (doomed(reset)) {
        this.#byHash.delete(key);
        count++;
      }
    }
    return count;
  }
}

export class MemoryRejectionLog implements RejectionLog {
  readonly #byConsumer = new Map<string, RejectedRequest[]>();

  async record(consumerKey: string, entry: RejectedRequest): Promise<void> {
    const entries = this.#byConsumer.get(consumerKey) ?? [];
    entries.unshift(structuredClone(entry));
    entries.length = Math.min(entries.length, REJECTIONS_KEPT);
    this.#byConsumer.set(consumerKey, entries);
  }
  async recordMany(entries: readonly { consumerKey: string; entry: RejectedRequest }[]): Promise<void> {
    for (const { consumerKey, entry } of entries) await this.record(consumerKey, entry);
  }
  async list(consumerKey: string, limit?: number): Promise<RejectedRequest[]> {
    return structuredClone((this.#byConsumer.get(consumerKey) ?? []).slice(0, rejectionsLimit(limit)));
  }
  async forget(consumerKey: string): Promise<void> {
    this.#byConsumer.delete(consumerKey);
  }
}

export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, RateLimitWindow>();

  async hit(key: string, windowMs: number, now: number): Promise<RateLimitWindow> {
    const resetAt = windowResetAt(now, windowMs);
    const current = this.#windows.get(key);
    // A hit stamped in an earlier window than the stored one (clocks of two instances) counts in the later.
    const next =
      current && current.resetAt >= resetAt
        ? { count: current.count + 1, resetAt: current.resetAt }
        : { count: 1, resetAt };
    this.#windows.set(key, next);
    return { ...next };
  }
  async get(key: string, now: number): Promise<RateLimitWindow | null> {
    const current = this.#windows.get(key);
    return current && current.resetAt > now ? { ...current } : null;
  }
  async reset(key: string): Promise<void> {
    this.#windows.delete(key);
  }
  async deleteExpired(before: number): Promise<number> {
    let count = 0;
    for (const [key, window] of this.#windows) {
      if (window.resetAt <= before) {
        this.#windows.delete(key);
        count++;
      }
    }
    return count;
  }
}

export class MemoryAuditLog implements AuditLog {
  /** In the order appended; an event's id is its position plus one. */
  readonly #events: StoredAuditEvent[] = [];

  async append(event: AuditEvent): Promise<void> {
    this.#events.push({ ...structuredClone(event), id: this.#events.length + 1 });
  }
  async appendMany(events: readonly AuditEvent[]): Promise<void> {
    for (const event of events) await this.append(event);
  }
  async query(query: AuditQuery): Promise<StoredAuditEvent[]> {
    const found: StoredAuditEvent[] = [];
    const limit = auditLimit(query);
    // Appended in order; newest first means from the end, ties (same ms) by insertion.
    const sorted = [...this.#events].sort((a, b) => b.at - a.at || b.id - a.id);
    for (const event of sorted) {
      if (found.length >= limit) break;
      if (query.userId !== undefined && event.userId !== query.userId) continue;
      if (query.consumerKey !== undefined && event.consumerKey !== query.consumerKey) continue;
      if (query.since !== undefined && event.at < query.since) continue;
      if (!auditTypeMatches(query.type, event.type)) continue;
      found.push(structuredClone(event));
    }
    return found;
  }
  /** Every event at or after `since` (for the delivery log). */
  since(since: number): StoredAuditEvent[] {
    return this.#events.filter((e) => e.at >= since).map((e) => structuredClone(e));
  }
  byId(id: number): StoredAuditEvent | null {
    const event = this.#events[id - 1];
    return event ? structuredClone(event) : null;
  }
}

export class MemoryAuditDeliveryLog implements AuditDeliveryLog {
  readonly #events: MemoryAuditLog;
  readonly #deliveries: AuditDelivery[] = [];

  constructor(events: MemoryAuditLog) {
    this.#events = events;
  }

  async enqueue(url: string, since: number, now: number): Promise<number> {
    let added = 0;
    for (const event of this.#events.since(since)) {
      if (this.#deliveries.some((d) => d.eventId === event.id && d.url === url)) continue;
      this.#deliveries.push({
        id: this.#deliveries.length + 1,
        eventId: event.id,
        url,
        status: 'pending',
        attempt: 0,
        nextTryAt: now,
        lastStatus: null,
        error: null,
        version: 0,
      });
      added++;
    }
    return added;
  }
  async due(now: number, limit: number) {
    return this.#deliveries
      .filter((d) => d.status === 'pending' && d.nextTryAt <= now)
      .sort((a, b) => a.eventId - b.eventId || a.id - b.id)
      .slice(0, Math.max(0, limit))
      .map((d) => ({ delivery: { ...d }, event: this.#events.byId(d.eventId) as StoredAuditEvent }));
  }
  async claim(delivery: Pick<AuditDelivery, 'id' | 'version'>, leaseUntil: number): Promise<boolean> {
    const d = this.#deliveries[delivery.id - 1];
    if (!d || d.version !== delivery.version || d.status !== 'pending') return false;
    Object.assign(d, { nextTryAt: leaseUntil, attempt: d.attempt + 1, version: d.version + 1 });
    return true;
  }
  async settle(
    delivery: Pick<AuditDelivery, 'id' | 'version'>,
    outcome: AuditDeliveryOutcome,
  ): Promise<boolean> {
    const d = this.#deliveries[delivery.id - 1];
    if (!d || d.version !== delivery.version) return false;
    Object.assign(d, { ...outcome, version: d.version + 1 });
    return true;
  }
  async list(query: { eventId?: number; limit?: number }): Promise<AuditDelivery[]> {
    const limit = auditLimit(query);
    return query.eventId === undefined
      ? [...this.#deliveries]
          .sort((a, b) => b.eventId - a.eventId || b.id - a.id)
          .slice(0, limit)
          .map((d) => ({ ...d }))
      : this.#deliveries
          .filter((d) => d.eventId === query.eventId)
          .slice(0, limit)
          .map((d) => ({ ...d }));
  }
}

/** The daily counts in a Map keyed by day, metric and subject. */
export class MemoryDailyCountStore implements DailyCountStore {
  readonly #rows = new Map<string, DailyCount>();

  async add(counts: readonly DailyCount[]): Promise<void> {
    for (const { day, metric, subject, count } of counts) {
      const key = JSON.stringify([day, metric, subject]);
      const row = this.#rows.get(key);
      this.#rows.set(key, { day, metric, subject, count: (row?.count ?? 0) + count });
    }
  }

  async since(firstDay: string): Promise<DailyCount[]> {
    const order = (row: DailyCount) => [row.day, row.metric, row.subject];
    return [...this.#rows.values()]
      .filter((row) => row.day >= firstDay)
      .map((row) => ({ ...row }))
      .sort((a, b) => {
        const [x, y] = [order(a), order(b)];
        for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
        return 0;
      });
  }

  async deleteBefore(day: string): Promise<number> {
    let deleted = 0;
    for (const [key, row] of this.#rows) {
      if (row.day < day) {
        this.#rows.delete(key);
        deleted++;
      }
    }
    return deleted;
  }
}

/** The apps' icons, copied in and out. */
export class MemoryAppIconStore implements AppIconStore {
  readonly #icons = new Map<string, AppIcon>();

  async put(consumerKey: string, icon: AppIcon): Promise<void> {
    this.#icons.set(consumerKey, { ...icon, bytes: icon.bytes.slice() });
  }

  async get(consumerKey: string): Promise<AppIcon | null> {
    const icon = this.#icons.get(consumerKey);
    return icon ? { ...icon, bytes: icon.bytes.slice() } : null;
  }

  async delete(consumerKey: string): Promise<void> {
    this.#icons.delete(consumerKey);
  }
}

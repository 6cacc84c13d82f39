// The nonces of the last timestamp window, in memory, deciding in front of the SQLite file's nonce table
// with `--nonce-writes behind` (sqlite/open.ts): the window decides, and the table is written behind, every
// `flushIntervalMs` in one transaction, so that a restart still knows the nonces of the last window (read
// back into memory at open). The claim was the dearest part of a verified request: on SQLite a third of its
// CPU even group-committed (a commit per event-loop turn, growing B-trees). The table decides instead (each
// claim awaited, as by default) while the window is full (and, when the table held more nonces at open
// than the window holds, until those have expired), and for `othersQuietMs` after another connection to the
// file wrote to it (SQLite's data_version: another server or a tripod-server command on the same file; this
// process's own writes do not count), so that processes sharing a file see each other's claims. What this
// costs: a crash (not a stop, which writes everything) loses at most the last interval's claims, and two
// processes on one file see each other's claims up to one interval late.
//
// In front of a store that decides every first use (the default), recent-nonces.ts only shortcuts replays.

import { atTurnEnd } from '../provider/turn-end.ts';
import type { ExpiringNonceStore } from '../provider/types.ts';
import { OldestFirstMap } from './oldest-first-map.ts';
import { WriteBehind } from './write-behind.ts';

/** The nonce table of a store one instance owns: claims in batches, its latest expiry, others' writes. */
export interface OwnedNonceTable extends ExpiringNonceStore {
  /** Claims each key, all in one transaction; true for each key claimed here, false for one already taken. */
  claimEach(claims: readonly NonceClaim[]): Promise<boolean[]>;
  /** The latest expiry of any claimed key (ms), or null when none is stored. */
  latestExpiry(): Promise<number | null>;
  /** Up to `limit` of the keys it holds. */
  held(limit: number): Promise<NonceClaim[]>;
  /** Whether another connection has written to the database since the last call. */
  othersWrote(): boolean;
}

export interface NonceClaim {
  key: string;
  expiresAt: number;
}

export interface NonceWindowOptions {
  /** Nonces remembered at most; past it the table decides. Default 300,000 (about 35 MB). */
  maxEntries?: number;
  /** How often the claims decided in memory are written (ms). Default 100. */
  flushIntervalMs?: number;
  /** How long the table decides after another connection wrote to it (ms). Default 10,000. */
  othersQuietMs?: number;
  /** Milliseconds since the epoch, for the intervals above (tests pin it). */
  now?: () => number;
}

export const NONCE_WINDOW_DEFAULTS = {
  maxEntries: 300_000,
  flushIntervalMs: 100,
  othersQuietMs: 10_000,
} as const;

/**
 * Nonces are remembered as the stores keep them: used until they are purged, whatever their expiry. They
 * are forgotten by the verifier's own time, which every claim brings (`now`: expiries are on that clock,
 * which a test or an embedder may set anywhere), or by the server's purge.
 */
export class NonceWindow implements ExpiringNonceStore {
  readonly #owned: OwnedNonceTable;
  readonly #maxEntries: number;
  readonly #flushIntervalMs: number;
  readonly #othersQuietMs: number;
  readonly #now: () => number;
  /** Key → expiry (ms, the verifier's clock), in arrival order, nearly expiry order. */
  readonly #used = new OldestFirstMap<number>();
  /** Claims decided here and not yet written. */
  #pending: NonceClaim[] = [];
  readonly #writeBehind: WriteBehind<NonceClaim[]>;
  /** The verifier's latest time, from the claims (ms). */
  #verifierNow = Number.NEGATIVE_INFINITY;
  /** The table held more than the window at open: it decides until those nonces have expired (verifier's ms). */
  #heldUntil: number;
  /** Another connection wrote to the file: the table decides until then (this window's clock). */
  #othersQuietAt = Number.NEGATIVE_INFINITY;
  #nextOthersCheck = Number.NEGATIVE_INFINITY;
  #closed = false;

  /**
   * In front of the table of a store this instance owns (the SQLite file): decides, and writes behind. The
   * nonces the table holds (the previous run's) are read into memory first; if there are more than the
   * window holds, the table decides until they have expired.
   */
  static async owning(table: OwnedNonceTable, options: NonceWindowOptions = {}): Promise<NonceWindow> {
    table.othersWrote();
    const maxEntries = options.maxEntries ?? NONCE_WINDOW_DEFAULTS.maxEntries;
    const held = await table.held(maxEntries + 1);
    const fits = held.length <= maxEntries;
    const heldUntil = fits ? Number.NEGATIVE_INFINITY : ((await table.latestExpiry()) ?? 0);
    const window = new NonceWindow(table, heldUntil, options);
    if (fits) for (const { key, expiresAt } of held) window.#used.set(key, expiresAt);
    return window;
  }

  private constructor(owned: OwnedNonceTable, heldUntil: number, options: NonceWindowOptions) {
    this.#owned = owned;
    this.#maxEntries = options.maxEntries ?? NONCE_WINDOW_DEFAULTS.maxEntries;
    this.#flushIntervalMs = options.flushIntervalMs ?? NONCE_WINDOW_DEFAULTS.flushIntervalMs;
    this.#othersQuietMs = options.othersQuietMs ?? NONCE_WINDOW_DEFAULTS.othersQuietMs;
    this.#now = options.now ?? Date.now;
    this.#heldUntil = heldUntil;
    this.#writeBehind = new WriteBehind({
      take: () => {
        const batch = this.#pending;
        this.#pending = [];
        this.#forgetExpired();
        return batch;
      },
      write: (batch) => this.#write(batch),
      intervalMs: this.#flushIntervalMs,
    });
  }

  /** Whether claims are decided here (and written behind) rather than by the store. */
  get decidesInMemory(): boolean {
    return this.#verifierNow >= this.#heldUntil && this.#now() >= this.#othersQuietAt;
  }

  async claim(key: string, expiresAt: number, now?: number): Promise<boolean> {
    if (this.#closed) throw new Error('the nonce store is closed');
    if (now !== undefined && now > this.#verifierNow) this.#verifierNow = now;
    if (this.#used.has(key)) return false;
    // Asked once per interval (the pragma costs as much as a verification's HMAC): another process's
    // claim is news to this one at most an interval late, as this one's are to it.
    const clock = this.#now();
    if (clock >= this.#nextOthersCheck) {
      this.#nextOthersCheck = clock + this.#flushIntervalMs;
      if (this.#owned.othersWrote()) this.#storeDecidesAgain(clock);
    }
    const full = this.#used.size >= this.#maxEntries && !this.#forgetExpired();
    if (full || !this.decidesInMemory) {
      const claimed = await this.#owned.claim(key, expiresAt, now);
      // Claimed now or before: used either way.
      if (!full) this.#used.set(key, expiresAt);
      return claimed;
    }
    this.#used.set(key, expiresAt);
    this.#pending.push({ key, expiresAt });
    this.#writeBehind.schedule();
    // Decided now (a replay later in this turn finds the key), settled with the turn's other answers
    // (turn-end.ts), as claims the store decides settle with the turn's group commit. Settled at once,
    // each answer went out alone in the middle of the turn's reads: 1.28x the requests per CPU-second
    // with a setImmediate of its own than without (BENCHMARKS.md, 2026-12-01).
    await atTurnEnd();
    return true;
  }

  /** Another connection writes the file: the table decides for a while, and gets what is pending now. */
  #storeDecidesAgain(clock: number): void {
    this.#othersQuietAt = clock + this.#othersQuietMs;
    if (this.#pending.length > 0) void this.flush();
  }

  /**
   * Forgets the nonces that expired by the verifier's latest time, oldest first, stopping at the first
   * still live (the few that arrive out of order wait for it, or for the purge). Whether any went.
   */
  #forgetExpired(): boolean {
    const verifierNow = this.#verifierNow;
    return this.#used.deleteOldestWhile((expiresAt) => expiresAt < verifierNow) > 0;
  }

  /** Writes the claims decided in memory so far (the timer's job; also before the store closes). */
  flush(): Promise<void> {
    return this.#writeBehind.flush();
  }

  async #write(batch: NonceClaim[]): Promise<void> {
    if (batch.length === 0) return;
    let claimed: boolean[];
    try {
      claimed = await this.#owned.claimEach(batch);
    } catch {
      if (this.#closed) return;
      // Not written (the file was locked past its busy timeout): the claims stay decided in memory and
      // are written with the next batch.
      this.#pending = batch.concat(this.#pending);
      this.#writeBehind.schedule();
      return;
    }
    // A key this process decided was new was already in the table: another process claimed it.
    if (claimed.includes(false)) this.#storeDecidesAgain(this.#now());
  }

  /** Writes what is pending; claims fail from then on. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  /** The server's purge (every few minutes): what is pending is written first, so the table has it all. */
  async deleteExpired(before: number): Promise<number> {
    await this.flush();
    this.#used.deleteWhere((expiresAt) => expiresAt < before);
    if (before > this.#heldUntil) this.#heldUntil = Number.NEGATIVE_INFINITY;
    return this.#owned.deleteExpired(before);
  }

  /** A metric, read when scraped: what is pending is written first. */
  async size(now: number): Promise<number> {
    await this.flush();
    return this.#owned.size(now);
  }

  /** Nonces remembered (for tests). */
  get remembered(): number {
    return this.#used.size;
  }
}

// Ephemeral, high-churn state in Redis, shared by every instance: nonce claims (SET NX with an absolute
// expiry equal to the end of the timestamp window, a turn's claims in one script call), fixed-window rate-limit counters (one small Lua script,
// atomic and with the same window rule as the SQL and memory stores) and revocation events (pub/sub).
// Every key starts with the configured prefix. Redis expires what it keeps, so the purges do nothing but
// tidy the nonce-count buckets.

import { createHash, randomUUID } from 'node:crypto';
import { Command, type Redis, ReplyError } from 'ioredis';
import type { ExpiringNonceStore } from '../../provider/types.ts';
import { InProcessRevocationBus } from '../in-process-revocation-bus.ts';
import { windowResetAt } from '../rate-limit-window.ts';
import type { RateLimitStore, RevocationBus, RevocationEvent } from '../types.ts';
import { redisCall, redisUnavailableOr } from './unavailable.ts';

// KEYS: the nonces' keys, then the count buckets' hash. ARGV: for each nonce, the second its claim expires
// at, which is also the bucket it is counted in. SET NX each; the claimed are counted per bucket. One 0/1 per
// nonce, in order.
const CLAIM_EACH = `
local n = #KEYS - 1
local claimed = {}
local counts = {}
for i = 1, n do
  local second = ARGV[i]
  if redis.call('SET', KEYS[i], '1', 'EXAT', second, 'NX') then
    claimed[i] = 1
    counts[second] = (counts[second] or 0) + 1
  else
    claimed[i] = 0
  end
end
for second, count in pairs(counts) do
  redis.call('HINCRBY', KEYS[n + 1], second, count)
end
return claimed
`;

/** What Redis knows the script by once it has run it (EVALSHA). */
const CLAIM_EACH_SHA = createHash('sha1').update(CLAIM_EACH).digest('hex');

/** Redis's answer to EVALSHA for a script it does not hold. */
function isNoScript(error: unknown): boolean {
  return error instanceof (ReplyError as typeof Error) && error.message.startsWith('NOSCRIPT');
}

interface PendingClaim {
  key: string;
  expiresAt: number;
  settle: (claimed: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * Nonces: one key per claim. For `size()`, successful claims are also counted in a hash of buckets by the
 * second they expire in, summed over the live seconds (a few hundred fields at most), rather than
 * scanning keys.
 *
 * The claims of one turn of the event loop (every request read from every socket that turn) go to Redis as
 * one script call, run after the turn's I/O (setImmediate): one command per batch rather than two per
 * request. ioredis spends more CPU on each command (its object, promise and timeout timer) than Redis
 * spends running it: on PostgreSQL + Redis it was the largest part of a verified request's own work. The
 * script is atomic, as each SET NX was; all of a batch's keys and its bucket hash are in one script call,
 * so a Redis Cluster would need them in one hash slot (Tripod talks to one Redis, not a cluster).
 */
export class RedisNonceStore implements ExpiringNonceStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #buckets: string;
  #pending: PendingClaim[] = [];
  /** Whether Redis held the claim script at the last answer (EVALSHA then, EVAL otherwise). */
  #scriptKnown = false;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = `${prefix}nonce:`;
    this.#buckets = `${prefix}nonce-buckets`;
  }

  claim(key: string, expiresAt: number): Promise<boolean> {
    return new Promise((settle, fail) => {
      if (this.#pending.length === 0) setImmediate(() => void this.#claimPending());
      this.#pending.push({ key, expiresAt, settle, fail });
    });
  }

  async #claimPending(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    // Each key with the second it expires at, rounded up: the provider's expiries are whole seconds
    // already (the end of the timestamp window), and a nonce may be remembered longer, never shorter. One
    // argument a claim, and a number of ten digits, which Node turns into text at a fraction of the cost
    // of the thirteen of milliseconds.
    const keysThenArguments: (string | number)[] = new Array(batch.length * 2 + 1);
    for (let i = 0; i < batch.length; i++) {
      const { key, expiresAt } = batch[i] as PendingClaim;
      keysThenArguments[i] = `${this.#prefix}${key}`;
      keysThenArguments[batch.length + 1 + i] = Math.ceil(expiresAt / 1000);
    }
    keysThenArguments[batch.length] = this.#buckets;
    // The script's text until Redis is known to hold it (this store's first batch), its SHA-1 after; its
    // text again when Redis says it does not hold it (NOSCRIPT: a restart, SCRIPT FLUSH).
    let byDigest = this.#scriptKnown;
    for (;;) {
      try {
        const claimed = await this.#claimScript(byDigest, batch.length + 1, keysThenArguments);
        this.#scriptKnown = true;
        for (let i = 0; i < batch.length; i++) (batch[i] as PendingClaim).settle(claimed[i] === 1);
        return;
      } catch (error) {
        if (byDigest && isNoScript(error)) {
          byDigest = this.#scriptKnown = false;
          continue;
        }
        for (const pending of batch) pending.fail(redisUnavailableOr(error));
        return;
      }
    }
  }

  /**
   * The claim script's call, as ioredis's own command sent with `sendCommand`, not as a command made with
   * `defineCommand`. Through that path the server promoted 62-85 KB a young-generation collection into V8's
   * old generation under load, against 37-38 KB this way (SQLite's: 24), and its peak RSS under the
   * benchmark was over 1.5x bare Fastify's in three of six repeats, against none of six (1.21-1.44x), for the
   * same CPU a request (BENCHMARKS.md, 2026-12-03 17:40). Which part of that path does it was not isolated;
   * bench/micro/redis-client-promotion.ts reproduces it outside Tripod. Auto-pipelining never holds this
   * command (open.ts): a batch is a turn's claims already, and auto-pipelining would hold it until the
   * previous batch's answer came back.
   */
  #claimScript(
    byDigest: boolean,
    keyCount: number,
    keysThenArguments: readonly (string | number)[],
  ): Promise<number[]> {
    const command = new Command(
      byDigest ? 'evalsha' : 'eval',
      [byDigest ? CLAIM_EACH_SHA : CLAIM_EACH, keyCount, ...keysThenArguments],
      { replyEncoding: 'utf8' },
    );
    this.#redis.sendCommand(command);
    return command.promise as Promise<number[]>;
  }

  async deleteExpired(before: number): Promise<number> {
    const buckets = await redisCall(() => this.#redis.hkeys(this.#buckets));
    const stale = buckets.filter((second) => Number(second) * 1000 < before);
    if (stale.length > 0) await redisCall(() => this.#redis.hdel(this.#buckets, ...stale));
    return 0;
  }

  async size(now: number): Promise<number> {
    const buckets = await redisCall(() => this.#redis.hgetall(this.#buckets));
    let live = 0;
    for (const [second, count] of Object.entries(buckets)) {
      if (Number(second) * 1000 >= now) live += Number(count);
    }
    return live;
  }
}

// KEYS: nonces' keys as found by SCAN. ARGV[1]: the nonces' key prefix. Each key still in the form written
// before migration 0012 (15 digits, '.', 43 characters) is renamed to the new one (the last 10 digits, '.',
// the first 22 characters: provider/signed-request.ts, `nonceKey`), which keeps its expiry. Checked here,
// not by SCAN's pattern alone, and skipped if it expired since the SCAN or its new form is taken already.
const COMPACT_KEYS = `
local p = #ARGV[1]
local renamed = 0
for i = 1, #KEYS do
  local old = KEYS[i]
  if #old == p + 59 and string.sub(old, p + 16, p + 16) == '.' and redis.call('EXISTS', old) == 1 then
    renamed = renamed + redis.call('RENAMENX', old, ARGV[1] .. string.sub(old, p + 6, p + 38))
  end
end
return renamed
`;

type RedisWithCompactKeys = Redis & {
  tripodCompactNonceKeys(keyCount: number, ...keysThenPrefix: string[]): Promise<number>;
};

/**
 * Converts the nonces an earlier Tripod left in Redis to the shorter keys of migration 0012, so that a
 * request claimed before the upgrade is still refused as a replay after it: once per Redis and prefix (a
 * marker key says it was done), with SCAN, a thousand keys at a time. Instances that open at once may both
 * run it; each key is renamed once. Returns how many this call renamed.
 */
export async function compactLegacyNonceKeys(redis: Redis, prefix: string): Promise<number> {
  const done = `${prefix}nonce-keys-compacted`;
  if ((await redisCall(() => redis.exists(done))) === 1) return 0;
  if (!('tripodCompactNonceKeys' in redis)) {
    redis.defineCommand('tripodCompactNonceKeys', { lua: COMPACT_KEYS });
  }
  const client = redis as RedisWithCompactKeys;
  const noncePrefix = `${prefix}nonce:`;
  // The prefix is the operator's: SCAN's glob characters in it are escaped.
  const pattern = `${noncePrefix.replace(/[*?[\]\\]/g, '\\$&')}00000*`;
  let cursor = '0';
  let renamed = 0;
  do {
    const [next, keys] = await redisCall(() => redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000));
    cursor = next;
    if (keys.length > 0) {
      renamed += await redisCall(() => client.tripodCompactNonceKeys(keys.length, ...keys, noncePrefix));
    }
  } while (cursor !== '0');
  await redisCall(() => redis.set(done, '1'));
  return renamed;
}

// KEYS[1]: the counter (a hash: r = window end, c = count). ARGV[1]: the end of this hit's window.
// A hit stamped in an earlier window than the stored one (two instances' clocks) counts in the stored one.
const HIT = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'r') or '0')
local resetAt = tonumber(ARGV[1])
local count
if stored >= resetAt then
  count = redis.call('HINCRBY', KEYS[1], 'c', 1)
  resetAt = stored
else
  redis.call('HSET', KEYS[1], 'r', ARGV[1], 'c', 1)
  count = 1
end
redis.call('PEXPIREAT', KEYS[1], resetAt)
return {count, resetAt}
`;

type RedisWithHit = Redis & {
  tripodRateLimitHit(key: string, resetAt: number): Promise<[number, number]>;
};

export class RedisRateLimitStore implements RateLimitStore {
  readonly #redis: RedisWithHit;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    if (!('tripodRateLimitHit' in redis)) {
      redis.defineCommand('tripodRateLimitHit', { numberOfKeys: 1, lua: HIT });
    }
    this.#redis = redis as RedisWithHit;
    this.#prefix = `${prefix}rate:`;
  }

  async hit(key: string, windowMs: number, now: number) {
    const resetAt = windowResetAt(now, windowMs);
    const [count, end] = await redisCall(() =>
      this.#redis.tripodRateLimitHit(`${this.#prefix}${key}`, resetAt),
    );
    return { count: Number(count), resetAt: Number(end) };
  }

  async get(key: string, now: number) {
    const [resetAt, count] = await redisCall(() => this.#redis.hmget(`${this.#prefix}${key}`, 'r', 'c'));
    if (resetAt === null || count === null || Number(resetAt) <= now) return null;
    return { count: Number(count), resetAt: Number(resetAt) };
  }

  async reset(key: string): Promise<void> {
    await redisCall(() => this.#redis.del(`${this.#prefix}${key}`));
  }

  async deleteExpired(): Promise<number> {
    return 0;
  }
}

/**
 * Revocation events over pub/sub: a dedicated subscriber connection (ioredis resubscribes after a
 * reconnect). Each instance delivers its own events at once and ignores their echo. Events published while
 * an instance is disconnected are lost to it: a cache that relies on them keeps a short safety TTL too.
 */
export class RedisRevocationBus implements RevocationBus {
  readonly #local = new InProcessRevocationBus();
  readonly #origin = randomUUID();
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;

  constructor(publisher: Redis, subscriber: Redis, prefix: string) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#channel = `${prefix}revocations`;
    subscriber.on('message', (channel: string, payload: string) => {
      if (channel !== this.#channel) return;
      try {
        const { origin, event } = JSON.parse(payload) as { origin: string; event: RevocationEvent };
        if (origin !== this.#origin) this.#local.deliver(event);
      } catch {
        // Not ours: ignore.
      }
    });
  }

  async listen(): Promise<void> {
    await redisCall(() => this.#subscriber.subscribe(this.#channel));
  }

  async publish(event: RevocationEvent): Promise<void> {
    this.#local.deliver(event);
    await redisCall(() =>
      this.#publisher.publish(this.#channel, JSON.stringify({ origin: this.#origin, event })),
    );
  }

  subscribe(listener: (event: RevocationEvent) => void): () => void {
    return this.#local.subscribe(listener);
  }
}

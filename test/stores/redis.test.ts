// Redis for the ephemeral state, on the real Redis of this machine under a key prefix of this file's own:
// nonce claims atomic across instances, keys that expire with the timestamp window, events across
// instances, and an outage that fails fast and heals by itself.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { nonceKey } from '../../src/provider/signed-request.ts';
import { StoreUnavailableError } from '../../src/stores/errors.ts';
import { connectRedis, openRedisStores, type RedisStores } from '../../src/stores/redis/open.ts';
import { compactLegacyNonceKeys, RedisNonceStore } from '../../src/stores/redis/stores.ts';
import type { RevocationEvent } from '../../src/stores/types.ts';
import { eventually } from './fixtures/eventually.ts';
import { legacyNonceKey, replayOf } from './fixtures/legacy-nonce-key.ts';
import { deleteRedisKeys, REDIS_URL, uniqueKeyPrefix } from './fixtures/services.ts';
import { TcpForwarder } from './fixtures/tcp-forwarder.ts';

const prefix = uniqueKeyPrefix('redis');
after(() => deleteRedisKeys(prefix));

async function withInstances(count: number, fn: (instances: RedisStores[]) => Promise<void>): Promise<void> {
  const instances = await Promise.all(
    Array.from({ length: count }, () => openRedisStores(REDIS_URL, { keyPrefix: prefix })),
  );
  try {
    await fn(instances);
  } finally {
    await Promise.all(instances.map((i) => i.close()));
  }
}

/** A nonce store on a client of its own, and a second connection to the same Redis for the test to use. */
async function withNonceStore(fn: (nonces: RedisNonceStore, client: Redis, other: Redis) => Promise<void>) {
  const client = connectRedis(REDIS_URL, {});
  await client.connect();
  const other = new Redis(REDIS_URL);
  try {
    await fn(new RedisNonceStore(client, prefix), client, other);
  } finally {
    client.disconnect();
    other.disconnect();
  }
}

describe('Redis stores', () => {
  test('of many concurrent claims of one nonce on three instances exactly one succeeds', async () => {
    await withInstances(3, async (instances) => {
      const expiresAt = Date.now() + 60_000;
      const claims = Array.from({ length: 60 }, (_, i) =>
        instances[i % 3]!.nonces.claim('contended', expiresAt),
      );
      const results = await Promise.all(claims);
      assert.equal(results.filter(Boolean).length, 1);
    });
  });

  test('opening converts the replay keys an earlier Tripod left (before 0012), once, keeping their expiry', async () => {
    const own = `${prefix}legacy[1]*:`;
    const redis = new Redis(REDIS_URL);
    try {
      const [claimed, unclaimed] = [replayOf('claimed-before'), replayOf('never-claimed')];
      const expiresAt = Date.now() + 60_000;
      await redis.set(`${own}nonce:${legacyNonceKey(claimed)}`, '1', 'PXAT', expiresAt);
      await redis.set(`${own}nonce:00000-in-no-known-form`, '1', 'PXAT', expiresAt);
      // Another prefix's keys are not this store's to convert.
      await redis.set(`${prefix}other:nonce:${legacyNonceKey(claimed)}`, '1', 'PXAT', expiresAt);
      const stores = await openRedisStores(REDIS_URL, { keyPrefix: own });
      try {
        assert.equal(await redis.exists(`${own}nonce:${legacyNonceKey(claimed)}`), 0);
        const ttl = await redis.pttl(`${own}nonce:${nonceKey(claimed)}`);
        assert.ok(ttl > 50_000 && ttl <= 60_000, `expiry kept: ${ttl} ms left`);
        assert.equal(await stores.nonces.claim(nonceKey(claimed), expiresAt), false);
        assert.equal(await stores.nonces.claim(nonceKey(unclaimed), expiresAt), true);
        assert.equal(await redis.exists(`${own}nonce:00000-in-no-known-form`), 1);
        assert.equal(await redis.exists(`${prefix}other:nonce:${legacyNonceKey(claimed)}`), 1);
        // Done once: a key in the old form written later (an instance not yet upgraded) is left as it is.
        await redis.set(`${own}nonce:${legacyNonceKey(unclaimed)}`, '1', 'PXAT', expiresAt);
        assert.equal(await compactLegacyNonceKeys(redis, own), 0);
        assert.equal(await redis.exists(`${own}nonce:${legacyNonceKey(unclaimed)}`), 1);
      } finally {
        await stores.close();
      }
    } finally {
      redis.disconnect();
    }
  });

  test("one turn's claims go out together and are decided one by one, in order, and counted", async () => {
    await withInstances(1, async ([stores]) => {
      const expiresAt = Date.now() + 60_000;
      const sizeBefore = await stores!.nonces.size(Date.now());
      const keys = Array.from({ length: 300 }, (_, i) => `turn-${i}`);
      const results = await Promise.all([
        ...keys.map((key) => stores!.nonces.claim(key, expiresAt + (key.length % 3) * 1000)),
        stores!.nonces.claim('turn-0', expiresAt),
      ]);
      assert.deepEqual(results, [...keys.map(() => true), false]);
      assert.equal((await stores!.nonces.size(Date.now())) - sizeBefore, 300);
      assert.deepEqual(
        await Promise.all([
          stores!.nonces.claim('turn-7', expiresAt),
          stores!.nonces.claim('turn-x', expiresAt),
        ]),
        [false, true],
      );
    });
  });

  test("a turn's claims go to Redis while the answer to the turn before is still unread", async () => {
    // Batches overlap: one turn's claims do not wait for the previous batch's answer (ioredis's
    // auto-pipelining held them back: one pipeline in flight per connection).
    await withNonceStore(async (nonces, client, observer) => {
      const expiresAt = Date.now() + 60_000;
      client.stream.pause(); // Redis answers; this client reads nothing until resumed
      const first = nonces.claim('overlap-1', expiresAt);
      await eventually(
        async () => (await observer.exists(`${prefix}nonce:overlap-1`)) === 1 || null,
        'first batch',
      );
      const second = nonces.claim('overlap-2', expiresAt);
      const third = nonces.claim('overlap-1', expiresAt);
      await eventually(
        async () => (await observer.exists(`${prefix}nonce:overlap-2`)) === 1 || null,
        'the second batch reaching Redis before the first answer was read',
      );
      client.stream.resume();
      assert.deepEqual(await Promise.all([first, second, third]), [true, true, false]);
    });
  });

  test('claims go on when Redis forgets the claim script (SCRIPT FLUSH), and replays are still refused', async () => {
    // The store sends the script's text first, then its SHA-1 (EVALSHA); a Redis that no longer holds it
    // (restarted, flushed) answers NOSCRIPT, and the batch is sent again with the text.
    await withNonceStore(async (nonces, _client, admin) => {
      const expiresAt = Date.now() + 60_000;
      assert.equal(await nonces.claim('flushed-1', expiresAt), true);
      assert.equal(await nonces.claim('flushed-2', expiresAt), true);
      await admin.script('FLUSH');
      assert.deepEqual(
        await Promise.all([nonces.claim('flushed-3', expiresAt), nonces.claim('flushed-1', expiresAt)]),
        [true, false],
      );
      assert.equal(await nonces.claim('flushed-4', expiresAt), true);
      assert.equal(await nonces.claim('flushed-3', expiresAt), false);
    });
  });

  test('a nonce key carries the prefix and expires when the timestamp window ends', async () => {
    await withInstances(1, async ([stores]) => {
      // The provider's expiries are whole seconds (the end of the window); any other is rounded up, so a
      // nonce is never forgotten early.
      const expiresAt = (Math.floor(Date.now() / 1000) + 300) * 1000;
      assert.equal(await stores!.nonces.claim('window', expiresAt), true);
      assert.equal(await stores!.nonces.claim('rounded', expiresAt - 250), true);
      const redis = new Redis(REDIS_URL);
      try {
        const at = await redis.call('pexpiretime', `${prefix}nonce:window`);
        assert.equal(Number(at), expiresAt);
        const rounded = await redis.call('pexpiretime', `${prefix}nonce:rounded`);
        assert.equal(Number(rounded), expiresAt);
      } finally {
        redis.disconnect();
      }
    });
  });

  test('rate-limit hits from several instances add up in one window', async () => {
    await withInstances(2, async ([a, b]) => {
      const now = Date.now();
      const hits = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a! : b!).rateLimits.hit('shared-key', 60_000, now),
        ),
      );
      assert.equal(Math.max(...hits.map((h) => h.count)), 20);
      assert.equal((await a!.rateLimits.get('shared-key', now))?.count, 20);
    });
  });

  test('a revocation published on one instance reaches the others through pub/sub', async () => {
    await withInstances(2, async ([a, b]) => {
      const seen: RevocationEvent[] = [];
      b!.revocations.subscribe((event) => seen.push(event));
      await a!.revocations.publish({ kind: 'consumer-changed', consumerKey: 'k1' });
      await eventually(async () => (seen.length > 0 ? seen : null), 'the event reached the other instance');
      assert.deepEqual(seen, [{ kind: 'consumer-changed', consumerKey: 'k1' }]);
    });
  });

  test('nothing listening on the port: opening fails with StoreUnavailableError', async () => {
    const closed = await new TcpForwarder({ host: '127.0.0.1', port: 6379 }).start();
    await closed.cut();
    await assert.rejects(
      openRedisStores(`redis://127.0.0.1:${closed.port}`, { keyPrefix: prefix, connectTimeoutMs: 500 }),
      StoreUnavailableError,
    );
  });

  test('Redis gone or not answering: calls fail with StoreUnavailableError, then succeed again by themselves', async () => {
    const forwarder = await new TcpForwarder({ host: '127.0.0.1', port: 6379 }).start();
    const stores = await openRedisStores(`redis://127.0.0.1:${forwarder.port}`, {
      keyPrefix: prefix,
      connectTimeoutMs: 500,
      commandTimeoutMs: 500,
    });
    try {
      assert.equal(await stores.nonces.claim('before', Date.now() + 60_000), true);
      await forwarder.cut();
      await assert.rejects(stores.nonces.claim('during', Date.now() + 60_000), StoreUnavailableError);
      await assert.rejects(stores.rateLimits.hit('k', 60_000, Date.now()), StoreUnavailableError);
      await assert.rejects(stores.ping(), StoreUnavailableError);
      await forwarder.restore();
      await eventually(
        async () => (await stores.nonces.claim('after', Date.now() + 60_000)) || null,
        'recovered',
      );
      assert.equal(
        await stores.nonces.claim('before', Date.now() + 60_000),
        false,
        'claims made before are kept',
      );

      forwarder.stall();
      await assert.rejects(stores.nonces.claim('stalled', Date.now() + 60_000), StoreUnavailableError);
      await forwarder.restore();
      await eventually(async () => {
        await stores.ping();
        return true;
      }, 'answering again');
    } finally {
      await forwarder.cut();
      await stores.close();
    }
  });
});

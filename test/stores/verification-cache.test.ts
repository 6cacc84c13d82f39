// The verification cache (src/stores/verification-cache.ts): the store contract through it, its bound, and
// revocation across instances: two real servers on one PostgreSQL + Redis (and on PostgreSQL alone, its
// LISTEN/NOTIFY bus), where the second has the token cached with a TTL far too long to help, must refuse
// within a second of the first revoking; on one SQLite file (no bus between processes) the TTL holds.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Consumer, ConsumerStore } from '../../src/provider/types.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';
import { openStores, type StoreSettings } from '../../src/stores/open-stores.ts';
import type { TripodStores } from '../../src/stores/types.ts';
import {
  belowVerificationCache,
  type VerificationCacheSizes,
  withVerificationCache,
} from '../../src/stores/verification-cache.ts';
import { grantAccessToken, startTestServer, type TestServer } from '../server/fixtures/test-server.ts';
import { createTestDatabase, deleteRedisKeys, REDIS_URL, uniqueKeyPrefix } from './fixtures/services.ts';
import { storeContract } from './store-contract.ts';

storeContract('memory with the verification cache', async () => withVerificationCache(createMemoryStores()));

const database = await createTestDatabase('cache');
const prefix = uniqueKeyPrefix('cache');
const dataDir = mkdtempSync(join(tmpdir(), 'tripod-cache-'));
after(async () => {
  await database.drop();
  await deleteRedisKeys(prefix);
  rmSync(dataDir, { recursive: true, force: true });
});

const sizes = (server: TestServer) =>
  (
    server.stores as TripodStores & { verificationCacheSizes(): VerificationCacheSizes }
  ).verificationCacheSizes();

/** Asks B until it refuses; returns how long that took after the change on A (ms), or fails past `limitMs`. */
async function refusedWithin(
  server: TestServer,
  credentials: Parameters<TestServer['client']['call']>[0]['credentials'],
  limitMs: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const answer = await server.client.call({
      method: 'GET',
      url: '/1.1/account/verify_credentials.json',
      credentials,
    });
    const elapsed = performance.now() - started;
    if (answer.status === 401) return elapsed;
    assert.equal(answer.status, 200, answer.text);
    assert.ok(elapsed < limitMs, `still accepted ${Math.round(elapsed)} ms after the change`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Two servers on the same stores' settings, B having read `credentials` (so it holds them cached). */
async function twoServers(settings: StoreSettings) {
  const a = await startTestServer({ stores: await openStores(settings) });
  const b = await startTestServer({ stores: await openStores(settings) });
  return {
    a,
    b,
    async close() {
      for (const server of [a, b]) {
        await server.close();
        await server.stores.close();
      }
    },
  };
}

async function cachedOnB(
  b: TestServer,
  credentials: Required<Parameters<TestServer['client']['call']>[0]['credentials']>,
) {
  const answer = await b.client.call({
    method: 'GET',
    url: '/1.1/account/verify_credentials.json',
    credentials,
  });
  assert.equal(answer.status, 200, answer.text);
  assert.ok(sizes(b).accessTokens >= 1 && sizes(b).consumers >= 1, 'B holds the consumer and the token');
}

function revocationAcrossInstances(name: string, settings: () => StoreSettings, limitMs: number) {
  describe(`revocation across two servers on ${name}`, () => {
    test('a token invalidated on A is refused by B, which had it cached', async () => {
      const { a, b, close } = await twoServers(settings());
      try {
        const token = await grantAccessToken(a, a.pinApp, 'read-write');
        await cachedOnB(b, token);
        const revoked = await a.client.call({
          method: 'POST',
          url: '/oauth/invalidate_token',
          credentials: token,
        });
        assert.equal(revoked.status, 200, revoked.text);
        await refusedWithin(b, token, limitMs);
      } finally {
        await close();
      }
    });

    test('an app disabled, or its secret regenerated, on A is refused by B at once', async () => {
      const { a, b, close } = await twoServers(settings());
      try {
        const token = await grantAccessToken(a, a.webApp, 'read-write');
        await cachedOnB(b, token);
        const consumer = (await a.stores.consumers.get(token.consumerKey))!;
        await a.stores.consumers.update({ ...consumer, secret: 'a-new-secret' });
        await refusedWithin(b, token, limitMs);
        const reader = await grantAccessToken(a, a.readApp, 'read');
        await cachedOnB(b, reader);
        const readApp = (await a.stores.consumers.get(reader.consumerKey))!;
        await a.stores.consumers.update({ ...readApp, disabled: true });
        await refusedWithin(b, reader, limitMs);
      } finally {
        await close();
      }
    });

    test('the connected-apps revoke (every token of one user for one app) on A is refused by B', async () => {
      const { a, b, close } = await twoServers(settings());
      try {
        const token = await grantAccessToken(a, a.readApp, 'read');
        await cachedOnB(b, token);
        assert.equal(await a.stores.accessTokens.revokeAllFor(token.consumerKey, a.user.id, Date.now()), 1);
        await refusedWithin(b, token, limitMs);
      } finally {
        await close();
      }
    });
  });
}

// A TTL of a minute: only the bus can make B refuse within the second.
const ONE_MINUTE = { ttlMs: 60_000 };
let schemas = 0;
revocationAcrossInstances(
  'PostgreSQL + Redis (the Redis bus)',
  () => ({
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    keyPrefix: `${prefix}${++schemas}:`,
    postgres: { schema: `cache_${schemas}` },
    verificationCache: ONE_MINUTE,
  }),
  1000,
);
revocationAcrossInstances(
  'PostgreSQL alone (LISTEN/NOTIFY)',
  () => ({
    databaseUrl: database.url,
    postgres: { schema: `cache_${++schemas}` },
    verificationCache: ONE_MINUTE,
  }),
  1000,
);
// One SQLite file shared by two processes has no bus between them: the default TTL (1 s) is what holds.
// The margin over a second is this shared machine's scheduling, not the cache.
revocationAcrossInstances(
  'one SQLite file (no bus: the 1 s TTL)',
  () => ({ dataDir: mkdtempSync(join(dataDir, 'db-')) }),
  1250,
);

describe('the verification cache', () => {
  const app = (key: string, name = key): Consumer => ({
    key,
    secret: 's',
    name,
    description: '',
    website: '',
    ownerUserId: null,
    callbackUrls: [],
    accessLevel: 'read',
    xauth: false,
    rsaPublicKey: null,
    disabled: false,
    createdAt: 0,
  });

  test('is bounded: the oldest entry goes first', async () => {
    const memory = createMemoryStores();
    for (const key of ['k1', 'k2', 'k3']) await memory.consumers.create(app(key));
    const stores = withVerificationCache(memory, { maxEntries: 2 });
    for (const key of ['k1', 'k2', 'k1', 'k3']) assert.equal((await stores.consumers.get(key))?.key, key);
    assert.equal(stores.verificationCacheSizes().consumers, 2);
    // Changed behind the cache's back (no event): k1, cached first, went when k3 came, so it is read again;
    // k3 is still answered from the cache.
    await memory.consumers.update(app('k1', 'One, renamed'));
    await memory.consumers.update(app('k3', 'Three, renamed'));
    assert.equal((await stores.consumers.get('k1'))?.name, 'One, renamed');
    assert.equal((await stores.consumers.get('k3'))?.name, 'k3');
  });

  test('answers a key no app has without asking the store, and learns new apps within the TTL', async () => {
    const memory = createMemoryStores();
    await memory.consumers.create(app('real'));
    let asked = 0;
    const get = memory.consumers.get.bind(memory.consumers);
    memory.consumers.get = (key) => {
      asked++;
      return get(key);
    };
    let now = 1_000;
    const stores = withVerificationCache(memory, { now: () => now });
    assert.equal((await stores.consumers.get('real'))?.key, 'real');
    asked = 0;
    for (let i = 0; i < 100; i++) assert.equal(await stores.consumers.get(`made-up-${i}`), null);
    assert.equal(asked, 0, 'made-up keys cost no lookup');
    assert.equal(stores.verificationCacheSizes().consumers, 1, 'and push nothing out of the cache');
    // Created through the cache (this process, or another on the bus): known at once.
    await stores.consumers.create(app('new-here'));
    assert.equal((await stores.consumers.get('new-here'))?.key, 'new-here');
    // Created behind its back (tripod-server app add on the same SQLite file): known once the list is a
    // TTL old.
    await memory.consumers.create(app('new-elsewhere'));
    assert.equal(await stores.consumers.get('new-elsewhere'), null);
    now += 1_000;
    assert.equal((await stores.consumers.get('new-elsewhere'))?.key, 'new-elsewhere');
  });

  test('steps aside past maxKnownKeys: every key is looked up', async () => {
    const memory = createMemoryStores();
    for (const key of ['a', 'b', 'c']) await memory.consumers.create(app(key));
    let asked = 0;
    const get = memory.consumers.get.bind(memory.consumers);
    memory.consumers.get = (key) => {
      asked++;
      return get(key);
    };
    const stores = withVerificationCache(memory, { maxKnownKeys: 2 });
    assert.equal(await stores.consumers.get('made-up'), null);
    assert.equal((await stores.consumers.get('c'))?.key, 'c');
    assert.equal(asked, 2);
  });

  test('shares one lookup among the misses of a key while it runs, but not past an invalidation or a TTL', async () => {
    const memory = createMemoryStores();
    await memory.consumers.create(app('busy'));
    // The store answers when told to, so that requests can arrive while a lookup runs.
    const lookups: { key: string; answer: () => void }[] = [];
    const get = memory.consumers.get.bind(memory.consumers);
    memory.consumers.get = (key) =>
      new Promise((resolve, reject) => {
        lookups.push({ key, answer: () => get(key).then(resolve, reject) });
      });
    let now = 1_000;
    const stores = withVerificationCache(memory, { now: () => now });
    const answerAll = async () => {
      for (const lookup of lookups.splice(0)) lookup.answer();
      await new Promise((resolve) => setImmediate(resolve));
    };
    await stores.consumers.get('made-up'); // the list of known keys, read once
    await answerAll();

    // 50 requests arrive before the store answers: one lookup.
    const first = Array.from({ length: 50 }, () => stores.consumers.get('busy'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lookups.length, 1);
    await answerAll();
    for (const answer of await Promise.all(first)) assert.equal(answer?.key, 'busy');

    // The entry expires: again one lookup for everything that misses meanwhile.
    now += 1_000;
    const second = Array.from({ length: 50 }, () => stores.consumers.get('busy'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lookups.length, 1);

    // The app changes while that lookup runs: a request after the change does not take its answer.
    await memory.consumers.update(app('busy', 'Renamed'));
    await stores.consumers.update(app('busy', 'Renamed'));
    const afterChange = stores.consumers.get('busy');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lookups.length, 2, 'a lookup of its own');
    await answerAll();
    assert.equal((await afterChange)?.name, 'Renamed');
    assert.equal((await Promise.all(second)).length, 50);

    // A lookup the store never answers holds the others back for a TTL at most.
    now += 1_000;
    const stuck = stores.consumers.get('busy');
    now += 999;
    void stores.consumers.get('busy');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lookups.length, 1, 'shared within the TTL');
    now += 1;
    const retried = stores.consumers.get('busy');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lookups.length, 2, 'asked again after it');
    lookups[1]?.answer();
    assert.equal((await retried)?.name, 'Renamed');
    lookups[0]?.answer();
    assert.equal((await stuck)?.name, 'Renamed');
  });

  test('takes a layer below it (store timing) sharing its entries and its invalidation', async () => {
    const memory = createMemoryStores();
    await memory.consumers.create(app('k1'));
    const stores = withVerificationCache(memory, { now: () => 0 });
    assert.equal((await stores.consumers.get('k1'))?.name, 'k1');
    const seen: string[] = [];
    const counting = (below: TripodStores): TripodStores => {
      const layer: TripodStores = Object.create(below);
      const consumers: ConsumerStore = Object.create(below.consumers);
      consumers.get = (key) => {
        seen.push(key);
        return below.consumers.get(key);
      };
      layer.consumers = consumers;
      return layer;
    };
    const layered = belowVerificationCache(stores, counting);
    assert.equal((await layered.consumers.get('k1'))?.name, 'k1');
    assert.deepEqual(seen, [], 'an entry cached before the layer came is still a hit');
    // A change through either bundle reaches the one cache.
    await stores.consumers.update(app('k1', 'One, renamed'));
    assert.equal((await layered.consumers.get('k1'))?.name, 'One, renamed');
    assert.equal((await layered.consumers.get('k1'))?.name, 'One, renamed');
    assert.deepEqual(seen, ['k1'], 'read once through the layer, then cached');
    assert.equal((await stores.consumers.get('k1'))?.name, 'One, renamed');
    assert.equal(layered.revocations, memory.revocations, "everything else is the stores' own");
    // Without a cache, the layer is simply put on top.
    const bare = belowVerificationCache(memory, counting);
    await bare.consumers.get('k1');
    assert.deepEqual(seen, ['k1', 'k1']);
  });
});

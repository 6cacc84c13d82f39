// The recent nonces (src/stores/recent-nonces.ts) in front of a store that decides every first use: a
// replay of a key held here is refused without asking the store, a first use never is.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { MemoryNonceStore } from '../../src/stores/memory/nonces.ts';
import { HELD_KEY_BYTES, RecentNonces } from '../../src/stores/recent-nonces.ts';

/** The deciding store, counting what it is asked. */
class CountingStore extends MemoryNonceStore {
  asked = 0;
  override claim(key: string, expiresAt: number) {
    this.asked++;
    return super.claim(key, expiresAt);
  }
}

const soon = () => Date.now() + 60_000;

describe('recent nonces in front of a deciding store (PostgreSQL, Redis, SQLite by default)', () => {
  test('refuses a key it holds without asking the store; one another instance claimed is held once refused', async () => {
    const store = new CountingStore();
    const recent = new RecentNonces(store);
    assert.equal(await recent.claim('n1', soon(), Date.now()), true);
    assert.equal(await recent.claim('n1', soon(), Date.now()), false, 'a replay');
    assert.equal(store.asked, 1, 'the replay was refused from memory');
    await store.claim('n2', soon()); // another instance's claim, straight into the shared store
    store.asked = 0;
    assert.equal(await recent.claim('n2', soon()), false, 'the store refused it');
    assert.equal(await recent.claim('n2', soon()), false);
    assert.equal(store.asked, 1, 'and the refusal is remembered');
  });

  test('knownClaimed answers from memory alone: true only for a key held here', async () => {
    const store = new CountingStore();
    const recent = new RecentNonces(store, { places: 1 });
    assert.equal(recent.knownClaimed('n1'), false, 'never seen');
    assert.equal(await recent.claim('n1', soon()), true);
    assert.equal(recent.knownClaimed('n1'), true);
    assert.equal(recent.knownClaimed('n2'), false, 'same place, another key');
    await store.claim('n3', soon()); // another instance's claim, straight into the shared store
    assert.equal(recent.knownClaimed('n3'), false, 'not known here: claim asks the store');
    assert.equal(await recent.claim('n2', soon()), true);
    assert.equal(recent.knownClaimed('n1'), false, 'its place taken: the store decides it again');
    assert.equal(store.asked, 3, 'two claims through it and one straight: knownClaimed never asks the store');
    await recent.close();
    assert.equal(recent.knownClaimed('n2'), false, 'closed: claim answers (it refuses to)');
  });

  test('one place per key: a newer key takes it, and the older one is then the store’s to refuse', async () => {
    const store = new CountingStore();
    const recent = new RecentNonces(store, { places: 1 });
    assert.equal(await recent.claim('old', soon()), true);
    assert.equal(
      await recent.claim('new', soon()),
      true,
      'a first use is never refused for the place being taken',
    );
    assert.equal(recent.remembered, 1);
    store.asked = 0;
    assert.equal(await recent.claim('old', soon()), false);
    assert.equal(store.asked, 1, 'forgotten here: the store was asked, and refused it');
  });

  test('never refuses a first use, whatever keys share places, and refuses every replay', async () => {
    const store = new CountingStore();
    const recent = new RecentNonces(store, { places: 64 });
    const used: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      // A replay of one of the last few keys half the time, else a new key.
      const replay = i % 2 === 1 && used.length >= 3;
      const key = replay ? used[used.length - 1 - (i % 3)]! : randomBytes(12).toString('base64url');
      assert.equal(await recent.claim(key, soon()), !replay, key);
      if (!replay) used.push(key);
    }
    assert.ok(recent.remembered <= 64);
  });

  test('a key is held by its every character: one differing only in its last is a first use', async () => {
    const store = new CountingStore();
    const recent = new RecentNonces(store, { places: 1 });
    const key = `1796200000.${'A'.repeat(21)}`;
    assert.equal(await recent.claim(`${key}B`, soon()), true);
    assert.equal(await recent.claim(`${key}C`, soon()), true, 'same place, same length, another key');
    assert.equal(await recent.claim(`${key}C`, soon()), false);
    assert.equal(store.asked, 2, 'the replay was refused from memory');
  });

  test('a key too long to hold, or with a character outside Latin-1, is the store’s to refuse each time', async () => {
    for (const key of ['k'.repeat(HELD_KEY_BYTES + 1), `1796200000.${'é'.repeat(10)}ключ`]) {
      const store = new CountingStore();
      const recent = new RecentNonces(store, { places: 1 });
      assert.equal(await recent.claim('held', soon()), true);
      assert.equal(await recent.claim(key, soon()), true, key);
      assert.equal(recent.remembered, 0, 'its place holds nothing, not the key it took the place of');
      assert.equal(await recent.claim(key, soon()), false, 'the store refused the replay');
      assert.equal(store.asked, 3);
      assert.equal(await recent.claim('held', soon()), false, 'forgotten here, refused by the store');
    }
    const empty = new RecentNonces(new CountingStore(), { places: 1 });
    assert.equal(await empty.claim('', soon()), true, 'an empty key is not taken for an empty place');
    assert.equal(await empty.claim('', soon()), false);
    const longest = new RecentNonces(new CountingStore(), { places: 1 });
    assert.equal(await longest.claim('k'.repeat(HELD_KEY_BYTES), soon()), true);
    assert.equal(longest.remembered, 1, 'a key of exactly the room a place has is held');
  });

  test('holds at most its places (a power of two), 16,384 by default', async () => {
    const recent = new RecentNonces(new MemoryNonceStore());
    for (let i = 0; i < 40_000; i++) await recent.claim(`key-${i}`, soon());
    assert.ok(recent.remembered <= 16_384, String(recent.remembered));
    assert.ok(recent.remembered > 10_000, 'most places are in use');
    const three = new RecentNonces(new MemoryNonceStore(), { places: 3 });
    for (let i = 0; i < 100; i++) await three.claim(`key-${i}`, soon());
    assert.ok(three.remembered <= 4);
  });

  test('keys of nonceKey’s shape (one second’s timestamp, then a digest) spread over the places', async () => {
    const recent = new RecentNonces(new MemoryNonceStore());
    for (let i = 0; i < 40_000; i++) {
      await recent.claim(`1796200000.${randomBytes(17).toString('base64url').slice(0, 22)}`, soon());
    }
    // 40,000 keys thrown at random into 16,384 places leave about 14,000 taken.
    assert.ok(recent.remembered > 13_500, String(recent.remembered));
  });

  test('the purge forgets the expired keys here as the store does, so they may be claimed again', async () => {
    const now = Date.now();
    const recent = new RecentNonces(new MemoryNonceStore());
    assert.equal(await recent.claim('old', now - 1_000), true);
    assert.equal(await recent.claim('live', now + 60_000), true);
    assert.equal(await recent.deleteExpired(now), 1);
    assert.equal(await recent.claim('old', now + 60_000), true);
    assert.equal(await recent.claim('live', now + 60_000), false);
    assert.equal(await recent.size(now), 2);
  });

  test('a closed store refuses to claim', async () => {
    const recent = new RecentNonces(new MemoryNonceStore());
    await recent.close();
    await assert.rejects(recent.claim('k', soon()), /closed/);
  });
});

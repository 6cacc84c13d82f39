// OldestFirstMap (src/stores/oldest-first-map.ts): lookups as a Map, the oldest entry found without walking
// the slots deleted before it, and a queue that stays bounded whatever mix of sets and deletes it gets.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OldestFirstMap } from '../../src/stores/oldest-first-map.ts';

describe('OldestFirstMap', () => {
  test('answers lookups as a Map does', () => {
    const map = new OldestFirstMap<number>();
    map.set('a', 1);
    map.set('b', 2);
    assert.equal(map.get('a'), 1);
    assert.equal(map.has('b'), true);
    assert.equal(map.get('c'), undefined);
    assert.equal(map.has('c'), false);
    assert.equal(map.size, 2);
    assert.equal(map.delete('a'), true);
    assert.equal(map.delete('a'), false);
    assert.equal(map.size, 1);
    assert.equal(map.places, 2, "a's place stays until the oldest is asked for");
    assert.equal(map.oldest()?.key, 'b');
    assert.equal(map.places, 1);
  });

  test('gives up entries oldest first, skipping the deleted and the set again', () => {
    const map = new OldestFirstMap<string>();
    for (const key of ['a', 'b', 'c', 'd']) map.set(key, key.toUpperCase());
    map.delete('a');
    map.set('b', 'B2'); // moves b to the end
    assert.deepEqual(map.oldest(), { key: 'c', value: 'C' });
    assert.equal(map.deleteOldest(), true);
    assert.deepEqual(map.oldest(), { key: 'd', value: 'D' });
    assert.equal(map.deleteOldest(), true);
    assert.deepEqual(map.oldest(), { key: 'b', value: 'B2' });
    assert.equal(map.deleteOldest(), true);
    assert.equal(map.oldest(), undefined);
    assert.equal(map.deleteOldest(), false);
    assert.equal(map.size, 0);
  });

  test('the same value set again under a key is a new arrival, not the old place', () => {
    const map = new OldestFirstMap<number>();
    map.set('x', 1);
    map.set('y', 2);
    map.set('x', 1);
    assert.equal(map.oldest()?.key, 'y');
    map.deleteOldest();
    assert.equal(map.get('x'), 1);
    map.deleteOldest();
    assert.equal(map.size, 0);
  });

  test('deleteOldestWhile stops at the first oldest that does not match', () => {
    const map = new OldestFirstMap<number>();
    for (const [key, expiry] of [
      ['a', 1],
      ['b', 2],
      ['c', 9],
      ['d', 3],
    ] as const)
      map.set(key, expiry);
    assert.equal(
      map.deleteOldestWhile((expiry) => expiry < 5),
      2,
    );
    assert.deepEqual([map.has('a'), map.has('b'), map.has('c'), map.has('d')], [false, false, true, true]);
    assert.equal(
      map.deleteOldestWhile((expiry) => expiry < 5),
      0,
    );
  });

  test('deleteWhere forgets every match wherever it is, and the order of the rest holds', () => {
    const map = new OldestFirstMap<number>();
    for (let i = 0; i < 10; i++) map.set(`k${i}`, i);
    map.deleteWhere((value) => value % 2 === 0);
    assert.equal(map.size, 5);
    const order: string[] = [];
    while (map.oldest() !== undefined) {
      order.push(map.oldest()!.key);
      map.deleteOldest();
    }
    assert.deepEqual(order, ['k1', 'k3', 'k5', 'k7', 'k9']);
  });

  test('a key set over and over, behind one that is never asked for, keeps its oldest-first order', () => {
    const map = new OldestFirstMap<number>();
    map.set('cold', 0);
    for (let i = 0; i < 100_000; i++) map.set('hot', i);
    assert.equal(map.size, 2);
    assert.ok(map.places <= 2 * map.size + 1024, `${map.places} places for 2 entries`);
    assert.deepEqual(map.oldest(), { key: 'cold', value: 0 });
    map.deleteOldest();
    assert.deepEqual(map.oldest(), { key: 'hot', value: 99_999 });
  });

  test('as a bounded window (drop the oldest per new key), it holds exactly the newest', () => {
    const map = new OldestFirstMap<number>();
    const max = 1000;
    for (let i = 0; i < 50_000; i++) {
      if (map.size >= max) map.deleteOldest();
      map.set(`n${i}`, i);
      if (i % 7 === 0) map.delete(`n${i - 3}`);
    }
    assert.ok(map.size <= max);
    assert.ok(map.places <= 2 * max + 1024, `${map.places} places for ${map.size} entries`);
    for (let i = 50_000 - 200; i < 50_000; i++) {
      if ((i + 3) % 7 === 0 && i + 3 < 50_000) assert.equal(map.has(`n${i}`), false);
      else assert.equal(map.get(`n${i}`), i);
    }
    assert.equal(map.has('n0'), false);
    assert.equal(map.has(`n${50_000 - max - 10}`), false);
  });

  test('clear empties it', () => {
    const map = new OldestFirstMap<number>();
    map.set('a', 1);
    map.clear();
    assert.equal(map.size, 0);
    assert.equal(map.oldest(), undefined);
  });
});

// What a session keeps between two requests is sealed with its cookie's id: only that id opens it, and
// only for that session's row.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { hashSessionId } from '../../src/server/browser-sessions.ts';
import { liveEntries, openStash, STASH_ENTRIES_MAX, sealStash } from '../../src/server/session-stash.ts';

const random = createRandomSource();
const session = (id: string) => ({ id, idHash: hashSessionId(id) });
const entries = { 'pin:rt': { value: { pin: '1234567', app: 'Birdie' }, expiresAt: 5_000 } };

describe('session stash', () => {
  test('opens with the cookie id it was sealed for, and with nothing else', () => {
    const mine = session('cookie-id-of-this-browser');
    const sealed = sealStash(entries, mine, random);
    assert.deepEqual(openStash(sealed, mine), entries);
    assert.ok(!sealed.includes('1234567'));
    assert.deepEqual(openStash(sealed, session('another-browser')), {});
    assert.deepEqual(
      openStash(sealed, { id: mine.idHash, idHash: mine.idHash }),
      {},
      'not with the stored hash',
    );
    assert.deepEqual(openStash(sealed, { id: mine.id, idHash: 'another row' }), {}, 'not in another row');
  });

  test('a damaged stash opens as empty rather than failing', () => {
    const mine = session('x');
    const sealed = sealStash(entries, mine, random);
    const flipped = `${sealed.slice(0, 20)}${sealed[20] === 'A' ? 'B' : 'A'}${sealed.slice(21)}`;
    assert.deepEqual(openStash(flipped, mine), {});
    assert.deepEqual(openStash('', mine), {});
  });

  test('two seals of the same entries differ (a fresh IV each time)', () => {
    const mine = session('x');
    assert.notEqual(sealStash(entries, mine, random), sealStash(entries, mine, random));
  });

  test('only live entries are kept, the latest-ending ones first, at most STASH_ENTRIES_MAX', () => {
    const many = Object.fromEntries(
      Array.from({ length: STASH_ENTRIES_MAX + 3 }, (_, i) => [`e${i}`, { value: {}, expiresAt: 100 + i }]),
    );
    const live = liveEntries(many, 101);
    assert.equal(Object.keys(live).length, STASH_ENTRIES_MAX);
    assert.ok(!('e0' in live) && !('e1' in live), 'expired ones are gone');
    assert.ok(`e${STASH_ENTRIES_MAX + 2}` in live);
  });
});

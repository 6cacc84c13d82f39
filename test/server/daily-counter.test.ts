// The operator's daily counts are keyed by UTC day; dayOf remembers the last day it formatted (it is asked
// on every counted request), which must never answer a time of another day.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dayOf } from '../../src/server/daily-counter.ts';

test('dayOf gives the UTC day of any time, in any order of asking, across midnight too', () => {
  const midnight = Date.UTC(2026, 10, 30);
  const near = fc.integer({ min: midnight - 2000, max: midnight + 2000 });
  const anywhere = fc.integer({ min: 0, max: 8_000_000_000_000 });
  fc.assert(
    fc.property(fc.array(fc.oneof(near, anywhere), { minLength: 1, maxLength: 50 }), (times) => {
      for (const ms of times) assert.equal(dayOf(ms), new Date(ms).toISOString().slice(0, 10));
    }),
    { numRuns: 2000 },
  );
  assert.equal(dayOf(midnight - 1), '2026-11-29');
  assert.equal(dayOf(midnight), '2026-11-30');
});

// The per-minute counts behind the audit trail's failure reports and the debugger's per-app cap: a count
// starts again at the minute's boundary, and a minute counts a bounded number of keys.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinuteCounts } from '../../src/server/minute-counts.ts';

const MINUTE_START = Date.UTC(2026, 11, 3, 18, 0);

test('counts each key within its minute and starts again at the next', () => {
  const counts = new MinuteCounts(10);
  assert.equal(counts.get('a', MINUTE_START), 0);
  assert.equal(counts.add('a', MINUTE_START), 1);
  assert.equal(counts.add('a', MINUTE_START + 59_999), 2);
  assert.equal(counts.add('b', MINUTE_START + 1), 1);
  assert.equal(counts.get('a', MINUTE_START + 30_000), 2);
  // The next minute: read as nothing counted yet, before and after its first count.
  assert.equal(counts.get('a', MINUTE_START + 60_000), 0);
  assert.equal(counts.add('b', MINUTE_START + 60_000), 1);
  assert.equal(counts.get('a', MINUTE_START + 60_001), 0);
  assert.equal(counts.get('b', MINUTE_START + 60_001), 1);
});

test('a minute counts at most the given number of keys; the known ones go on counting', () => {
  const counts = new MinuteCounts(3);
  for (const key of ['a', 'b', 'c']) assert.equal(counts.add(key, MINUTE_START), 1);
  assert.equal(counts.add('d', MINUTE_START), null);
  assert.equal(counts.get('d', MINUTE_START), 0);
  assert.equal(counts.add('a', MINUTE_START), 2);
  // A new minute has room again.
  assert.equal(counts.add('d', MINUTE_START + 60_000), 1);
});

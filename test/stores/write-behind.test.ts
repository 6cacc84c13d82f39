// The bounded queue in front of a write-behind timer (the debugger's refusals, the audit trail): what is
// queued is written in order, one batch a flush; past the bound new items are dropped, counted, and not
// even built.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WriteBehindQueue } from '../../src/stores/write-behind.ts';

test('queues up to the bound, drops and counts the rest without building them, writes in order', async () => {
  const written: { batch: number[]; dropped: number }[] = [];
  const queue = new WriteBehindQueue<number>({
    kept: 3,
    intervalMs: 60_000,
    write: async (batch, dropped) => {
      written.push({ batch, dropped });
    },
  });
  let built = 0;
  for (let i = 1; i <= 5; i++) {
    queue.push(() => {
      built++;
      return i;
    });
  }
  assert.equal(built, 3);
  assert.equal(queue.dropped, 2);
  await queue.flush();
  queue.push(() => 6);
  await queue.flush();
  await queue.flush();
  assert.deepEqual(written, [
    { batch: [1, 2, 3], dropped: 2 },
    { batch: [6], dropped: 2 },
    { batch: [], dropped: 2 },
  ]);
});

test('the timer writes what was queued within the interval', async () => {
  const written: string[][] = [];
  const queue = new WriteBehindQueue<string>({
    kept: 10,
    intervalMs: 5,
    write: async (batch) => {
      written.push(batch);
    },
  });
  queue.push(() => 'a');
  queue.push(() => 'b');
  const deadline = Date.now() + 2000;
  while (written.length === 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(written, [['a', 'b']]);
});

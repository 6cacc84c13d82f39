// Answers decided in one event-loop turn settle together at its end (src/provider/turn-end.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atTurnEnd } from '../../src/provider/turn-end.ts';

/** Awaits `settle`, then takes two more microtask steps, writing down each. */
async function answer(name: string, settle: () => Promise<void>, order: string[]): Promise<void> {
  await settle();
  order.push(`${name} settled`);
  await null;
  order.push(`${name} built`);
  await null;
  order.push(`${name} written`);
}

test("a turn's calls settle in one callback, after its I/O: what awaits them carries on side by side", async () => {
  const order: string[] = [];
  setImmediate(() => order.push('end of the turn'));
  await Promise.all(['a', 'b'].map((name) => answer(name, atTurnEnd, order)));
  assert.deepEqual(order, [
    'end of the turn',
    'a settled',
    'b settled',
    'a built',
    'b built',
    'a written',
    'b written',
  ]);
});

test("a call made while a turn's calls are released settles too, at the next turn's end", async () => {
  await atTurnEnd();
  let settled = false;
  const next = atTurnEnd().then(() => {
    settled = true;
  });
  await null;
  assert.equal(settled, false, 'not in the callback that released the last turn');
  await next;
  assert.equal(settled, true);
});

test('a setImmediate of its own for each would not do: each answer runs to its end before the next settles', async () => {
  // What turn-end.ts replaced, shown so the first test's order is not what any deferral gives.
  const { setImmediate: own } = await import('node:timers/promises');
  const order: string[] = [];
  await Promise.all(['a', 'b'].map((name) => answer(name, () => own(), order)));
  assert.deepEqual(order, ['a settled', 'a built', 'a written', 'b settled', 'b built', 'b written']);
});

// The bounded memory of answers (src/core/remembered.ts) behind the remembered parameter names, methods,
// base string URIs and RSA public keys: each key worked out once while remembered, never more than `limit`
// kept, long keys and failures never kept.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { remembered } from '../../src/core/remembered.ts';

function counting(limit: number, maxLength?: number) {
  const calls: string[] = [];
  const work = remembered(
    (key: string) => {
      calls.push(key);
      if (key === 'bad') throw new Error('cannot');
      return `<${key}>`;
    },
    { limit, maxLength },
  );
  return { calls, work };
}

describe('remembered answers', () => {
  it('works a key out once, then answers it from memory', () => {
    const { calls, work } = counting(4);
    assert.equal(work('a'), '<a>');
    assert.equal(work('a'), '<a>');
    assert.equal(work('b'), '<b>');
    assert.deepEqual(calls, ['a', 'b']);
  });

  it('keeps at most `limit` answers: a full memory is cleared, and its keys are worked out again', () => {
    const { calls, work } = counting(2);
    for (const key of ['a', 'b', 'c', 'a', 'c']) work(key);
    // a and b kept; c finds the memory full, clears it and is kept; a is worked out again, c is not.
    assert.deepEqual(calls, ['a', 'b', 'c', 'a']);
  });

  it('never keeps a key longer than maxLength, nor a failure', () => {
    const { calls, work } = counting(8, 3);
    work('long');
    work('long');
    assert.throws(() => work('bad'), /cannot/);
    assert.throws(() => work('bad'), /cannot/);
    assert.deepEqual(calls, ['long', 'long', 'bad', 'bad']);
  });
});

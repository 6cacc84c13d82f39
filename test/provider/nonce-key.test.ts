// The replay key is stored: stores written before a change must still find the keys written after it, so
// its text is pinned here, computed the straightforward way.

import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nonceKey, type SignedRequest } from '../../src/provider/signed-request.ts';

function referenceNonceKey(
  consumerKey: string,
  token: string | null,
  timestamp: number,
  nonce: string,
): string {
  const t = token ?? '';
  const tuple = `${consumerKey.length}:${consumerKey}${t.length}:${t}${timestamp}:${nonce}`;
  return `${String(timestamp).padStart(10, '0')}.${hash('sha256', tuple, 'base64url').slice(0, 22)}`;
}

describe('nonceKey', () => {
  it('is the zero-padded timestamp and the first 22 characters of the SHA-256 of the length-prefixed tuple', () => {
    const request = { consumerKey: 'ck', token: 'tk', timestamp: 1318622958, nonce: 'n0' } as SignedRequest;
    assert.equal(
      nonceKey(request),
      `1318622958.${hash('sha256', '2:ck2:tk1318622958:n0', 'base64url').slice(0, 22)}`,
    );
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.string(), { nil: null }),
        fc.nat(999_999_999_999_999),
        fc.string({ minLength: 1 }),
        (consumerKey, token, timestamp, nonce) => {
          const r = { consumerKey, token, timestamp, nonce } as SignedRequest;
          assert.equal(nonceKey(r), referenceNonceKey(consumerKey, token, timestamp, nonce));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sorts by timestamp: a later second never sorts before an earlier one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999_998 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        (timestamp, later, nonceA, nonceB) => {
          const at = (t: number, nonce: string) =>
            nonceKey({ consumerKey: 'ck', token: null, timestamp: t, nonce } as SignedRequest);
          const next = Math.min(timestamp + later, 9_999_999_999);
          assert.ok(at(timestamp, nonceA) < at(next, nonceB));
        },
      ),
      { numRuns: 500 },
    );
  });
});

// Verifiers and PINs are stored only as a keyed digest bound to their request token: the right verifier
// matches; a wrong one, the right one under another key, or a digest copied from another token's row does
// not; a stored value that is not a digest never matches.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { verifierDigest, verifierDigestMatches } from '../../src/provider/verifier-digest.ts';

const key = randomBytes(32);

describe('verifier digests', () => {
  test('hold neither the PIN nor a plain hash of it, and match only the verifier of that token under that key', () => {
    const stored = verifierDigest(key, 'request-token-a', '0421337');
    assert.match(stored, /^h1\.[A-Za-z0-9_-]{43}$/);
    assert.ok(!stored.includes('0421337'));
    assert.equal(verifierDigestMatches(key, 'request-token-a', stored, '0421337'), true);
    assert.equal(verifierDigestMatches(key, 'request-token-a', stored, '0421338'), false);
    assert.equal(verifierDigestMatches(randomBytes(32), 'request-token-a', stored, '0421337'), false);
    // Copied into another token's row, it does not match that token's (same) PIN.
    assert.equal(verifierDigestMatches(key, 'request-token-b', stored, '0421337'), false);
  });

  test('a stored value that is not a digest (a verifier kept in clear by an older Tripod) never matches', () => {
    assert.equal(verifierDigestMatches(key, 'request-token-a', '0421337', '0421337'), false);
    assert.equal(verifierDigestMatches(key, 'request-token-a', '', ''), false);
  });
});

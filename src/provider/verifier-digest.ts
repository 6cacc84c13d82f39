// Verifiers and PINs are stored only as a keyed hash (issue 11), so a copy of the database does not hold a
// verifier that could complete someone's authorization. Keyed (HMAC-SHA-256), not a plain hash: a PIN has
// only 10^7 values, and anyone holding a plain SHA-256 of one finds it in well under a second by trying
// them all. With the key kept apart from the rows (wrapped under the operator's key, src/stores/sql/
// envelope.ts), the hash alone gives nothing to try against. The request token is hashed in too, so a
// digest copied into another token's row does not match there. Compared in constant time.

import { createHmac, timingSafeEqual } from 'node:crypto';

const VERSION = 'h1';

/** What is stored for a verifier of `requestToken`: `h1.` and the HMAC-SHA-256, base64url. */
export function verifierDigest(key: Uint8Array, requestToken: string, verifier: string): string {
  const mac = createHmac('sha256', key).update(requestToken, 'utf8').update('\n').update(verifier, 'utf8');
  return `${VERSION}.${mac.digest('base64url')}`;
}

/** Whether `presented` is the verifier whose digest is `stored`; the same work whatever the answer. */
export function verifierDigestMatches(
  key: Uint8Array,
  requestToken: string,
  stored: string,
  presented: string,
): boolean {
  const expected = Buffer.from(stored, 'utf8');
  const actual = Buffer.from(verifierDigest(key, requestToken, presented), 'utf8');
  // Digests all have one length; a stored value of another length (none is) costs the same comparison.
  const sameLength = expected.length === actual.length;
  return timingSafeEqual(sameLength ? expected : actual, actual) && sameLength;
}

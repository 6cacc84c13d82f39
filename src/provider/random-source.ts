// The provider's only source of randomness (DESIGN.md §4: injected, never read ad hoc), so tests can
// pin every token and PIN. Production uses node:crypto's CSPRNG.

import { randomBytes, randomInt } from 'node:crypto';
import type { RandomSource } from './types.ts';

export function createRandomSource(): RandomSource {
  return {
    bytes: (length) => new Uint8Array(randomBytes(length)),
    // randomInt rejects samples above the largest multiple of maxExclusive, so the result is uniform.
    int: (maxExclusive) => randomInt(maxExclusive),
  };
}

/** Bytes in a token or verifier: 192 bits, comfortably above the 128-bit floor. */
export const TOKEN_BYTES = 24;
/** Bytes in a secret: 256 bits. */
export const SECRET_BYTES = 32;

/**
 * A URL-safe random string (base64url, no padding) for keys, tokens, secrets and callback verifiers.
 * Only unreserved characters (RFC 3986 §2.3), so it survives percent-encoding unchanged.
 */
export function generateToken(random: RandomSource, bytes: number = TOKEN_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < 16)
    throw new RangeError('a token needs at least 16 bytes (128 bits)');
  return Buffer.from(random.bytes(bytes)).toString('base64url');
}

/** A PIN of `length` decimal digits, each drawn uniformly (leading zeros included). */
export function generatePin(random: RandomSource, length: number): string {
  let pin = '';
  for (let i = 0; i < length; i++) pin += String(random.int(10));
  return pin;
}

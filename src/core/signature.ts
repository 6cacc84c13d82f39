// RFC 5849 §3.4.2 (HMAC-SHA1), §3.4.3 (RSA-SHA1), §3.4.4 (PLAINTEXT), and the HMAC-SHA256,
// HMAC-SHA512 and RSA-SHA256 methods real providers use (NetSuite, oauthlib), built the same way.

import {
  createHmac,
  createPublicKey,
  hash,
  type KeyObject,
  sign as rsaSign,
  verify as rsaVerify,
  timingSafeEqual,
} from 'node:crypto';
import { percentEncode } from './encoding.ts';
import { remembered } from './remembered.ts';

export type SignatureMethodName =
  | 'HMAC-SHA1'
  | 'HMAC-SHA256'
  | 'HMAC-SHA512'
  | 'RSA-SHA1'
  | 'RSA-SHA256'
  | 'PLAINTEXT';

export const SIGNATURE_METHODS: readonly SignatureMethodName[] = [
  'HMAC-SHA1',
  'HMAC-SHA256',
  'HMAC-SHA512',
  'RSA-SHA1',
  'RSA-SHA256',
  'PLAINTEXT',
];

export function isSignatureMethod(value: unknown): value is SignatureMethodName {
  return typeof value === 'string' && (SIGNATURE_METHODS as readonly string[]).includes(value);
}

const DIGEST: Record<Exclude<SignatureMethodName, 'PLAINTEXT'>, 'sha1' | 'sha256' | 'sha512'> = {
  'HMAC-SHA1': 'sha1',
  'HMAC-SHA256': 'sha256',
  'HMAC-SHA512': 'sha512',
  'RSA-SHA1': 'sha1',
  'RSA-SHA256': 'sha256',
};

export interface SigningSecrets {
  consumerSecret: string;
  tokenSecret?: string | undefined;
  /** PEM private key (or KeyObject) for the RSA methods. */
  privateKey?: string | KeyObject | undefined;
}

export interface VerificationSecrets {
  consumerSecret: string;
  tokenSecret?: string | undefined;
  /** PEM public key (or KeyObject) for the RSA methods. */
  publicKey?: string | KeyObject | undefined;
}

/**
 * §3.4.2: the key is the concatenated values of
 * 1. the client shared-secret, after being encoded (Section 3.6);
 * 2. an "&" character (ASCII code 38), which MUST be included even when either secret is empty;
 * 3. the token shared-secret, after being encoded (Section 3.6).
 * §3.4.4 PLAINTEXT uses this same string as the signature itself.
 */
export function signingKey(consumerSecret: string, tokenSecret = ''): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}

function hmac(method: 'HMAC-SHA1' | 'HMAC-SHA256' | 'HMAC-SHA512', baseString: string, key: string): string {
  // digest = HMAC(key, text) with text = the signature base string; the signature is base64(digest).
  return createHmac(DIGEST[method], key).update(baseString).digest('base64');
}

/** Signs a signature base string (or, for PLAINTEXT, ignores it) with the given method. */
export function sign(method: SignatureMethodName, baseString: string, secrets: SigningSecrets): string {
  switch (method) {
    case 'HMAC-SHA1':
    case 'HMAC-SHA256':
    case 'HMAC-SHA512':
      return hmac(method, baseString, signingKey(secrets.consumerSecret, secrets.tokenSecret));
    case 'RSA-SHA1':
    case 'RSA-SHA256':
      // §3.4.3: S = RSASSA-PKCS1-V1_5-SIGN(K, M), M the base string, K the client's private key.
      if (secrets.privateKey === undefined) throw new Error(`${method} needs the client's RSA private key.`);
      return rsaSign(DIGEST[method], Buffer.from(baseString), secrets.privateKey).toString('base64');
    case 'PLAINTEXT':
      return signingKey(secrets.consumerSecret, secrets.tokenSecret);
  }
}

/**
 * Compares two strings in time that depends on neither their contents nor where they differ: both
 * are hashed to a fixed length first, so lengths do not leak through an early return either.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(hash('sha256', a, 'buffer'), hash('sha256', b, 'buffer'));
}

/**
 * Compares a received value with an expected base64 digest (an HMAC signature, a body hash) in time that
 * does not depend on the contents. The expected length is no secret — it is fixed by the hash algorithm
 * — so a length mismatch may return at once, and no hashing is needed to hide it. The comparison itself
 * is Node's timingSafeEqual: a hand-written loop would save about half a microsecond, and is not worth
 * owning a constant-time comparison of our own.
 */
export function digestEqual(expected: string, received: string): boolean {
  if (received.length !== expected.length) return false;
  // received may hold any text: its UTF-8 bytes, so that no two strings compare as the same bytes.
  const receivedBytes = Buffer.from(received, 'utf8');
  const expectedBytes = Buffer.from(expected, 'latin1');
  return receivedBytes.length === expectedBytes.length && timingSafeEqual(expectedBytes, receivedBytes);
}

// Parsing a PEM on every request would dominate RSA verification; apps keep their key for long.
const parsedPublicKey = remembered(createPublicKey, { limit: 256 });

function toPublicKey(key: string | KeyObject): KeyObject {
  return typeof key === 'string' ? parsedPublicKey(key) : key;
}

/**
 * Verifies a received signature. Never throws on garbage input (a bad signature is just false);
 * comparisons are constant-time.
 */
export function verifySignature(
  method: SignatureMethodName,
  baseString: string,
  signature: string,
  secrets: VerificationSecrets,
): boolean {
  switch (method) {
    case 'HMAC-SHA1':
    case 'HMAC-SHA256':
    case 'HMAC-SHA512':
      return digestEqual(
        hmac(method, baseString, signingKey(secrets.consumerSecret, secrets.tokenSecret)),
        signature,
      );
    case 'PLAINTEXT':
      return constantTimeEqual(signingKey(secrets.consumerSecret, secrets.tokenSecret), signature);
    case 'RSA-SHA1':
    case 'RSA-SHA256': {
      if (secrets.publicKey === undefined) return false;
      // base64 of arbitrary bytes; reject what is not base64 rather than let Buffer skip characters.
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
      try {
        return rsaVerify(
          DIGEST[method],
          Buffer.from(baseString),
          toPublicKey(secrets.publicKey),
          Buffer.from(signature, 'base64'),
        );
      } catch {
        return false;
      }
    }
  }
}

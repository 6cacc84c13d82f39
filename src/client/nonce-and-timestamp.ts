// RFC 5849 §3.3 — Nonce and Timestamp, from Node's clock and CSPRNG. core/ takes both as inputs (it
// has no clock and no randomness); this is where the SDK reads them, behind an interface so tests and
// `--nonce/--timestamp` can pin them and `--timestamp-offset` can correct a skewed clock.

import { randomInt } from 'node:crypto';

export interface NonceSource {
  /** A fresh nonce, unique for every request with the same timestamp. */
  nonce(): string;
  /** Seconds since the epoch. */
  timestamp(): number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * 24 alphanumeric characters (about 143 bits): inside every provider's rule we know of — oauthlib's
 * default check (20–30 alphanumerics), X's "only ASCII", NetSuite's 6–64 characters.
 */
export const NONCE_LENGTH = 24;

export function randomNonce(length = NONCE_LENGTH): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export interface SystemNonceSourceOptions {
  /** Seconds added to the local clock (positive when the local clock is behind the provider's). */
  timestampOffset?: number;
  now?: () => number;
}

export function systemNonceSource(options: SystemNonceSourceOptions = {}): NonceSource {
  const now = options.now ?? Date.now;
  const offset = options.timestampOffset ?? 0;
  return {
    nonce: () => randomNonce(),
    timestamp: () => Math.floor(now() / 1000) + offset,
  };
}

/** Fixed values, for reproducible signatures (`tripod sign --nonce … --timestamp …`, test vectors). */
export function fixedNonceSource(nonce: string, timestamp: number): NonceSource {
  return { nonce: () => nonce, timestamp: () => timestamp };
}

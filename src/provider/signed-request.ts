// What every signed endpoint shares (request_token, access_token, invalidate_token, protected resources):
// reading the protocol parameters, rejecting malformed requests with a 400 that says what is wrong, and
// checking the signature with dummy secrets standing in for an unknown consumer or token, so that the
// work done — and therefore the time taken — does not tell an unknown key from a bad signature
// (oauthlib's dummy client). Deciding what to answer is authentication.ts's and the endpoints' business.

import { hash, type KeyObject } from 'node:crypto';
import { signatureBaseString } from '../core/base-string.ts';
import { bodyHash } from '../core/body-hash.ts';
import { type CollectedParameters, collectRequestParameters } from '../core/parameters.ts';
import { parameterAbsent, parameterRejected } from '../core/problems.ts';
import { digestEqual, isSignatureMethod, verifySignature } from '../core/signature.ts';
import type { ProviderConfig } from './defaults.ts';
import { callbackAbsent, signatureMethodRejected, versionRejected } from './problems.ts';
import type { Consumer, OAuthRequest, SignatureMethodName } from './types.ts';

export interface SignedRequest {
  method: string;
  url: string;
  collected: CollectedParameters;
  consumerKey: string;
  /** oauth_token, or null when absent or empty (two-legged, request_token, xAuth). */
  token: string | null;
  signatureMethod: SignatureMethodName;
  signature: string;
  /** Seconds since the epoch. */
  timestamp: number;
  nonce: string;
  body: string | Uint8Array | null;
  /** oauth_body_hash, if sent: checked against the raw body whatever its content type. */
  bodyHash: string | null;
}

export type TokenRule = 'required' | 'optional' | 'ignored';

function header(req: OAuthRequest, name: string): string | undefined {
  let value = req.headers[name];
  if (value === undefined) {
    // Node lower-cases header names; other callers may not.
    for (const key in req.headers) {
      if (key.toLowerCase() === name) {
        value = req.headers[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) {
    if (value.length > 1) throw parameterRejected([], `The request carries more than one ${name} header.`);
    return value[0];
  }
  return value;
}

const TIMESTAMP = /^[0-9]{1,15}$/;
// Required of every signed request, whatever the endpoint.
const ALWAYS_REQUIRED = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_timestamp', 'oauth_nonce'];
// Twitter: "Only ASCII values are accepted for the oauth_nonce". Printable ASCII keeps logs and keys sane.
const NONCE = /^[\x20-\x7e]+$/;

/**
 * Reads the protocol parameters of a signed request and rejects, with 400, what is malformed regardless
 * of who sent it: a missing required parameter, an unknown oauth_version or signature method, a
 * timestamp that is not a number, a non-ASCII or overlong nonce, PLAINTEXT over plain http, a body hash
 * on a form body. Nothing here depends on a secret, so saying exactly what is wrong leaks nothing.
 */
export function readSignedRequest(
  req: OAuthRequest,
  config: ProviderConfig,
  tokenRule: TokenRule,
  required: readonly string[] = [],
): SignedRequest {
  const contentType = header(req, 'content-type');
  const body = req.body ?? null;
  const collected = collectRequestParameters({
    url: req.url,
    authorization: header(req, 'authorization'),
    contentType,
    body,
  });
  const p = collected.protocol;

  const absent: string[] = [];
  for (const name of ALWAYS_REQUIRED) if (!p.get(name)) absent.push(name);
  if (!collected.signature) absent.push('oauth_signature');
  const token = p.get('oauth_token') || null;
  if (tokenRule === 'required' && token === null) absent.push('oauth_token');
  for (const name of required) if (!p.get(name)) absent.push(name);
  if (absent.length > 0) {
    throw absent.includes('oauth_callback') ? callbackAbsent(absent) : parameterAbsent(absent);
  }

  const version = p.get('oauth_version');
  if (version !== undefined && version !== '1.0') throw versionRejected();

  const signatureMethod = p.get('oauth_signature_method') as string;
  if (!isSignatureMethod(signatureMethod) || !config.signatureMethods.includes(signatureMethod)) {
    throw signatureMethodRejected(
      `oauth_signature_method must be one of ${config.signatureMethods.join(', ')}.`,
    );
  }
  if (signatureMethod === 'PLAINTEXT' && !config.allowPlaintextOverHttp && !/^https:/i.test(req.url)) {
    throw signatureMethodRejected(
      'PLAINTEXT sends your secrets in the clear: it is only accepted over https. Use HMAC-SHA1 or HMAC-SHA256.',
    );
  }

  const timestampText = p.get('oauth_timestamp') as string;
  if (!TIMESTAMP.test(timestampText)) {
    throw parameterRejected(
      ['oauth_timestamp'],
      'oauth_timestamp must be a whole number of seconds since the epoch.',
    );
  }
  const nonce = p.get('oauth_nonce') as string;
  if (nonce.length > config.nonceMaxLength || !NONCE.test(nonce)) {
    throw parameterRejected(
      ['oauth_nonce'],
      `oauth_nonce must be 1 to ${config.nonceMaxLength} printable ASCII characters (a random string, new for every request).`,
    );
  }

  // The body-hash extension says consumers must not send oauth_body_hash with a form body (its parameters
  // are signed directly), but ruby-oauth — twurl's library — does for every POST without a body
  // (`post(path)`), which Net::HTTP then labels form-encoded. The hash is signed like any protocol
  // parameter, so it is verified against the raw body like any other, never refused for being there.
  const sentBodyHash = p.get('oauth_body_hash') ?? null;

  return {
    method: req.method,
    url: req.url,
    collected,
    consumerKey: p.get('oauth_consumer_key') as string,
    token,
    signatureMethod,
    signature: collected.signature as string,
    timestamp: Number(timestampText),
    nonce,
    body,
    bodyHash: sentBodyHash,
  };
}

// Same length and alphabet as real secrets, so HMAC work is identical for unknown consumers and tokens.
const DUMMY_CONSUMER_SECRET = 'dummy-consumer-secret-000000000000000000000';
const DUMMY_TOKEN_SECRET = 'dummy-token-secret-000000000000000000000000';

// A 2048-bit RSA public key whose private half was discarded when it was made: verifying against it
// costs what verifying against a real app's key costs, and never succeeds.
const DUMMY_RSA_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0ROl4hOIafpzcsrpDY8B
WNSKo15+3Xi7XmyAR4Iqe7ldPoGIn2h/SB4mHo1T3mjwn6y5gjP6gppg7Qrn1N7Q
ttc5SzUaAvV4gslvQpZdDMLhdvoGI4xEiKTVM/WCDcW/NUsS+MskoBeyywr0XYKQ
aXpnp7H1KzyRIr1X+YudlwuKnPZzl1dvjA0/LvMW73IXeOry8Tt5KoXCZqLKUUcZ
zUtPOwqO0QIGZsfHQRQ531UhH9luv6V13MEJgLoEcn2Fo2BDszgNG/dyc6xmRCsS
NnXG/kTX9walZLjd8mfHf7jAsibRMbjorJIJydfUVFg2VUXD70VtXjTsFxcExhe+
mwIDAQAB
-----END PUBLIC KEY-----
`;

export interface SignatureCheck {
  /** Signature (and body hash, if sent) verified with the real consumer's credentials. */
  valid: boolean;
  /** Why not, for the server log. */
  reasons: string[];
}

/**
 * Verifies the signature with the consumer's secret (or RSA key) and the token secret, substituting
 * dummies when the consumer or token is unknown (`null`) so the same work is done either way.
 * `valid` is true only when the consumer and token are real and everything verified.
 */
export function checkSignature(
  request: SignedRequest,
  consumer: Consumer | null,
  tokenSecret: string | null,
  needsToken: boolean,
): SignatureCheck {
  const reasons: string[] = [];
  if (consumer === null) reasons.push('consumer_unknown');
  if (needsToken && tokenSecret === null) reasons.push('token_unknown');

  const baseString = signatureBaseString(request.method, request.url, request.collected.params);
  const isRsa = request.signatureMethod === 'RSA-SHA1' || request.signatureMethod === 'RSA-SHA256';
  let publicKey: string | KeyObject | undefined;
  if (isRsa) {
    if (consumer?.rsaPublicKey) publicKey = consumer.rsaPublicKey;
    else {
      if (consumer !== null) reasons.push('rsa_key_not_registered');
      publicKey = DUMMY_RSA_PUBLIC_KEY;
    }
  }
  const signatureOk = verifySignature(request.signatureMethod, baseString, request.signature, {
    consumerSecret: consumer?.secret ?? DUMMY_CONSUMER_SECRET,
    tokenSecret: needsToken ? (tokenSecret ?? DUMMY_TOKEN_SECRET) : '',
    publicKey,
  });
  if (!signatureOk) reasons.push('signature_mismatch');

  if (request.bodyHash !== null) {
    const expected = bodyHash(request.body ?? '', request.signatureMethod);
    if (!digestEqual(expected, request.bodyHash)) reasons.push('body_hash_mismatch');
  }
  return { valid: reasons.length === 0, reasons };
}

/** Whether oauth_timestamp is within the window around `now` (ms). */
export function timestampInWindow(request: SignedRequest, now: number, windowSeconds: number): boolean {
  return Math.abs(request.timestamp * 1000 - now) <= windowSeconds * 1000;
}

/** The digits of the timestamp in a replay key (zero-padded; ten reach the year 2286). */
const NONCE_KEY_TIME_DIGITS = 10;
/** The characters of the digest's base64url kept in a replay key (132 bits). */
const NONCE_KEY_DIGEST_CHARACTERS = 22;

/**
 * The replay key: one per (consumer, token, timestamp, nonce), as RFC 5849 §3.3 scopes nonces. The tuple
 * is hashed, each part length-prefixed so no two tuples collide, to keep keys small and uniform; the
 * timestamp also leads the key in clear, zero-padded, so keys arrive in nearly ascending order and a
 * B-tree store appends instead of writing all over its index (about a quarter off each SQLite claim).
 *
 * Only the first 22 characters of the digest's base64url are kept (132 bits; two tuples of one second
 * share them with odds of about 2^-132 each): within a second the keys are random, so each batch of claims
 * writes pages all over that second's part of the B-tree, and 33-character keys (59 before migration 0012)
 * make that part, and so the pages each commit writes to SQLite's log, about half as many (BENCHMARKS.md).
 * Stored keys in the longer form are converted by migration 0012 and, on Redis, when the stores open.
 */
export function nonceKey(request: SignedRequest): string {
  const token = request.token ?? '';
  // The timestamp's text once, for the hashed tuple and for the key's clear prefix.
  const time = String(request.timestamp);
  const digest = hash(
    'sha256',
    `${request.consumerKey.length}:${request.consumerKey}${token.length}:${token}${time}:${request.nonce}`,
    'base64url',
  );
  return `${time.padStart(NONCE_KEY_TIME_DIGITS, '0')}.${digest.slice(0, NONCE_KEY_DIGEST_CHARACTERS)}`;
}

/** Until when the nonce must be remembered: after that the timestamp itself is refused. */
export function nonceExpiresAt(request: SignedRequest, windowSeconds: number): number {
  return (request.timestamp + windowSeconds + 1) * 1000;
}

// The signing part of the SDK for browsers, Deno, Bun and workers: WebCrypto (crypto.subtle) instead
// of node:crypto, and nothing else from Node. It shares core's pure modules (percent-encoding,
// parameter normalization, base string, Authorization header), which import nothing from Node, and
// core/protocol-parameters.ts, so requests are assembled exactly as signRequest assembles them.
// Everything here is async because crypto.subtle is.

import { signatureBaseString } from '../core/base-string.ts';
import { formatFormEncoded, type Parameter, percentEncode } from '../core/encoding.ts';
import { formatAuthorizationHeader } from '../core/parameters.ts';
import { protocolParameters, signatureParameters } from '../core/protocol-parameters.ts';
import type { SignatureMethodName } from '../core/signature.ts';

/** The same six methods as core; a type-only import, erased at run time, so no node:crypto comes along. */
export type WebSignatureMethod = SignatureMethodName;

export interface WebSignInput {
  method: string;
  url: string;
  consumerKey: string;
  consumerSecret: string;
  token?: string | undefined;
  tokenSecret?: string | undefined;
  signatureMethod?: WebSignatureMethod | undefined;
  /** For RSA-*: a CryptoKey imported for RSASSA-PKCS1-v1_5, or a PKCS#8 PEM ("BEGIN PRIVATE KEY"). */
  privateKey?: CryptoKey | string | undefined;
  extraOAuthParams?: readonly Parameter[] | undefined;
  body?: { form: readonly Parameter[] } | { raw: string | Uint8Array } | undefined;
  realm?: string | undefined;
  /** Default: 24 random alphanumerics from crypto.getRandomValues. */
  nonce?: string | undefined;
  /** Default: the local clock. */
  timestamp?: string | number | undefined;
  version?: boolean | undefined;
}

export interface WebSignedRequest {
  oauthParams: Parameter[];
  authorization: string;
  baseString: string;
  signature: string;
}

const HASH: Record<Exclude<WebSignatureMethod, 'PLAINTEXT'>, 'SHA-1' | 'SHA-256' | 'SHA-512'> = {
  'HMAC-SHA1': 'SHA-1',
  'HMAC-SHA256': 'SHA-256',
  'HMAC-SHA512': 'SHA-512',
  'RSA-SHA1': 'SHA-1',
  'RSA-SHA256': 'SHA-256',
};

const encoder = new TextEncoder();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function base64(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function bytesOf(value: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value);
}

/** 24 alphanumerics (about 143 bits) from the platform CSPRNG; see nonce-and-timestamp.ts for why 24. */
export function webNonce(length = 24): string {
  const out: string[] = [];
  // Rejection sampling keeps every character equally likely (248 = 4 × 62).
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out.push(ALPHABET[byte % 62]!);
    }
  }
  return out.join('');
}

/** oauth_body_hash (draft-eaton-oauth-bodyhash-00) with crypto.subtle.digest; the hash follows the method. */
export async function webBodyHash(body: string | Uint8Array, method: WebSignatureMethod): Promise<string> {
  const hash = method === 'PLAINTEXT' ? 'SHA-1' : HASH[method];
  return base64(await crypto.subtle.digest(hash, bytesOf(body)));
}

async function importRsaKey(key: CryptoKey | string, hash: 'SHA-1' | 'SHA-256'): Promise<CryptoKey> {
  if (typeof key !== 'string') return key;
  const der = atob(key.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, ''));
  const bytes = Uint8Array.from(der, (c) => c.charCodeAt(0));
  return crypto.subtle.importKey('pkcs8', bytes, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['sign']);
}

/** §3.4.2–§3.4.4 with crypto.subtle: the same signatures core's sign() computes with node:crypto. */
export async function webSign(
  method: WebSignatureMethod,
  baseString: string,
  secrets: {
    consumerSecret: string;
    tokenSecret?: string | undefined;
    privateKey?: CryptoKey | string | undefined;
  },
): Promise<string> {
  const key = `${percentEncode(secrets.consumerSecret)}&${percentEncode(secrets.tokenSecret ?? '')}`;
  if (method === 'PLAINTEXT') return key;
  if (method === 'RSA-SHA1' || method === 'RSA-SHA256') {
    if (secrets.privateKey === undefined) throw new Error(`${method} needs the client's RSA private key.`);
    const rsa = await importRsaKey(secrets.privateKey, HASH[method] as 'SHA-1' | 'SHA-256');
    return base64(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', rsa, encoder.encode(baseString)));
  }
  const hmacKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: HASH[method] },
    false,
    ['sign'],
  );
  return base64(await crypto.subtle.sign('HMAC', hmacKey, encoder.encode(baseString)));
}

/** The WebCrypto twin of core's signRequest: same inputs (nonce and timestamp optional), same outputs. */
export async function signRequestWeb(input: WebSignInput): Promise<WebSignedRequest> {
  const method = input.signatureMethod ?? 'HMAC-SHA1';
  const body = input.body;
  const oauthParams = protocolParameters({
    consumerKey: input.consumerKey,
    token: input.token,
    signatureMethod: method,
    nonce: input.nonce ?? webNonce(),
    timestamp: input.timestamp ?? Math.floor(Date.now() / 1000),
    version: input.version,
    extraOAuthParams: input.extraOAuthParams,
    bodyHash: body !== undefined && 'raw' in body ? await webBodyHash(body.raw, method) : undefined,
  });
  const form = body !== undefined && 'form' in body ? body.form : undefined;
  const baseString = signatureBaseString(
    input.method,
    input.url,
    signatureParameters(input.url, oauthParams, form),
  );
  const signature = await webSign(method, baseString, input);
  oauthParams.push(['oauth_signature', signature]);
  return {
    oauthParams,
    authorization: formatAuthorizationHeader(oauthParams, input.realm),
    baseString,
    signature,
  };
}

/** Serializes a form body the way the signature expects it (RFC 3986 percent-encoding). */
export function webFormBody(form: readonly Parameter[]): string {
  return formatFormEncoded(form);
}

export type { Parameter };

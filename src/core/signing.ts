// The consumer's side of RFC 5849 §3.1 — Making Requests: assembling the protocol parameters,
// computing the signature and rendering the Authorization header. Nonce and timestamp are inputs
// (core has no clock and no random source); the SDK supplies them.

import type { KeyObject } from 'node:crypto';
import { signatureBaseString } from './base-string.ts';
import { bodyHash } from './body-hash.ts';
import type { Parameter } from './encoding.ts';
import { formatAuthorizationHeader } from './parameters.ts';
import { protocolParameters, signatureParameters } from './protocol-parameters.ts';
import { type SignatureMethodName, sign } from './signature.ts';

export interface SignRequestInput {
  method: string;
  /** The full URL, query included; its query parameters are signed. */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  token?: string | undefined;
  tokenSecret?: string | undefined;
  signatureMethod?: SignatureMethodName | undefined;
  /** Other protocol parameters to sign and send with the oauth_* set (oauth_callback, oauth_verifier, …). */
  extraOAuthParams?: readonly Parameter[] | undefined;
  /** A form body's parameters are signed; a raw body is covered by oauth_body_hash. */
  body?: { form: readonly Parameter[] } | { raw: string | Uint8Array } | undefined;
  realm?: string | undefined;
  nonce: string;
  /** Seconds since the epoch, as a decimal string or number. */
  timestamp: string | number;
  privateKey?: string | KeyObject | undefined;
  /** Send oauth_version="1.0" (optional in the RFC; Twitter's examples send it). Default true. */
  version?: boolean | undefined;
}

export interface SignedRequest {
  /** The protocol parameters to send, oauth_signature last. */
  oauthParams: Parameter[];
  /** The Authorization header value carrying oauthParams (and realm). */
  authorization: string;
  baseString: string;
  signature: string;
}

export function signRequest(input: SignRequestInput): SignedRequest {
  const method = input.signatureMethod ?? 'HMAC-SHA1';
  // §3.1 step 1: the protocol parameters.
  const oauthParams = protocolParameters({
    consumerKey: input.consumerKey,
    token: input.token,
    signatureMethod: method,
    nonce: input.nonce,
    timestamp: input.timestamp,
    version: input.version,
    extraOAuthParams: input.extraOAuthParams,
    bodyHash: input.body !== undefined && 'raw' in input.body ? bodyHash(input.body.raw, method) : undefined,
  });

  // §3.1 step 2: the signature over every parameter the server will collect (§3.4.1.3.1).
  const params = signatureParameters(
    input.url,
    oauthParams,
    input.body !== undefined && 'form' in input.body ? input.body.form : undefined,
  );
  const baseString = signatureBaseString(input.method, input.url, params);
  const signature = sign(method, baseString, {
    consumerSecret: input.consumerSecret,
    tokenSecret: input.tokenSecret,
    privateKey: input.privateKey,
  });

  // §3.1 step 3: the parameters go into the Authorization header (§3.5.1).
  oauthParams.push(['oauth_signature', signature]);
  return {
    oauthParams,
    authorization: formatAuthorizationHeader(oauthParams, input.realm),
    baseString,
    signature,
  };
}

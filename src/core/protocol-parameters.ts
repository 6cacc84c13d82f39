// RFC 5849 §3.1 steps 1 and 2 without the cryptography: the protocol parameters a consumer sends, and
// the parameter list its signature covers. signing.ts builds on them with node:crypto; this file
// imports nothing that needs Node, so the WebCrypto signer (src/client/web.ts) assembles requests
// exactly as signRequest does, for browsers, Deno and Bun.

import { type Parameter, parseFormEncoded } from './encoding.ts';

export interface ProtocolParameterInput {
  consumerKey: string;
  token?: string | undefined;
  signatureMethod: string;
  nonce: string;
  timestamp: string | number;
  /** Send oauth_version="1.0" (optional in the RFC). Default true. */
  version?: boolean | undefined;
  extraOAuthParams?: readonly Parameter[] | undefined;
  /** oauth_body_hash, already computed, for a body that is not form-encoded. */
  bodyHash?: string | undefined;
}

/** §3.1 step 1: the protocol parameters, in the order signRequest sends them (oauth_signature excluded). */
export function protocolParameters(input: ProtocolParameterInput): Parameter[] {
  const params: Parameter[] = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_signature_method', input.signatureMethod],
    ['oauth_timestamp', String(input.timestamp)],
    ['oauth_nonce', input.nonce],
  ];
  if (input.token !== undefined && input.token !== '') params.push(['oauth_token', input.token]);
  if (input.version !== false) params.push(['oauth_version', '1.0']);
  for (const pair of input.extraOAuthParams ?? []) params.push([pair[0], pair[1]]);
  if (input.bodyHash !== undefined) params.push(['oauth_body_hash', input.bodyHash]);
  return params;
}

/**
 * §3.4.1.3.1 from the consumer's side: the query of the URL as sent, the protocol parameters, and the
 * form body's parameters when the body is application/x-www-form-urlencoded.
 */
export function signatureParameters(
  url: string,
  oauthParams: readonly Parameter[],
  form?: readonly Parameter[] | undefined,
): Parameter[] {
  const question = url.indexOf('?');
  const hash = url.indexOf('#');
  const query = question === -1 ? '' : url.slice(question + 1, hash === -1 ? undefined : hash);
  return [...parseFormEncoded(query), ...oauthParams, ...(form ?? [])];
}

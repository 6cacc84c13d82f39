// Signs a whole HTTP request with core's signRequest (RFC 5849 §3.1–§3.5) and places the protocol
// parameters where the caller asked: the Authorization header (§3.5.1), the form body (§3.5.2) or the
// query (§3.5.3). What is signed is exactly what is sent: the query is re-serialized once, in RFC 3986
// form, before signing, so a provider that decodes it gets the same parameters the signature covers.

import { formatFormEncoded, type Parameter, percentDecode, percentEncode } from '../core/encoding.ts';
import { normalizeParameters } from '../core/parameters.ts';
import { signatureParameters } from '../core/protocol-parameters.ts';
import { type SignedRequest, signRequest } from '../core/signing.ts';
import type { SigningCredentials } from './credentials.ts';
import { type NonceSource, systemNonceSource } from './nonce-and-timestamp.ts';

export type SignaturePlacement = 'header' | 'query' | 'body';

export type RequestBody =
  /** application/x-www-form-urlencoded: every pair is signed (§3.4.1.3.1). */
  | { form: readonly Parameter[] }
  /** Serialized with JSON.stringify and sent as application/json, covered by oauth_body_hash. */
  | { json: unknown }
  /** Any other bytes, covered by oauth_body_hash. */
  | { raw: string | Uint8Array; contentType?: string | undefined };

export interface HttpRequestToSign {
  method: string;
  url: string | URL;
  /** Extra headers to send; an Authorization header given here is replaced. */
  headers?: readonly (readonly [string, string])[] | undefined;
  body?: RequestBody | undefined;
}

export interface SignOptions {
  placement?: SignaturePlacement | undefined;
  /** More protocol parameters: oauth_callback, oauth_verifier, x_auth_access_type, … */
  extraOAuthParams?: readonly Parameter[] | undefined;
  /** 'auto' (default) adds oauth_body_hash to every non-form body; 'never' leaves it out. */
  bodyHash?: 'auto' | 'never' | undefined;
  nonceSource?: NonceSource | undefined;
  /** Send oauth_version="1.0" (default true). */
  version?: boolean | undefined;
}

export interface SignedHttpRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | Uint8Array | undefined;
  /** What core computed: the protocol parameters, the base string, the signature. */
  signed: SignedRequest;
  /** §3.4.1.3.2: the normalized parameter string inside the base string (for --debug). */
  normalizedParameters: string;
  placement: SignaturePlacement;
}

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD']);

/**
 * Re-serializes the query in RFC 3986 form: "a b", "a+b" and "a%20b" all become "a%20b", and a "%"
 * that starts no valid escape is taken literally. Signing and sending this one string removes the
 * double-encoding class of bugs (postman-app-support#1869, twurl PR #119).
 */
export function canonicalUrl(url: string | URL): string {
  const parsed = new URL(String(url));
  parsed.hash = '';
  const text = String(url);
  const question = text.indexOf('?');
  if (question === -1) return parsed.href;
  const hash = text.indexOf('#', question);
  const query = text.slice(question + 1, hash === -1 ? undefined : hash);
  const pairs: string[] = [];
  for (const segment of query.split('&')) {
    if (segment.length === 0) continue;
    const eq = segment.indexOf('=');
    const name = lenientDecode(eq === -1 ? segment : segment.slice(0, eq));
    const value = eq === -1 ? '' : lenientDecode(segment.slice(eq + 1));
    pairs.push(`${percentEncode(name)}=${percentEncode(value)}`);
  }
  parsed.search = '';
  return pairs.length === 0 ? parsed.href : `${parsed.href}?${pairs.join('&')}`;
}

function lenientDecode(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return percentDecode(spaced);
  } catch {
    // A lone "%" (as in "100%") means itself; decode the valid escapes around it.
    return spaced.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

function bodyBytes(
  body: RequestBody,
): { text: string | Uint8Array; contentType: string } | { form: Parameter[] } {
  if ('form' in body) return { form: body.form.map(([n, v]): Parameter => [n, v]) };
  if ('json' in body) return { text: JSON.stringify(body.json), contentType: 'application/json' };
  return { text: body.raw, contentType: body.contentType ?? 'application/octet-stream' };
}

/** Signs `request` with `credentials` and returns the request to send, plus what was signed. */
export function signHttpRequest(
  credentials: SigningCredentials,
  request: HttpRequestToSign,
  options: SignOptions = {},
): SignedHttpRequest {
  const method = request.method.toUpperCase();
  const placement = options.placement ?? 'header';
  const nonceSource = options.nonceSource ?? systemNonceSource();
  const url = canonicalUrl(request.url);
  const headers: [string, string][] = (request.headers ?? [])
    .filter(([name]) => name.toLowerCase() !== 'authorization')
    .map(([name, value]) => [name, value]);
  const hasHeader = (name: string) => headers.some(([n]) => n.toLowerCase() === name);

  let form: Parameter[] | undefined;
  let raw: { text: string | Uint8Array; contentType: string } | undefined;
  if (request.body !== undefined) {
    const body = bodyBytes(request.body);
    if ('form' in body) form = body.form;
    else raw = body;
  }
  if (placement === 'body') {
    // §3.5.2: only a single-part form-encoded body can carry the parameters, and only where a body is allowed.
    if (raw !== undefined)
      throw new Error('The signature can go in the body only when the body is form-encoded.');
    if (METHODS_WITHOUT_BODY.has(method))
      throw new Error(`A ${method} request has no body to carry the signature.`);
    form ??= [];
  }

  const signed = signRequest({
    method,
    url,
    consumerKey: credentials.consumerKey,
    consumerSecret: credentials.consumerSecret,
    token: credentials.token,
    tokenSecret: credentials.tokenSecret,
    signatureMethod: credentials.signatureMethod,
    privateKey: credentials.privateKey,
    realm: credentials.realm,
    extraOAuthParams: options.extraOAuthParams,
    body:
      form !== undefined
        ? { form }
        : raw !== undefined && options.bodyHash !== 'never'
          ? { raw: raw.text }
          : undefined,
    nonce: nonceSource.nonce(),
    timestamp: nonceSource.timestamp(),
    version: options.version,
  });

  let sendUrl = url;
  let sendBody: string | Uint8Array | undefined;
  if (form !== undefined) {
    const pairs = placement === 'body' ? [...form, ...signed.oauthParams] : form;
    sendBody = formatFormEncoded(pairs);
    if (!hasHeader('content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  } else if (raw !== undefined) {
    sendBody = raw.text;
    if (!hasHeader('content-type')) headers.push(['Content-Type', raw.contentType]);
  }
  if (placement === 'header') headers.push(['Authorization', signed.authorization]);
  if (placement === 'query') {
    sendUrl = `${url}${url.includes('?') ? '&' : '?'}${formatFormEncoded(signed.oauthParams)}`;
  }
  const normalized = normalizeParameters(
    signatureParameters(
      url,
      signed.oauthParams.filter(([n]) => n !== 'oauth_signature'),
      form,
    ),
  );
  return {
    method,
    url: sendUrl,
    headers,
    body: sendBody,
    signed,
    normalizedParameters: normalized,
    placement,
  };
}

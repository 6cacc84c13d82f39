// oauth_callback rules (RFC 5849 §2.1, §2.2; Twitter's codes 415 and 417; RFC 8252 §7.3 for loopback).
// A callback is `oob` or an absolute URL (custom schemes included) that must match one of the app's
// registered callback URLs on scheme, host, port and path; the query may differ unless the operator asks
// for an exact match (`callbackQuery: 'exact'`: an app whose callback handler follows `?next=` would
// otherwise be an open redirector for anyone holding its keys). Matching here, rather
// than trusting the URL sent, is what stops the authorize step from becoming an open redirector.
//
// What was matched is what the browser is sent to: the callback is kept and redirected to in the URL
// parser's canonical serialisation, never as sent. A raw `https:good.example/cb` parses to
// https://good.example/cb, but as a Location header a browser resolves it against the provider's own
// origin (the verifier would land on the provider); raw non-ASCII or CR/LF cannot even be sent as a header.
// Canonicalising (rather than refusing every non-canonical spelling) keeps clients working that send an
// upper-case host, a default port or an unencoded space, and changes nothing a browser would not change
// itself when following the redirect.

import { formatFormEncoded } from '../core/encoding.ts';
import { parameterRejected } from '../core/problems.ts';

export const OOB = 'oob';

// Schemes that run code or read local data in a browser: never a redirect target, registered or not.
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);
/** Longest callback accepted: it is stored with the request token and sent back in a Location header. */
export const CALLBACK_MAX_LENGTH = 2048;
// C0 and C1 controls and DEL: the URL parser would drop tabs and newlines silently, so what was checked
// would not be what was sent; in a header they split it (CR LF) or make Node refuse it.
const CONTROL_CHARACTER = /\p{Cc}/u;
// What a Location header may carry: visible ASCII. The canonical serialisation always is; a stored
// callback from before canonicalisation may not be.
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * Parses an oauth_callback value: `'oob'` (case-sensitive, RFC 5849 §2.1) or an absolute URL.
 * Throws `parameter_rejected` (400) when the value is neither, holds a control character, names a
 * dangerous scheme or a fragment, or is too long. Keep and redirect to the URL's `href`, not the value.
 */
export function parseCallback(value: string): typeof OOB | URL {
  if (value === OOB) return OOB;
  const tooLong = () =>
    parameterRejected(
      ['oauth_callback'],
      `oauth_callback must be at most ${CALLBACK_MAX_LENGTH} characters.`,
    );
  if (value.length > CALLBACK_MAX_LENGTH) throw tooLong();
  if (CONTROL_CHARACTER.test(value)) {
    throw parameterRejected(
      ['oauth_callback'],
      'oauth_callback must not contain control characters (CR, LF, tab, NUL…): percent-encode them.',
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw parameterRejected(
      ['oauth_callback'],
      "oauth_callback must be 'oob' (for PIN-based authorization) or an absolute callback URL.",
    );
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) {
    throw parameterRejected(['oauth_callback'], `oauth_callback must not use the ${url.protocol} scheme.`);
  }
  if (url.hash !== '' || value.includes('#')) {
    throw parameterRejected(['oauth_callback'], 'oauth_callback must not contain a fragment (#…).');
  }
  // Percent-encoding non-ASCII text can make the canonical form longer than what was sent.
  if (url.href.length > CALLBACK_MAX_LENGTH) throw tooLong();
  return url;
}

function isLoopback(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Whether `requested` matches one registered callback URL: same scheme, host, port and path, and with
 * `query: 'exact'` the same query (both in the URL parser's canonical form).
 */
export function callbackMatches(
  requested: URL,
  registered: readonly string[],
  query: 'any' | 'exact' = 'any',
): boolean {
  for (const entry of registered) {
    let allowed: URL;
    try {
      allowed = new URL(entry);
    } catch {
      continue;
    }
    if (
      allowed.protocol === requested.protocol &&
      allowed.hostname === requested.hostname &&
      allowed.username === requested.username &&
      allowed.password === requested.password &&
      allowed.pathname === requested.pathname &&
      (query === 'any' || allowed.search === requested.search) &&
      // RFC 8252 §7.3: a native app's loopback listener gets whatever port the OS gives it.
      (allowed.port === requested.port || isLoopback(allowed))
    ) {
      return true;
    }
  }
  return false;
}

/**
 * The Location to send the browser to: the callback's canonical serialisation with `params` added to its
 * query. Built (and so validated) before a decision is persisted, so a callback that cannot be redirected
 * to never spends the request token. Throws `parameter_rejected` for such a callback.
 */
export function callbackRedirect(callback: string, params: readonly (readonly [string, string])[]): string {
  const url = parseCallback(callback);
  const location = url === OOB ? null : appendToCallback(url.href, params);
  if (location === null || !HEADER_SAFE.test(location)) {
    throw parameterRejected(['oauth_callback'], 'The callback URL of this request cannot be redirected to.');
  }
  return location;
}

/**
 * Adds parameters to the callback's query, keeping what is already there byte for byte
 * (RFC 5849 §2.2: "the server MUST retain the existing query components").
 */
export function appendToCallback(callback: string, params: readonly (readonly [string, string])[]): string {
  const hashAt = callback.indexOf('#');
  const base = hashAt === -1 ? callback : callback.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : callback.slice(hashAt);
  const added = formatFormEncoded(params.map(([k, v]): [string, string] => [k, v]));
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${added}${fragment}`;
}

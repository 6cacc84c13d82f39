// RFC 5849 §3.6 — Percent Encoding, and the form decoding of §3.4.1.3.1.

import { parameterRejected } from './problems.ts';

/** A name/value pair, kept as a list end-to-end: order and duplicates matter to the base string. */
export type Parameter = [name: string, value: string];

// encodeURIComponent leaves these five unreserved-by-RFC-2396 characters alone; RFC 3986's unreserved
// set (ALPHA, DIGIT, "-", ".", "_", "~") does not include them, so they must be escaped too.
const NOT_UNRESERVED = /[!'()*]/g;
const SAFE_ASCII = /^[A-Za-z0-9\-._~]*$/;

function escapeExtra(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * RFC 5849 §3.6:
 * 1. Text values are first encoded as UTF-8 octets.
 * 2. The values are then escaped: unreserved characters (ALPHA, DIGIT, "-", ".", "_", "~") MUST NOT be
 *    encoded; all other characters MUST be encoded as %XX with upper-case hex.
 */
export function percentEncode(value: string): string {
  // Fast path: most keys, nonces and timestamps need no escaping at all.
  if (SAFE_ASCII.test(value)) return value;
  // encodeURIComponent throws on lone surrogates; such strings are not valid text to sign.
  return encodeURIComponent(value).replace(NOT_UNRESERVED, escapeExtra);
}

const STRICT_ESCAPES = /%(?![0-9A-Fa-f]{2})/;

/**
 * Decodes %XX escapes into UTF-8 text. Strict: a "%" not followed by two hex digits, or escapes that
 * are not valid UTF-8, are rejected rather than guessed at. "+" stays "+" (it is only a space in form
 * encoding; see parseFormEncoded).
 */
export function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  if (STRICT_ESCAPES.test(value)) {
    throw parameterRejected(
      [],
      `Malformed percent-encoding in "${truncate(value)}": "%" must be followed by two hex digits.`,
    );
  }
  try {
    return decodeURIComponent(value);
  } catch {
    throw parameterRejected([], `Percent-encoded bytes in "${truncate(value)}" are not valid UTF-8.`);
  }
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/**
 * application/x-www-form-urlencoded, as RFC 5849 §3.4.1.3.1 requires for the query and the body:
 * split on "&", then on the first "=", "+" decodes to a space, then percent-decoding. Empty
 * segments ("a=1&&b=2") are skipped; a name with no "=" has an empty value ("c2" → ["c2", ""]).
 */
export function parseFormEncoded(text: string): Parameter[] {
  const out: Parameter[] = [];
  if (text.length === 0) return out;
  for (const segment of text.split('&')) {
    if (segment.length === 0) continue;
    const eq = segment.indexOf('=');
    const rawName = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    out.push([percentDecode(rawName.replaceAll('+', ' ')), percentDecode(rawValue.replaceAll('+', ' '))]);
  }
  return out;
}

/** Serializes pairs with RFC 3986 percent-encoding (used for token endpoint responses and redirects). */
export function formatFormEncoded(params: readonly Parameter[]): string {
  return params.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

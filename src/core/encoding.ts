// RFC 5849 §3.6 — Percent Encoding, and the form decoding of §3.4.1.3.1.

import { parameterRejected } from './problems.ts';

/** A name/value pair, kept as a list end-to-end: order and duplicates matter to the base string. */
export type Parameter = [name: string, value: string];

// encodeURIComponent leaves these five unreserved-by-RFC-2396 characters alone; RFC 3986's unreserved
// set (ALPHA, DIGIT, "-", ".", "_", "~") does not include them, so they must be escaped too.
const NOT_UNRESERVED = /[!'()*]/g;

function escapeExtra(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
}

// Every signed request percent-encodes a dozen strings, most of them plain ASCII: a compiled pattern
// tells those apart fastest (it beats a loop over the slices of a header), and for the others an ASCII
// character that needs escaping gets its "%XX" from a table.
const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~')
  UNRESERVED[c.charCodeAt(0)] = 1;
const hex = (c: number) => c.toString(16).toUpperCase().padStart(2, '0');
const ASCII_ESCAPES = Array.from({ length: 128 }, (_, c) => `%${hex(c)}`);
// The same escapes encoded once more ("%" is "%25"), for percentEncodeTwice.
const ASCII_ESCAPES_TWICE = Array.from({ length: 128 }, (_, c) => `%25${hex(c)}`);

function encodeWith(value: string, escapes: readonly string[], twice: boolean): string {
  // Keys, nonces, timestamps and secrets are usually unreserved ASCII: returned as they are.
  if (UNRESERVED_ONLY.test(value)) return value;
  let out = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) {
      // Beyond ASCII, UTF-8 first: encodeURIComponent does it (and throws on a lone surrogate, which is
      // not text to sign).
      const once = encodeURIComponent(value).replace(NOT_UNRESERVED, escapeExtra);
      return twice ? once.replaceAll('%', '%25') : once;
    }
    if (UNRESERVED[c] === 0) {
      out += value.slice(start, i) + escapes[c];
      start = i + 1;
    }
  }
  return out + value.slice(start);
}

/**
 * RFC 5849 §3.6:
 * 1. Text values are first encoded as UTF-8 octets.
 * 2. The values are then escaped: unreserved characters (ALPHA, DIGIT, "-", ".", "_", "~") MUST NOT be
 *    encoded; all other characters MUST be encoded as %XX with upper-case hex.
 */
export function percentEncode(value: string): string {
  return encodeWith(value, ASCII_ESCAPES, false);
}

/**
 * percentEncode(percentEncode(value)) in one pass: how each parameter name and value appears in the
 * signature base string (§3.4.1.1 encodes the normalized parameters, which are encoded already).
 */
export function percentEncodeTwice(value: string): string {
  return encodeWith(value, ASCII_ESCAPES_TWICE, true);
}

const STRICT_ESCAPES = /%(?![0-9A-Fa-f]{2})/;

/**
 * Decodes %XX escapes into UTF-8 text. Strict: a "%" not followed by two hex digits, or escapes that
 * are not valid UTF-8, are rejected rather than guessed at. "+" stays "+" (it is only a space in form
 * encoding; see parseFormEncoded).
 */
export function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    // decodeURIComponent refuses both kinds of bad input; tell the sender which one it was.
    if (STRICT_ESCAPES.test(value)) {
      throw parameterRejected(
        [],
        `Malformed percent-encoding in "${truncate(value)}": "%" must be followed by two hex digits.`,
      );
    }
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
  // The next "+" and "%" at or after the segment being read: a name or value before them is used as it
  // is, without asking each one whether it holds either (a query or a form usually holds few escapes).
  let plus = text.indexOf('+');
  let percent = text.indexOf('%');
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      let eq = text.indexOf('=', start);
      if (eq >= end) eq = -1;
      const nameEnd = eq === -1 ? end : eq;
      const name = formPart(text, start, nameEnd, plus, percent);
      if (plus !== -1 && plus < nameEnd) plus = text.indexOf('+', nameEnd);
      if (percent !== -1 && percent < nameEnd) percent = text.indexOf('%', nameEnd);
      if (eq === -1) out.push([name, '']);
      else {
        out.push([name, formPart(text, eq + 1, end, plus, percent)]);
        if (plus !== -1 && plus < end) plus = text.indexOf('+', end);
        if (percent !== -1 && percent < end) percent = text.indexOf('%', end);
      }
    }
    start = end + 1;
  }
  return out;
}

/** text[from, to) form-decoded, given the next "+" and "%" at or after from (-1: none). */
function formPart(text: string, from: number, to: number, plus: number, percent: number): string {
  const raw = text.slice(from, to);
  const spaced = plus !== -1 && plus < to ? raw.replaceAll('+', ' ') : raw;
  return percent !== -1 && percent < to ? percentDecode(spaced) : spaced;
}

/** Serializes pairs with RFC 3986 percent-encoding (used for token endpoint responses and redirects). */
export function formatFormEncoded(params: readonly Parameter[]): string {
  return params.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

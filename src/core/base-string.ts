// RFC 5849 §3.4.1 — Signature Base String.

import { percentEncode } from './encoding.ts';
import { encodedNormalizedParameters, type Parameter } from './parameters.ts';
import { parameterRejected } from './problems.ts';
import { remembered } from './remembered.ts';

/**
 * RFC 5849 §3.4.1.2 — Base String URI:
 * 1. The scheme and host MUST be in lowercase.
 * 2. The host and port values MUST match the content of the HTTP request Host header field.
 *    (Tripod passes the configured public URL, so a server behind a TLS-terminating proxy
 *    builds the URL the client signed.)
 * 3. The port MUST be included if it is not the default port for the scheme, and MUST be excluded
 *    if it is the default (80 for "http", 443 for "https").
 * The query and fragment are removed. The RFC is silent on how the path is encoded; like oauthlib we
 * keep the path as the URL carries it (WHATWG URL parsing percent-encodes spaces and other characters
 * not allowed in a path, and leaves existing escapes alone).
 */
export function baseStringUri(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw parameterRejected([], `The request URL "${String(url).slice(0, 80)}" is not an absolute URL.`);
  }
  // 1. URL lower-cases the scheme and a special scheme's host already; lower-case again for others.
  const scheme = parsed.protocol.toLowerCase(); // includes the trailing ":"
  const host = parsed.hostname.toLowerCase();
  // 3. URL drops the default port of http (80) and https (443) itself.
  const port = parsed.port === '' ? '' : `:${parsed.port}`;
  const path = parsed.pathname === '' ? '/' : parsed.pathname;
  return `${scheme}//${host}${port}${path}`;
}

const HEAD_LENGTH_LIMIT = 1024;

/**
 * The URL up to its query or fragment, when that alone decides the base string URI: a URL parser reads
 * scheme, host, port and path up to the first "?" or "#" exactly as it reads them up to the end of the
 * text, except that it strips trailing spaces and control characters from the whole text — so the part
 * before must not end in one. Only http(s) URLs of sensible length qualify; null: compute every time.
 */
function headBeforeQuery(url: string): string | null {
  if (!url.startsWith('http://') && !url.startsWith('https://')) return null;
  const question = url.indexOf('?');
  const hash = url.indexOf('#');
  const end =
    question === -1 ? (hash === -1 ? url.length : hash) : hash === -1 ? question : Math.min(question, hash);
  if (end > HEAD_LENGTH_LIMIT || url.charCodeAt(end - 1) <= 0x20) return null;
  return end === url.length ? url : url.slice(0, end);
}

// Parsing the URL costs as much as the rest of the base string, and a server sees few distinct
// scheme-host-port-paths: each one's encoded base string URI is remembered, by the URL up to its query.
const encodedUriOfHead = remembered((head) => percentEncode(baseStringUri(head)), { limit: 512 });

function encodedBaseStringUri(url: string | URL): string {
  const head = typeof url === 'string' ? headBeforeQuery(url) : null;
  if (head !== null) {
    try {
      return encodedUriOfHead(head);
    } catch {
      // Not an absolute URL: refused below, naming the whole URL as the client sent it.
    }
  }
  return percentEncode(baseStringUri(url));
}

// A server sees a handful of methods: each one's upper-case, encoded form is remembered.
const encodedMethod = remembered((method) => percentEncode(method.toUpperCase()), {
  limit: 64,
  maxLength: 64,
});

/**
 * RFC 5849 §3.4.1.1 — String Construction:
 * 1. The HTTP request method in uppercase.
 * 2. An "&" character (ASCII code 38).
 * 3. The base string URI from Section 3.4.1.2, after being encoded (Section 3.6).
 * 4. An "&" character (ASCII code 38).
 * 5. The request parameters as normalized in Section 3.4.1.3.2, after being encoded (Section 3.6).
 */
export function signatureBaseString(method: string, url: string | URL, params: readonly Parameter[]): string {
  return `${encodedMethod(method)}&${encodedBaseStringUri(url)}&${encodedNormalizedParameters(params)}`;
}

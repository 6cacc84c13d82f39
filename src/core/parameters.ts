// RFC 5849 §3.5.1 (the Authorization header) and §3.4.1.3 (request parameters: collection and
// normalization).

import { type Parameter, parseFormEncoded, percentDecode, percentEncode } from './encoding.ts';
import { parameterRejected } from './problems.ts';

export type { Parameter } from './encoding.ts';

export interface AuthorizationHeader {
  /** The `realm` parameter, if given. It is not part of the signature (§3.4.1.3.1). */
  realm: string | null;
  /** Every other parameter, percent-decoded, in the order given. */
  params: Parameter[];
}

// One `name="value"` pair of §3.5.1, after the "OAuth " scheme. Names are tokens; values are
// percent-encoded, so they never legitimately hold a quote or a backslash. Sticky, so the whole
// header must be consumed pair by pair — anything the pattern does not match is malformed.
const HEADER_PAIR = /[ \t]*([A-Za-z0-9_.~%-]+)[ \t]*=[ \t]*"([^"\\]*)"[ \t]*(,|$)/y;
const SCHEME = /^[ \t]*OAuth(?:[ \t]+|$)/i;

/**
 * Parses `Authorization: OAuth realm="…", oauth_consumer_key="…", …` strictly: malformed quoting, a
 * trailing comma or a parameter given twice are rejected (400 parameter_rejected), never guessed at.
 * Returns null when the header uses another scheme (e.g. Basic).
 */
export function parseAuthorizationHeader(value: string): AuthorizationHeader | null {
  const scheme = SCHEME.exec(value);
  if (scheme === null) return null;
  const rest = value.slice(scheme[0].length);
  const params: Parameter[] = [];
  let realm: string | null = null;
  const seen = new Set<string>();
  if (rest.trim().length === 0) return { realm, params };

  HEADER_PAIR.lastIndex = 0;
  let position = 0;
  while (position < rest.length) {
    HEADER_PAIR.lastIndex = position;
    const match = HEADER_PAIR.exec(rest);
    if (match === null) {
      throw parameterRejected(
        [],
        'The Authorization header is malformed: it must be OAuth followed by name="value" pairs separated by commas, each value percent-encoded and in double quotes.',
      );
    }
    position = HEADER_PAIR.lastIndex;
    const [, rawName = '', rawValue = '', separator] = match;
    if (separator === ',' && position >= rest.length) {
      throw parameterRejected(
        [],
        'The Authorization header ends with a comma: remove it or add the missing parameter.',
      );
    }
    const name = percentDecode(rawName);
    if (seen.has(name)) {
      throw parameterRejected(
        [name],
        `The Authorization header gives ${name} twice: send each parameter once.`,
      );
    }
    seen.add(name);
    // 1. realm is a plain quoted string (RFC 2617), not percent-encoded, and never signed.
    if (name === 'realm') realm = rawValue;
    else params.push([name, percentDecode(rawValue)]);
  }
  return { realm, params };
}

/** Formats protocol parameters as an Authorization header value (§3.5.1). */
export function formatAuthorizationHeader(params: readonly Parameter[], realm?: string): string {
  const parts: string[] = [];
  if (realm !== undefined) parts.push(`realm="${realm.replace(/["\\]/g, '')}"`);
  for (const [name, value] of params) parts.push(`${percentEncode(name)}="${percentEncode(value)}"`);
  return `OAuth ${parts.join(', ')}`;
}

/**
 * True for `application/x-www-form-urlencoded`, with or without parameters such as `; charset=UTF-8`.
 * Only such bodies contribute to the signature (§3.4.1.3.1).
 */
export function isFormContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/x-www-form-urlencoded';
}

export interface CollectedParameters {
  /** Every parameter that is signed: query, Authorization header and form body, minus realm and oauth_signature. */
  params: Parameter[];
  /** The protocol parameters (`oauth_*` and `x_auth_*`), each given exactly once, wherever they came from. */
  protocol: Map<string, string>;
  /** The `oauth_signature` as sent, decoded. */
  signature: string | null;
  realm: string | null;
  /** Where the `oauth_*` parameters were found (for diagnostics). */
  sources: ('header' | 'query' | 'body')[];
}

export interface RequestParts {
  /** The full URL as the client signed it (the public URL: scheme, host, port, path and query). */
  url: string;
  authorization?: string | undefined;
  contentType?: string | undefined;
  body?: string | Uint8Array | null | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function rawQuery(url: string): string {
  // The query is read from the URL text itself: a URL parser may re-encode characters, and the
  // signature covers what the client sent.
  const question = url.indexOf('?');
  if (question === -1) return '';
  const hash = url.indexOf('#', question);
  return url.slice(question + 1, hash === -1 ? undefined : hash);
}

function isProtocolName(name: string): boolean {
  return name.startsWith('oauth_') || name.startsWith('x_auth_');
}

/**
 * RFC 5849 §3.4.1.3.1: collects the parameters of a request from
 *   - the query component of the URI,
 *   - the OAuth HTTP Authorization header (excluding "realm"),
 *   - the entity-body, only if it is single-part application/x-www-form-urlencoded,
 * and excludes oauth_signature. Protocol parameters must appear once, in one place: a request that
 * repeats one (in the same place or in two) is rejected, because a server that picked one copy could
 * verify something other than what the client meant.
 */
export function collectRequestParameters(request: RequestParts): CollectedParameters {
  const params: Parameter[] = [];
  const protocol = new Map<string, string>();
  const sources: CollectedParameters['sources'] = [];
  let signature: string | null = null;
  let realm: string | null = null;

  const add = (source: 'header' | 'query' | 'body', pairs: readonly Parameter[]): void => {
    let sawProtocol = false;
    for (const pair of pairs) {
      const [name, value] = pair;
      if (isProtocolName(name)) {
        if (protocol.has(name)) {
          throw parameterRejected(
            [name],
            `${name} is given more than once (in the Authorization header, the query or the body): send each OAuth parameter exactly once.`,
          );
        }
        protocol.set(name, value);
        sawProtocol ||= name.startsWith('oauth_');
      }
      if (name === 'oauth_signature') signature = value;
      else params.push(pair);
    }
    if (sawProtocol) sources.push(source);
  };

  if (request.authorization !== undefined) {
    const header = parseAuthorizationHeader(request.authorization);
    if (header !== null) {
      realm = header.realm;
      add('header', header.params);
    }
  }
  add('query', parseFormEncoded(rawQuery(request.url)));
  if (request.body !== undefined && request.body !== null && isFormContentType(request.contentType)) {
    let text: string;
    if (typeof request.body === 'string') text = request.body;
    else {
      try {
        text = utf8.decode(request.body);
      } catch {
        throw parameterRejected([], 'The form-encoded body is not valid UTF-8.');
      }
    }
    add('body', parseFormEncoded(text));
  }
  return { params, protocol, signature, realm, sources };
}

function compareEncoded(a: [string, string], b: [string, string]): number {
  // Encoded strings are ASCII, so code-unit order is the byte order the RFC asks for.
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/**
 * RFC 5849 §3.4.1.3.2 — Parameters Normalization:
 * 1. First, the name and value of each parameter are encoded (Section 3.6).
 * 2. The parameters are sorted by name, using ascending byte value ordering. If two or more
 *    parameters share the same name, they are sorted by their value.
 * 3. The name of each parameter is concatenated to its corresponding value using an "=" character
 *    (ASCII code 61) as a separator, even if the value is empty.
 * 4. The sorted name/value pairs are concatenated together into a single string by using an "&"
 *    character (ASCII code 38) as separator.
 */
export function normalizeParameters(params: readonly Parameter[]): string {
  // 1.
  const encoded = params.map(([name, value]): [string, string] => [
    percentEncode(name),
    percentEncode(value),
  ]);
  // 2.
  encoded.sort(compareEncoded);
  // 3. and 4.
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

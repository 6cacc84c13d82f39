// RFC 5849 §3.5.1 (the Authorization header) and §3.4.1.3 (request parameters: collection and
// normalization).

import {
  type Parameter,
  parseFormEncoded,
  percentDecode,
  percentEncode,
  percentEncodeTwice,
} from './encoding.ts';
import { parameterRejected } from './problems.ts';
import { remembered } from './remembered.ts';

export type { Parameter } from './encoding.ts';

export interface AuthorizationHeader {
  /** The `realm` parameter, if given. It is not part of the signature (§3.4.1.3.1). */
  realm: string | null;
  /** Every other parameter, percent-decoded, in the order given. */
  params: Parameter[];
}

// The characters of a parameter name in the header: a token, percent-encoded (A-Z a-z 0-9 _ . ~ % -).
const NAME_CHARACTER = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~%-') {
  NAME_CHARACTER[c.charCodeAt(0)] = 1;
}
const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
// Up to this many pairs, a repeated name is found by scanning the pairs already read.
const SCAN_LIMIT = 16;

// The names a header usually carries, by length. A name read from the header is compared with these and
// the constant returned instead of its slice: constants are compared by identity when the header's repeats
// are looked for and when the provider reads the protocol Map, and the Map hashes each of them once for the
// life of the process instead of once per request.
const KNOWN_NAMES: string[][] = [];
for (const name of [
  'realm',
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_callback',
  'oauth_verifier',
  'oauth_body_hash',
]) {
  const sameLength = KNOWN_NAMES[name.length] ?? [];
  sameLength.push(name);
  KNOWN_NAMES[name.length] = sameLength;
}

/**
 * The name in text[start, end), which holds no "%": a known name's constant, or the slice. Slice and compare,
 * rather than compare in place: startsWith at a position left optimized code on every call, and a loop of
 * charCodeAt was slower still.
 */
function headerName(text: string, start: number, end: number): string {
  const name = text.slice(start, end);
  const candidates = KNOWN_NAMES[name.length];
  if (candidates !== undefined) {
    for (let i = 0; i < candidates.length; i++) if (candidates[i] === name) return candidates[i]!;
  }
  return name;
}

function skipSpaces(text: string, position: number): number {
  let i = position;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

// "OAuth", in any case, after optional spaces and tabs, then spaces and tabs or the end (§3.5.1, RFC 2617
// §1.2): where the pairs begin, or -1 for another scheme.
function afterScheme(value: string): number {
  const i = skipSpaces(value, 0);
  if (
    (value.charCodeAt(i) | 0x20) !== 0x6f || // o
    (value.charCodeAt(i + 1) | 0x20) !== 0x61 || // a
    (value.charCodeAt(i + 2) | 0x20) !== 0x75 || // u
    (value.charCodeAt(i + 3) | 0x20) !== 0x74 || // t
    (value.charCodeAt(i + 4) | 0x20) !== 0x68 // h
  ) {
    return -1;
  }
  const end = i + 5;
  if (end === value.length) return end;
  const next = value.charCodeAt(end);
  return next === SPACE || next === TAB ? skipSpaces(value, end) : -1;
}

function malformedHeader(): Error {
  return parameterRejected(
    [],
    'The Authorization header is malformed: it must be OAuth followed by name="value" pairs separated by commas, each value percent-encoded and in double quotes.',
  );
}

/**
 * Parses `Authorization: OAuth realm="…", oauth_consumer_key="…", …` strictly: malformed quoting, a
 * trailing comma or a parameter given twice are rejected (400 parameter_rejected), never guessed at.
 * Returns null when the header uses another scheme (e.g. Basic).
 *
 * After the scheme, the header must be consumed whole, pair by pair, each pair being
 * `[ \t]*name[ \t]*=[ \t]*"value"[ \t]*` followed by "," or the end: names are tokens, values are
 * percent-encoded, so they never legitimately hold a quote or a backslash. A scanner rather than a
 * regular expression: it runs on every signed request, and allocates nothing but the pairs it returns.
 */
export function parseAuthorizationHeader(value: string): AuthorizationHeader | null {
  const start = afterScheme(value);
  if (start === -1) return null;
  const params: Parameter[] = [];
  let realm: string | null = null;
  const end = value.length;
  // Nothing but whitespace after the scheme: no parameters. Printable ASCII is not whitespace, so only a
  // header whose first character after the spaces is something else needs the full trim to decide.
  const first = skipSpaces(value, start);
  if (first === end) return { realm, params };
  const c0 = value.charCodeAt(first);
  if ((c0 <= SPACE || c0 >= 0x7f) && value.slice(start).trim().length === 0) return { realm, params };

  // Repeats are found by scanning the few pairs a header carries; one stuffed with many pairs (a header
  // can hold a few thousand) gets a Set, so the check stays linear.
  let seen: Set<string> | null = null;
  // A backslash is valid nowhere in the header: without one, a value ends at the next quote.
  const backslash = value.indexOf('\\', start);
  // The next "%" at or after the pair being read: a name or value before it has nothing to decode, which
  // saves asking each of them (most hold no escape; usually only the signature does).
  let percent = value.indexOf('%', start);
  let position = start;
  while (position < end) {
    let i = skipSpaces(value, position);
    const nameStart = i;
    while (i < end) {
      const c = value.charCodeAt(i);
      if (c >= 128 || NAME_CHARACTER[c] === 0) break;
      i++;
    }
    const nameEnd = i;
    if (nameEnd === nameStart) throw malformedHeader();
    i = skipSpaces(value, i);
    if (value.charCodeAt(i) !== EQUALS) throw malformedHeader();
    i = skipSpaces(value, i + 1);
    if (value.charCodeAt(i) !== QUOTE) throw malformedHeader();
    const valueStart = i + 1;
    if (backslash === -1) {
      i = value.indexOf('"', valueStart);
      if (i === -1) i = end;
    } else {
      i = valueStart;
      while (i < end) {
        const c = value.charCodeAt(i);
        if (c === QUOTE || c === BACKSLASH) break;
        i++;
      }
    }
    if (value.charCodeAt(i) !== QUOTE) throw malformedHeader();
    const valueEnd = i;
    i = skipSpaces(value, i + 1);
    if (i < end) {
      if (value.charCodeAt(i) !== COMMA) throw malformedHeader();
      i++;
      if (i >= end) {
        throw parameterRejected(
          [],
          'The Authorization header ends with a comma: remove it or add the missing parameter.',
        );
      }
    }
    position = i;

    // Only spaces, "=" and a quote lie between the name and the value, so the next "%" past the name, if
    // before the closing quote, is in the value.
    let nameEscaped = false;
    if (percent !== -1 && percent < nameEnd) {
      nameEscaped = true;
      percent = value.indexOf('%', nameEnd);
    }
    let valueEscaped = false;
    if (percent !== -1 && percent < valueEnd) {
      valueEscaped = true;
      percent = value.indexOf('%', valueEnd);
    }
    const name = nameEscaped
      ? percentDecode(value.slice(nameStart, nameEnd))
      : headerName(value, nameStart, nameEnd);
    if (name === 'realm' ? realm !== null : seen !== null ? seen.has(name) : includesName(params, name)) {
      throw parameterRejected(
        [name],
        `The Authorization header gives ${name} twice: send each parameter once.`,
      );
    }
    // 1. realm is a plain quoted string (RFC 2617), not percent-encoded, and never signed.
    if (name === 'realm') realm = value.slice(valueStart, valueEnd);
    else {
      const raw = value.slice(valueStart, valueEnd);
      params.push([name, valueEscaped ? percentDecode(raw) : raw]);
      if (seen !== null) seen.add(name);
      else if (params.length > SCAN_LIMIT) seen = new Set(params.map(([n]) => n));
    }
  }
  return { realm, params };
}

function includesName(params: readonly Parameter[], name: string): boolean {
  for (let i = 0; i < params.length; i++) if (params[i]![0] === name) return true;
  return false;
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
  if (contentType === 'application/x-www-form-urlencoded') return true;
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
 * What collectRequestParameters returns. Verifying a signature needs the parameter list and the signature
 * only; the protocol Map is for the provider's checks, so it is built from the protocol pairs when it is
 * first read (a Map of seven fresh names cost as much as parsing the header). Repeats are refused during
 * collection all the same, by scanning the few protocol pairs (a Set only past SCAN_LIMIT of them).
 */
class Collected implements CollectedParameters {
  params: Parameter[] = [];
  signature: string | null = null;
  realm: string | null = null;
  sources: CollectedParameters['sources'] = [];
  /** Every protocol pair, oauth_signature included, in the order found: the Map's entries. */
  readonly #pairs: Parameter[] = [];
  #seen: Set<string> | null = null;
  #protocol: Map<string, string> | null = null;

  get protocol(): Map<string, string> {
    if (this.#protocol === null) {
      const map = new Map<string, string>();
      for (let i = 0; i < this.#pairs.length; i++) {
        const pair = this.#pairs[i]!;
        map.set(pair[0], pair[1]);
      }
      this.#protocol = map;
    }
    return this.#protocol;
  }

  set protocol(map: Map<string, string>) {
    this.#protocol = map;
  }

  /** Adds a protocol pair, refusing a name already given (in the same place or another). */
  addProtocol(pair: Parameter): void {
    const name = pair[0];
    const repeated = this.#seen !== null ? this.#seen.has(name) : includesName(this.#pairs, name);
    if (repeated) {
      throw parameterRejected(
        [name],
        `${name} is given more than once (in the Authorization header, the query or the body): send each OAuth parameter exactly once.`,
      );
    }
    this.#pairs.push(pair);
    if (this.#seen !== null) this.#seen.add(name);
    else if (this.#pairs.length > SCAN_LIMIT) this.#seen = new Set(this.#pairs.map(([n]) => n));
  }
}

function addParameters(
  collected: Collected,
  source: CollectedParameters['sources'][number],
  pairs: readonly Parameter[],
): void {
  let sawProtocol = false;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    const name = pair[0];
    if (isProtocolName(name)) {
      collected.addProtocol(pair);
      sawProtocol ||= name.startsWith('oauth_');
    }
    if (name === 'oauth_signature') collected.signature = pair[1];
    else collected.params.push(pair);
  }
  if (sawProtocol) collected.sources.push(source);
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
  const collected = new Collected();
  if (request.authorization !== undefined) {
    const header = parseAuthorizationHeader(request.authorization);
    if (header !== null) {
      collected.realm = header.realm;
      addParameters(collected, 'header', header.params);
    }
  }
  const query = rawQuery(request.url);
  if (query.length > 0) addParameters(collected, 'query', parseFormEncoded(query));
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
    addParameters(collected, 'body', parseFormEncoded(text));
  }
  return collected;
}

/**
 * Code-unit order of two strings, as `<` gives it. Encoded strings are ASCII, so this is the byte order the
 * RFC asks for. A loop over the characters: `<` between two strings that are not the same object leaves
 * optimized code for the runtime, and sorting a request's parameters makes a few dozen such comparisons.
 */
function compareText(a: string, b: string): number {
  const length = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < length; i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

function comparePairs(a: Parameter, b: Parameter): number {
  const byName = compareText(a[0], b[0]);
  return byName !== 0 ? byName : compareText(a[1], b[1]);
}

/**
 * One of the two encodings a name or value is given (§3.6 once for the normalized parameters, twice for the
 * base string). Names repeat from request to request — the protocol's own, an API's few — while values
 * rarely do: a name's encoding is remembered (the test for characters to escape then runs once per name,
 * not on every name of every request), a value's worked out each time.
 */
interface Encoding {
  name: (name: string) => string;
  value: (value: string) => string;
}
const NAMES = { limit: 1024, maxLength: 64 };
const ENCODED_ONCE: Encoding = { name: remembered(percentEncode, NAMES), value: percentEncode };
const ENCODED_TWICE: Encoding = { name: remembered(percentEncodeTwice, NAMES), value: percentEncodeTwice };

/** Steps 1 and 2 of §3.4.1.3.2 below, with the given encoding: every name and value encoded, then sorted. */
function encodedAndSorted(params: readonly Parameter[], encoding: Encoding): Parameter[] {
  const encoded: Parameter[] = [];
  for (let i = 0; i < params.length; i++) {
    const pair = params[i]!;
    const name = encoding.name(pair[0]);
    const value = encoding.value(pair[1]);
    // Most pairs need no escaping: the pair itself is reused (sorting a copy of the list moves no pair).
    encoded.push(name === pair[0] && value === pair[1] ? pair : [name, value]);
  }
  return sortPairs(encoded);
}

/**
 * Sorts in place. A signed request carries a dozen parameters or so: an insertion sort over them makes
 * about as few comparisons as any, and allocates nothing, where Array.prototype.sort's TimSort set up
 * its work arrays on every call (about 0.9 KB a request, 7% of what a verification allocated). Longer
 * lists (a form stuffed with thousands of fields) go to the built-in sort, which stays O(n log n).
 */
function sortPairs(pairs: Parameter[]): Parameter[] {
  if (pairs.length > INSERTION_SORT_MAX) return pairs.sort(comparePairs);
  for (let i = 1; i < pairs.length; i++) {
    const pair = pairs[i]!;
    let j = i - 1;
    while (j >= 0 && comparePairs(pairs[j]!, pair) > 0) {
      pairs[j + 1] = pairs[j]!;
      j--;
    }
    pairs[j + 1] = pair;
  }
  return pairs;
}
const INSERTION_SORT_MAX = 32;

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
  const encoded = encodedAndSorted(params, ENCODED_ONCE);
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const pair = encoded[i]!;
    out += i === 0 ? `${pair[0]}=${pair[1]}` : `&${pair[0]}=${pair[1]}`;
  }
  return out;
}

/**
 * The normalized parameters as the base string carries them (§3.4.1.1 step 5): percentEncode of
 * normalizeParameters, built in one pass. "=" and "&" encode to "%3D" and "%26", and each name and value
 * is encoded twice at once. Sorting the twice-encoded strings gives the order of the once-encoded ones:
 * encoding again only puts "25" after every "%", which keeps both the first difference between two
 * strings and which one is a prefix of the other.
 */
export function encodedNormalizedParameters(params: readonly Parameter[]): string {
  const encoded = encodedAndSorted(params, ENCODED_TWICE);
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const pair = encoded[i]!;
    out += i === 0 ? `${pair[0]}%3D${pair[1]}` : `%26${pair[0]}%3D${pair[1]}`;
  }
  return out;
}

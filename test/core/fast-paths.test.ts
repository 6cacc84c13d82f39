// The verification hot path was rewritten for speed (issue 10): table-driven percent-encoding, a scanner
// for the Authorization header, the base string built in one pass, the base string URI remembered, the
// protocol Map built on first use, digests compared without buffers. Each
// must answer exactly what the straightforward code it replaced answers — the same string, or the same
// refusal with the same words — so that code lives on here as the reference, and random input compares them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { baseStringUri, signatureBaseString } from '../../src/core/base-string.ts';
import {
  type Parameter,
  parseFormEncoded,
  percentDecode,
  percentEncode,
  percentEncodeTwice,
} from '../../src/core/encoding.ts';
import {
  type CollectedParameters,
  collectRequestParameters,
  encodedNormalizedParameters,
  isFormContentType,
  normalizeParameters,
  parseAuthorizationHeader,
  type RequestParts,
} from '../../src/core/parameters.ts';
import { OAuthProblem, parameterRejected } from '../../src/core/problems.ts';
import { digestEqual } from '../../src/core/signature.ts';

// ---- The straightforward implementations, as they were before the rewrite --------------------------------

function referencePercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function referencePercentDecode(value: string): string {
  if (!value.includes('%')) return value;
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw parameterRejected(
      [],
      `Malformed percent-encoding in "${shown}": "%" must be followed by two hex digits.`,
    );
  }
  try {
    return decodeURIComponent(value);
  } catch {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw parameterRejected([], `Percent-encoded bytes in "${shown}" are not valid UTF-8.`);
  }
}

function referenceParseFormEncoded(text: string): Parameter[] {
  const out: Parameter[] = [];
  if (text.length === 0) return out;
  for (const segment of text.split('&')) {
    if (segment.length === 0) continue;
    const eq = segment.indexOf('=');
    const rawName = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    out.push([
      referencePercentDecode(rawName.replaceAll('+', ' ')),
      referencePercentDecode(rawValue.replaceAll('+', ' ')),
    ]);
  }
  return out;
}

function referenceNormalize(params: readonly Parameter[]): string {
  const encoded = params.map(([n, v]): Parameter => [referencePercentEncode(n), referencePercentEncode(v)]);
  encoded.sort((a, b) =>
    a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : 0,
  );
  return encoded.map(([n, v]) => `${n}=${v}`).join('&');
}

function referenceBaseString(method: string, url: string, params: readonly Parameter[]): string {
  return `${referencePercentEncode(method.toUpperCase())}&${referencePercentEncode(baseStringUri(url))}&${referencePercentEncode(referenceNormalize(params))}`;
}

const HEADER_PAIR = /[ \t]*([A-Za-z0-9_.~%-]+)[ \t]*=[ \t]*"([^"\\]*)"[ \t]*(,|$)/y;
const SCHEME = /^[ \t]*OAuth(?:[ \t]+|$)/i;

function referenceParseHeader(value: string): { realm: string | null; params: Parameter[] } | null {
  const scheme = SCHEME.exec(value);
  if (scheme === null) return null;
  const rest = value.slice(scheme[0].length);
  const params: Parameter[] = [];
  let realm: string | null = null;
  const seen = new Set<string>();
  if (rest.trim().length === 0) return { realm, params };
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
    const name = referencePercentDecode(rawName);
    if (seen.has(name)) {
      throw parameterRejected(
        [name],
        `The Authorization header gives ${name} twice: send each parameter once.`,
      );
    }
    seen.add(name);
    if (name === 'realm') realm = rawValue;
    else params.push([name, referencePercentDecode(rawValue)]);
  }
  return { realm, params };
}

// Collection as it was before the protocol Map was built on first use: one Map.set per protocol pair, a
// repeat found by the Map's size not growing.
function referenceCollect(request: RequestParts): CollectedParameters {
  const collected: CollectedParameters = {
    params: [],
    protocol: new Map(),
    signature: null,
    realm: null,
    sources: [],
  };
  const add = (source: CollectedParameters['sources'][number], pairs: readonly Parameter[]) => {
    let sawProtocol = false;
    for (const pair of pairs) {
      const name = pair[0];
      if (name.startsWith('oauth_') || name.startsWith('x_auth_')) {
        const before = collected.protocol.size;
        collected.protocol.set(name, pair[1]);
        if (collected.protocol.size === before) {
          throw parameterRejected(
            [name],
            `${name} is given more than once (in the Authorization header, the query or the body): send each OAuth parameter exactly once.`,
          );
        }
        sawProtocol ||= name.startsWith('oauth_');
      }
      if (name === 'oauth_signature') collected.signature = pair[1];
      else collected.params.push(pair);
    }
    if (sawProtocol) collected.sources.push(source);
  };
  if (request.authorization !== undefined) {
    const header = referenceParseHeader(request.authorization);
    if (header !== null) {
      collected.realm = header.realm;
      add('header', header.params);
    }
  }
  const question = request.url.indexOf('?');
  if (question !== -1) {
    const hash = request.url.indexOf('#', question);
    const query = request.url.slice(question + 1, hash === -1 ? undefined : hash);
    if (query.length > 0) add('query', referenceParseFormEncoded(query));
  }
  if (typeof request.body === 'string' && isFormContentType(request.contentType)) {
    add('body', referenceParseFormEncoded(request.body));
  }
  return collected;
}

/** What a CollectedParameters says, as plain data (the protocol Map as its entries, in order). */
function collectedData(collected: CollectedParameters) {
  return {
    params: collected.params,
    protocol: [...collected.protocol],
    signature: collected.signature,
    realm: collected.realm,
    sources: collected.sources,
  };
}

// ---- Comparison -----------------------------------------------------------------------------------------

/** Both give the same value, or both refuse with the same problem (or both throw the same kind of error). */
function sameOutcome<T>(fast: () => T, reference: () => T): void {
  let expected: { value: T } | { error: unknown };
  try {
    expected = { value: reference() };
  } catch (error) {
    expected = { error };
  }
  if ('value' in expected) {
    assert.deepEqual(fast(), expected.value);
    return;
  }
  const error = expected.error;
  assert.throws(fast, (thrown: unknown) => {
    if (error instanceof OAuthProblem) {
      assert.ok(thrown instanceof OAuthProblem, `expected an OAuthProblem, got ${String(thrown)}`);
      assert.equal(thrown.problem, error.problem);
      assert.equal(thrown.advice, error.advice);
      assert.deepEqual(thrown.extra, error.extra);
    } else {
      assert.equal((thrown as Error).constructor, (error as Error).constructor);
    }
    return true;
  });
}

// Text that hits every branch: unreserved characters, ASCII that needs escaping, "%", "+", multi-byte
// characters, astral characters and lone surrogates.
const pieces = [
  'a',
  'Z',
  '0',
  '-',
  '.',
  '_',
  '~',
  ' ',
  '!',
  "'",
  '(',
  ')',
  '*',
  '%',
  '+',
  '&',
  '=',
  '/',
  ':',
  '"',
  '\\',
  '\t',
  '\n',
  'é',
  '☃',
  '𝄞',
  '\ud800',
  '%41',
  '%2B',
  '%e9',
  '%C3%A9',
  '%C3',
  '%G1',
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((parts) => parts.join(''));
const anyText = fc.oneof(text, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
const params = fc.array(fc.tuple(anyText, anyText), { maxLength: 8 });
// Text that can be signed at all: no lone surrogates (percentEncode refuses them, as encodeURIComponent does).
const wellFormedText = fc.oneof(text, fc.string({ unit: 'grapheme' })).filter((s) => {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
});

describe('fast paths give exactly what the straightforward code gives (property)', () => {
  it('percentEncode, for any string (lone surrogates refused alike)', () => {
    fc.assert(
      fc.property(anyText, (s) =>
        sameOutcome(
          () => percentEncode(s),
          () => referencePercentEncode(s),
        ),
      ),
      {
        numRuns: 2000,
      },
    );
  });

  it('percentEncodeTwice is percentEncode applied twice', () => {
    fc.assert(
      fc.property(anyText, (s) =>
        sameOutcome(
          () => percentEncodeTwice(s),
          () => referencePercentEncode(referencePercentEncode(s)),
        ),
      ),
      { numRuns: 2000 },
    );
  });

  it('percentDecode, values and refusals alike', () => {
    fc.assert(
      fc.property(anyText, (s) =>
        sameOutcome(
          () => percentDecode(s),
          () => referencePercentDecode(s),
        ),
      ),
      {
        numRuns: 2000,
      },
    );
  });

  it('parseFormEncoded, values and refusals alike', () => {
    fc.assert(
      fc.property(anyText, (s) =>
        sameOutcome(
          () => parseFormEncoded(s),
          () => referenceParseFormEncoded(s),
        ),
      ),
      { numRuns: 2000 },
    );
  });

  it('normalizeParameters, and the base string parameters built in one pass', () => {
    const wellFormed = fc.array(fc.tuple(wellFormedText, wellFormedText), { maxLength: 8 });
    fc.assert(
      fc.property(wellFormed, (pairs) => {
        assert.equal(normalizeParameters(pairs), referenceNormalize(pairs));
        assert.equal(encodedNormalizedParameters(pairs), referencePercentEncode(referenceNormalize(pairs)));
      }),
      { numRuns: 1000 },
    );
    // Lists short enough for the insertion sort and longer than it takes, with names repeated (ordered by
    // value) and names that are prefixes of one another.
    const repeatedNames = fc.array(
      fc.tuple(fc.constantFrom('a', 'a%20b', 'ab', 'B', 'oauth_nonce', 'oauth_nonce2', ''), wellFormedText),
      { maxLength: 48 },
    );
    fc.assert(
      fc.property(repeatedNames, (pairs) => {
        assert.equal(normalizeParameters(pairs), referenceNormalize(pairs));
        assert.equal(encodedNormalizedParameters(pairs), referencePercentEncode(referenceNormalize(pairs)));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(params, (pairs) =>
        sameOutcome(
          () => encodedNormalizedParameters(pairs),
          () => referencePercentEncode(referenceNormalize(pairs)),
        ),
      ),
      { numRuns: 1000 },
    );
  });

  it('parseAuthorizationHeader, for header-like text: the same pairs or the same refusal', () => {
    const headerPieces = fc.constantFrom(
      ' ',
      '\t',
      ',',
      ', ',
      '=',
      '"',
      '\\',
      'realm',
      'oauth_nonce',
      'oauth_token',
      'a',
      'x%41',
      're%61lm',
      '%',
      '%ZZ',
      '="v"',
      '="%2B"',
      '="%C3"',
      '=""',
      ' = "v" ',
      'é',
      '\n',
      // Known names (matched in place), one spelled with an escape, and whitespace that only trim() knows.
      'oauth_signature',
      'oauth_consumer_key',
      'oauth%5Fnonce',
      'oauth_nonce%',
      '\u00a0',
      '\u3000',
      '\r',
      '\v',
    );
    const scheme = fc.constantFrom('OAuth ', 'oauth\t', ' OAUTH  ', 'OAuth', 'OAuthx ', 'Basic ', '');
    const header = fc
      .tuple(scheme, fc.array(headerPieces, { maxLength: 20 }))
      .map(([s, parts]) => s + parts.join(''));
    fc.assert(
      fc.property(fc.oneof(header, fc.string()), (h) =>
        sameOutcome(
          () => parseAuthorizationHeader(h),
          () => referenceParseHeader(h),
        ),
      ),
      { numRuns: 5000 },
    );
  });

  it('parseAuthorizationHeader on well-formed headers of many pairs (the Set beyond the scan limit)', () => {
    const pair = fc.tuple(fc.stringMatching(/^[a-z_]{1,6}$/), fc.stringMatching(/^[A-Za-z0-9%]{0,6}$/));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 40 }), (pairs) => {
        const h = `OAuth ${pairs.map(([n, v]) => `${n}="${v}"`).join(', ')}`;
        sameOutcome(
          () => parseAuthorizationHeader(h),
          () => referenceParseHeader(h),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('collectRequestParameters: the same parameters, protocol Map (entries in order) and sources, or the same refusal', () => {
    const name = fc.constantFrom(
      'oauth_nonce',
      'oauth_token',
      'oauth_signature',
      'oauth_consumer_key',
      'oauth_callback',
      'x_auth_mode',
      'x_auth_access_type',
      'oauth_',
      'realm',
      'a',
      'status',
      'oauth%5Fnonce',
    );
    // Malformed escapes are refused whatever else the request holds: rare, so that most requests get further.
    const value = fc.oneof(
      { arbitrary: fc.constantFrom('', 'v', 'a%20b', 'x+y', '%2B', 'é'), weight: 19 },
      { arbitrary: fc.constant('%ZZ'), weight: 1 },
    );
    const pairs = fc.array(fc.tuple(name, value), { maxLength: 8 });
    const header = pairs.map((list) => `OAuth ${list.map(([n, v]) => `${n}="${v}"`).join(', ')}`);
    const form = pairs.map((list) => list.map(([n, v]) => `${n}=${v}`).join('&'));
    const request = fc.record({
      url: form.map((q) => `https://api.test/x${q === '' ? '' : `?${q}`}`),
      authorization: fc.option(header, { nil: undefined }),
      contentType: fc.constantFrom(undefined, 'application/x-www-form-urlencoded', 'text/plain'),
      body: fc.option(form, { nil: undefined }),
    });
    fc.assert(
      fc.property(request, (r) =>
        sameOutcome(
          () => collectedData(collectRequestParameters(r)),
          () => collectedData(referenceCollect(r)),
        ),
      ),
      { numRuns: 3000 },
    );
  });

  it('collectRequestParameters refuses a protocol parameter repeated among many (the Set beyond the scan limit)', () => {
    const names = fc.uniqueArray(fc.stringMatching(/^oauth_[a-z]{1,4}$/), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(names, fc.nat(), fc.boolean(), (list, pick, repeat) => {
        const query = list.map((n) => `${n}=1`);
        if (repeat) query.push(`${list[pick % list.length]}=2`);
        const r = { url: `https://api.test/x?${query.join('&')}` };
        sameOutcome(
          () => collectedData(collectRequestParameters(r)),
          () => collectedData(referenceCollect(r)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('signatureBaseString, with the base string URI remembered across calls', () => {
    const suffix = fc.constantFrom(
      '',
      ' ',
      '?',
      '?a=1',
      '#f',
      '?a=1#f',
      ' ?a',
      '\t?a',
      '/ ?a',
      '?a b',
      '#?x',
    );
    const path = fc.constantFrom(
      '',
      '/',
      '/a',
      '/a ',
      '/A/b%20c',
      '/a/../b',
      '/./x',
      '/é',
      '/a b',
      '/%2e%2E/c',
      '//d',
    );
    const host = fc.constantFrom(
      'example.com',
      'EXAMPLE.com',
      'example.com:80',
      'example.com:443',
      'example.com:8080',
      '127.0.0.1',
      '[::1]:3000',
      'xn--a',
      'a..b',
    );
    const scheme = fc.constantFrom(
      'http://',
      'https://',
      'HTTP://',
      'ftp://',
      'http:',
      'https:/',
      'http:\\\\',
    );
    const url = fc.oneof(
      fc.tuple(scheme, host, path, suffix).map((parts) => parts.join('')),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
    );
    const method = fc.constantFrom('GET', 'post', 'Delete');
    const pairs = fc.array(fc.tuple(wellFormedText, wellFormedText), { maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.tuple(method, url, pairs), { minLength: 1, maxLength: 6 }), (calls) => {
        // Each call twice: the second is answered from what the first remembered.
        for (const [m, u, p] of [...calls, ...calls]) {
          sameOutcome(
            () => signatureBaseString(m, u, p),
            () => referenceBaseString(m, u, p),
          );
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('canonical percent-encoding (RFC 5849 §3.6), the shortcut core-verification-bound.ts takes', () => {
  // Unreserved characters, and upper-case escapes of bytes that are not unreserved.
  const CANONICAL =
    /^(?:[A-Za-z0-9\-._~]|%(?:[01][0-9A-F]|2[0-9A-CF]|3[A-F]|40|5[B-E]|60|7[B-DF]|[89A-F][0-9A-F]))*$/;
  const escapeByte = (byte: number) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;

  it('every encoding is canonical', () => {
    fc.assert(
      fc.property(wellFormedText, (s) => {
        assert.match(percentEncode(s), CANONICAL);
      }),
      { numRuns: 2000 },
    );
  });

  it('canonical text that decodes is its own encoding, so it can be used as it is', () => {
    const piece = fc.oneof(
      fc.constantFrom(...'Aa0-._~'),
      fc.integer({ min: 0, max: 255 }).map(escapeByte),
      fc.constantFrom('%C3%A9', '%E2%98%83', '%F0%9D%84%9E'),
    );
    const candidate = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(candidate, (raw) => {
        let decoded: string;
        try {
          decoded = decodeURIComponent(raw);
        } catch {
          return; // not UTF-8: refused either way
        }
        assert.equal(CANONICAL.test(raw), referencePercentEncode(decoded) === raw);
      }),
      { numRuns: 3000 },
    );
  });

  it('escapes of unreserved bytes and lower-case hex are not canonical', () => {
    for (const raw of ['%41', '%7E', '%2D', '%5F', '%30', '%2b', '%c3%a9']) {
      assert.doesNotMatch(raw, CANONICAL);
      assert.notEqual(referencePercentEncode(decodeURIComponent(raw)), raw);
    }
  });
});

describe('the remembered base string URI', () => {
  it('is not shared between URLs whose text before the query ends in a space (the parser strips it only at the end)', () => {
    for (const [first, second] of [
      ['http://example.com/a ?q', 'http://example.com/a '],
      ['http://example.com/a ', 'http://example.com/a ?q'],
      ['http://example.com/a\t?q', 'http://example.com/a\t'],
    ] as const) {
      assert.equal(signatureBaseString('GET', first, []), referenceBaseString('GET', first, []));
      assert.equal(signatureBaseString('GET', second, []), referenceBaseString('GET', second, []));
    }
  });
});

describe('the remembered encodings of parameter names and methods', () => {
  const both = (pairs: Parameter[]) => {
    assert.equal(normalizeParameters(pairs), referenceNormalize(pairs));
    assert.equal(encodedNormalizedParameters(pairs), referencePercentEncode(referenceNormalize(pairs)));
  };

  it('encode a name the same whether it is seen first, again, or once the memory has been cleared', () => {
    const names = ['oauth_nonce', 'a b', 'ä/ö', '~-._', '%', 'x'.repeat(64), `${'y'.repeat(64)}!`];
    for (let round = 0; round < 3; round++) for (const name of names) both([[name, 'v w']]);
    // More distinct names than are kept: the memory is cleared and filled again, the answers unchanged.
    for (let i = 0; i < 3000; i++) both([[`n${i} ${i}`, String(i)]]);
    for (const name of names) both([[name, 'v w']]);
  });

  it('give the base string of any method, however many methods have been seen', () => {
    const url = 'https://api.example.com/1/x?a=b';
    const methods = ['GET', 'post', 'Pöst', 'M-SEARCH', 'x'.repeat(65)];
    for (let i = 0; i < 200; i++) methods.push(`m${i}`);
    for (let round = 0; round < 2; round++) {
      for (const method of methods) {
        assert.equal(signatureBaseString(method, url, []), referenceBaseString(method, url, []), method);
      }
    }
  });

  it('remember nothing of a name that cannot be encoded (a lone surrogate), refusing it every time', () => {
    for (let round = 0; round < 2; round++) {
      assert.throws(() => encodedNormalizedParameters([['\ud800', 'v']]), URIError);
      assert.throws(() => normalizeParameters([['\ud800', 'v']]), URIError);
    }
  });
});

describe('digestEqual (constant-time comparison with a digest of public length)', () => {
  it('is string equality for any received text', () => {
    const received = fc.oneof(
      fc.base64String({ minLength: 28, maxLength: 28 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({ unit: 'binary', minLength: 28, maxLength: 28 }),
    );
    fc.assert(
      fc.property(fc.base64String({ minLength: 28, maxLength: 28 }), received, (expected, r) => {
        assert.equal(digestEqual(expected, r), expected === r);
        assert.equal(digestEqual(expected, expected), true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses the digest with any one code unit changed, anywhere', () => {
    const digest = fc.base64String({ minLength: 28, maxLength: 28 });
    fc.assert(
      fc.property(digest, fc.nat(27), fc.integer({ min: 1, max: 0xffff }), (expected, i, flip) => {
        const r =
          expected.slice(0, i) + String.fromCharCode(expected.charCodeAt(i) ^ flip) + expected.slice(i + 1);
        assert.equal(digestEqual(expected, r), false);
      }),
      { numRuns: 2000 },
    );
  });

  it('tells apart text whose characters share their low byte with the digest', () => {
    // "Ł" is U+0141: written as latin1 it would be 0x41, "A".
    assert.equal(digestEqual('hCtSmYh+iHYCEqBWrE7C7hYmtUA=', 'hCtSmYh+iHYCEqBWrE7C7hYmtUŁ='), false);
    assert.equal(digestEqual('hCtSmYh+iHYCEqBWrE7C7hYmtUk=', 'hCtSmYh+iHYCEqBWrE7C7hYmtUk'), false);
  });
});

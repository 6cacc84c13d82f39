import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  collectRequestParameters,
  formatAuthorizationHeader,
  isFormContentType,
  normalizeParameters,
  parseAuthorizationHeader,
} from '../../src/core/parameters.ts';
import { OAuthProblem } from '../../src/core/problems.ts';

const rejected = (e: unknown) =>
  e instanceof OAuthProblem && e.problem === 'parameter_rejected' && e.status === 400;

describe('parseAuthorizationHeader (RFC 5849 §3.5.1)', () => {
  it('reads realm apart from the percent-decoded parameters', () => {
    assert.deepEqual(
      parseAuthorizationHeader(
        'OAuth realm="Photos", oauth_callback="http%3A%2F%2Fx.test%2Fcb", oauth_nonce="n"',
      ),
      {
        realm: 'Photos',
        params: [
          ['oauth_callback', 'http://x.test/cb'],
          ['oauth_nonce', 'n'],
        ],
      },
    );
  });

  it('accepts the scheme in any case, no space after commas, and empty values', () => {
    assert.deepEqual(parseAuthorizationHeader('oauth oauth_token="",oauth_nonce="a"')?.params, [
      ['oauth_token', ''],
      ['oauth_nonce', 'a'],
    ]);
  });

  it('returns null for other schemes', () => {
    assert.equal(parseAuthorizationHeader('Basic dXNlcjpwYXNz'), null);
    assert.equal(parseAuthorizationHeader('OAuthX a="b"'), null);
  });

  it('keeps "+" in a value as "+" (it is not form encoding)', () => {
    assert.equal(parseAuthorizationHeader('OAuth oauth_signature="a+b%2B"')?.params[0]?.[1], 'a+b+');
  });

  it('rejects malformed quoting, unquoted values, stray text and a trailing comma', () => {
    for (const bad of [
      'OAuth oauth_nonce="abc',
      'OAuth oauth_nonce=abc',
      'OAuth oauth_nonce="a"b"',
      'OAuth oauth_nonce="a" oauth_token="b"',
      'OAuth oauth_nonce="a",',
      'OAuth oauth_nonce="a\\"b"',
      'OAuth ="a"',
      'OAuth oauth_nonce="%ZZ"',
    ]) {
      assert.throws(() => parseAuthorizationHeader(bad), rejected, bad);
    }
  });

  it('rejects a parameter given twice, naming it', () => {
    assert.throws(
      () => parseAuthorizationHeader('OAuth oauth_nonce="a", oauth_nonce="b"'),
      (e: unknown) => rejected(e) && (e as OAuthProblem).extra.oauth_parameters_rejected === 'oauth_nonce',
    );
  });

  it('parses what formatAuthorizationHeader writes, for any parameters (property)', () => {
    const name = fc.string({ minLength: 1, unit: 'grapheme' }).filter((n) => n !== 'realm');
    const params = fc.uniqueArray(fc.tuple(name, fc.string({ unit: 'grapheme' })), { selector: ([n]) => n });
    const realm = fc.option(fc.stringMatching(/^[A-Za-z0-9 .:/_-]*$/), { nil: undefined });
    fc.assert(
      fc.property(params, realm, (pairs, realmValue) => {
        const parsed = parseAuthorizationHeader(formatAuthorizationHeader(pairs, realmValue));
        assert.deepEqual(parsed, { realm: realmValue ?? null, params: pairs });
      }),
    );
  });
});

describe('isFormContentType', () => {
  it('matches application/x-www-form-urlencoded with parameters and in any case', () => {
    assert.ok(isFormContentType('application/x-www-form-urlencoded'));
    assert.ok(isFormContentType('Application/X-WWW-Form-URLEncoded; charset=UTF-8'));
    assert.ok(!isFormContentType('application/json'));
    assert.ok(!isFormContentType('multipart/form-data; boundary=x'));
    assert.ok(!isFormContentType(undefined));
  });
});

describe('collectRequestParameters (RFC 5849 §3.4.1.3.1)', () => {
  it('ignores the body unless it is form-encoded', () => {
    const collected = collectRequestParameters({
      url: 'https://api.test/x',
      authorization: 'OAuth oauth_nonce="n"',
      contentType: 'application/json',
      body: '{"a":"b"}',
    });
    assert.deepEqual(collected.params, [['oauth_nonce', 'n']]);
  });

  it('takes protocol parameters from the query or the body too', () => {
    const collected = collectRequestParameters({
      url: 'https://api.test/x?oauth_consumer_key=k&q=1',
      contentType: 'application/x-www-form-urlencoded',
      body: 'oauth_nonce=n&x_auth_access_type=read',
    });
    assert.equal(collected.protocol.get('oauth_consumer_key'), 'k');
    assert.equal(collected.protocol.get('oauth_nonce'), 'n');
    assert.equal(collected.protocol.get('x_auth_access_type'), 'read');
    assert.deepEqual(collected.sources, ['query', 'body']);
  });

  it('rejects an oauth_ parameter present in two places', () => {
    assert.throws(
      () =>
        collectRequestParameters({
          url: 'https://api.test/x?oauth_nonce=a',
          authorization: 'OAuth oauth_nonce="b"',
        }),
      rejected,
    );
    assert.throws(
      () =>
        collectRequestParameters({
          url: 'https://api.test/x',
          authorization: 'OAuth oauth_token="b"',
          contentType: 'application/x-www-form-urlencoded',
          body: 'oauth_token=c',
        }),
      rejected,
    );
  });

  it('rejects an oauth_ parameter given twice in the query', () => {
    assert.throws(
      () => collectRequestParameters({ url: 'https://api.test/x?oauth_version=1.0&oauth_version=1.0' }),
      rejected,
    );
  });

  it('keeps duplicate non-protocol parameters from query and body', () => {
    const collected = collectRequestParameters({
      url: 'https://api.test/x?a=1&a=2',
      contentType: 'application/x-www-form-urlencoded',
      body: 'a=3',
    });
    assert.deepEqual(collected.params, [
      ['a', '1'],
      ['a', '2'],
      ['a', '3'],
    ]);
  });

  it('reads the query from the URL text, ignoring the fragment', () => {
    const collected = collectRequestParameters({ url: "https://api.test/x?q=it's%20%2A#frag" });
    assert.deepEqual(collected.params, [['q', "it's *"]]);
  });

  it('rejects a form body that is not UTF-8', () => {
    assert.throws(
      () =>
        collectRequestParameters({
          url: 'https://api.test/x',
          contentType: 'application/x-www-form-urlencoded',
          body: new Uint8Array([0x61, 0x3d, 0xff]),
        }),
      rejected,
    );
  });
});

describe('normalizeParameters (RFC 5849 §3.4.1.3.2)', () => {
  it('sorts by encoded name then encoded value, byte order', () => {
    assert.equal(
      normalizeParameters([
        ['id_10', 'x'],
        ['id_1', 'y'],
        ['a', 'z'],
        ['a', 'Z'],
        ['c@', ''],
        ['c2', ''],
      ]),
      'a=Z&a=z&c%40=&c2=&id_1=y&id_10=x',
    );
  });
});

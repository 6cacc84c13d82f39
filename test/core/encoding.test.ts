import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatFormEncoded,
  parseFormEncoded,
  percentDecode,
  percentEncode,
} from '../../src/core/encoding.ts';
import { OAuthProblem } from '../../src/core/problems.ts';

describe('percentEncode (RFC 5849 §3.6)', () => {
  it('leaves exactly the unreserved characters ALPHA, DIGIT, "-", ".", "_", "~" unencoded', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
    assert.equal(percentEncode(unreserved), unreserved);
    for (let code = 0; code < 128; code++) {
      const c = String.fromCharCode(code);
      if (unreserved.includes(c)) continue;
      assert.equal(
        percentEncode(c),
        `%${code.toString(16).toUpperCase().padStart(2, '0')}`,
        `character ${code}`,
      );
    }
  });

  it("encodes the characters encodeURIComponent misses: ! * ' ( )", () => {
    assert.equal(percentEncode("!*'()"), '%21%2A%27%28%29');
  });

  it('encodes space as %20 and "+" as %2B, never "+"', () => {
    assert.equal(percentEncode('a b+c'), 'a%20b%2Bc');
  });

  it('encodes text as UTF-8 octets first, with upper-case hex', () => {
    assert.equal(percentEncode('é'), '%C3%A9');
    assert.equal(percentEncode('☃'), '%E2%98%83');
    assert.equal(percentEncode('𝄞'), '%F0%9D%84%9E');
    assert.equal(percentEncode('Ladies + Gentlemen'), 'Ladies%20%2B%20Gentlemen');
  });

  it('round-trips through percentDecode for any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const encoded = percentEncode(s);
        assert.match(encoded, /^[A-Za-z0-9\-._~%]*$/);
        assert.equal(percentDecode(encoded), s);
      }),
    );
  });
});

describe('percentDecode', () => {
  it('keeps "+" as "+" (only form encoding turns it into a space)', () => {
    assert.equal(percentDecode('a+b%2B'), 'a+b+');
    assert.equal(percentDecode('hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D'), 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  it('rejects a "%" not followed by two hex digits as parameter_rejected', () => {
    for (const bad of ['%', '%G1', 'abc%2', '%%41']) {
      assert.throws(
        () => percentDecode(bad),
        (e: unknown) => e instanceof OAuthProblem && e.problem === 'parameter_rejected' && e.status === 400,
        bad,
      );
    }
  });

  it('rejects escapes that are not valid UTF-8', () => {
    assert.throws(() => percentDecode('%C3'), OAuthProblem);
    assert.throws(() => percentDecode('%FF%FE'), OAuthProblem);
  });
});

describe('parseFormEncoded (application/x-www-form-urlencoded)', () => {
  it('decodes "+" as a space and keeps order and duplicates', () => {
    assert.deepEqual(parseFormEncoded('a3=2+q&a3=a&c2'), [
      ['a3', '2 q'],
      ['a3', 'a'],
      ['c2', ''],
    ]);
  });

  it('keeps "=" inside a value after the first one', () => {
    assert.deepEqual(parseFormEncoded('b5=%3D%253D&x=a=b'), [
      ['b5', '=%3D'],
      ['x', 'a=b'],
    ]);
  });

  it('skips empty segments', () => {
    assert.deepEqual(parseFormEncoded('&a=1&&b=2&'), [
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('inverts formatFormEncoded for any list of pairs (property)', () => {
    const pair = fc.tuple(fc.string({ minLength: 1, unit: 'grapheme' }), fc.string({ unit: 'grapheme' }));
    fc.assert(
      fc.property(fc.array(pair), (pairs) => {
        assert.deepEqual(parseFormEncoded(formatFormEncoded(pairs)), pairs);
      }),
    );
  });
});

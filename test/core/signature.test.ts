import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { signatureBaseString } from '../../src/core/base-string.ts';
import { bodyHash } from '../../src/core/body-hash.ts';
import { formatFormEncoded } from '../../src/core/encoding.ts';
import { collectRequestParameters } from '../../src/core/parameters.ts';
import {
  constantTimeEqual,
  isSignatureMethod,
  SIGNATURE_METHODS,
  type SignatureMethodName,
  sign,
  verifySignature,
} from '../../src/core/signature.ts';
import { signRequest } from '../../src/core/signing.ts';

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const other = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const base = 'GET&http%3A%2F%2Fexample.com%2F&a%3Db';
const secrets = { consumerSecret: 'cs', tokenSecret: 'ts', privateKey, publicKey };

describe('signature methods', () => {
  it('knows exactly the six supported methods', () => {
    assert.deepEqual([...SIGNATURE_METHODS].sort(), [
      'HMAC-SHA1',
      'HMAC-SHA256',
      'HMAC-SHA512',
      'PLAINTEXT',
      'RSA-SHA1',
      'RSA-SHA256',
    ]);
    assert.ok(isSignatureMethod('HMAC-SHA512'));
    assert.ok(!isSignatureMethod('hmac-sha1'));
    assert.ok(!isSignatureMethod('RSA-SHA512'));
  });

  for (const method of SIGNATURE_METHODS) {
    it(`${method}: a signature verifies, and fails for another base string or other secrets`, () => {
      const signature = sign(method, base, secrets);
      assert.ok(verifySignature(method, base, signature, secrets));
      if (method !== 'PLAINTEXT') assert.ok(!verifySignature(method, `${base}x`, signature, secrets));
      if (method.startsWith('RSA')) {
        assert.ok(!verifySignature(method, base, signature, { ...secrets, publicKey: other.publicKey }));
      } else {
        assert.ok(!verifySignature(method, base, signature, { ...secrets, tokenSecret: 'other' }));
        assert.ok(!verifySignature(method, base, signature, { ...secrets, consumerSecret: 'other' }));
      }
    });
  }

  it('HMAC-SHA512 output is a base64 SHA-512 HMAC (64 bytes)', () => {
    assert.equal(Buffer.from(sign('HMAC-SHA512', base, secrets), 'base64').length, 64);
  });

  it('RSA-SHA1 and RSA-SHA256 differ on the same input', () => {
    assert.notEqual(sign('RSA-SHA1', base, secrets), sign('RSA-SHA256', base, secrets));
  });

  it('never throws on garbage signatures or keys: it answers false', () => {
    for (const method of SIGNATURE_METHODS) {
      for (const garbage of ['', '%%%', '\u0000\uffff', 'a'.repeat(10000), '====', 'é']) {
        assert.equal(
          verifySignature(method, base, garbage, secrets),
          false,
          `${method} ${JSON.stringify(garbage.slice(0, 8))}`,
        );
      }
    }
    assert.equal(
      verifySignature('RSA-SHA1', base, 'AAAA', { consumerSecret: '', publicKey: 'not a key' }),
      false,
    );
    assert.equal(verifySignature('RSA-SHA256', base, 'AAAA', { consumerSecret: '' }), false);
  });
});

describe('constantTimeEqual', () => {
  it('compares content, including strings of different lengths', () => {
    assert.ok(constantTimeEqual('abc', 'abc'));
    assert.ok(!constantTimeEqual('abc', 'abd'));
    assert.ok(!constantTimeEqual('abc', 'abcd'));
    assert.ok(!constantTimeEqual('', 'a'));
  });
});

describe('oauth_body_hash', () => {
  it('hashes the empty body to the draft’s published SHA-1 value', () => {
    assert.equal(bodyHash('', 'HMAC-SHA1'), '2jmj7l5rSw0yVb/vlWAYkK/YBwk=');
  });

  it('follows the signature method’s hash', () => {
    assert.equal(Buffer.from(bodyHash('{}', 'HMAC-SHA256'), 'base64').length, 32);
    assert.equal(Buffer.from(bodyHash('{}', 'RSA-SHA256'), 'base64').length, 32);
    assert.equal(Buffer.from(bodyHash('{}', 'HMAC-SHA512'), 'base64').length, 64);
  });

  it('is added by signRequest for raw bodies and not for form bodies', () => {
    const common = {
      method: 'POST',
      url: 'https://api.test/x',
      consumerKey: 'k',
      consumerSecret: 's',
      nonce: 'n',
      timestamp: 1,
    };
    const raw = signRequest({ ...common, body: { raw: '{"a":1}' } });
    assert.deepEqual(
      raw.oauthParams.find(([n]) => n === 'oauth_body_hash'),
      ['oauth_body_hash', bodyHash('{"a":1}', 'HMAC-SHA1')],
    );
    const form = signRequest({ ...common, body: { form: [['a', '1']] } });
    assert.equal(
      form.oauthParams.find(([n]) => n === 'oauth_body_hash'),
      undefined,
    );
  });
});

describe('sign then verify round-trips (property)', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 20 });
  const pairs = fc.array(
    fc.tuple(
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 10 })
        .filter((n) => !n.startsWith('oauth_') && !n.startsWith('x_auth_')),
      text,
    ),
    { maxLength: 6 },
  );
  const method = fc.constantFrom<SignatureMethodName>('HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT');

  it('for arbitrary Unicode query and form parameters, secrets and paths', () => {
    fc.assert(
      fc.property(
        pairs,
        pairs,
        text,
        text,
        method,
        fc.stringMatching(/^[a-z0-9/]{0,12}$/),
        (query, form, cs, ts, m, path) => {
          const url = `https://api.example.com/${path}${query.length > 0 ? `?${formatFormEncoded(query)}` : ''}`;
          const signed = signRequest({
            method: 'POST',
            url,
            consumerKey: 'key',
            consumerSecret: cs,
            token: 'tok',
            tokenSecret: ts,
            signatureMethod: m,
            nonce: 'nonce',
            timestamp: 1700000000,
            body: { form },
          });
          // What a server does: collect from the wire, rebuild the base string, verify.
          const collected = collectRequestParameters({
            url,
            authorization: signed.authorization,
            contentType: 'application/x-www-form-urlencoded',
            body: formatFormEncoded(form),
          });
          const serverBase = signatureBaseString('POST', url, collected.params);
          assert.equal(serverBase, signed.baseString);
          assert.ok(
            verifySignature(m, serverBase, collected.signature ?? '', {
              consumerSecret: cs,
              tokenSecret: ts,
            }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

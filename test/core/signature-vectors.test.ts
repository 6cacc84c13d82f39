import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseStringUri, signatureBaseString } from '../../src/core/base-string.ts';
import { collectRequestParameters, normalizeParameters } from '../../src/core/parameters.ts';
import { sign, signingKey, verifySignature } from '../../src/core/signature.ts';
import { signRequest } from '../../src/core/signing.ts';
import {
  oauthlibHmacOverRfcBaseString,
  rfcBaseStringUris,
  rfcExampleRequest,
  rfcPhotos,
  rfcPlaintext,
  twitterCreatingASignature as tw,
  twitterSignInput,
} from './vectors.ts';

describe('RFC 5849 §3.4.1.3 example request', () => {
  const collected = collectRequestParameters(rfcExampleRequest);

  it('collects the query, header and form body parameters, without realm and oauth_signature (§3.4.1.3.1)', () => {
    const sorted = (pairs: [string, string][]) =>
      [...pairs].sort((a, b) => (a.join('=') < b.join('=') ? -1 : 1));
    assert.deepEqual(sorted(collected.params), sorted(rfcExampleRequest.collected));
    assert.equal(collected.realm, 'Example');
    assert.equal(collected.signature, 'djosJKDKJSD8743243/jdk33klY=');
  });

  it('normalizes the parameters as §3.4.1.3.2 prints them', () => {
    assert.equal(normalizeParameters(collected.params), rfcExampleRequest.normalized);
  });

  it('builds the signature base string printed in §3.4.1.1', () => {
    assert.equal(
      signatureBaseString(rfcExampleRequest.method, rfcExampleRequest.url, collected.params),
      rfcExampleRequest.baseString,
    );
  });

  it('does not reproduce the erratum signature printed in §3.1 (so no test relies on it)', () => {
    const computed = sign('HMAC-SHA1', rfcExampleRequest.baseString, {
      consumerSecret: 'j49sk3j29djd',
      tokenSecret: 'dh893hdasih9',
    });
    assert.notEqual(computed, rfcExampleRequest.unreproducibleSignature);
  });

  it("signs the RFC base string with oauthlib's published HMAC-SHA1 and HMAC-SHA256 values", () => {
    const secrets = {
      consumerSecret: oauthlibHmacOverRfcBaseString.consumerSecret,
      tokenSecret: oauthlibHmacOverRfcBaseString.tokenSecret,
    };
    assert.equal(
      sign('HMAC-SHA1', rfcExampleRequest.baseString, secrets),
      oauthlibHmacOverRfcBaseString.hmacSha1,
    );
    assert.equal(
      sign('HMAC-SHA256', rfcExampleRequest.baseString, secrets),
      oauthlibHmacOverRfcBaseString.hmacSha256,
    );
  });
});

describe('RFC 5849 §3.4.1.2 base string URI', () => {
  for (const { url, expected } of rfcBaseStringUris) {
    it(`${url} → ${expected}`, () => assert.equal(baseStringUri(url), expected));
  }
});

describe('RFC 5849 §1.2 walkthrough', () => {
  it('temporary credentials request: 74KNZJeDHnMBp0EMJ9ZHt/XKycU=', () => {
    const signed = signRequest({
      method: 'POST',
      url: rfcPhotos.initiate.url,
      consumerKey: rfcPhotos.consumerKey,
      consumerSecret: rfcPhotos.consumerSecret,
      nonce: rfcPhotos.initiate.nonce,
      timestamp: rfcPhotos.initiate.timestamp,
      extraOAuthParams: [['oauth_callback', rfcPhotos.initiate.callback]],
      realm: rfcPhotos.initiate.realm,
      version: false,
    });
    assert.equal(signed.signature, rfcPhotos.initiate.signature);
    assert.match(signed.authorization, /^OAuth realm="Photos", /);
    assert.ok(signed.authorization.includes(`oauth_signature="${rfcPhotos.initiate.headerSignature}"`));
    assert.ok(signed.authorization.includes('oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready"'));
  });

  it('token request: gKgrFCywp7rO0OXSjdot/IHF7IU=', () => {
    const signed = signRequest({
      method: 'POST',
      url: rfcPhotos.token.url,
      consumerKey: rfcPhotos.consumerKey,
      consumerSecret: rfcPhotos.consumerSecret,
      token: rfcPhotos.token.token,
      tokenSecret: rfcPhotos.token.tokenSecret,
      nonce: rfcPhotos.token.nonce,
      timestamp: rfcPhotos.token.timestamp,
      extraOAuthParams: [['oauth_verifier', rfcPhotos.token.verifier]],
      version: false,
    });
    assert.equal(signed.signature, rfcPhotos.token.signature);
  });

  it('protected resource request: MdpQcU8iPSUjWoN/UDMsK2sui9I= (and only with scheme http)', () => {
    const input = {
      method: 'GET',
      url: rfcPhotos.resource.url,
      consumerKey: rfcPhotos.consumerKey,
      consumerSecret: rfcPhotos.consumerSecret,
      token: rfcPhotos.resource.token,
      tokenSecret: rfcPhotos.resource.tokenSecret,
      nonce: rfcPhotos.resource.nonce,
      timestamp: rfcPhotos.resource.timestamp,
      version: false,
    };
    assert.equal(signRequest(input).signature, rfcPhotos.resource.signature);
    const overHttps = signRequest({ ...input, url: input.url.replace('http:', 'https:') });
    assert.notEqual(overHttps.signature, rfcPhotos.resource.signature);
  });
});

describe('RFC 5849 §3.4.4 PLAINTEXT', () => {
  it('is the encoded consumer secret and token secret joined by "&"', () => {
    const secrets = { consumerSecret: rfcPlaintext.consumerSecret, tokenSecret: rfcPlaintext.tokenSecret };
    assert.equal(sign('PLAINTEXT', 'ignored', secrets), rfcPlaintext.signature);
    assert.equal(encodeURIComponent(sign('PLAINTEXT', '', secrets)), rfcPlaintext.headerSignature);
    assert.ok(verifySignature('PLAINTEXT', '', rfcPlaintext.signature, secrets));
    assert.ok(!verifySignature('PLAINTEXT', '', 'ja893SD9&wrong', secrets));
  });

  it('keeps the "&" when the token secret is empty', () => {
    assert.equal(signingKey('kd94hf93k423kf44'), 'kd94hf93k423kf44&');
  });
});

describe('Twitter "Creating a signature"', () => {
  const signed = signRequest(twitterSignInput);

  it('has the published parameter string and base string', () => {
    const params = collectRequestParameters({
      url: tw.url,
      authorization: signed.authorization,
      contentType: 'application/x-www-form-urlencoded',
      body: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
    }).params;
    assert.equal(normalizeParameters(params), tw.parameterString);
    assert.equal(signed.baseString, tw.baseString);
  });

  it('has the published signing key and signature', () => {
    assert.equal(signingKey(tw.consumerSecret, tw.tokenSecret), tw.signingKey);
    assert.equal(signed.signature, tw.signature);
    assert.ok(signed.authorization.includes(`oauth_signature="${tw.headerSignature}"`));
  });

  it('gives the "Authorizing a request" page\'s signature only with the v1 URL', () => {
    assert.equal(signRequest({ ...twitterSignInput, url: tw.v1Url }).signature, tw.v1Signature);
  });
});

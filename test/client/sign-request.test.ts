import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { fixedNonceSource, randomNonce, systemNonceSource } from '../../src/client/nonce-and-timestamp.ts';
import { canonicalUrl, signHttpRequest } from '../../src/client/sign-request.ts';
import { signatureBaseString } from '../../src/core/base-string.ts';
import { collectRequestParameters } from '../../src/core/parameters.ts';
import { SIGNATURE_METHODS, verifySignature } from '../../src/core/signature.ts';
import { rfcPhotos, twitterCreatingASignature as tw } from '../core/vectors.ts';

const header = (headers: [string, string][], name: string) =>
  headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

/** What a provider does: collect the parameters from wherever they were sent and verify the signature. */
function verifyAsProvider(
  signed: ReturnType<typeof signHttpRequest>,
  secrets: { consumerSecret: string; tokenSecret?: string; publicKey?: string },
) {
  const collected = collectRequestParameters({
    url: signed.url,
    authorization: header(signed.headers, 'authorization'),
    contentType: header(signed.headers, 'content-type'),
    body: signed.body,
  });
  const method = collected.protocol.get('oauth_signature_method') as (typeof SIGNATURE_METHODS)[number];
  const base = signatureBaseString(signed.method, signed.url, collected.params);
  return { ok: verifySignature(method, base, collected.signature ?? '', secrets), collected, base };
}

describe('signHttpRequest reproduces the published vectors through core', () => {
  it('Twitter "Creating a signature": form body signed, header carries hCtSmYh+iHYCEqBWrE7C7hYmtUk=', () => {
    const signed = signHttpRequest(
      {
        consumerKey: tw.consumerKey,
        consumerSecret: tw.consumerSecret,
        token: tw.token,
        tokenSecret: tw.tokenSecret,
      },
      { method: tw.method, url: tw.url, body: { form: [['status', tw.status]] } },
      { nonceSource: fixedNonceSource(tw.nonce, Number(tw.timestamp)) },
    );
    assert.equal(signed.signed.baseString, tw.baseString);
    assert.equal(signed.normalizedParameters, tw.parameterString);
    assert.equal(signed.signed.signature, tw.signature);
    assert.ok(header(signed.headers, 'authorization')!.includes(`oauth_signature="${tw.headerSignature}"`));
    assert.equal(signed.body, 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21');
    assert.equal(header(signed.headers, 'content-type'), 'application/x-www-form-urlencoded');
  });

  it('RFC 5849 §1.2: temporary credentials, token and resource requests give the printed signatures', () => {
    const consumer = { consumerKey: rfcPhotos.consumerKey, consumerSecret: rfcPhotos.consumerSecret };
    const i = rfcPhotos.initiate;
    const initiate = signHttpRequest(
      { ...consumer, realm: i.realm },
      { method: 'POST', url: i.url },
      {
        nonceSource: fixedNonceSource(i.nonce, Number(i.timestamp)),
        extraOAuthParams: [['oauth_callback', i.callback]],
        version: false,
      },
    );
    assert.equal(initiate.signed.signature, i.signature);
    assert.match(header(initiate.headers, 'authorization')!, /^OAuth realm="Photos", /);

    const t = rfcPhotos.token;
    const token = signHttpRequest(
      { ...consumer, token: t.token, tokenSecret: t.tokenSecret },
      { method: 'POST', url: t.url },
      {
        nonceSource: fixedNonceSource(t.nonce, Number(t.timestamp)),
        extraOAuthParams: [['oauth_verifier', t.verifier]],
        version: false,
      },
    );
    assert.equal(token.signed.signature, t.signature);

    const r = rfcPhotos.resource;
    const resource = signHttpRequest(
      { ...consumer, token: r.token, tokenSecret: r.tokenSecret },
      { method: 'GET', url: r.url },
      { nonceSource: fixedNonceSource(r.nonce, Number(r.timestamp)), version: false },
    );
    assert.equal(resource.signed.signature, r.signature);
    assert.equal(resource.url, r.url);
  });
});

describe('placement of the protocol parameters (RFC 5849 §3.5)', () => {
  const credentials = {
    consumerKey: 'key',
    consumerSecret: 'secret',
    token: 'tok',
    tokenSecret: 'toksecret',
  };
  const secrets = { consumerSecret: 'secret', tokenSecret: 'toksecret' };

  it('query placement (§3.5.3) appends every oauth_* parameter, signature included, to the query', () => {
    const signed = signHttpRequest(
      credentials,
      { method: 'GET', url: 'https://api.example/x?a=1' },
      { placement: 'query' },
    );
    assert.equal(header(signed.headers, 'authorization'), undefined);
    const query = new URL(signed.url).searchParams;
    assert.equal(query.get('a'), '1');
    assert.equal(query.get('oauth_consumer_key'), 'key');
    assert.ok(query.get('oauth_signature'));
    assert.ok(verifyAsProvider(signed, secrets).ok);
  });

  it('body placement (§3.5.2) puts them in the form body next to the form parameters', () => {
    const signed = signHttpRequest(
      credentials,
      { method: 'POST', url: 'https://api.example/x', body: { form: [['status', 'hi!']] } },
      { placement: 'body' },
    );
    assert.equal(header(signed.headers, 'authorization'), undefined);
    assert.match(String(signed.body), /^status=hi%21&oauth_consumer_key=key&/);
    assert.ok(verifyAsProvider(signed, secrets).ok);
  });

  it('body placement is refused for GET and for bodies that are not forms', () => {
    assert.throws(() =>
      signHttpRequest(credentials, { method: 'GET', url: 'https://a.example/' }, { placement: 'body' }),
    );
    assert.throws(() =>
      signHttpRequest(
        credentials,
        { method: 'POST', url: 'https://a.example/', body: { json: {} } },
        { placement: 'body' },
      ),
    );
  });

  it('an Authorization header passed in is replaced, never sent twice', () => {
    const signed = signHttpRequest(credentials, {
      method: 'GET',
      url: 'https://a.example/',
      headers: [['authorization', 'Bearer old']],
    });
    assert.equal(signed.headers.filter(([n]) => n.toLowerCase() === 'authorization').length, 1);
    assert.match(header(signed.headers, 'authorization')!, /^OAuth /);
  });
});

describe('bodies', () => {
  const credentials = { consumerKey: 'key', consumerSecret: 'secret', token: 'tok', tokenSecret: 'ts' };

  it('a JSON body is sent verbatim as application/json and covered by oauth_body_hash, not by its fields', () => {
    const signed = signHttpRequest(credentials, {
      method: 'POST',
      url: 'https://api.example/2/tweets',
      body: { json: { text: 'a=b&c=d' } },
    });
    assert.equal(signed.body, '{"text":"a=b&c=d"}');
    assert.equal(header(signed.headers, 'content-type'), 'application/json');
    const hash = createHash('sha1').update('{"text":"a=b&c=d"}').digest('base64');
    const { ok, collected } = verifyAsProvider(signed, { consumerSecret: 'secret', tokenSecret: 'ts' });
    assert.ok(ok);
    assert.equal(collected.protocol.get('oauth_body_hash'), hash);
    assert.ok(!collected.params.some(([n]) => n === 'text'));
  });

  it('the body hash follows the signature method (SHA-256 for HMAC-SHA256)', () => {
    const signed = signHttpRequest(
      { ...credentials, signatureMethod: 'HMAC-SHA256' },
      { method: 'PUT', url: 'https://a.example/', body: { raw: '<x/>', contentType: 'application/xml' } },
    );
    assert.ok(
      signed.signed.authorization.includes(
        `oauth_body_hash="${encodeURIComponent(createHash('sha256').update('<x/>').digest('base64'))}"`,
      ),
    );
  });

  it('bodyHash "never" leaves oauth_body_hash out (for providers that reject it)', () => {
    const signed = signHttpRequest(
      credentials,
      { method: 'POST', url: 'https://a.example/', body: { json: [1] } },
      { bodyHash: 'never' },
    );
    assert.ok(!signed.signed.authorization.includes('oauth_body_hash'));
  });

  it('a form body is never hashed: its parameters are signed instead', () => {
    const signed = signHttpRequest(credentials, {
      method: 'POST',
      url: 'https://a.example/',
      body: { form: [['a', '1']] },
    });
    assert.ok(!signed.signed.authorization.includes('oauth_body_hash'));
    assert.ok(signed.normalizedParameters.startsWith('a=1&'));
  });
});

describe('every signature method, realm and extra protocol parameters', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  for (const method of SIGNATURE_METHODS) {
    for (const verb of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']) {
      it(`${method} ${verb} verifies on the provider's side`, () => {
        const signed = signHttpRequest(
          {
            consumerKey: 'ck',
            consumerSecret: 'cs',
            token: 't',
            tokenSecret: 'ts',
            signatureMethod: method,
            privateKey,
          },
          { method: verb, url: `https://a.example/p?q=${encodeURIComponent("it's (really) *fine*!")}` },
        );
        assert.ok(verifyAsProvider(signed, { consumerSecret: 'cs', tokenSecret: 'ts', publicKey }).ok);
      });
    }
  }

  it('realm goes in the header, unsigned; extra oauth_/x_auth_ parameters are sent and signed', () => {
    const signed = signHttpRequest(
      { consumerKey: 'ck', consumerSecret: 'cs', realm: '1234567_SB1', signatureMethod: 'HMAC-SHA256' },
      { method: 'POST', url: 'https://1234567-sb1.restlets.api.netsuite.com/rest/requesttoken' },
      {
        extraOAuthParams: [
          ['oauth_callback', 'oob'],
          ['x_auth_access_type', 'read'],
        ],
      },
    );
    const { ok, collected } = verifyAsProvider(signed, { consumerSecret: 'cs' });
    assert.ok(ok);
    assert.equal(collected.realm, '1234567_SB1');
    assert.equal(collected.protocol.get('x_auth_access_type'), 'read');
    assert.ok(signed.signed.baseString.includes('x_auth_access_type%3Dread'));
  });
});

describe('what is signed is what is sent', () => {
  it('the query is re-serialized once in RFC 3986 form: spaces, "+", reserved characters and a lone "%"', () => {
    assert.equal(
      canonicalUrl("https://a.example/s?q=a b&r=a+b&s=a%20b&t=100%&u=!*'()&v"),
      'https://a.example/s?q=a%20b&r=a%20b&s=a%20b&t=100%25&u=%21%2A%27%28%29&v=',
    );
    assert.equal(canonicalUrl('https://A.example:443/x#frag'), 'https://a.example/x');
  });

  it('a query with awkward characters verifies on the provider side', () => {
    const signed = signHttpRequest(
      { consumerKey: 'ck', consumerSecret: 'cs' },
      { method: 'GET', url: 'https://a.example/s?q=café & crème+brûlée&x=%E2%9C%93' },
    );
    assert.ok(verifyAsProvider(signed, { consumerSecret: 'cs' }).ok);
    assert.deepEqual(new URL(signed.url).searchParams.getAll('q'), ['café ']);
  });
});

describe('nonce and timestamp (RFC 5849 §3.3) come from Node here, not from core', () => {
  it('nonces are 24 alphanumerics, inside oauthlib’s default 20–30 rule, and do not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const nonce = randomNonce();
      assert.match(nonce, /^[A-Za-z0-9]{24}$/);
      seen.add(nonce);
    }
    assert.equal(seen.size, 1000);
  });

  it('the timestamp is whole seconds, shifted by the configured offset', () => {
    const source = systemNonceSource({ now: () => 1_700_000_000_999, timestampOffset: -30 });
    assert.equal(source.timestamp(), 1_699_999_970);
  });
});

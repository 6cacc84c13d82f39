// The SDK against a provider nobody here wrote: oauthlib's rfc5849 endpoints (Debian's python3-oauthlib).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OAuthResponseError } from '../../src/client/errors.ts';
import { startLoopbackCallback } from '../../src/client/loopback-callback.ts';
import { createOAuthFetch } from '../../src/client/oauth-fetch.ts';
import { OAuthConsumer } from '../../src/client/pin-flow.ts';
import type { SignaturePlacement } from '../../src/client/sign-request.ts';
import {
  approveOnOAuthlibPage,
  type OAuthlibProvider,
  startOAuthlibProvider,
} from './oauthlib-provider-process.ts';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
let provider: OAuthlibProvider;

before(async () => {
  provider = await startOAuthlibProvider({
    clients: [
      { key: 'tripodconsumer01', secret: 'consumer secret with spaces & symbols!' },
      { key: 'tripodrsaconsumer', secret: 'unused', rsa_public_key: keys.publicKey },
    ],
    user: { user_id: '4242', screen_name: 'oauthlib_user' },
  });
});
after(() => provider.stop());

function consumer(overrides: Partial<ConstructorParameters<typeof OAuthConsumer>[0]> = {}) {
  return new OAuthConsumer({
    consumerKey: 'tripodconsumer01',
    consumerSecret: 'consumer secret with spaces & symbols!',
    endpoints: {
      requestTokenUrl: `${provider.url}/oauth/request_token`,
      authorizeUrl: `${provider.url}/oauth/authorize`,
      accessTokenUrl: `${provider.url}/oauth/access_token`,
    },
    ...overrides,
  });
}

describe('SDK against oauthlib (rfc5849 endpoints)', () => {
  it('runs the PIN flow (oob, consent page, 7-digit PIN, access token with user_id/screen_name), then signs form POSTs with awkward characters in header, query and body placement', async () => {
    const client = consumer();
    const requestToken = await client.requestToken();
    assert.equal(requestToken.callbackConfirmed, true);
    const url = client.authorizeUrl(requestToken, { forceLogin: true, langpref: ['pl', 'en'] });
    assert.match(url, /force_login=true/);
    assert.match(url, /langpref=pl%7Cen/);
    const { pin } = await approveOnOAuthlibPage(url);
    assert.match(pin!, /^\d{7}$/);
    const access = await client.accessToken(requestToken, pin!);
    assert.equal(access.userId, '4242');
    assert.equal(access.screenName, 'oauthlib_user');

    for (const placement of ['header', 'query', 'body'] as SignaturePlacement[]) {
      const f = createOAuthFetch({ ...client.options, ...access }, { placement });
      const response = await f(
        `${provider.url}/1.1/statuses/update.json?tag=a%20b&x=${encodeURIComponent("!*'()")}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21&emoji=%F0%9F%90%99',
        },
      );
      assert.equal(response.status, 200, `${placement}: ${await response.clone().text()}`);
      const echoed = (await response.json()) as { params: [string, string][]; screen_name: string };
      assert.equal(echoed.screen_name, 'oauthlib_user');
      assert.deepEqual(
        echoed.params.filter(([n]) => !n.startsWith('oauth_')).sort(),
        [
          ['emoji', '🐙'],
          ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
          ['tag', 'a b'],
          ['x', "!*'()"],
        ].sort(),
      );
    }
  });

  it('signs JSON bodies with oauth_body_hash and HMAC-SHA256, which oauthlib accepts', async () => {
    const client = consumer({ signatureMethod: 'HMAC-SHA256' });
    const requestToken = await client.requestToken();
    const { pin } = await approveOnOAuthlibPage(client.authorizeUrl(requestToken));
    const access = await client.accessToken(requestToken, pin!);
    const response = await client.fetch(access)(`${provider.url}/1.1/statuses/update.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'a=b&c' }),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { body: string }).body, '{"text":"a=b&c"}');
  });

  it('signs with RSA-SHA1, verified by oauthlib with the registered public key', async () => {
    const client = consumer({
      consumerKey: 'tripodrsaconsumer',
      consumerSecret: '',
      signatureMethod: 'RSA-SHA1',
      privateKey: keys.privateKey,
    });
    const requestToken = await client.requestToken();
    const { pin } = await approveOnOAuthlibPage(client.authorizeUrl(requestToken));
    const access = await client.accessToken(requestToken, pin!);
    const response = await client.fetch(access)(`${provider.url}/1.1/account/verify_credentials.json`);
    assert.equal(response.status, 200);
  });

  it('runs the loopback flow: the redirect brings the verifier to 127.0.0.1', async () => {
    const client = consumer();
    const loopback = await startLoopbackCallback({ timeoutMs: 10_000 });
    const requestToken = await client.requestToken({ callback: loopback.callbackUrl });
    const waiting = loopback.waitForVerifier(requestToken.token);
    const { location } = await approveOnOAuthlibPage(client.authorizeUrl(requestToken));
    const browser = await fetch(location!);
    assert.match(await browser.text(), /You may close this window/);
    const { oauthVerifier } = await waiting;
    const access = await client.accessToken(requestToken, oauthVerifier);
    assert.equal(access.screenName, 'oauthlib_user');
  });

  it('surfaces a wrong consumer secret as an OAuthResponseError with status 401', async () => {
    const client = consumer({ consumerSecret: 'wrong' });
    await assert.rejects(client.requestToken(), (error: unknown) => {
      assert.ok(error instanceof OAuthResponseError);
      assert.equal(error.status, 401);
      return true;
    });
  });

  it('surfaces oauthlib’s 400 error=… body as the provider message', async () => {
    const client = consumer();
    const requestToken = await client.requestToken();
    await assert.rejects(client.accessToken(requestToken, 'x'), (error: unknown) => {
      assert.ok(error instanceof OAuthResponseError);
      assert.equal(error.status, 400);
      assert.match(error.providerMessage ?? '', /verifier|invalid/i);
      return true;
    });
  });
});

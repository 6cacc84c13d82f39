// The PIN-based (oob) flow and the callback flow end to end over real HTTP, through the real pages with a
// cookie jar, and every protocol error a client can meet on the way.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Browser, elementText } from '../server/fixtures/browser.ts';
import {
  authorizeInBrowser,
  type TestServer,
  testServerForTheFile,
  WEB_CALLBACK,
} from '../server/fixtures/test-server.ts';

const server = testServerForTheFile();

async function pinFlow(app: TestServer['pinApp'] = server.pinApp) {
  const rt = await server.client.requestToken(app, 'oob');
  assert.equal(rt.status, 200, rt.text);
  const { oauth_token: token, oauth_token_secret: secret } = rt.form();
  const outcome = await authorizeInBrowser(server.base, token!);
  assert.equal(outcome.status, 200, outcome.html);
  assert.ok(outcome.pin, 'the PIN page shows #oauth_pin');
  return { token: token!, secret: secret!, pin: outcome.pin, html: outcome.html };
}

function asTokenCredentials(app: TestServer['pinApp'], token: string, secret: string) {
  return { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token, tokenSecret: secret };
}

describe('PIN-based authorization (oauth_callback=oob)', () => {
  test('request token, sign-in and consent, PIN, access token, then signed API calls', async () => {
    const rt = await server.client.requestToken(server.pinApp, 'oob');
    assert.equal(rt.status, 200);
    assert.match(rt.headers.get('content-type') ?? '', /^application\/x-www-form-urlencoded/);
    const issued = rt.form();
    assert.equal(issued.oauth_callback_confirmed, 'true');
    assert.ok(issued.oauth_token && issued.oauth_token_secret);

    const outcome = await authorizeInBrowser(server.base, issued.oauth_token!);
    assert.equal(outcome.status, 200);
    assert.match(outcome.pin ?? '', /^\d{7}$/, 'the text of #oauth_pin is the 7 digits alone');
    assert.match(outcome.html, /Return to Pin Client and enter this PIN/);

    const at = await server.client.accessToken(
      asTokenCredentials(server.pinApp, issued.oauth_token!, issued.oauth_token_secret!),
      outcome.pin!,
    );
    assert.equal(at.status, 200, at.text);
    const access = at.form();
    assert.equal(access.user_id, server.user.id);
    assert.equal(access.screen_name, 'alice');

    const me = await server.client.call({
      method: 'GET',
      url: '/1.1/account/verify_credentials.json',
      credentials: asTokenCredentials(server.pinApp, access.oauth_token!, access.oauth_token_secret!),
    });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.headers.get('x-access-level'), 'read-write');
    assert.equal((me.json() as { screen_name: string }).screen_name, 'alice');

    const status = `Hello <b>world</b> & friends: 100% +1 *~' = ok ✓ żółw`;
    const update = await server.client.call({
      method: 'POST',
      url: '/1.1/statuses/update.json',
      credentials: asTokenCredentials(server.pinApp, access.oauth_token!, access.oauth_token_secret!),
      form: [['status', status]],
    });
    assert.equal(update.status, 200, update.text);
    assert.equal(
      (update.json() as { text: string }).text,
      status,
      'the text comes back exactly, not HTML-escaped',
    );
  });

  test('a PIN works once: reusing it is refused', async () => {
    const { token, secret, pin } = await pinFlow();
    const creds = asTokenCredentials(server.pinApp, token, secret);
    assert.equal((await server.client.accessToken(creds, pin)).status, 200);
    const again = await server.client.accessToken(creds, pin);
    assert.equal(again.status, 401);
    assert.ok((again.json() as { errors: unknown[] }).errors.length > 0);
  });

  test('five wrong PINs burn the request token: the right PIN then fails', async () => {
    const { token, secret, pin } = await pinFlow();
    const creds = asTokenCredentials(server.pinApp, token, secret);
    const wrong = pin === '0000000' ? '1111111' : '0000000';
    for (let i = 0; i < 5; i++) {
      const attempt = await server.client.accessToken(creds, wrong);
      assert.equal(attempt.status, 401, `wrong PIN ${i + 1}`);
    }
    const right = await server.client.accessToken(creds, pin);
    assert.equal(right.status, 401, right.text);
  });

  test('four wrong PINs leave the fifth try to the right one', async () => {
    const { token, secret, pin } = await pinFlow();
    const creds = asTokenCredentials(server.pinApp, token, secret);
    const wrong = pin === '0000000' ? '1111111' : '0000000';
    for (let i = 0; i < 4; i++) assert.equal((await server.client.accessToken(creds, wrong)).status, 401);
    assert.equal((await server.client.accessToken(creds, pin)).status, 200);
  });

  test('a request token expires: the page explains it and the PIN exchange fails', async () => {
    const rt = await server.client.requestToken(server.pinApp, 'oob');
    const { oauth_token: token } = rt.form();
    server.clock.advance(16 * 60);
    try {
      const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=${token}`);
      assert.equal(page.status, 400);
      assert.match(page.text, /expired/);
      assert.doesNotMatch(page.text, /at \w+ \(|node:internal/, 'no stack trace');
    } finally {
      server.clock.advance(-16 * 60);
    }
  });

  test('an approved request token expires before the exchange', async () => {
    const { token, secret, pin } = await pinFlow();
    server.clock.advance(16 * 60);
    try {
      // The client's own clock moved too, so the timestamp is accepted; only the token's age fails it.
      const late = await server.client.accessToken(asTokenCredentials(server.pinApp, token, secret), pin);
      assert.equal(late.status, 401, late.text);
    } finally {
      server.clock.advance(-16 * 60);
    }
  });

  test('cancelling in oob mode shows a page saying the authorization was cancelled', async () => {
    const rt = await server.client.requestToken(server.pinApp, 'oob');
    const outcome = await authorizeInBrowser(server.base, rt.form().oauth_token!, { decision: 'deny' });
    assert.equal(outcome.status, 200);
    assert.match(outcome.html, /Authorization cancelled/);
    assert.equal(outcome.pin, null);
  });
});

describe('callback flow', () => {
  test('allow redirects to the callback with oauth_token and oauth_verifier, which buy an access token', async () => {
    const rt = await server.client.requestToken(server.webApp, `${WEB_CALLBACK}?state=xyz`);
    assert.equal(rt.status, 200, rt.text);
    const { oauth_token: token, oauth_token_secret: secret } = rt.form();
    const outcome = await authorizeInBrowser(server.base, token!);
    assert.equal(outcome.status, 302);
    const location = new URL(outcome.location!);
    assert.equal(`${location.origin}${location.pathname}`, WEB_CALLBACK);
    assert.equal(location.searchParams.get('state'), 'xyz', 'the callback keeps its own query');
    assert.equal(location.searchParams.get('oauth_token'), token);
    const verifier = location.searchParams.get('oauth_verifier');
    assert.ok(verifier && verifier.length >= 20, 'a long random verifier');
    const at = await server.client.accessToken(asTokenCredentials(server.webApp, token!, secret!), verifier);
    assert.equal(at.status, 200, at.text);
  });

  test('deny redirects with oauth_token, denied and error=access_denied', async () => {
    const rt = await server.client.requestToken(server.webApp, WEB_CALLBACK);
    const token = rt.form().oauth_token!;
    const outcome = await authorizeInBrowser(server.base, token, { decision: 'deny' });
    assert.equal(outcome.status, 302);
    const location = new URL(outcome.location!);
    assert.equal(location.searchParams.get('oauth_token'), token);
    assert.equal(location.searchParams.get('denied'), token);
    assert.equal(location.searchParams.get('error'), 'access_denied');
  });
});

describe('protocol errors over HTTP', () => {
  test('a wrong signature is 401 code 32 with WWW-Authenticate', async () => {
    const res = await server.client.requestToken(server.pinApp, 'oob', { corruptSignature: true });
    assert.equal(res.status, 401);
    const body = res.json() as { errors: { code: number }[]; oauth_problem: string };
    assert.equal(body.errors[0]!.code, 32);
    assert.match(res.headers.get('www-authenticate') ?? '', /^OAuth realm="[^"]+"/);
  });

  test('a replayed nonce is refused (401, nonce_used)', async () => {
    const nonce = `replay${Date.now()}`;
    const timestamp = Math.floor(server.clock.now() / 1000);
    const first = await server.client.requestToken(server.pinApp, 'oob', { nonce, timestamp });
    assert.equal(first.status, 200, first.text);
    const replay = await server.client.requestToken(server.pinApp, 'oob', { nonce, timestamp });
    assert.equal(replay.status, 401);
    assert.equal((replay.json() as { oauth_problem: string }).oauth_problem, 'nonce_used');
  });

  test('a skewed timestamp is 401 code 135 with oauth_acceptable_timestamps', async () => {
    const timestamp = Math.floor(server.clock.now() / 1000) - 3600;
    const res = await server.client.requestToken(server.pinApp, 'oob', { timestamp });
    assert.equal(res.status, 401);
    const body = res.json() as { errors: { code: number }[]; oauth_problem: string };
    assert.equal(body.errors[0]!.code, 135);
    assert.equal(body.oauth_problem, 'timestamp_refused');
    assert.match(res.headers.get('www-authenticate') ?? '', /oauth_acceptable_timestamps=/);
  });

  test('a missing oauth_callback is 400 parameter_absent and says to send oob', async () => {
    const res = await server.client.requestToken(server.pinApp, null);
    assert.equal(res.status, 400);
    const body = res.json() as { oauth_problem: string; oauth_parameters_absent: string; advice: string };
    assert.equal(body.oauth_problem, 'parameter_absent');
    assert.equal(body.oauth_parameters_absent, 'oauth_callback');
    assert.match(body.advice, /oob/);
  });

  test('an unregistered callback URL is 403 with Twitter code 415', async () => {
    const res = await server.client.requestToken(server.webApp, 'https://evil.example/steal');
    assert.equal(res.status, 403);
    assert.equal((res.json() as { errors: { code: number }[] }).errors[0]!.code, 415);
  });

  test('a PIN-only app sending a callback URL is 401 with Twitter code 417', async () => {
    const res = await server.client.requestToken(server.pinApp, 'http://app.example/callback');
    assert.equal(res.status, 401);
    assert.equal((res.json() as { errors: { code: number }[] }).errors[0]!.code, 417);
  });

  test('a read-only token on a write route is 403 code 261', async () => {
    const { token, secret, pin } = await pinFlow(server.readApp);
    const at = (
      await server.client.accessToken(asTokenCredentials(server.readApp, token, secret), pin)
    ).form();
    const creds = asTokenCredentials(server.readApp, at.oauth_token!, at.oauth_token_secret!);
    const read = await server.client.call({
      method: 'GET',
      url: '/1.1/account/verify_credentials.json',
      credentials: creds,
    });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('x-access-level'), 'read');
    const write = await server.client.call({
      method: 'POST',
      url: '/1.1/statuses/update.json',
      credentials: creds,
      form: [['status', 'hi']],
    });
    assert.equal(write.status, 403);
    assert.equal((write.json() as { errors: { code: number }[] }).errors[0]!.code, 261);
  });

  test('invalidate_token answers {"access_token":…} and the token then gets 401 code 89', async () => {
    const { token, secret, pin } = await pinFlow();
    const at = (
      await server.client.accessToken(asTokenCredentials(server.pinApp, token, secret), pin)
    ).form();
    const creds = asTokenCredentials(server.pinApp, at.oauth_token!, at.oauth_token_secret!);
    const revoked = await server.client.call({
      method: 'POST',
      url: '/oauth/invalidate_token',
      credentials: creds,
    });
    assert.equal(revoked.status, 200, revoked.text);
    assert.deepEqual(revoked.json(), { access_token: at.oauth_token });
    const after = await server.client.call({
      method: 'GET',
      url: '/1.1/account/verify_credentials.json',
      credentials: creds,
    });
    assert.equal(after.status, 401);
    assert.equal((after.json() as { errors: { code: number }[] }).errors[0]!.code, 89);
  });

  test('the PIN page is not cached, not framed and leaks no Referer', async () => {
    const { html } = await pinFlow();
    assert.ok(elementText(html, 'oauth_pin'));
    const rt = await server.client.requestToken(server.pinApp, 'oob');
    const browser = new Browser();
    const page = await browser.get(`${server.base}/oauth/authorize?oauth_token=${rt.form().oauth_token}`);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.doesNotMatch(page.headers.get('content-security-policy') ?? '', /unsafe-inline/);
  });
});

// The authorization pages as a person meets them: what they show, when they ask for a password, how they
// refuse forged or stale forms and unusable request tokens, and the cookies and headers that keep them safe.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createRandomSource } from '../../src/provider/random-source.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { registerApp } from '../../src/server/registration.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import { Browser, elementText, formAction, formFields, hasElement, inputValue } from './fixtures/browser.ts';
import {
  authorizeInBrowser,
  followToPinPage,
  startTestServer,
  type TestServer,
  testServerForTheFile,
  WEB_CALLBACK,
} from './fixtures/test-server.ts';

const server = testServerForTheFile();

async function requestToken(app: TestServer['pinApp'] = server.pinApp, callback = 'oob'): Promise<string> {
  const res = await server.client.requestToken(app, callback);
  assert.equal(res.status, 200, res.text);
  return res.form().oauth_token!;
}

/** Signs alice in through a first authorization, leaving the session cookie in `browser`. */
async function signedInBrowser(): Promise<Browser> {
  const browser = new Browser();
  const outcome = await authorizeInBrowser(server.base, await requestToken(), { browser });
  assert.ok(outcome.pin);
  return browser;
}

describe('the authorize page', () => {
  test('shows the app name, its description and the access it asks for, with the sign-in form and both buttons', async () => {
    const page = await new Browser().get(
      `${server.base}/oauth/authorize?oauth_token=${await requestToken()}`,
    );
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.text, /Pin Client/);
    assert.match(page.text, /A command-line client/);
    assert.match(page.text, /Read and write/);
    assert.ok(hasElement(page.text, 'username') && hasElement(page.text, 'password'));
    assert.match(page.text, /<button id="allow"[^>]*>Authorize app<\/button>/);
    assert.match(page.text, /<button id="deny"[^>]*>Cancel<\/button>/);
    assert.doesNotMatch(page.text, /<script/i, 'no scripts at all');
  });

  test('a read-only app is shown as asking for read access', async () => {
    const page = await new Browser().get(
      `${server.base}/oauth/authorize?oauth_token=${await requestToken(server.readApp)}`,
    );
    assert.equal(elementText(page.text, 'access_level'), 'Read only');
  });

  test('tolerates the extra signed oauth_* parameters twurl puts in the authorize URL', async () => {
    const token = await requestToken();
    const extra =
      '&oauth_callback=oob&oauth_consumer_key=x&oauth_nonce=n&oauth_signature=abc%3D&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_version=1.0';
    const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=${token}${extra}`);
    assert.equal(page.status, 200);
    assert.equal(inputValue(page.text, 'oauth_token'), token);
  });

  test('escapes what apps and people supply (no HTML injection through an app name)', async () => {
    const consumer = await registerApp(
      server.stores,
      { name: '<script>alert(1)</script>', description: '"><img src=x onerror=alert(1)>' },
      { clock: server.clock, random: createRandomSource() },
    );
    const token = await requestToken({
      consumerKey: consumer.key,
      consumerSecret: consumer.secret,
      consumer,
    });
    const page = await new Browser().get(
      `${server.base}/oauth/authorize?oauth_token=${token}&screen_name=%22%3E%3Cb%3E`,
    );
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /<script>alert/);
    assert.doesNotMatch(page.text, /<img src=x/);
    assert.doesNotMatch(page.text, /"><b>/);
    assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  test('an unknown request token gets a 404 page that explains, never a stack trace', async () => {
    const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=no-such-token`);
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.text, /does not work/);
    assert.doesNotMatch(page.text, /Error:|at \w+ \(|node_modules/);
  });

  test('the unknown-link page blames no one and speaks no jargon: a mangled link is likelier than a bad server', async () => {
    const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=mangled-in-copyin`);
    const text = `${elementText(page.text, 'page_heading')} ${elementText(page.text, 'page_message')}`;
    assert.doesNotMatch(text, /request token|did not issue|server/i);
    assert.match(text, /cut short or changed/);
  });

  test('the expired page names the app the person came from', async () => {
    const token = await requestToken();
    server.clock.advance(901);
    try {
      const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=${token}`);
      assert.equal(page.status, 400);
      assert.equal(elementText(page.text, 'page_heading'), 'This authorization request has expired');
      assert.equal(
        elementText(page.text, 'page_message'),
        'Requests from Pin Client are valid for a few minutes only. Return to Pin Client and start again.',
      );
    } finally {
      server.clock.advance(-901);
    }
  });

  test('a missing oauth_token gets a 400 page', async () => {
    const page = await new Browser().get(`${server.base}/oauth/authorize`);
    assert.equal(page.status, 400);
    assert.match(page.text, /incomplete/);
  });

  test('a used request token gets a 400 page saying so', async () => {
    const token = await requestToken();
    await authorizeInBrowser(server.base, token);
    const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=${token}`);
    assert.equal(page.status, 400);
    assert.match(page.text, /already used/);
  });

  test('a denied request token gets a 400 page saying it was cancelled', async () => {
    const token = await requestToken();
    await authorizeInBrowser(server.base, token, { decision: 'deny' });
    const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=${token}`);
    assert.equal(page.status, 400);
    assert.match(page.text, /cancelled/);
  });
});

describe('signing in', () => {
  test('a wrong password re-shows the form with an error and no PIN; the right one then works', async () => {
    const browser = new Browser();
    const token = await requestToken();
    const wrong = await authorizeInBrowser(server.base, token, { browser, password: 'wrong password' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.pin, null);
    assert.match(wrong.html, /username or password is not correct/);
    assert.equal(inputValue(wrong.html, 'username'), 'alice', 'the username stays filled in');
    const form = {
      ...formFields(wrong.html),
      decision: 'allow',
      username: 'alice',
      password: server.user.password,
    };
    const right = await followToPinPage(
      server.base,
      browser,
      await browser.post(`${server.base}${formAction(wrong.html)}`, form),
    );
    assert.equal(right.status, 200);
    assert.match(right.pin ?? '', /^\d{7}$/);
  });

  test('an unknown username is answered exactly like a wrong password', async () => {
    const wrong = await authorizeInBrowser(server.base, await requestToken(), { username: 'nobody' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.html, /username or password is not correct/);
  });

  test('the session cookie is HttpOnly and SameSite=Lax, and is not Secure on plain http', async () => {
    const browser = new Browser();
    const token = await requestToken();
    const page = await browser.get(`${server.base}/oauth/authorize?oauth_token=${token}`);
    const answer = await fetch(`${server.base}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: new URLSearchParams({
        ...formFields(page.text),
        decision: 'allow',
        username: 'alice',
        password: server.user.password,
      }),
    });
    const session = answer.headers.getSetCookie().find((c) => c.startsWith('tripod_session='));
    assert.ok(session, 'a session cookie is set on sign-in');
    assert.match(session, /HttpOnly/i);
    assert.match(session, /SameSite=Lax/i);
    assert.doesNotMatch(session, /Secure/i);
  });

  test('with a session, the page says who is signed in and asks for no password', async () => {
    const browser = await signedInBrowser();
    const page = await browser.get(`${server.base}/oauth/authorize?oauth_token=${await requestToken()}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Signed in as alice/);
    assert.equal(hasElement(page.text, 'password'), false);
    const answer = await followToPinPage(
      server.base,
      browser,
      await browser.post(`${server.base}/oauth/authorize`, { ...formFields(page.text), decision: 'allow' }),
    );
    assert.match(answer.pin ?? '', /^\d{7}$/);
  });

  test('force_login=true asks for credentials even with a session', async () => {
    const browser = await signedInBrowser();
    const token = await requestToken();
    const page = await browser.get(`${server.base}/oauth/authorize?oauth_token=${token}&force_login=true`);
    assert.ok(hasElement(page.text, 'password'));
    // Pressing Allow without credentials is not enough.
    const answer = await browser.post(`${server.base}/oauth/authorize`, {
      ...formFields(page.text),
      decision: 'allow',
    });
    assert.equal(answer.status, 401);
    assert.equal(elementText(answer.text, 'oauth_pin'), null);
  });

  test('interactivity=confirm_user (OKAPI) asks for credentials even with a session; langpref is accepted', async () => {
    const browser = await signedInBrowser();
    const token = await requestToken();
    const page = await browser.get(
      `${server.base}/oauth/authorize?oauth_token=${token}&interactivity=confirm_user&langpref=pl|en`,
    );
    assert.equal(page.status, 200);
    assert.ok(hasElement(page.text, 'password'));
  });

  test('a screen_name other than the signed-in user asks for that account', async () => {
    const browser = await signedInBrowser();
    const page = await browser.get(
      `${server.base}/oauth/authorize?oauth_token=${await requestToken()}&screen_name=bob`,
    );
    assert.ok(hasElement(page.text, 'password'));
    assert.equal(inputValue(page.text, 'username'), 'bob');
  });

  test('screen_name prefills the username field', async () => {
    const page = await new Browser().get(
      `${server.base}/oauth/authorize?oauth_token=${await requestToken()}&screen_name=alice`,
    );
    assert.equal(inputValue(page.text, 'username'), 'alice');
  });

  test('sign-in attempts are rate limited per address and username', async () => {
    const limited = await startTestServer({ settings: { signInAttemptsPerMinute: '3' } });
    // One fixed window for the whole test (windows are aligned to the epoch).
    const frozen = Date.now();
    limited.clock.now = () => frozen;
    try {
      const token = (await limited.client.requestToken(limited.pinApp, 'oob')).form().oauth_token!;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await authorizeInBrowser(limited.base, token, { password: `wrong ${i}` })).status);
      }
      assert.deepEqual(statuses, [401, 401, 401, 429]);
      const page = await authorizeInBrowser(limited.base, token);
      assert.equal(page.status, 429, 'even the right password waits');
      assert.match(page.html, /Too many sign-in attempts/);
      // Cancel is not a sign-in attempt.
      assert.equal((await authorizeInBrowser(limited.base, token, { decision: 'deny' })).status, 200);
    } finally {
      await limited.close();
    }
  });

  test('trying many usernames from one address hits the looser per-address limit', async () => {
    const limited = await startTestServer({ settings: { signInAttemptsPerMinute: '2' } });
    // One fixed window for the whole test (windows are aligned to the epoch).
    const frozen = Date.now();
    limited.clock.now = () => frozen;
    try {
      const token = (await limited.client.requestToken(limited.pinApp, 'oob')).form().oauth_token!;
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push(
          (await authorizeInBrowser(limited.base, token, { username: `user${i}`, password: 'guess' })).status,
        );
      }
      assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('forged and stale forms', () => {
  test('a POST without the CSRF token is refused with 403 and approves nothing', async () => {
    const browser = new Browser();
    const token = await requestToken();
    const page = await browser.get(`${server.base}/oauth/authorize?oauth_token=${token}`);
    const { _csrf: _ignored, ...withoutCsrf } = formFields(page.text);
    const answer = await browser.post(`${server.base}/oauth/authorize`, {
      ...withoutCsrf,
      decision: 'allow',
      username: 'alice',
      password: server.user.password,
    });
    assert.equal(answer.status, 403);
    assert.match(answer.text, /form has expired/);
    assert.equal(elementText(answer.text, 'oauth_pin'), null);
    // The request token is still pending: the real form still works.
    const outcome = await authorizeInBrowser(server.base, token, { browser });
    assert.ok(outcome.pin);
  });

  test('a CSRF token from another browser is refused', async () => {
    const token = await requestToken();
    const mine = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=${token}`);
    const attacker = new Browser();
    await attacker.get(`${server.base}/oauth/authorize?oauth_token=${token}`);
    const answer = await attacker.post(`${server.base}/oauth/authorize`, {
      ...formFields(mine.text),
      decision: 'deny',
    });
    assert.equal(answer.status, 403);
  });

  test('a POST with no decision is a 400 page', async () => {
    const browser = new Browser();
    const page = await browser.get(`${server.base}/oauth/authorize?oauth_token=${await requestToken()}`);
    const answer = await browser.post(`${server.base}/oauth/authorize`, formFields(page.text));
    assert.equal(answer.status, 400);
  });
});

describe('/oauth/authenticate (Sign in with Tripod)', () => {
  test('skips consent for a signed-in user who already authorized the app (oob: the PIN at once)', async () => {
    const browser = await signedInBrowser();
    // alice's first authorization of Pin Client must be exchanged for an access token to count.
    const rt = (await server.client.requestToken(server.pinApp, 'oob')).form();
    const first = await authorizeInBrowser(server.base, rt.oauth_token!, { browser });
    const at = await server.client.accessToken(
      { ...server.pinApp, token: rt.oauth_token!, tokenSecret: rt.oauth_token_secret! },
      first.pin!,
    );
    assert.equal(at.status, 200);
    const skipped = await browser.get(
      `${server.base}/oauth/authenticate?oauth_token=${await requestToken()}`,
    );
    assert.equal(skipped.status, 303, 'straight on to the PIN page');
    const again = await browser.get(`${server.base}${skipped.location}`);
    assert.equal(again.status, 200);
    assert.match(elementText(again.text, 'oauth_pin') ?? '', /^\d{7}$/);
    assert.equal(again.headers.get('cache-control'), 'no-store');
  });

  test('skips consent in callback mode with a redirect carrying the verifier', async () => {
    const browser = await signedInBrowser();
    const rt = (await server.client.requestToken(server.webApp, WEB_CALLBACK)).form();
    const first = await authorizeInBrowser(server.base, rt.oauth_token!, { browser });
    const verifier = new URL(first.location!).searchParams.get('oauth_verifier')!;
    const at = await server.client.accessToken(
      { ...server.webApp, token: rt.oauth_token!, tokenSecret: rt.oauth_token_secret! },
      verifier,
    );
    assert.equal(at.status, 200);
    const token = await requestToken(server.webApp, WEB_CALLBACK);
    const again = await browser.get(`${server.base}/oauth/authenticate?oauth_token=${token}`);
    assert.equal(again.status, 302);
    assert.equal(new URL(again.location!).searchParams.get('oauth_token'), token);
  });

  test('shows consent when the app was never authorized, and asks for credentials with force_login', async () => {
    const browser = await signedInBrowser();
    const fresh = await browser.get(
      `${server.base}/oauth/authenticate?oauth_token=${await requestToken(server.readApp)}`,
    );
    assert.equal(fresh.status, 200);
    assert.ok(hasElement(fresh.text, 'allow'));
    assert.equal(formAction(fresh.text), '/oauth/authenticate');
    const forced = await browser.get(
      `${server.base}/oauth/authenticate?oauth_token=${await requestToken()}&force_login=true`,
    );
    assert.ok(hasElement(forced.text, 'password'));
  });
});

describe('/oauth/authenticate never upgrades a grant without asking', () => {
  const runtime = () => ({ clock: server.clock, random: createRandomSource() });

  /** A PIN flow through the pages in `browser`, exchanged: alice then holds a live grant at `level`. */
  async function grant(
    browser: Browser,
    app: { consumerKey: string; consumerSecret: string },
    level: 'read' | 'write',
  ) {
    const rt = (
      await server.client.requestToken(app, 'oob', {
        oauth: [
          ['oauth_callback', 'oob'],
          ['x_auth_access_type', level],
        ],
      })
    ).form();
    const { pin } = await authorizeInBrowser(server.base, rt.oauth_token!, { browser });
    const at = await server.client.accessToken(
      { ...app, token: rt.oauth_token!, tokenSecret: rt.oauth_token_secret! },
      pin!,
    );
    assert.equal(at.status, 200, at.text);
  }

  const credentials = (consumer: Consumer) => ({
    consumerKey: consumer.key,
    consumerSecret: consumer.secret,
    consumer,
  });

  test('a read grant does not cover a read-write request token: the consent page asks, no PIN', async () => {
    const app = credentials(await registerApp(server.stores, { name: 'Upgrade Probe' }, runtime()));
    const browser = await signedInBrowser();
    await grant(browser, app, 'read');
    const upgrade = await browser.get(
      `${server.base}/oauth/authenticate?oauth_token=${await requestToken(app)}`,
    );
    assert.equal(upgrade.status, 200);
    assert.equal(elementText(upgrade.text, 'oauth_pin'), null, 'no PIN without asking');
    assert.ok(hasElement(upgrade.text, 'allow'));
    assert.match(upgrade.text, /post|write/i, 'the page says the app asks to post');
    // What the grant covers is still skipped: a read request token gets its PIN at once.
    const read = (
      await server.client.requestToken(app, 'oob', {
        oauth: [
          ['oauth_callback', 'oob'],
          ['x_auth_access_type', 'read'],
        ],
      })
    ).form();
    const again = await followToPinPage(
      server.base,
      browser,
      await browser.get(`${server.base}/oauth/authenticate?oauth_token=${read.oauth_token}`),
    );
    assert.match(again.pin ?? '', /^\d{7}$/);
  });

  test('a grant made while the app was read-only does not cover it once raised to read-write', async () => {
    const consumer = await registerApp(server.stores, { name: 'Raised App', accessLevel: 'read' }, runtime());
    const browser = await signedInBrowser();
    await grant(browser, credentials(consumer), 'write');
    await server.stores.consumers.update({ ...consumer, accessLevel: 'read-write' });
    const raised = await browser.get(
      `${server.base}/oauth/authenticate?oauth_token=${await requestToken(credentials(consumer))}`,
    );
    assert.equal(elementText(raised.text, 'oauth_pin'), null, 'no PIN without asking');
    assert.ok(hasElement(raised.text, 'allow'));
  });
});

describe('callback redirects', () => {
  test('a callback spelled scheme:host/path is redirected to as the absolute URL that was matched', async () => {
    for (const spelling of ['http:app.example/callback', 'http:/app.example/callback']) {
      const outcome = await authorizeInBrowser(server.base, await requestToken(server.webApp, spelling));
      assert.equal(outcome.status, 302);
      const location = new URL(outcome.location!, server.base);
      assert.equal(
        `${location.origin}${location.pathname}`,
        WEB_CALLBACK,
        `${spelling} went to ${outcome.location}`,
      );
      assert.ok(location.searchParams.get('oauth_verifier'));
    }
  });

  test('a non-ASCII query reaches the Location header percent-encoded, with its meaning kept', async () => {
    const outcome = await authorizeInBrowser(
      server.base,
      await requestToken(server.webApp, `${WEB_CALLBACK}?next=żółw 🐢`),
    );
    assert.equal(outcome.status, 302);
    assert.match(outcome.location!, /^[\x21-\x7e]+$/);
    assert.equal(new URL(outcome.location!).searchParams.get('next'), 'żółw 🐢');
  });

  test('a callback carrying CR LF is refused at request_token, not at the Allow click', async () => {
    const res = await server.client.requestToken(server.webApp, `${WEB_CALLBACK}?x=1\r\nSet-Cookie: a=b`);
    assert.equal(res.status, 400);
    assert.equal((res.json() as { oauth_problem: string }).oauth_problem, 'parameter_rejected');
  });
});

describe('sessions', () => {
  test('a disabled account is signed out everywhere at once, whatever sessions it holds', async () => {
    const own = await startTestServer();
    try {
      const browser = new Browser();
      const first = (await own.client.requestToken(own.pinApp, 'oob')).form().oauth_token!;
      assert.ok((await authorizeInBrowser(own.base, first, { browser })).pin);
      const token = (await own.client.requestToken(own.pinApp, 'oob')).form().oauth_token!;
      assert.match(
        (await browser.get(`${own.base}/oauth/authorize?oauth_token=${token}`)).text,
        /Signed in as alice/,
      );
      await own.stores.users.setDisabled(own.user.id, true);
      const page = await browser.get(`${own.base}/oauth/authorize?oauth_token=${token}`);
      assert.doesNotMatch(page.text, /Signed in as alice/);
      assert.ok(hasElement(page.text, 'password'), 'the page asks to sign in');
    } finally {
      await own.close();
    }
  });

  test('a sign-in survives a server restart (sessions live in the SQLite file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tripod-sessions-'));
    const file = join(dir, 'tripod.db');
    try {
      const stores = await openSqliteStores(file);
      const first = await startTestServer({ stores });
      const browser = new Browser();
      const token = (await first.client.requestToken(first.pinApp, 'oob')).form().oauth_token!;
      assert.ok((await authorizeInBrowser(first.base, token, { browser })).pin);
      await first.close();
      await stores.close();

      const reopened = await openSqliteStores(file);
      const second = await startTestServer({ stores: reopened });
      try {
        const token = (await second.client.requestToken(second.pinApp, 'oob')).form().oauth_token!;
        const page = await browser.get(`${second.base}/oauth/authorize?oauth_token=${token}`);
        assert.match(page.text, /Signed in as alice/);
      } finally {
        await second.close();
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('languages (langpref, then Accept-Language, then English)', () => {
  test('langpref=pl shows the consent page in Polish with <html lang="pl">, and carries it through the sign-in POST to the PIN page', async () => {
    const browser = new Browser();
    const token = await requestToken();
    const page = await browser.get(`${server.base}/oauth/authorize?oauth_token=${token}&langpref=xx|pl|de`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<html lang="pl">/);
    assert.equal(elementText(page.text, 'allow'), 'Autoryzuj aplikację');
    assert.equal(inputValue(page.text, 'langpref'), 'xx|pl|de');
    const answer = await followToPinPage(
      server.base,
      browser,
      await browser.post(`${server.base}/oauth/authorize`, {
        ...formFields(page.text),
        langpref: inputValue(page.text, 'langpref')!,
        decision: 'allow',
        username: 'alice',
        password: 'correct horse battery',
      }),
    );
    assert.equal(answer.status, 200, answer.html);
    assert.match(answer.html, /<html lang="pl">/);
    assert.match(answer.pin ?? '', /^\d{7}$/);
    assert.equal(elementText(answer.html, 'pin_instruction'), 'Wróć do aplikacji Pin Client i wpisz ten PIN');
  });

  test('without langpref, Accept-Language picks the language; unknown ones fall back to English', async () => {
    const token = await requestToken();
    const german = await new Browser().request(`${server.base}/oauth/authorize?oauth_token=${token}`, {
      headers: { 'accept-language': 'it, de;q=0.8, en;q=0.5' },
    });
    assert.match(german.text, /<html lang="de">/);
    assert.equal(elementText(german.text, 'allow'), 'App autorisieren');
    const english = await new Browser().request(`${server.base}/oauth/authorize?oauth_token=${token}`, {
      headers: { 'accept-language': 'it' },
    });
    assert.match(english.text, /<html lang="en">/);
    assert.equal(elementText(english.text, 'allow'), 'Authorize app');
  });

  test('the unknown-token page speaks the requested language too, and says what to do', async () => {
    const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=nope&langpref=ja`);
    assert.equal(page.status, 404);
    assert.match(page.text, /<html lang="ja">/);
    assert.doesNotMatch(page.text, /does not work/);
    const english = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=nope`);
    assert.equal(elementText(english.text, 'page_heading'), 'This authorization link does not work');
    assert.match(elementText(english.text, 'page_message') ?? '', /Return to the app and start again/);
  });

  test('a langpref that is not a list of language codes is not echoed into the form', async () => {
    const token = await requestToken();
    const page = await new Browser().get(
      `${server.base}/oauth/authorize?oauth_token=${token}&langpref=${encodeURIComponent('pl"><b>')}`,
    );
    assert.equal(inputValue(page.text, 'langpref'), null);
    assert.doesNotMatch(page.text, /<b>/);
  });
});

describe('what the consent page says', () => {
  test('names the app, its website as a link, who registered it, what it can do and what it never can', async () => {
    const runtime = { clock: server.clock, random: createRandomSource() };
    const app = await registerApp(
      server.stores,
      {
        name: 'Owned App',
        description: 'Posts your photos',
        website: 'https://owned.example/about',
        ownerUserId: server.user.id,
        accessLevel: 'read',
      },
      runtime,
    );
    const token = await requestToken({ consumerKey: app.key, consumerSecret: app.secret, consumer: app });
    const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=${token}`);
    assert.equal(elementText(page.text, 'app_name'), 'Owned App');
    assert.equal(elementText(page.text, 'app_description'), 'Posts your photos');
    assert.match(
      page.text,
      /<a id="app_website" href="https:\/\/owned\.example\/about" rel="noopener noreferrer">/,
    );
    assert.equal(elementText(page.text, 'app_owner'), 'Registered by alice');
    assert.equal(elementText(page.text, 'access_level'), 'Read only');
    assert.match(page.text, /See your password\./);
    assert.doesNotMatch(page.text, /Post and make changes on your behalf/, 'a read app is not said to write');

    const unowned = await new Browser().get(
      `${server.base}/oauth/authorize?oauth_token=${await requestToken()}`,
    );
    assert.equal(elementText(unowned.text, 'app_owner'), 'Registered by the operator of this server');
    assert.match(unowned.text, /Post and make changes on your behalf/);
  });

  test('the PIN page gives the minutes left, a copy button for its script, and the only script is same-origin', async () => {
    const outcome = await authorizeInBrowser(server.base, await requestToken());
    assert.match(outcome.pin ?? '', /^\d{7}$/);
    // The request token lives 900 s by default.
    assert.match(
      outcome.html,
      /<span id="pin_time_left" role="timer" data-seconds-left="(89\d|900)"[^>]*>15 min<\/span>/,
    );
    assert.match(outcome.html, /<button type="button" id="copy_pin" data-copy-target="oauth_pin"/);
    const scripts = outcome.html.match(/<script\b[^>]*>[^<]*<\/script>/g) ?? [];
    assert.deepEqual(scripts, ['<script src="/static/portal.js" defer></script>']);
  });

  test('the page after Cancel says the person cancelled (not "access denied") and what to do', async () => {
    const outcome = await authorizeInBrowser(server.base, await requestToken(), { decision: 'deny' });
    assert.equal(elementText(outcome.html, 'page_heading'), 'Authorization cancelled');
    assert.equal(
      elementText(outcome.html, 'page_message'),
      'Pin Client was not given access to your account.',
    );
    assert.match(elementText(outcome.html, 'page_next') ?? '', /start again from Pin Client/);
  });
});

describe('interactivity', () => {
  test('confirm_user names the signed-in person, offers their name to confirm, and switching signs them out', async () => {
    const browser = await signedInBrowser();
    const token = await requestToken();
    const page = await browser.get(
      `${server.base}/oauth/authorize?oauth_token=${token}&interactivity=confirm_user&langpref=en`,
    );
    assert.match(elementText(page.text, 'confirm_user_body') ?? '', /You are signed in as alice\./);
    assert.equal(inputValue(page.text, 'username'), 'alice');
    assert.equal(inputValue(page.text, 'interactivity'), 'confirm_user');
    const switched = await browser.post(`${server.base}/oauth/authorize`, {
      _csrf: inputValue(page.text, '_csrf')!,
      oauth_token: token,
      langpref: 'en',
      decision: 'switch',
    });
    assert.equal(switched.status, 303);
    assert.equal(
      switched.location,
      `/oauth/authorize?oauth_token=${token}&interactivity=confirm_user&langpref=en`,
    );
    const after = await browser.get(`${server.base}${switched.location}`);
    assert.equal(hasElement(after.text, 'confirm_user_body'), false, 'nobody is signed in any more');
    assert.equal(inputValue(after.text, 'username'), '');
    // The session is gone for the portal as well.
    const apps = await browser.get(`${server.base}/apps`);
    assert.equal(apps.status, 303);
  });

  test('minimal (the default) reuses the session: no password, the signed-in user named with a way to switch', async () => {
    const browser = await signedInBrowser();
    const token = await requestToken(server.readApp);
    const page = await browser.get(
      `${server.base}/oauth/authorize?oauth_token=${token}&interactivity=minimal`,
    );
    assert.equal(hasElement(page.text, 'password'), false);
    assert.match(elementText(page.text, 'signed_in_as') ?? page.text, /Signed in as alice/);
    assert.match(
      page.text,
      /<a href="\/oauth\/authorize\?oauth_token=[^"&]+&amp;force_login=true" id="switch_account">/,
    );
  });

  test('minimal on oauth/authorize still asks about an app the person authorized before, and says so', async () => {
    const browser = await signedInBrowser();
    const again = await browser.get(`${server.base}/oauth/authorize?oauth_token=${await requestToken()}`);
    assert.ok(hasElement(again.text, 'allow'));
    assert.equal(
      elementText(again.text, 'already_authorized'),
      'You authorized this app before. Confirm to continue.',
    );
    const fresh = await browser.get(
      `${server.base}/oauth/authorize?oauth_token=${await requestToken(server.readApp)}`,
    );
    assert.equal(hasElement(fresh.text, 'already_authorized'), false);
  });
});

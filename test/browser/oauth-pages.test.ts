// The authorization pages in a real browser (Debian's chromium): a PIN flow done entirely through the
// pages and by keyboard, the copy button, a callback flow with deny and allow, Polish by langpref and
// German by Accept-Language, confirm_user switching to another person, the signature debugger showing a
// refused request made with the app's keys, and every page (consent, PIN, denied, expired, used, unknown,
// confirm_user) screenshotted in English and Polish and checked with axe; the PIN page also on a phone.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createRandomSource } from '../../src/provider/random-source.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { registerApp, registerUser } from '../../src/server/registration.ts';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { type Chromium, launchChromium, screenshot, screenshotAccessible } from './chromium.ts';
import { PASSWORD, type PortalServer, startPortalServer } from './portal-server.ts';

let server: PortalServer;
let chromium: Chromium;
let callbackServer: Server;
let callbackBase: string;
let pinApp: Consumer;
let webApp: Consumer;

before(async () => {
  server = await startPortalServer();
  chromium = await launchChromium();
  callbackServer = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(
      '<!doctype html><html lang="en"><title>Back in the app</title><h1 id="back">Back in the app</h1>',
    );
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callbackBase = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}`;
  const runtime = { clock: server.clock, random: createRandomSource() };
  pinApp = await registerApp(
    server.stores,
    {
      name: 'Birdie CLI',
      description: 'Posts to your timeline from the terminal.',
      website: 'https://birdie.example',
      ownerUserId: server.alice.id,
    },
    runtime,
  );
  webApp = await registerApp(
    server.stores,
    {
      name: 'Photo Site',
      callbackUrls: [`${callbackBase}/callback`],
      accessLevel: 'read',
      ownerUserId: null,
    },
    runtime,
  );
  await registerUser(server.stores, { username: 'bob', password: PASSWORD }, runtime);
});

after(async () => {
  await chromium?.close();
  callbackServer?.close();
  await server?.close();
});

const keysOf = (app: Consumer) => ({ consumerKey: app.key, consumerSecret: app.secret });

async function requestToken(app: Consumer, callback = 'oob') {
  const client = new OAuthTestClient(server.base, server.clock.now);
  const issued = await client.requestToken(keysOf(app), callback);
  assert.equal(issued.status, 200, issued.text);
  const form = issued.form();
  return { client, token: form.oauth_token!, tokenSecret: form.oauth_token_secret! };
}

async function signInOnConsent(page: Page, username: string) {
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#allow');
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('the PIN flow in chromium', () => {
  it('is done entirely through the pages, by keyboard alone, and its PIN gets an access token', async () => {
    const context = await chromium.context();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    const page = await context.newPage();
    const scriptErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') scriptErrors.push(message.text());
    });
    const { client, token, tokenSecret } = await requestToken(pinApp);
    await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('#app_name'), 'Birdie CLI');
    assert.equal(await page.textContent('#app_owner'), 'Registered by alice');
    assert.equal(await page.textContent('#access_level'), 'Read and write');
    assert.match((await page.textContent('#access_never'))!, /See your password\./);

    // Keyboard only: the fields, then Authorize app, in that order.
    await page.focus('#username');
    await page.keyboard.type('alice');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'allow');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'deny');
    await page.keyboard.press('Shift+Tab');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    const pin = (await page.textContent('#oauth_pin'))!;
    assert.match(pin, /^\d{7}$/, 'the text of #oauth_pin is the digits alone');
    assert.ok(!page.url().includes(pin), 'the PIN is not in the URL');
    const spacing = await page.$eval('#oauth_pin', (element) => getComputedStyle(element).letterSpacing);
    assert.ok(Number.parseFloat(spacing) > 5, `the digits are spaced by CSS (${spacing})`);
    assert.equal(await page.textContent('#pin_instruction'), 'Return to Birdie CLI and enter this PIN');
    // The script counts down from the server's minutes (15 min for a 900 s request token).
    await page.waitForFunction(() =>
      /^\d+:\d\d$/.test(document.getElementById('pin_time_left')!.textContent!),
    );
    assert.match((await page.textContent('#pin_time_left'))!, /^1[45]:\d\d$/);

    // The copy button works from the keyboard and copies the digits alone.
    await page.focus('#copy_pin');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('copy_status')!.textContent !== '');
    assert.equal(await page.textContent('#copy_status'), 'PIN copied.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), pin);
    assert.deepEqual(scriptErrors, [], 'no script or CSP errors');

    const access = await client.accessToken({ ...keysOf(pinApp), token, tokenSecret }, pin);
    assert.equal(access.status, 200, access.text);
    assert.equal(access.form().screen_name, 'alice');
    await context.close();
  });

  it('shows the PIN page on a phone without sideways scrolling', async () => {
    const context = await chromium.context({ phone: true, locale: 'pl-PL' });
    const page = await context.newPage();
    const { token } = await requestToken(pinApp);
    await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}`);
    await screenshotAccessible(page, 'oauth-authorize-phone-pl');
    await signInOnConsent(page, 'alice');
    await page.waitForSelector('#oauth_pin');
    assert.equal(await page.getAttribute('html', 'lang'), 'pl');
    await screenshotAccessible(page, 'oauth-pin-phone-pl');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `the PIN page scrolls sideways on a phone (${width}px)`);
    const box = (await page.$eval('#oauth_pin', (element) => element.getBoundingClientRect().right))!;
    assert.ok(box <= 375, 'the PIN fits on the screen');
    await context.close();
  });
});

describe('the dark colour scheme', () => {
  it('keeps the consent and PIN pages free of serious axe violations (contrast included)', async () => {
    const context = await chromium.context();
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    const { token } = await requestToken(pinApp);
    await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}`);
    await screenshotAccessible(page, 'oauth-authorize-dark-en');
    await signInOnConsent(page, 'alice');
    await page.waitForSelector('#oauth_pin');
    await screenshotAccessible(page, 'oauth-pin-dark-en');
    await context.close();
  });
});

describe('the callback flow in chromium', () => {
  it('Cancel sends the browser back with oauth_token, denied and error=access_denied', async () => {
    const context = await chromium.context();
    const page = await context.newPage();
    const { token } = await requestToken(webApp, `${callbackBase}/callback?state=1`);
    await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}`);
    await Promise.all([page.waitForURL(`${callbackBase}/**`), page.click('#deny')]);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/callback');
    assert.deepEqual(
      [...url.searchParams],
      [
        ['state', '1'],
        ['oauth_token', token],
        ['denied', token],
        ['error', 'access_denied'],
      ],
    );
    await context.close();
  });

  it('Authorize app sends the browser back with oauth_token and oauth_verifier, which gets a token', async () => {
    const context = await chromium.context();
    const page = await context.newPage();
    const { client, token, tokenSecret } = await requestToken(webApp, `${callbackBase}/callback`);
    await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}`);
    await Promise.all([page.waitForURL(`${callbackBase}/**`), signInOnConsent(page, 'alice')]);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/callback');
    assert.deepEqual(
      [...url.searchParams.keys()],
      ['oauth_token', 'oauth_verifier'],
      'callback?oauth_token=…&oauth_verifier=…',
    );
    assert.equal(url.searchParams.get('oauth_token'), token);
    const verifier = url.searchParams.get('oauth_verifier')!;
    const access = await client.accessToken({ ...keysOf(webApp), token, tokenSecret }, verifier);
    assert.equal(access.status, 200, access.text);
    await context.close();
  });
});

describe('languages in chromium', () => {
  it('langpref=pl shows Polish from the consent page to the PIN page', async () => {
    const context = await chromium.context({ locale: 'en-US' });
    const page = await context.newPage();
    const { token } = await requestToken(pinApp);
    await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}&langpref=pl`);
    assert.equal(await page.getAttribute('html', 'lang'), 'pl');
    assert.equal(await page.textContent('#allow'), 'Autoryzuj aplikację');
    assert.equal(await page.textContent('#deny'), 'Anuluj');
    await signInOnConsent(page, 'alice');
    await page.waitForSelector('#oauth_pin');
    assert.equal(await page.getAttribute('html', 'lang'), 'pl');
    assert.equal(await page.textContent('#pin_instruction'), 'Wróć do aplikacji Birdie CLI i wpisz ten PIN');
    await context.close();
  });

  it('Accept-Language: de shows German', async () => {
    const context = await chromium.context({ locale: 'de-DE' });
    const page = await context.newPage();
    const { token } = await requestToken(pinApp);
    await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.equal(await page.textContent('#allow'), 'App autorisieren');
    await screenshot(page, 'oauth-authorize-de');
    await context.close();
  });
});

describe('interactivity=confirm_user in chromium', () => {
  it('names the signed-in person and lets someone else sign out and authorize as themselves', async () => {
    const context = await chromium.context();
    const page = await context.newPage();
    await page.goto(`${server.base}/sign-in`);
    await page.fill('#username', 'alice');
    await page.fill('#password', PASSWORD);
    await page.click('#sign_in_submit');
    await page.waitForURL(`${server.base}/apps`);

    const { client, token, tokenSecret } = await requestToken(pinApp);
    await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}&interactivity=confirm_user`);
    assert.match((await page.textContent('#confirm_user_body'))!, /You are signed in as alice\./);
    await Promise.all([page.waitForNavigation(), page.click('#switch_user')]);
    assert.equal(await page.$('#confirm_user_body'), null, 'alice is signed out');
    assert.equal(await page.inputValue('#username'), '');
    await signInOnConsent(page, 'bob');
    const pin = (await (await page.waitForSelector('#oauth_pin')).textContent())!;
    const access = await client.accessToken({ ...keysOf(pinApp), token, tokenSecret }, pin);
    assert.equal(access.status, 200, access.text);
    assert.equal(access.form().screen_name, 'bob', 'the token is for the person who confirmed');
    await context.close();
  });
});

describe('the signature debugger in chromium', () => {
  it("shows a refused request made with the app's keys, with the base string the server computed", async () => {
    const client = new OAuthTestClient(server.base, server.clock.now);
    const refused = await client.requestToken({ consumerKey: pinApp.key, consumerSecret: 'not-the-secret' });
    assert.equal(refused.status, 401, refused.text);
    const context = await chromium.context();
    const page = await context.newPage();
    await page.goto(`${server.base}/sign-in`);
    await page.fill('#username', 'alice');
    await page.fill('#password', PASSWORD);
    await page.click('#sign_in_submit');
    await page.waitForURL(`${server.base}/apps`);
    await page.goto(`${server.base}/apps/${encodeURIComponent(pinApp.key)}/debugger`);
    await page.waitForSelector('#rejection_problem_1');
    assert.equal(await page.textContent('#rejection_problem_1'), 'signature_invalid');
    assert.match(
      (await page.textContent('#base_string_1'))!,
      /^POST&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Foauth%2Frequest_token&oauth_callback%3Doob%26oauth_consumer_key%3D/,
    );
    assert.ok(!(await page.content()).includes(pinApp.secret), 'the secret is never shown');
    await screenshotAccessible(page, 'portal-debugger-refused-en');
    await context.close();
  });
});

describe('every OAuth page in English and Polish: screenshots and no serious axe violation', () => {
  for (const language of ['en', 'pl'] as const) {
    it(`consent, confirm_user, PIN, denied, expired, used and unknown pages in ${language}`, async () => {
      const context: BrowserContext = await chromium.context();
      const page = await context.newPage();
      const lang = `&langpref=${language}`;

      const first = await requestToken(pinApp);
      await page.goto(`${server.base}/oauth/authorize?oauth_token=${first.token}${lang}`);
      assert.equal(await page.getAttribute('html', 'lang'), language);
      await screenshotAccessible(page, `oauth-authorize-${language}`);
      await signInOnConsent(page, 'alice');
      await page.waitForSelector('#oauth_pin');
      await screenshotAccessible(page, `oauth-pin-${language}`);

      // Signed in now: the consent page names the person, with a way to switch account.
      const signedIn = await requestToken(pinApp);
      await page.goto(`${server.base}/oauth/authorize?oauth_token=${signedIn.token}${lang}`);
      await page.waitForSelector('#switch_account');
      await screenshotAccessible(page, `oauth-authorize-signed-in-${language}`);
      await page.goto(
        `${server.base}/oauth/authorize?oauth_token=${signedIn.token}&interactivity=confirm_user${lang}`,
      );
      await page.waitForSelector('#confirm_user_body');
      await screenshotAccessible(page, `oauth-confirm-user-${language}`);
      await page.click('#deny');
      await page.waitForSelector('#page_next');
      await screenshotAccessible(page, `oauth-denied-${language}`);

      // The first token was authorized: opening it again is the already-used page.
      await page.goto(`${server.base}/oauth/authorize?oauth_token=${first.token}${lang}`);
      await screenshotAccessible(page, `oauth-used-${language}`);

      await page.goto(`${server.base}/oauth/authorize?oauth_token=no-such-token${lang}`);
      await screenshotAccessible(page, `oauth-unknown-${language}`);

      const late = await requestToken(pinApp);
      server.clock.advance(901);
      try {
        await page.goto(`${server.base}/oauth/authorize?oauth_token=${late.token}${lang}`);
        await screenshotAccessible(page, `oauth-expired-${language}`);
        const heading = (await page.textContent('#page_heading'))!;
        if (language === 'en') assert.equal(heading, 'This authorization request has expired');
        else assert.notEqual(heading, 'This authorization request has expired');
      } finally {
        server.clock.advance(-901);
      }
      await context.close();
    });
  }
});

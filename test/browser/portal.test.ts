// The developer portal in a real browser (Debian's chromium): the mode statement follows the callback list
// as it is edited, a new app's keys complete a PIN flow through the pages, a regenerated secret refuses
// the old one, revoking a connected app refuses its token, and every page passes axe.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { assertAccessible, type Chromium, launchChromium, screenshot } from './chromium.ts';
import { signInOnPortal } from './portal-in-chromium.ts';
import { type PortalServer, startPortalServer } from './portal-server.ts';

const PIN_ONLY = 'PIN-only: users will see a PIN to type into your app';
const WEB = 'Web: users are sent back to your callback URL; PIN-based authorization also works';

let server: PortalServer;
let chromium: Chromium;
before(async () => {
  server = await startPortalServer();
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await server?.close();
});

const signIn = (context: BrowserContext, username?: string) => signInOnPortal(context, server.base, username);

/** A PIN flow with the given keys, the person authorizing on the real pages of `page`'s context. */
async function pinFlow(page: Page, credentials: { consumerKey: string; consumerSecret: string }) {
  const client = new OAuthTestClient(server.base, server.clock.now);
  const issued = await client.requestToken(credentials);
  assert.equal(issued.status, 200, issued.text);
  const { oauth_token: token, oauth_token_secret: tokenSecret } = issued.form();
  await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}`);
  await page.click('#allow');
  const pin = (await page.textContent('#oauth_pin'))!.trim();
  assert.match(pin, /^\d{7}$/);
  const access = await client.accessToken({ ...credentials, token: token!, tokenSecret: tokenSecret! }, pin);
  assert.equal(access.status, 200, access.text);
  const form = access.form();
  return {
    client,
    credentials: { ...credentials, token: form.oauth_token!, tokenSecret: form.oauth_token_secret! },
  };
}

describe('portal in the browser', () => {
  it('shows the mode change live as a callback URL is added and removed, then the keys work in a PIN flow', async () => {
    const context = await chromium.context();
    const page = await signIn(context);
    await page.click('#create_app');
    await page.waitForURL(`${server.base}/apps/new`);
    assert.equal(await page.textContent('#mode_statement'), PIN_ONLY);
    await page.fill('#app_name', 'Live Mode App');
    await page.fill('#app_description', 'Shows the mode as you type.');
    await page.check('#access_read_write');

    await page.fill('#callback_url_1', 'https://live.example/callback');
    assert.equal(await page.textContent('#mode_statement'), WEB);
    await page.click('#add_callback');
    await page.fill('#callback_url_2', 'myapp://callback');
    await page.click('#callback_list li:nth-child(1) .remove-callback');
    assert.equal(await page.inputValue('#callback_url_1'), 'myapp://callback');
    assert.equal(await page.textContent('#mode_statement'), WEB);
    await page.click('#callback_list li:nth-child(1) .remove-callback');
    assert.equal(await page.textContent('#mode_statement'), PIN_ONLY);
    await screenshot(page, 'portal-new-app-en');
    await assertAccessible(page, 'new app');

    await page.click('#save_app');
    await page.waitForURL(/\/apps\/[^/]+$/);
    assert.equal(
      await page.textContent('#notice'),
      'Your app is registered. Its consumer key is below; show the secret when you need it.',
    );
    assert.equal(await page.textContent('#mode_statement'), PIN_ONLY);
    const consumerKey = (await page.textContent('#consumer_key'))!;
    await page.click('#reveal_secret');
    const consumerSecret = (await page.textContent('#consumer_secret'))!;
    await screenshot(page, 'portal-app-en');
    await assertAccessible(page, 'app page');

    const flow = await pinFlow(page, { consumerKey, consumerSecret });
    const verified = await flow.client.call({
      method: 'GET',
      url: '/1.1/account/verify_credentials.json',
      credentials: flow.credentials,
    });
    assert.equal(verified.status, 200);
    await context.close();
  });

  it('regenerating the secret refuses the old one at once', async () => {
    const context = await chromium.context();
    const page = await signIn(context);
    await page.goto(`${server.base}/apps/new`);
    await page.fill('#app_name', 'Rotating Secret');
    await page.click('#save_app');
    await page.waitForURL(/\/apps\/[^/]+$/);
    const consumerKey = (await page.textContent('#consumer_key'))!;
    await page.click('#reveal_secret');
    const oldSecret = (await page.textContent('#consumer_secret'))!;
    const client = new OAuthTestClient(server.base, server.clock.now);
    assert.equal((await client.requestToken({ consumerKey, consumerSecret: oldSecret })).status, 200);
    await page.click('#regenerate_secret');
    await page.waitForURL(/\/secret\/regenerate$/);
    await page.click('#confirm_button');
    await page.waitForURL(/\/apps\/[^/]+$/);
    const newSecret = (await page.textContent('#consumer_secret'))!;
    assert.notEqual(newSecret, oldSecret);
    assert.equal((await client.requestToken({ consumerKey, consumerSecret: oldSecret })).status, 401);
    assert.equal((await client.requestToken({ consumerKey, consumerSecret: newSecret })).status, 200);
    await context.close();
  });

  it('revoking an app under Connected apps refuses its token at once', async () => {
    const context = await chromium.context();
    const page = await signIn(context);
    await page.goto(`${server.base}/apps/new`);
    await page.fill('#app_name', 'Soon Revoked');
    await page.click('#save_app');
    await page.waitForURL(/\/apps\/[^/]+$/);
    const consumerKey = (await page.textContent('#consumer_key'))!;
    await page.click('#reveal_secret');
    const consumerSecret = (await page.textContent('#consumer_secret'))!;
    const flow = await pinFlow(page, { consumerKey, consumerSecret });
    const call = () =>
      flow.client.call({
        method: 'GET',
        url: '/1.1/account/verify_credentials.json',
        credentials: flow.credentials,
      });
    assert.equal((await call()).status, 200);

    await page.goto(`${server.base}/connected-apps`);
    await screenshot(page, 'portal-connected-apps-en');
    await assertAccessible(page, 'connected apps');
    await page.getByRole('button', { name: 'Revoke access for Soon Revoked' }).click();
    await page.waitForURL(/\/revoke$/);
    await page.click('#confirm_button');
    await page.waitForURL(`${server.base}/connected-apps`);
    assert.equal(await page.textContent('#notice'), 'Access for Soon Revoked was revoked.');
    const refused = await call();
    assert.equal(refused.status, 401);
    assert.equal((refused.json() as { errors: { code: number }[] }).errors[0]!.code, 89);
    await context.close();
  });
});

describe('portal by keyboard and in a dark colour scheme', () => {
  it('adds and removes a callback URL with the keyboard alone, the mode statement following', async () => {
    const context = await chromium.context();
    const page = await signIn(context);
    await page.goto(`${server.base}/apps/new`);
    await page.focus('#callback_url_1');
    await page.keyboard.type('https://keys.example/cb');
    assert.equal(await page.textContent('#mode_statement'), WEB);
    // Tab: the row's remove button, then "Add a callback URL"; Enter adds a row and focuses it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'add_callback');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'callback_url_2');
    await page.keyboard.type('myapp://cb');
    // Back to the first row's remove button and press it: the second URL moves up, still Web.
    await page.focus('#callback_list li:nth-child(1) .remove-callback');
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('#callback_url_1'), 'myapp://cb');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'callback_url_1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('#mode_statement'), PIN_ONLY);

    // A refused form puts focus on the list of what to correct, each item a link to its field.
    await page.fill('#app_name', 'Refused');
    await page.fill('#callback_url_1', 'not a url');
    await page.click('#save_app');
    await page.waitForSelector('#error_summary');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'error_summary');
    await page.click('#error_summary a');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'callback_url_1');
    await screenshot(page, 'portal-new-app-error-en');
    await assertAccessible(page, 'refused app form');
    await context.close();
  });

  it('keeps its contrast in the dark colour scheme', async () => {
    const context = await chromium.context();
    const page = await signIn(context, 'olga');
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const path of ['/apps', '/apps/new', '/connected-apps', '/operator']) {
      await page.goto(`${server.base}${path}`);
      await assertAccessible(page, `${path} (dark)`);
    }
    await screenshot(page, 'portal-operator-dark-en');
    await context.close();
  });
});

describe('portal pages: screenshots in English and Polish, on a desktop and a phone, with no serious axe violation', () => {
  for (const [locale, suffix] of [
    ['en-US', 'en'],
    ['pl-PL', 'pl'],
  ] as const) {
    it(`every portal page in ${suffix}`, async () => {
      const context = await chromium.context({ locale });
      const page = await context.newPage();
      await page.goto(`${server.base}/sign-in`);
      await screenshot(page, `portal-sign-in-${suffix}`);
      await assertAccessible(page, 'sign-in');
      await page.goto(`${server.base}/sign-up`);
      await screenshot(page, `portal-sign-up-${suffix}`);
      await assertAccessible(page, 'sign-up');
      await page.close();

      const operator = await signIn(context, 'olga');
      await operator.goto(`${server.base}/apps/new`);
      await operator.fill('#app_name', `Screenshot App ${suffix}`);
      await operator.fill('#callback_url_1', 'https://shots.example/cb');
      await operator.click('#save_app');
      await operator.waitForURL(/\/apps\/[^/]+$/);
      const appUrl = operator.url();
      const pages: [string, string][] = [
        ['apps', `${server.base}/apps`],
        ['app', appUrl],
        ['debugger', `${appUrl}/debugger`],
        ['connected-apps', `${server.base}/connected-apps`],
        ['operator', `${server.base}/operator`],
      ];
      for (const [name, url] of pages) {
        await operator.goto(url);
        await screenshot(operator, `portal-${name}-${suffix}`);
        await assertAccessible(operator, name);
      }
      // The empty sign-up form, sent: the error summary.
      await context.close();

      const phone = await chromium.context({ locale, phone: true });
      const small = await signIn(phone, 'olga');
      await small.goto(appUrl);
      await screenshot(small, `portal-app-phone-${suffix}`);
      await assertAccessible(small, 'app on a phone');
      const width = await small.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `the app page scrolls sideways on a phone (${width}px)`);
      await phone.close();
    });
  }
});

// The PIN page in a real browser (Debian's chromium): a reload, and Back then Forward, show the same PIN;
// after the PIN is used the page says so; every state of the page passes axe, light and dark, and is
// screenshotted.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createRandomSource } from '../../src/provider/random-source.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { registerApp } from '../../src/server/registration.ts';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { screenshotAccessible } from './chromium.ts';
import { portalInChromium } from './portal-in-chromium.ts';
import { PASSWORD } from './portal-server.ts';

const running = portalInChromium();
let app: Consumer;

const credentials = () => ({ consumerKey: app.key, consumerSecret: app.secret });

async function requestToken() {
  const { server } = running;
  const client = new OAuthTestClient(server.base, server.clock.now);
  const form = (await client.requestToken(credentials())).form();
  return { client, token: form.oauth_token!, tokenSecret: form.oauth_token_secret! };
}

/** Signs in on the consent page (unless signed in) and presses Allow; resolves with the PIN page's PIN. */
async function allow(page: Page, token: string, lang = ''): Promise<string> {
  const { server } = running;
  await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}${lang}`);
  if (await page.$('#username')) {
    await page.fill('#username', 'alice');
    await page.fill('#password', PASSWORD);
  }
  await Promise.all([page.waitForURL(/\/oauth\/pin\?/), page.click('#allow')]);
  return (await page.textContent('#oauth_pin'))!;
}

describe('the PIN page in chromium', () => {
  // After the file's own `before`, which starts the server.
  before(async () => {
    const { server } = running;
    app = await registerApp(
      server.stores,
      { name: 'Birdie CLI', ownerUserId: server.alice.id },
      { clock: server.clock, random: createRandomSource() },
    );
  });

  it('shows the same PIN after a reload and after Back then Forward, and never puts it in the URL', async () => {
    const { chromium } = running;
    const context = await chromium.context();
    const page = await context.newPage();
    const { token } = await requestToken();
    const pin = await allow(page, token);
    assert.match(pin, /^\d{7}$/);
    assert.ok(!page.url().includes(pin));

    await page.reload();
    assert.equal(await page.textContent('#oauth_pin'), pin, 'after a reload');

    await page.goBack();
    assert.match(page.url(), /\/oauth\/authorize\?/);
    assert.equal(await page.textContent('#page_heading'), 'This authorization request was already used');
    await page.goForward();
    assert.equal(await page.textContent('#oauth_pin'), pin, 'after Back then Forward');

    // A phone reopening the tab: the same address in a new page of the same browser.
    const reopened = await context.newPage();
    await reopened.goto(page.url());
    assert.equal(await reopened.textContent('#oauth_pin'), pin);
    await context.close();
  });

  it('says kindly that the PIN was used, once the app used it', async () => {
    const { chromium } = running;
    const context = await chromium.context();
    const page = await context.newPage();
    const { client, token, tokenSecret } = await requestToken();
    const pin = await allow(page, token);
    const access = await client.accessToken({ ...credentials(), token, tokenSecret }, pin);
    assert.equal(access.status, 200, access.text);
    await page.reload();
    assert.equal(await page.textContent('#page_heading'), 'PIN used');
    assert.equal(
      await page.textContent('#page_message'),
      'This PIN was used by Birdie CLI. You can close this page.',
    );
    assert.equal(await page.$('#oauth_pin'), null);
    await context.close();
  });

  // Light in English, dark in Polish: each state checked in both schemes and screenshotted in both languages.
  for (const [scheme, language, lang] of [
    ['light', 'en', ''],
    ['dark', 'pl', '&langpref=pl'],
  ] as const) {
    it(`every state of the PIN page passes axe: ${scheme}, ${language}`, async () => {
      const { server, chromium } = running;
      const context = await chromium.context();
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      const suffix = `${language}-${scheme}`;
      const { client, token, tokenSecret } = await requestToken();
      const pin = await allow(page, token, lang);
      await screenshotAccessible(page, `pin-after-redirect-${suffix}`);

      const elsewhere = await (await chromium.context()).newPage();
      await elsewhere.emulateMedia({ colorScheme: scheme });
      await elsewhere.goto(page.url());
      assert.equal(await elsewhere.$('#oauth_pin'), null);
      await screenshotAccessible(elsewhere, `pin-elsewhere-${suffix}`);
      await elsewhere.context().close();

      await client.accessToken({ ...credentials(), token, tokenSecret }, pin);
      await page.reload();
      await screenshotAccessible(page, `pin-used-${suffix}`);

      const late = await requestToken();
      await allow(page, late.token, lang);
      server.clock.advance(901);
      try {
        await page.reload();
        assert.equal(await page.$('#oauth_pin'), null);
        await screenshotAccessible(page, `pin-expired-${suffix}`);
      } finally {
        server.clock.advance(-901);
      }
      await context.close();
    });
  }
});

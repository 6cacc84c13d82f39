// What cannot be undone, in a real browser (Debian's chromium): regenerating a secret, deleting an app,
// revoking a connected app and the operator's Disable each ask on a page of their own first, Cancel goes
// back untouched, and a reload after the change repeats nothing. Every confirmation page passes axe,
// light and dark, and is screenshotted.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { screenshotAccessible } from './chromium.ts';
import { portalInChromium, signInOnPortal } from './portal-in-chromium.ts';

const running = portalInChromium();
const signIn = (context: BrowserContext, username?: string) =>
  signInOnPortal(context, running.server.base, username);

async function newApp(page: Page, name: string): Promise<string> {
  const { base } = running.server;
  await page.goto(`${base}/apps/new`);
  await page.fill('#app_name', name);
  await Promise.all([page.waitForURL(/\/apps\/[^/]+$/), page.click('#save_app')]);
  return (await page.textContent('#consumer_key'))!;
}

describe('confirmation steps in chromium', () => {
  it('regenerating asks first, shows the new secret once, and a reload regenerates nothing', async () => {
    const { server, chromium } = running;
    const context = await chromium.context();
    const page = await signIn(context);
    const key = await newApp(page, 'Reload Proof');
    await page.click('#reveal_secret');
    const oldSecret = (await page.textContent('#consumer_secret'))!;

    await Promise.all([page.waitForURL(/\/secret\/regenerate$/), page.click('#regenerate_secret')]);
    await screenshotAccessible(page, 'portal-confirm-regenerate-en-light');
    await Promise.all([page.waitForURL(/\/apps\/[^/]+$/), page.click('#confirm_cancel')]);
    assert.equal((await server.stores.consumers.get(key))!.secret, oldSecret, 'Cancel changed nothing');

    await Promise.all([page.waitForURL(/\/secret\/regenerate$/), page.click('#regenerate_secret')]);
    await Promise.all([page.waitForURL(/\/apps\/[^/]+$/), page.click('#confirm_button')]);
    const newSecret = (await page.textContent('#consumer_secret'))!;
    assert.notEqual(newSecret, oldSecret);
    assert.ok(!page.url().includes(newSecret), 'the secret is not in the URL');
    assert.equal(
      await page.textContent('#notice'),
      'A new secret was generated. The old one no longer works.',
    );

    await page.reload();
    assert.equal(await page.$('#consumer_secret'), null, 'shown once');
    assert.equal(
      (await server.stores.consumers.get(key))!.secret,
      newSecret,
      'the reload regenerated nothing',
    );
    const client = new OAuthTestClient(server.base, server.clock.now);
    assert.equal((await client.requestToken({ consumerKey: key, consumerSecret: newSecret })).status, 200);
    await context.close();
  });

  it('deleting an app asks first; Cancel keeps it, the confirmed one is gone', async () => {
    const { server, chromium } = running;
    const context = await chromium.context();
    const page = await signIn(context);
    const key = await newApp(page, 'Doomed App');
    await Promise.all([page.waitForURL(/\/delete$/), page.click('#delete_app')]);
    assert.equal(await page.textContent('#page_heading'), 'Delete Doomed App?');
    await screenshotAccessible(page, 'portal-confirm-delete-en-light');
    await Promise.all([page.waitForURL(/\/apps\/[^/]+$/), page.click('#confirm_cancel')]);
    assert.ok(await server.stores.consumers.get(key));
    await Promise.all([page.waitForURL(/\/delete$/), page.click('#delete_app')]);
    await Promise.all([page.waitForURL(`${server.base}/apps`), page.click('#confirm_button')]);
    assert.equal(
      await page.textContent('#notice'),
      'Doomed App was deleted. Its keys and tokens no longer work.',
    );
    assert.equal(await server.stores.consumers.get(key), null);
    await context.close();
  });

  it("the operator's Disable asks first", async () => {
    const { server, chromium } = running;
    const context = await chromium.context();
    const owner = await signIn(context);
    const key = await newApp(owner, 'To Be Disabled');
    await context.close();
    const operatorContext = await chromium.context();
    const page = await signIn(operatorContext, 'olga');
    await page.goto(`${server.base}/operator`);
    await Promise.all([
      page.waitForURL(/\/disable$/),
      page.getByRole('button', { name: 'Disable To Be Disabled' }).click(),
    ]);
    assert.equal((await server.stores.consumers.get(key))!.disabled, false, 'not on one click');
    await screenshotAccessible(page, 'portal-confirm-disable-en-light');
    await Promise.all([page.waitForURL(`${server.base}/operator`), page.click('#confirm_button')]);
    assert.equal((await server.stores.consumers.get(key))!.disabled, true);
    await operatorContext.close();
  });

  it('every confirmation page passes axe in the dark colour scheme, and in Polish', async () => {
    const { server, chromium } = running;
    const context = await chromium.context({ locale: 'pl-PL' });
    const page = await signIn(context, 'olga');
    await page.emulateMedia({ colorScheme: 'dark' });
    const key = encodeURIComponent(await newApp(page, 'Ciemna aplikacja'));
    for (const [name, path] of [
      ['regenerate', `/apps/${key}/secret/regenerate`],
      ['delete', `/apps/${key}/delete`],
      ['disable', `/operator/apps/${key}/disable`],
    ]) {
      await page.goto(`${server.base}${path}`);
      assert.equal(await page.getAttribute('html', 'lang'), 'pl');
      await screenshotAccessible(page, `portal-confirm-${name}-pl-dark`);
    }
    await context.close();
  });

  it('revoking a connected app asks first, light and dark', async () => {
    const { server, chromium } = running;
    const context = await chromium.context();
    const page = await signIn(context);
    const key = await newApp(page, 'Connected Then Not');
    await page.click('#reveal_secret');
    const consumerSecret = (await page.textContent('#consumer_secret'))!;
    const client = new OAuthTestClient(server.base, server.clock.now);
    const credentials = { consumerKey: key, consumerSecret };
    const issued = (await client.requestToken(credentials)).form();
    await page.goto(`${server.base}/oauth/authorize?oauth_token=${issued.oauth_token}`);
    await Promise.all([page.waitForURL(/\/oauth\/pin\?/), page.click('#allow')]);
    const pin = (await page.textContent('#oauth_pin'))!;
    const token = { token: issued.oauth_token!, tokenSecret: issued.oauth_token_secret! };
    assert.equal((await client.accessToken({ ...credentials, ...token }, pin)).status, 200);

    await page.goto(`${server.base}/connected-apps`);
    await Promise.all([
      page.waitForURL(/\/revoke$/),
      page.getByRole('button', { name: 'Revoke access for Connected Then Not' }).click(),
    ]);
    await screenshotAccessible(page, 'portal-confirm-revoke-en-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotAccessible(page, 'portal-confirm-revoke-en-dark');
    await Promise.all([page.waitForURL(`${server.base}/connected-apps`), page.click('#confirm_button')]);
    assert.equal(await page.textContent('#notice'), 'Access for Connected Then Not was revoked.');
    await context.close();
  });
});

// App icons in chromium: an owner uploads a real PNG (made by chromium itself) through the app page's
// file input; it is served from this origin with the sniffed type, nosniff, a cache header and an ETag,
// and shown on My apps and on the consent page to a person not signed in. Bad uploads — a script named
// icon.png and claiming image/png, a file over 256 KB, no file at all — each get a page saying why, never
// a 500. axe light and dark, screenshots in English and Spanish.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { ICON_MAX_BYTES } from '../../src/server/portal/app-icon-routes.ts';
import { registerApp } from '../../src/server/registration.ts';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { assertAccessible, screenshot } from './chromium.ts';
import { portalInChromium, signInOnPortal } from './portal-in-chromium.ts';

const running = portalInChromium();

async function upload(page: Page, file: { name: string; mimeType: string; buffer: Buffer } | null) {
  if (file) await page.setInputFiles('#icon_file', file);
  const [response] = await Promise.all([page.waitForNavigation(), page.click('#upload_icon')]);
  return response!;
}

const decoded = (page: Page, selector: string) =>
  page.$eval(selector, (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth);

describe('app icons in chromium', () => {
  it('uploads a PNG, serves it from this origin and shows it on My apps and the consent page', async () => {
    const { server, chromium } = running;
    const app = await registerApp(
      server.stores,
      { name: 'Iconic', ownerUserId: server.alice.id },
      { clock: server.clock, random: createRandomSource() },
    );
    const appUrl = `${server.base}/apps/${encodeURIComponent(app.key)}`;
    const context = await chromium.context();
    const page = await signInOnPortal(context, server.base);
    await page.goto(appUrl);
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: 32, height: 32 } });
    assert.equal(await page.textContent('#app_no_icon'), 'No icon yet.');

    // Refused, each with a page that says why.
    const script = Buffer.from('<script>alert(document.cookie)</script>');
    let answer = await upload(page, { name: 'icon.png', mimeType: 'image/png', buffer: script });
    assert.equal(answer.status(), 415);
    assert.match((await page.textContent('#page_message'))!, /not a PNG, JPEG or WebP image/);
    await page.click('#page_back');
    const huge = Buffer.concat([png, Buffer.alloc(ICON_MAX_BYTES)]);
    answer = await upload(page, { name: 'huge.png', mimeType: 'image/png', buffer: huge });
    assert.equal(answer.status(), 413);
    assert.equal(
      await page.textContent('#page_message'),
      'The image is larger than 256 KB. Choose a smaller one.',
    );
    await page.click('#page_back');
    answer = await upload(page, null);
    assert.equal(answer.status(), 400);
    assert.match((await page.textContent('#page_message'))!, /No image was chosen/);
    await page.click('#page_back');
    assert.equal(await server.stores.icons.get(app.key), null, 'nothing was stored');

    // Accepted: a PNG whose client says it is a JPEG is still served as what it is.
    answer = await upload(page, { name: 'icon.jpg', mimeType: 'image/jpeg', buffer: png });
    assert.equal(answer.status(), 200);
    assert.equal(page.url(), appUrl, 'redirected back to the app page');
    assert.equal(await page.textContent('#notice'), 'The icon was saved.');
    assert.ok(await decoded(page, '#app_icon'), 'the icon is served and decodes');
    const src = (await page.getAttribute('#app_icon', 'src'))!;
    const served = await fetch(`${server.base}${src}`);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(served.headers.get('cache-control'), 'public, max-age=300');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
    const again = await fetch(`${server.base}${src}`, {
      headers: { 'if-none-match': served.headers.get('etag')! },
    });
    assert.equal(again.status, 304);
    assert.equal((await fetch(`${server.base}/icons/no-such-app`)).status, 404);
    await screenshot(page, 'portal-app-icon-en');
    await assertAccessible(page, 'app page with icon, light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await assertAccessible(page, 'app page with icon, dark');

    await page.goto(`${server.base}/apps`);
    assert.ok(
      await decoded(page, `a[href$="${encodeURIComponent(app.key)}"] >> xpath=preceding-sibling::img`),
    );
    await context.close();

    // The consent page, to someone not signed in, in Spanish.
    const client = new OAuthTestClient(server.base, server.clock.now);
    const issued = await client.requestToken({ consumerKey: app.key, consumerSecret: app.secret });
    const stranger = await chromium.context({ locale: 'es-ES' });
    const consent = await stranger.newPage();
    await consent.goto(`${server.base}/oauth/authorize?oauth_token=${issued.form().oauth_token}`);
    assert.ok(await decoded(consent, '#consent_app_icon'), 'the consent page shows the icon');
    await screenshot(consent, 'oauth-authorize-icon-es');
    await assertAccessible(consent, 'consent with icon, light');
    await consent.emulateMedia({ colorScheme: 'dark' });
    await assertAccessible(consent, 'consent with icon, dark');
    await stranger.close();

    // Removed: the app page says so and the URL is gone.
    const owner = await chromium.context();
    const again2 = await signInOnPortal(owner, server.base);
    await again2.goto(appUrl);
    await Promise.all([again2.waitForNavigation(), again2.click('#remove_icon')]);
    assert.equal(await again2.textContent('#notice'), 'The icon was removed.');
    assert.equal((await fetch(`${server.base}${src}`)).status, 404);
    await owner.close();
  });
});

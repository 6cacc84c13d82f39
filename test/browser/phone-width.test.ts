// Phone width (issue 12): at 390 px, in English and in German (the longest words: "Widerrufen",
// "Betreiberrolle entziehen"), no element of any people-facing page reaches past the viewport, no
// control is clipped, and nothing scrolls sideways — the portal's tables stack into one block per row on
// narrow screens. Every page of the site: consent and PIN pages, portal, settings, password reset, the
// operator's views, confirmation steps and an error page.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createRandomSource } from '../../src/provider/random-source.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { hashResetToken } from '../../src/server/accounts.ts';
import { registerApp } from '../../src/server/registration.ts';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { type Chromium, launchChromium, screenshot } from './chromium.ts';
import { PASSWORD, type PortalServer, startPortalServer } from './portal-server.ts';

const PHONE_WIDTH = 390;

let server: PortalServer;
let chromium: Chromium;
let app: Consumer;

before(async () => {
  server = await startPortalServer();
  chromium = await launchChromium();
  const runtime = { clock: server.clock, random: createRandomSource() };
  app = await registerApp(
    server.stores,
    {
      name: 'Ein ziemlich langer App-Name für schmale Bildschirme',
      description: 'Eine Beschreibung, die auf einem Telefon umbrechen muss, statt hinauszuragen.',
      website: 'https://a-rather-long-domain-name-for-a-website.example/with/a/long/path',
      callbackUrls: ['https://a-rather-long-domain-name-for-a-website.example/oauth/callback/handler'],
      ownerUserId: server.alice.id,
    },
    runtime,
  );
  // Alice is connected to it (Connected apps shows "Widerrufen"), and the debugger has an entry.
  await server.stores.accessTokens.create({
    token: 'phone-token',
    secret: 'phone-secret',
    consumerKey: app.key,
    userId: server.alice.id,
    accessLevel: 'read-write',
    createdAt: server.clock.now(),
    revokedAt: null,
  });
  await server.rejections.record(app.key, {
    at: server.clock.now(),
    method: 'POST',
    url: `${server.base}/oauth/request_token?with=a&rather=long&query=string_that_goes_on`,
    problem: 'signature_invalid',
    status: 401,
    code: 32,
    advice: 'Could not authenticate you.',
    parameters: [
      ['oauth_consumer_key', app.key],
      ['oauth_signature', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ],
    baseString: `POST&${encodeURIComponent(`${server.base}/oauth/request_token`)}&oauth_consumer_key%3D${app.key}%26oauth_nonce%3D0123456789abcdef0123456789abcdef`,
  });
  await server.stores.passwordResets.create({
    tokenHash: hashResetToken('phone-reset-token'),
    userId: server.alice.id,
    createdAt: server.clock.now(),
    expiresAt: server.clock.now() + 3_600_000,
  });
});
after(async () => {
  await chromium?.close();
  await server?.close();
});

/** Every element that reaches past the viewport, is clipped, or scrolls sideways, described. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    if (document.documentElement.scrollWidth > width) {
      found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    }
    // Text for screen readers only (and a stacked table's header row) is clipped on purpose.
    const hiddenOnPurpose = (el: Element) => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.clipPath !== 'none' || style.clip !== 'auto' || e.hasAttribute('hidden')) return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (hiddenOnPurpose(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        found.push(`${name(el)} spans ${Math.round(box.left)}–${Math.round(box.right)} of ${width}`);
        continue;
      }
      const style = getComputedStyle(el);
      const clipsOrScrolls =
        style.overflowX !== 'visible' || /^(button|input|select|textarea)$/i.test(el.tagName);
      if (clipsOrScrolls && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'INPUT') {
        found.push(
          `${name(el)} is ${el.scrollWidth} wide in ${el.clientWidth} (clipped or scrolling sideways)`,
        );
      }
    }
    return found;
  });
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${server.base}/sign-in`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${server.base}/apps`), page.click('#sign_in_submit')]);
}

for (const [locale, lang] of [
  ['en-US', 'en'],
  ['de-DE', 'de'],
] as const) {
  describe(`at ${PHONE_WIDTH} px in ${lang}`, () => {
    const check = async (page: Page, path: string, shot: string) => {
      const response = await page.goto(`${server.base}${path}`);
      assert.ok(response && response.status() < 500, `${path}: ${response?.status()}`);
      await screenshot(page, `phone-${shot}-${lang}`);
      assert.deepEqual(await overflowing(page), [], `${path} at ${PHONE_WIDTH} px in ${lang}`);
    };

    it('the pages of a stranger: front page, sign-in, sign-up, forgot password, reset link, consent, 404', async () => {
      const context = await chromium.context({ locale, phone: true, width: PHONE_WIDTH });
      const page = await context.newPage();
      const client = new OAuthTestClient(server.base, server.clock.now);
      const token = (await client.requestToken({ consumerKey: app.key, consumerSecret: app.secret })).form()
        .oauth_token!;
      for (const [path, shot] of [
        ['/', 'home'],
        ['/sign-in', 'sign-in'],
        ['/sign-up', 'sign-up'],
        ['/forgot-password', 'forgot-password'],
        ['/reset-password/phone-reset-token', 'reset-password'],
        [`/oauth/authorize?oauth_token=${token}`, 'consent'],
        ['/no-such-page', 'not-found'],
      ] as const) {
        await check(page, path, shot);
      }
      await context.close();
    });

    it("a person's pages: My apps, an app, its debugger, Connected apps (Widerrufen), settings, confirmations, the PIN page", async () => {
      const context = await chromium.context({ locale, phone: true, width: PHONE_WIDTH });
      const page = await context.newPage();
      await signIn(page, 'alice');
      const key = encodeURIComponent(app.key);
      for (const [path, shot] of [
        ['/apps', 'apps'],
        ['/apps/new', 'app-new'],
        [`/apps/${key}`, 'app'],
        [`/apps/${key}/debugger`, 'debugger'],
        [`/apps/${key}/secret/regenerate`, 'confirm-regenerate'],
        [`/apps/${key}/delete`, 'confirm-delete'],
        ['/connected-apps', 'connected-apps'],
        [`/connected-apps/${key}/revoke`, 'confirm-revoke'],
        ['/settings', 'settings'],
      ] as const) {
        await check(page, path, shot);
      }
      const client = new OAuthTestClient(server.base, server.clock.now);
      const token = (await client.requestToken({ consumerKey: app.key, consumerSecret: app.secret })).form()
        .oauth_token!;
      await page.goto(`${server.base}/oauth/authorize?oauth_token=${token}`);
      await check(page, `/oauth/authorize?oauth_token=${token}`, 'consent-signed-in');
      await Promise.all([page.waitForURL(/\/oauth\/pin\?/), page.click('#allow')]);
      await screenshot(page, `phone-pin-${lang}`);
      assert.deepEqual(await overflowing(page), [], `the PIN page in ${lang}`);
      await context.close();
    });

    it("the operator's pages: apps, people, their confirmations and a reset link", async () => {
      const context = await chromium.context({ locale, phone: true, width: PHONE_WIDTH });
      const page = await context.newPage();
      await signIn(page, 'olga');
      for (const [path, shot] of [
        ['/operator', 'operator'],
        ['/operator/people', 'people'],
        [`/operator/apps/${encodeURIComponent(app.key)}/disable`, 'confirm-disable-app'],
        [`/operator/people/${server.alice.id}/disable`, 'confirm-disable-person'],
      ] as const) {
        await check(page, path, shot);
      }
      await page.goto(`${server.base}/operator/people`);
      await Promise.all([
        page.waitForURL(/\/reset-link$/),
        page.click('li[data-username="alice"] button.person-reset'),
      ]);
      await screenshot(page, `phone-reset-link-${lang}`);
      assert.deepEqual(await overflowing(page), [], `the reset link page in ${lang}`);
      await context.close();
    });
  });
}

// Accounts that can be recovered (issue 12), in a real browser (Debian's chromium) against the real
// server: a person arriving from an app creates an account and lands back on the same consent page (and a
// foreign `next` is refused); the settings page changes the password (the current one required) and signs
// other browsers out; the operator's people view issues a one-time reset link that works once, and
// disables an account (its sessions end, its access tokens are refused); "Forgot your password?" mails a
// link through a real SMTP conversation with a local sink. Every new page passes axe, light and dark, in
// English and German, and is screenshotted.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { createRandomSource } from '../../src/provider/random-source.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { registerApp, registerUser } from '../../src/server/registration.ts';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { type Chromium, launchChromium, screenshotAccessible } from './chromium.ts';
import { PASSWORD, type PortalServer, startPortalServer } from './portal-server.ts';

interface SentMail {
  to: string;
  text: string;
}

let server: PortalServer;
let chromium: Chromium;
let smtp: SMTPServer;
const mails: SentMail[] = [];
let pinApp: Consumer;

before(async () => {
  // A local SMTP sink: the mail goes through a real SMTP conversation on loopback.
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        text += chunk;
      });
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), text });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  server = await startPortalServer({
    settings: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailFrom: 'Tripod <tripod@test.example>' },
  });
  chromium = await launchChromium();
  pinApp = await registerApp(
    server.stores,
    { name: 'Birdie CLI', ownerUserId: server.alice.id },
    { clock: server.clock, random: createRandomSource() },
  );
});
after(async () => {
  await chromium?.close();
  await server?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

async function newRequestToken(): Promise<string> {
  const client = new OAuthTestClient(server.base, server.clock.now);
  const response = await client.requestToken({ consumerKey: pinApp.key, consumerSecret: pinApp.secret });
  assert.equal(response.status, 200);
  return response.form().oauth_token!;
}

async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${server.base}/sign-in`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${server.base}/apps`), page.click('#sign_in_submit')]);
}

async function lightAndDark(page: Page, name: string): Promise<void> {
  await screenshotAccessible(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshotAccessible(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('accounts in chromium', () => {
  it('"Create an account" on the consent page signs the person up and brings them back to the same consent page', async () => {
    const context = await chromium.context();
    const page = await context.newPage();
    const token = await newRequestToken();
    const consent = `${server.base}/oauth/authorize?oauth_token=${token}`;
    await page.goto(consent);
    await Promise.all([page.waitForURL(/\/sign-up\?next=/), page.click('#create_account')]);
    await lightAndDark(page, 'accounts-sign-up-from-consent-en');
    await page.fill('#username', 'newcomer');
    await page.fill('#password', 'a long new password');
    await page.fill('#email', 'newcomer@example.org');
    await Promise.all([page.waitForURL(consent), page.click('#sign_up_submit')]);
    assert.match((await page.textContent('#signed_in_as'))!, /newcomer/);
    const newcomer = await server.stores.users.getByUsername('newcomer');
    assert.equal(newcomer?.email, 'newcomer@example.org');
    await Promise.all([page.waitForURL(/\/oauth\/pin\?/), page.click('#allow')]);
    assert.match((await page.textContent('#oauth_pin'))!, /^\d+$/);
    await context.close();
  });

  for (const evil of ['//evil.example/steal', 'https://evil.example/steal', '/\\evil.example']) {
    it(`sign-up refuses to send the person on to ${evil} (no open redirect): they land on My apps`, async () => {
      const context = await chromium.context();
      const page = await context.newPage();
      await page.goto(`${server.base}/sign-up?${new URLSearchParams({ next: evil })}`);
      await page.fill('#username', `visitor${mails.length}${evil.length}`);
      await page.fill('#password', 'a long new password');
      await Promise.all([page.waitForURL(`${server.base}/apps`), page.click('#sign_up_submit')]);
      await context.close();
    });
  }

  it('with --sign-up off, the consent page and the sign-in page offer no sign-up, and /sign-up is not there', async () => {
    const closed = await startPortalServer({ settings: { signUp: 'off' } });
    try {
      const client = new OAuthTestClient(closed.base, closed.clock.now);
      const app = await registerApp(
        closed.stores,
        { name: 'Closed', ownerUserId: closed.alice.id },
        { clock: closed.clock, random: createRandomSource() },
      );
      const token = (await client.requestToken({ consumerKey: app.key, consumerSecret: app.secret })).form()
        .oauth_token!;
      const context = await chromium.context();
      const page = await context.newPage();
      await page.goto(`${closed.base}/oauth/authorize?oauth_token=${token}`);
      assert.equal(await page.$('#create_account'), null);
      assert.notEqual(await page.$('#forgot_password'), null);
      await page.goto(`${closed.base}/sign-in`);
      assert.equal(await page.$('#create_account'), null);
      const response = await page.goto(`${closed.base}/sign-up`);
      assert.equal(response?.status(), 404);
      await context.close();
    } finally {
      await closed.close();
    }
  });

  it('settings: the current password is required, a new one signs other browsers out, and sessions can be signed out', async () => {
    await registerUser(
      server.stores,
      { username: 'sam', password: PASSWORD },
      { clock: server.clock, random: createRandomSource() },
    );
    const laptop = await chromium.context();
    const phone = await chromium.context({ phone: true });
    const here = await laptop.newPage();
    const there = await phone.newPage();
    await signIn(here, 'sam');
    await signIn(there, 'sam');
    await here.goto(`${server.base}/settings`);
    assert.equal(await here.locator('#sessions li').count(), 2);
    await lightAndDark(here, 'accounts-settings-en');

    await here.fill('#current_password', 'not my password');
    await here.fill('#new_password', 'brand new password');
    await here.click('#change_password');
    assert.match((await here.textContent('#error_summary'))!, /current password is not correct/);
    assert.equal(await here.getAttribute('#current_password', 'aria-invalid'), null);

    await here.fill('#current_password', PASSWORD);
    await here.fill('#new_password', 'brand new password');
    await Promise.all([here.waitForURL(`${server.base}/settings`), here.click('#change_password')]);
    assert.match((await here.textContent('#notice'))!, /password was changed/);
    assert.equal(await here.locator('#sessions li').count(), 1, 'only this browser is left');
    await here.reload();
    assert.equal(await here.$('#notice'), null, 'a reload repeats nothing');
    await there.goto(`${server.base}/settings`);
    assert.match(there.url(), /\/sign-in\?/, 'the phone was signed out');

    await signIn(there, 'sam', 'brand new password');
    await here.reload();
    assert.equal(await here.locator('#sessions li').count(), 2);
    await Promise.all([here.waitForURL(`${server.base}/settings`), here.click('#sign_out_others')]);
    assert.match((await here.textContent('#notice'))!, /signed out everywhere else/);
    await there.goto(`${server.base}/settings`);
    assert.match(there.url(), /\/sign-in\?/, 'signed out everywhere else');
    await laptop.close();
    await phone.close();
  });

  it('the operator issues a reset link (a reload shows it again, issues no other); it works once and signs every session out', async () => {
    const runtime = { clock: server.clock, random: createRandomSource() };
    const rita = await registerUser(server.stores, { username: 'rita', password: PASSWORD }, runtime);
    const ritaBrowser = await chromium.context();
    const ritaPage = await ritaBrowser.newPage();
    await signIn(ritaPage, 'rita');

    const operatorBrowser = await chromium.context();
    const page = await operatorBrowser.newPage();
    await signIn(page, 'olga');
    await page.goto(`${server.base}/operator/people?search=rit`);
    await lightAndDark(page, 'accounts-people-en');
    await Promise.all([
      page.waitForURL(/\/reset-link$/),
      page.click('li[data-username="rita"] button.person-reset'),
    ]);
    const link = (await page.textContent('#reset_link'))!;
    assert.match(link, /\/reset-password\/[\w-]{40,}$/);
    await lightAndDark(page, 'accounts-reset-link-en');
    await page.reload();
    assert.equal(await page.textContent('#reset_link'), link, 'a reload shows the same link');

    const stranger = await chromium.context();
    const resetPage = await stranger.newPage();
    await resetPage.goto(link);
    assert.match((await resetPage.textContent('#reset_intro'))!, /rita/);
    await lightAndDark(resetPage, 'accounts-reset-password-en');
    await resetPage.fill('#new_password', 'rita chose this');
    await Promise.all([resetPage.waitForURL(`${server.base}/sign-in`), resetPage.click('#set_password')]);
    assert.match((await resetPage.textContent('#notice'))!, /Sign in with the new one/);
    await signIn(resetPage, 'rita', 'rita chose this');

    await ritaPage.goto(`${server.base}/settings`);
    assert.match(ritaPage.url(), /\/sign-in\?/, 'the sessions from before the reset ended');
    const again = await (await stranger.newPage()).goto(link);
    assert.equal(again?.status(), 404, 'the link works once');
    assert.match(await again!.text(), /This link no longer works/);
    assert.equal((await server.stores.users.getById(rita.id))?.disabled, false);
    for (const context of [ritaBrowser, operatorBrowser, stranger]) await context.close();
  });

  it('a reset link expires after an hour', async () => {
    const runtime = { clock: server.clock, random: createRandomSource() };
    const { issuePasswordReset } = await import('../../src/server/accounts.ts');
    const tim = await registerUser(server.stores, { username: 'tim', password: PASSWORD }, runtime);
    const { token } = await issuePasswordReset(server.stores, tim, runtime);
    const context = await chromium.context();
    const page = await context.newPage();
    assert.equal((await page.goto(`${server.base}/reset-password/${token}`))?.status(), 200);
    server.clock.advance(3601);
    assert.equal((await page.goto(`${server.base}/reset-password/${token}`))?.status(), 404);
    await context.close();
  });

  it('the operator disables an account after a confirmation: its sessions end and its access tokens are refused', async () => {
    const runtime = { clock: server.clock, random: createRandomSource() };
    const dana = await registerUser(server.stores, { username: 'dana', password: PASSWORD }, runtime);
    await server.stores.accessTokens.create({
      token: 'dana-token',
      secret: 'dana-secret',
      consumerKey: pinApp.key,
      userId: dana.id,
      accessLevel: 'read-write',
      createdAt: server.clock.now(),
      revokedAt: null,
    });
    const client = new OAuthTestClient(server.base, server.clock.now);
    const credentials = {
      consumerKey: pinApp.key,
      consumerSecret: pinApp.secret,
      token: 'dana-token',
      tokenSecret: 'dana-secret',
    };
    const verify = () =>
      client.call({ method: 'GET', url: '/1.1/account/verify_credentials.json', credentials });
    assert.equal((await verify()).status, 200);
    const danaBrowser = await chromium.context();
    const danaPage = await danaBrowser.newPage();
    await signIn(danaPage, 'dana');

    const operatorBrowser = await chromium.context({ locale: 'de-DE' });
    const page = await operatorBrowser.newPage();
    await signIn(page, 'olga');
    await page.goto(`${server.base}/operator/people?search=dana`);
    await lightAndDark(page, 'accounts-people-de');
    await Promise.all([
      page.waitForURL(/\/disable$/),
      page.click('li[data-username="dana"] button.person-disable'),
    ]);
    await lightAndDark(page, 'accounts-confirm-disable-de');
    assert.equal((await server.stores.users.getById(dana.id))?.disabled, false, 'not before confirming');
    await Promise.all([page.waitForURL(`${server.base}/operator/people`), page.click('#confirm_button')]);
    assert.equal((await server.stores.users.getById(dana.id))?.disabled, true);
    assert.equal((await verify()).status, 401, 'the token is refused');
    await danaPage.goto(`${server.base}/settings`);
    assert.match(danaPage.url(), /\/sign-in\?/, 'signed out');
    await danaPage.fill('#username', 'dana');
    await danaPage.fill('#password', PASSWORD);
    await danaPage.click('#sign_in_submit');
    assert.match((await danaPage.textContent('#sign_in_error'))!, /disabled/);
    assert.equal(await page.$('li[data-username="olga"] button.person-disable'), null, 'not oneself');
    await danaBrowser.close();
    await operatorBrowser.close();
  });

  it('"Forgot your password?" mails a one-time link over SMTP, and says the same whether or not the account exists', async () => {
    const runtime = { clock: server.clock, random: createRandomSource() };
    const mia = await registerUser(server.stores, { username: 'mia', password: PASSWORD }, runtime);
    await server.stores.users.setEmail(mia.id, 'mia@example.org');
    const context = await chromium.context({ locale: 'de-DE' });
    const page = await context.newPage();
    const ask = async (name: string) => {
      await page.goto(`${server.base}/sign-in`);
      await Promise.all([page.waitForURL(/\/forgot-password$/), page.click('#forgot_password')]);
      await page.fill('#name', name);
      await Promise.all([page.waitForURL(`${server.base}/sign-in`), page.click('#send_reset_link')]);
      return page.textContent('#notice');
    };
    await page.goto(`${server.base}/forgot-password`);
    await lightAndDark(page, 'accounts-forgot-password-de');
    const before = mails.length;
    const forNobody = await ask('nobody-here');
    const forMia = await ask('MIA@example.org');
    assert.equal(forNobody, forMia, 'the same answer');
    assert.match(forMia!, /Link/);
    assert.equal(mails.length, before + 1, 'one mail, to mia only');
    const mail = mails.at(-1)!;
    assert.equal(mail.to, 'mia@example.org');
    assert.match(mail.text, /From: Tripod <tripod@test\.example>/);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/reset-password\/[\w-]+)/.exec(
      mail.text.replace(/=\r?\n/g, ''),
    )?.[1];
    assert.ok(link, mail.text);
    await page.goto(link);
    await page.fill('#new_password', 'mia remembers now');
    await Promise.all([page.waitForURL(`${server.base}/sign-in`), page.click('#set_password')]);
    await signIn(page, 'mia', 'mia remembers now');
    await context.close();
  });
});

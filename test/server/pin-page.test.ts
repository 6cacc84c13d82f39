// The PIN page after the Allow POST's redirect: the same PIN for the same browser session until it is used
// or expires, never in a URL, kept between the POST and the GET only sealed with the session's cookie id;
// and what it says afterwards.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashSessionId, SESSION_COOKIE } from '../../src/server/browser-sessions.ts';
import { openStash } from '../../src/server/session-stash.ts';
import { Browser, elementText, formFields, inputValue } from './fixtures/browser.ts';
import { testServerForTheFile } from './fixtures/test-server.ts';

const server = testServerForTheFile();

/** Signs in and presses Allow in `browser`; returns the request token and the POST's answer. */
async function allow(browser = new Browser(), query = '') {
  const issued = (await server.client.requestToken(server.pinApp, 'oob')).form();
  const token = issued.oauth_token!;
  const page = await browser.get(`${server.base}/oauth/authorize?oauth_token=${token}${query}`);
  const langpref = inputValue(page.text, 'langpref');
  const answer = await browser.post(`${server.base}/oauth/authorize`, {
    ...formFields(page.text),
    ...(langpref ? { langpref } : {}),
    decision: 'allow',
    ...(formFields(page.text).sign_in === '1' ? { username: 'alice', password: server.user.password } : {}),
  });
  return { browser, token, tokenSecret: issued.oauth_token_secret!, answer };
}

const pinOf = (html: string) => elementText(html, 'oauth_pin');

describe('the PIN page', () => {
  test('Allow answers with a redirect to the PIN page, which names the request token and not the PIN', async () => {
    const { browser, token, answer } = await allow();
    assert.equal(answer.status, 303);
    assert.equal(answer.location, `/oauth/pin?oauth_token=${token}`);
    const page = await browser.get(`${server.base}${answer.location}`);
    assert.equal(page.status, 200);
    const pin = pinOf(page.text);
    assert.match(pin ?? '', /^\d{7}$/);
    assert.ok(!answer.location.includes(pin!));
    assert.equal(page.headers.get('cache-control'), 'no-store');
  });

  test('a reload, and Back then Forward, show the same PIN again while it can be used', async () => {
    const { browser, token, answer } = await allow();
    const first = pinOf((await browser.get(`${server.base}${answer.location}`)).text);
    const reloaded = pinOf((await browser.get(`${server.base}${answer.location}`)).text);
    assert.equal(reloaded, first);
    // Back: the consent page's URL, where the request was already answered.
    const back = await browser.get(`${server.base}/oauth/authorize?oauth_token=${token}`);
    assert.equal(back.status, 400);
    const forward = await browser.get(`${server.base}${answer.location}`);
    assert.equal(pinOf(forward.text), first);
  });

  test('the language of the flow carries on to the PIN page', async () => {
    const { browser, answer } = await allow(new Browser(), '&langpref=pl');
    assert.match(answer.location ?? '', /&langpref=pl$/);
    const page = await browser.get(`${server.base}${answer.location}`);
    assert.match(page.text, /<html lang="pl">/);
  });

  test('another browser is not shown the PIN, and learns where it is', async () => {
    const { answer } = await allow();
    const stranger = await new Browser().request(`${server.base}${answer.location}`);
    assert.equal(stranger.status, 403);
    assert.equal(pinOf(stranger.text), null);
    assert.equal(
      elementText(stranger.text, 'page_message'),
      'The PIN for Pin Client is shown only in the browser where you authorized it. Look there, or start again from Pin Client.',
    );
  });

  test('once the PIN is used the page says so kindly, naming the app, and the session no longer keeps it', async () => {
    const { browser, token, tokenSecret, answer } = await allow();
    const pin = pinOf((await browser.get(`${server.base}${answer.location}`)).text)!;
    const access = await server.client.accessToken({ ...server.pinApp, token, tokenSecret }, pin);
    assert.equal(access.status, 200, access.text);
    const page = await browser.get(`${server.base}${answer.location}`);
    assert.equal(page.status, 200);
    assert.equal(elementText(page.text, 'page_heading'), 'PIN used');
    assert.equal(
      elementText(page.text, 'page_message'),
      'This PIN was used by Pin Client. You can close this page.',
    );
    const id = browser.cookies.get(SESSION_COOKIE)!;
    const session = await server.stores.sessions.get(hashSessionId(id), server.clock.now());
    assert.equal(session?.stash, null, 'nothing is kept once the PIN is used');
  });

  test('once the PIN expires the page says so, naming the app, and forgets it', async () => {
    const { browser, answer } = await allow();
    server.clock.advance(901);
    try {
      const page = await browser.get(`${server.base}${answer.location}`);
      assert.equal(page.status, 400);
      assert.equal(
        elementText(page.text, 'page_message'),
        'This PIN has expired. Return to Pin Client and start again.',
      );
    } finally {
      server.clock.advance(-901);
    }
    const id = browser.cookies.get(SESSION_COOKIE)!;
    assert.equal((await server.stores.sessions.get(hashSessionId(id), server.clock.now()))?.stash, null);
  });

  test('the database holds the PIN only sealed with the cookie it never stores, and pruning deletes it once expired', async () => {
    const { browser, answer } = await allow();
    const pin = pinOf((await browser.get(`${server.base}${answer.location}`)).text)!;
    const id = browser.cookies.get(SESSION_COOKIE)!;
    const idHash = hashSessionId(id);
    const row = await server.stores.sessions.get(idHash, server.clock.now());
    assert.ok(row?.stash, 'kept for the page');
    assert.ok(!JSON.stringify(row).includes(pin), 'never in clear');
    assert.deepEqual(openStash(row.stash.sealed, { id: idHash, idHash }), {}, 'the hash does not open it');
    assert.equal(Object.values(openStash(row.stash.sealed, { id, idHash }))[0]?.value.pin, pin);
    server.clock.advance(901);
    try {
      const pruned = await server.app.pruneExpired();
      assert.ok(pruned.sessionStashes >= 1, JSON.stringify(pruned));
    } finally {
      server.clock.advance(-901);
    }
    assert.equal((await server.stores.sessions.get(idHash, server.clock.now()))?.stash, null);
  });

  test('signing in again as the same person (force_login) keeps the PIN shown in another tab', async () => {
    const first = await allow();
    const pin = pinOf((await first.browser.get(`${server.base}${first.answer.location}`)).text);
    const second = await allow(first.browser, '&force_login=true');
    assert.equal(second.answer.status, 303, 'signed in afresh and allowed');
    assert.equal(pinOf((await first.browser.get(`${server.base}${first.answer.location}`)).text), pin);
  });

  test('a request token not yet answered goes to its consent page; an unknown one is a 404 page', async () => {
    const token = (await server.client.requestToken(server.pinApp, 'oob')).form().oauth_token!;
    const pending = await new Browser().get(`${server.base}/oauth/pin?oauth_token=${token}`);
    assert.equal(pending.status, 303);
    assert.equal(pending.location, `/oauth/authorize?oauth_token=${token}`);
    assert.equal((await new Browser().get(`${server.base}/oauth/pin?oauth_token=nope`)).status, 404);
    assert.equal((await new Browser().get(`${server.base}/oauth/pin`)).status, 400);
  });
});

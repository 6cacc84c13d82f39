// Every people-facing page, rendered in every language: the page declares its language, shows no message
// key and no unfilled {placeholder}, and (beyond English) is not English.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { CATALOGUES, LANGUAGES, type Language } from '../../src/server/i18n/index.ts';
import { registerApp } from '../../src/server/registration.ts';
import { PASSWORD, type PortalServer, startPortalServer } from '../browser/portal-server.ts';
import { Browser, inputValue } from './fixtures/browser.ts';
import { OAuthTestClient } from './fixtures/oauth-client.ts';

let server: PortalServer;
let client: OAuthTestClient;
let pinApp: { consumerKey: string; consumerSecret: string };
let appKey: string;

before(async () => {
  server = await startPortalServer();
  client = new OAuthTestClient(server.base, server.clock.now);
  const consumer = await registerApp(
    server.stores,
    { name: 'Polyglot', description: 'Speaks six languages.', ownerUserId: server.alice.id },
    { clock: server.clock, random: createRandomSource() },
  );
  pinApp = { consumerKey: consumer.key, consumerSecret: consumer.secret };
  appKey = consumer.key;
  await server.rejections.record(appKey, {
    at: Date.now(),
    method: 'POST',
    url: `${server.base}/oauth/request_token`,
    problem: 'signature_invalid',
    status: 401,
    code: 32,
    advice: 'Could not authenticate you.',
    parameters: [['oauth_consumer_key', appKey]],
    baseString: 'POST&x&y',
  });
});
after(() => server.close());

const keys = Object.keys(CATALOGUES.en);

function assertRenderedIn(language: Language, html: string, page: string) {
  assert.match(html, new RegExp(`<html lang="${language}">`), `${page}: lang attribute`);
  for (const key of keys)
    assert.ok(!html.includes(`>${key}<`) && !html.includes(` ${key} `), `${page}: raw key ${key}`);
  assert.doesNotMatch(html, /\{(app|user|owner|number|max|min|count)\}/, `${page}: unfilled placeholder`);
  if (language !== 'en') {
    for (const english of ['Authorize app', 'Sign in to continue', 'Connected apps', 'Here is your PIN:']) {
      assert.ok(!html.includes(english), `${page} in ${language} still says '${english}'`);
    }
  }
}

async function signedIn(headers: Record<string, string>, username = 'alice') {
  const browser = new Browser();
  const page = await browser.request(`${server.base}/sign-in`, { headers });
  await browser.request(`${server.base}/sign-in`, {
    form: { _csrf: inputValue(page.text, '_csrf')!, username, password: PASSWORD },
    headers,
  });
  return browser;
}

async function requestToken() {
  return (await client.requestToken(pinApp)).form().oauth_token!;
}

describe('every page in every language', () => {
  for (const language of LANGUAGES) {
    it(`${language}: portal and authorization pages`, async () => {
      const headers = { 'accept-language': `${language};q=1, en;q=0.1` };
      const stranger = new Browser();
      for (const path of [
        '/',
        '/sign-in',
        '/sign-up',
        `/oauth/authorize?oauth_token=${await requestToken()}`,
      ]) {
        const page = await stranger.request(`${server.base}${path}`, { headers });
        assert.equal(page.status, 200, path);
        assertRenderedIn(language, page.text, path);
      }
      for (const path of ['/oauth/authorize?oauth_token=unknown', '/oauth/authorize', '/no-such-page']) {
        const page = await stranger.request(`${server.base}${path}`, {
          headers: { ...headers, accept: 'text/html' },
        });
        assert.ok(page.status >= 400, path);
        assertRenderedIn(language, page.text, path);
      }

      const olga = await signedIn(headers, 'olga');
      for (const path of [
        '/',
        '/apps',
        '/apps/new',
        `/apps/${appKey}`,
        `/apps/${appKey}/debugger`,
        `/apps/${appKey}/delete`,
        `/apps/${appKey}/secret/regenerate`,
        `/operator/apps/${appKey}/disable`,
        '/operator',
      ]) {
        const page = await olga.request(`${server.base}${path}`, { headers });
        assert.equal(page.status, 200, path);
        assertRenderedIn(language, page.text, path);
      }

      const alice = await signedIn(headers);
      const token = await requestToken();
      for (const query of ['', '&interactivity=confirm_user']) {
        const page = await alice.request(`${server.base}/oauth/authorize?oauth_token=${token}${query}`, {
          headers,
        });
        assertRenderedIn(language, page.text, `authorize${query}`);
      }
      const consent = await alice.request(`${server.base}/oauth/authorize?oauth_token=${token}`, { headers });
      const allowed = await alice.request(`${server.base}/oauth/authorize`, {
        form: { _csrf: inputValue(consent.text, '_csrf')!, oauth_token: token, decision: 'allow' },
        headers,
      });
      const pin = await alice.request(`${server.base}${allowed.location}`, { headers });
      assertRenderedIn(language, pin.text, 'PIN page');
      const deniedToken = await requestToken();
      const denied = await alice.request(`${server.base}/oauth/authorize`, {
        form: { _csrf: inputValue(consent.text, '_csrf')!, oauth_token: deniedToken, decision: 'deny' },
        headers,
      });
      assertRenderedIn(language, denied.text, 'denied page');
      const connected = await alice.request(`${server.base}/connected-apps`, { headers });
      assertRenderedIn(language, connected.text, 'connected apps');
    });
  }

  it('langpref in the authorize URL wins over Accept-Language and carries on to the PIN page', async () => {
    const headers = { 'accept-language': 'de' };
    const alice = await signedIn(headers);
    const token = await requestToken();
    const consent = await alice.request(
      `${server.base}/oauth/authorize?oauth_token=${token}&langpref=xx|ja|fr`,
      {
        headers,
      },
    );
    assertRenderedIn('ja', consent.text, 'consent');
    assert.equal(inputValue(consent.text, 'langpref'), 'xx|ja|fr');
    const allowed = await alice.request(`${server.base}/oauth/authorize`, {
      form: {
        _csrf: inputValue(consent.text, '_csrf')!,
        oauth_token: token,
        langpref: 'xx|ja|fr',
        decision: 'allow',
      },
      headers,
    });
    const pin = await alice.request(`${server.base}${allowed.location}`, { headers });
    assertRenderedIn('ja', pin.text, 'PIN page');
    assert.match(pin.text, /Polyglot に戻って、この PIN を入力してください/);
  });
});

describe('the front page reads as sentences in every language', () => {
  it('each link is followed by its hint after a colon (German: "Anmelden: Apps autorisieren…", no missing comma)', async () => {
    const page = await new Browser().request(`${server.base}/`, { headers: { 'accept-language': 'de' } });
    const text = page.text.replace(/<[^>]+>/g, '');
    assert.match(text, /Anmelden: Apps autorisieren und Ihr Konto verwalten\./);
    assert.doesNotMatch(text, /Anmelden um /);
  });
});

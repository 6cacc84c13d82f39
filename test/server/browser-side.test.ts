// The browser side outside the pages: a person's browser that asks for a page nothing is served at gets a
// page in their language with a way back; clients (and the protocol's and the API's paths, whatever they
// accept) keep Tripod's JSON. Decided by path and Accept.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { tripodServer } from '../../src/server/app.ts';
import { serverConfig } from '../../src/server/config.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';
import { Browser, elementText } from './fixtures/browser.ts';
import { authorizeInBrowser, testServerForTheFile } from './fixtures/test-server.ts';

const server = testServerForTheFile();

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('errors outside the pages', () => {
  test("a browser's 404 is a page in its language, with a link back to the front page", async () => {
    for (const [language, heading] of [
      ['en', 'Page not found'],
      ['de', 'Seite nicht gefunden'],
    ] as const) {
      for (const path of ['/login', '/preferences', '/docs']) {
        const page = await new Browser().request(`${server.base}${path}`, {
          headers: { accept: BROWSER_ACCEPT, 'accept-language': language },
        });
        assert.equal(page.status, 404, path);
        assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
        assert.match(page.text, new RegExp(`<html lang="${language}">`));
        assert.equal(elementText(page.text, 'page_heading'), heading);
        assert.match(page.text, /<a href="\/" id="page_back">/);
      }
    }
  });

  test("a client asking for anything but HTML gets JSON in Twitter's shape for the same path", async () => {
    for (const accept of [undefined, '*/*', 'application/json', 'text/html;q=0']) {
      const headers: Record<string, string> = accept ? { accept } : {};
      const res = await fetch(`${server.base}/login`, { headers });
      assert.equal(res.status, 404, String(accept));
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(((await res.json()) as { errors: { code: number }[] }).errors[0]!.code, 34);
    }
  });

  test("the protocol's endpoints and the API keep their JSON even for a browser", async () => {
    for (const path of ['/oauth/no_such_endpoint', '/1.1/no/such.json']) {
      const res = await fetch(`${server.base}${path}`, { headers: { accept: BROWSER_ACCEPT } });
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path);
    }
  });

  test('a malformed URL from a browser is a page, from a client JSON', async () => {
    const page = await fetch(`${server.base}/apps/%zz`, { headers: { accept: BROWSER_ACCEPT } });
    assert.equal(page.status, 400);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const api = await fetch(`${server.base}/1.1/%zz`, { headers: { accept: BROWSER_ACCEPT } });
    assert.equal(api.status, 400);
    assert.match(api.headers.get('content-type') ?? '', /^application\/json/);
  });

  test('the 404 page names the signed-in person in its header', async () => {
    const browser = new Browser();
    const token = (await server.client.requestToken(server.pinApp, 'oob')).form().oauth_token!;
    await authorizeInBrowser(server.base, token, { browser });
    const page = await browser.request(`${server.base}/login`, { headers: { accept: BROWSER_ACCEPT } });
    assert.equal(elementText(page.text, 'signed_in_user'), 'Signed in as alice');
  });
});

describe('mounted under a prefix of another app (tripod/server)', () => {
  test("a browser's 404 below the prefix is a page linking back under the prefix; the API's stay JSON", async () => {
    const stores = createMemoryStores();
    const host = Fastify();
    await host.register(tripodServer, {
      config: serverConfig({ logLevel: 'silent' }),
      stores,
      prefix: '/auth',
    });
    await host.listen({ port: 0, host: '127.0.0.1' });
    const mounted = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}/auth`;
    try {
      const page = await new Browser().request(`${mounted}/nowhere`, { headers: { accept: BROWSER_ACCEPT } });
      assert.equal(page.status, 404);
      assert.match(page.text, /<a href="\/auth\/" id="page_back">/);
      assert.match(page.text, /href="\/auth\/static\/tripod\.css"/);
      const api = await fetch(`${mounted}/oauth/nowhere`, { headers: { accept: BROWSER_ACCEPT } });
      assert.match(api.headers.get('content-type') ?? '', /^application\/json/);
      // A stranger on a portal page is sent to sign in below the prefix, and back.
      const apps = await new Browser().get(`${mounted}/apps/new`);
      assert.equal(apps.location, `/auth/sign-in?next=${encodeURIComponent('/auth/apps/new')}`);
    } finally {
      await host.close();
      await stores.close();
    }
  });
});

// A real browser (Debian's chromium, driven by playwright-core) on the real pages: the consent form, the
// PIN page, and the redirect to a callback, with the security headers (CSP, frame-ancestors) in force.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { registerApp } from '../../src/server/registration.ts';
import { startTestServer, type TestServer } from '../server/fixtures/test-server.ts';

let server: TestServer;
let browser: Browser;
let callbackServer: Server;
const callbackHits: string[] = [];

before(async () => {
  server = await startTestServer();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  callbackServer = createServer((req, res) => {
    callbackHits.push(req.url ?? '');
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>back in the app</title><p id="done">done</p>');
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await browser?.close();
  callbackServer?.close();
  await server?.close();
});

test('a person signs in and allows in chromium; the PIN page shows the digits alone', async () => {
  const rt = (await server.client.requestToken(server.pinApp, 'oob')).form();
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(`${server.base}/oauth/authorize?oauth_token=${rt.oauth_token}`);
  assert.equal(await page.textContent('#allow'), 'Authorize app');
  assert.equal(await page.textContent('#deny'), 'Cancel');
  await page.fill('#username', 'alice');
  await page.fill('#password', server.user.password);
  await page.click('#allow');
  await page.waitForSelector('#oauth_pin');
  assert.match((await page.textContent('#oauth_pin')) ?? '', /^\d{7}$/);
  assert.match((await page.textContent('body')) ?? '', /Return to Pin Client and enter this PIN/);
  assert.ok(!page.url().includes((await page.textContent('#oauth_pin'))!), 'the PIN is not in the URL');
  assert.deepEqual(consoleErrors, [], 'no CSP violations or failed loads');
  await page.close();
});

test('allow in callback mode takes the browser back to the app with oauth_token and oauth_verifier', async () => {
  const consumer = await registerApp(
    server.stores,
    { name: 'Loopback App', callbackUrls: ['http://127.0.0.1/callback'] },
    { clock: server.clock, random: createRandomSource() },
  );
  const port = (callbackServer.address() as AddressInfo).port;
  const credentials = { consumerKey: consumer.key, consumerSecret: consumer.secret };
  const rt = (await server.client.requestToken(credentials, `http://127.0.0.1:${port}/callback`)).form();
  const page = await browser.newPage();
  await page.goto(`${server.base}/oauth/authorize?oauth_token=${rt.oauth_token}`);
  await page.fill('#username', 'alice');
  await page.fill('#password', server.user.password);
  await page.click('#allow');
  await page.waitForSelector('#done');
  const landed = new URL(page.url());
  assert.equal(landed.port, String(port));
  assert.equal(landed.searchParams.get('oauth_token'), rt.oauth_token);
  assert.ok(landed.searchParams.get('oauth_verifier'));
  assert.equal(callbackHits.filter((hit) => hit.startsWith('/callback?')).length, 1);
  await page.close();
});

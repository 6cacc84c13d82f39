// Application-wide behaviour: security headers on every answer, the stylesheet, and the pruning of
// expired state that keeps the stores bounded.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import { Browser } from './fixtures/browser.ts';
import { authorizeInBrowser, startTestServer, testServerForTheFile } from './fixtures/test-server.ts';

const server = testServerForTheFile({ settings: { sessionTtlSeconds: '120' } });

describe('the application', () => {
  test('every answer carries the security headers; protocol answers are never cached', async () => {
    for (const url of [
      '/oauth/authorize?oauth_token=x',
      '/oauth/request_token',
      '/1.1/account/verify_credentials.json',
    ]) {
      const res = await server.app.inject({ method: url.includes('request_token') ? 'POST' : 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      // Scripts: one same-origin file, never inline or eval.
      if (url.startsWith('/oauth/authorize')) assert.match(csp, /script-src 'self'(;|$)/, url);
      else assert.doesNotMatch(csp, /script-src/, `${url}: an API answer runs no script at all`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['cache-control'], 'no-store', url);
    }
  });

  test('the stylesheet is served by the app itself (no CDN) and may be cached', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/static/tripod.css' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/css/);
    assert.match(String(res.headers['cache-control']), /max-age/);
    assert.match(res.body, /letter-spacing/, 'the PIN is spaced by CSS, not by characters in #oauth_pin');
    const page = await server.app.inject({ method: 'GET', url: '/oauth/authorize?oauth_token=x' });
    assert.doesNotMatch(page.body, /https?:\/\/(?!127\.0\.0\.1)/, 'pages load nothing from elsewhere');
  });

  test('expired request tokens, nonces and sessions are pruned', async () => {
    const browser = new Browser();
    const rt = (await server.client.requestToken(server.pinApp, 'oob')).form();
    await authorizeInBrowser(server.base, rt.oauth_token!, { browser });
    const pending = (await server.client.requestToken(server.pinApp, 'oob')).form().oauth_token!;
    // Past the session lifetime, the request token lifetime, its 24 h grace and the nonce window.
    server.clock.advance(25 * 3600);
    try {
      const pruned = await server.app.pruneExpired();
      assert.ok(pruned.requestTokens >= 2, JSON.stringify(pruned));
      assert.ok(pruned.nonces >= 2, JSON.stringify(pruned));
      assert.equal(pruned.sessions, 1);
      assert.equal(await server.stores.requestTokens.get(pending), null);
    } finally {
      server.clock.advance(-25 * 3600);
    }
  });

  test('with the database gone, answers are a generic 500 (JSON or page) and the log says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tripod-gone-'));
    const stores = await openSqliteStores(join(dir, 'tripod.db'));
    const broken = await startTestServer({ stores });
    try {
      await stores.close();
      const api = await broken.client.requestToken(broken.pinApp, 'oob');
      assert.equal(api.status, 500);
      assert.deepEqual(Object.keys(api.json() as object), ['errors', 'advice']);
      assert.doesNotMatch(api.text, /sqlite|database|at \w+ \(/i);
      const page = await new Browser().get(`${broken.base}/oauth/authorize?oauth_token=x`);
      assert.equal(page.status, 500);
      assert.match(page.text, /Something went wrong/);
      assert.doesNotMatch(page.text, /sqlite|at \w+ \(/i);
      assert.match(broken.logs.join(''), /"level":50/, 'logged as an error');
    } finally {
      await broken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The public URL a request is verified against: with --public-url given as an origin alone (as the README
// shows it, https://api.example.com), a client's signature over that origin plus the path verifies, and the
// pages link from the root — never through a doubled slash.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formAction } from './fixtures/browser.ts';
import { OAuthTestClient } from './fixtures/oauth-client.ts';
import { startTestServer } from './fixtures/test-server.ts';

describe('the public URL of a request', () => {
  test('an origin-only --public-url: signatures over it verify and pages link from the root', async () => {
    const server = await startTestServer({ settings: { publicUrl: 'https://api.example.com' } });
    try {
      const signed = new OAuthTestClient('https://api.example.com', server.clock.now).sign({
        method: 'POST',
        url: '/oauth/request_token',
        credentials: server.pinApp,
        oauth: [['oauth_callback', 'oob']],
      });
      const issued = await fetch(`${server.base}/oauth/request_token`, {
        method: 'POST',
        headers: signed.headers,
      });
      const text = await issued.text();
      assert.equal(issued.status, 200, text);
      const token = new URLSearchParams(text).get('oauth_token')!;
      const page = await fetch(`${server.base}/oauth/authorize?oauth_token=${token}`);
      assert.equal(formAction(await page.text()), '/oauth/authorize');
    } finally {
      await server.close();
    }
  });
});

// Request tokens are bounded (issue 11): an app may hold `--max-outstanding-request-tokens` unanswered
// ones at once (429, code 88, a sentence saying why), and expired tokens are purged at the next prune,
// leaving a tombstone (token hash, app, last state, expiry) so the pages and the access_token endpoint
// still say "expired" or "already used" — for a day, after which the link is simply unknown.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Browser, elementText } from './fixtures/browser.ts';
import { authorizeInBrowser, startTestServer, type TestServer } from './fixtures/test-server.ts';

async function withServer(settings: Record<string, string>, run: (server: TestServer) => Promise<void>) {
  const server = await startTestServer({ settings });
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

const issue = async (server: TestServer) => {
  const answer = await server.client.requestToken(server.pinApp, 'oob');
  assert.equal(answer.status, 200, answer.text);
  return answer.form() as { oauth_token: string; oauth_token_secret: string };
};

const heading = async (server: TestServer, token: string) => {
  const page = await new Browser().get(`${server.base}/oauth/authorize?oauth_token=${token}`);
  return { status: page.status, heading: elementText(page.text, 'page_heading') };
};

describe('outstanding request tokens are capped per app', () => {
  test('past the cap request_token answers 429 code 88 with a sentence; answered or expired tokens free the place', async () => {
    await withServer({ maxOutstandingRequestTokens: '10' }, async (server) => {
      const tokens = [];
      for (let i = 0; i < 10; i++) tokens.push(await issue(server));
      const refused = await server.client.requestToken(server.pinApp, 'oob');
      assert.equal(refused.status, 429);
      const body = refused.json() as { errors: { code: number }[]; advice: string };
      assert.equal(body.errors[0]!.code, 88);
      assert.match(body.advice, /already has 10 request tokens waiting for an answer/);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      // Another app is not held back.
      assert.equal((await server.client.requestToken(server.readApp, 'oob')).status, 200);
      // One answered (denied): one place again.
      await authorizeInBrowser(server.base, tokens[0]!.oauth_token, { decision: 'deny' });
      await issue(server);
      assert.equal((await server.client.requestToken(server.pinApp, 'oob')).status, 429);
      // Expired ones no longer count, purged or not.
      server.clock.advance(901);
      await issue(server);
    });
  });

  test('--max-outstanding-request-tokens 0: no cap', async () => {
    await withServer({ maxOutstandingRequestTokens: '0' }, async (server) => {
      for (let i = 0; i < 12; i++) await issue(server);
    });
  });
});

describe('expired request tokens are purged, leaving a tombstone', () => {
  test('purged at the next prune; the pages and access_token still say expired or used, for a day', async () => {
    await withServer({}, async (server) => {
      const waiting = await issue(server);
      const spent = await issue(server);
      const { pin } = await authorizeInBrowser(server.base, spent.oauth_token);
      const exchanged = await server.client.accessToken(
        { ...server.pinApp, token: spent.oauth_token, tokenSecret: spent.oauth_token_secret },
        pin!,
      );
      assert.equal(exchanged.status, 200);

      server.clock.advance(901);
      const pruned = await server.app.pruneExpired();
      assert.equal(pruned.requestTokens, 2);
      assert.equal(await server.stores.requestTokens.get(waiting.oauth_token), null, 'the row is gone');
      assert.equal(await server.stores.requestTokens.get(spent.oauth_token), null, 'the row is gone');

      assert.deepEqual(await heading(server, waiting.oauth_token), {
        status: 400,
        heading: 'This authorization request has expired',
      });
      assert.deepEqual(await heading(server, spent.oauth_token), {
        status: 400,
        heading: 'This authorization request was already used',
      });
      const late = await server.client.accessToken(
        { ...server.pinApp, token: waiting.oauth_token, tokenSecret: waiting.oauth_token_secret },
        '1234567',
      );
      assert.equal(late.status, 401);
      assert.equal((late.json() as { oauth_problem: string }).oauth_problem, 'token_expired');
      const again = await server.client.accessToken(
        { ...server.pinApp, token: spent.oauth_token, tokenSecret: spent.oauth_token_secret },
        pin!,
      );
      assert.equal((again.json() as { oauth_problem: string }).oauth_problem, 'token_used');
      // Another app presenting the token learns nothing from the tombstone.
      const stranger = await server.client.accessToken(
        { ...server.readApp, token: waiting.oauth_token, tokenSecret: waiting.oauth_token_secret },
        '1234567',
      );
      assert.equal((stranger.json() as { oauth_problem: string }).oauth_problem, 'signature_invalid');

      // A day later the tombstones go too: the link is unknown.
      server.clock.advance(24 * 3600 + 1);
      assert.equal((await server.app.pruneExpired()).requestTokenTombstones, 2);
      assert.deepEqual(await heading(server, waiting.oauth_token), {
        status: 404,
        heading: 'This authorization link does not work',
      });
    });
  });
});

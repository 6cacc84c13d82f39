// Session fixation, the OAuth 1.0 flaw that 1.0a fixed (advisory 2009.1): an attacker starts a flow with
// a real app, gets its request token, and lures a victim into authorizing it; under 1.0 the attacker then
// finished the flow and held an access token to the victim's account. Replayed here against Tripod: the
// token is bound to the verifier the victim's browser received (RFC 5849 §2.3), so the attacker's exchange
// fails without it or with a guess, a callback named at the authorize step is ignored (the one confirmed at
// request_token is used), and guessing burns the token, so even the right verifier no longer works.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Credentials } from './fixtures/oauth-client.ts';
import { authorizeInBrowser, startTestServer, WEB_CALLBACK } from './fixtures/test-server.ts';

describe("session fixation (2009): a victim's authorization of the attacker's request token", () => {
  test('gives the attacker nothing: no verifier, a wrong one, or a callback of their own all fail', async () => {
    const server = await startTestServer();
    try {
      // 1. The attacker asks for a request token, as the app would (the app's keys, its registered callback).
      const issued = await server.client.requestToken(server.webApp, WEB_CALLBACK);
      assert.equal(issued.status, 200);
      const { oauth_token: token, oauth_token_secret: tokenSecret } = issued.form() as {
        oauth_token: string;
        oauth_token_secret: string;
      };
      const attacker: Required<Credentials> = { ...server.webApp, token, tokenSecret };

      // 2. The victim follows the attacker's link, with a callback of the attacker's added, and allows.
      const victim = await authorizeInBrowser(server.base, token, {
        query: `&oauth_callback=${encodeURIComponent('https://attacker.example/steal')}`,
      });
      assert.ok(victim.status === 302 || victim.status === 303, `a redirect, got ${victim.status}`);
      const location = new URL(victim.location!);
      assert.equal(`${location.origin}${location.pathname}`, WEB_CALLBACK, "the app's confirmed callback");
      const verifier = location.searchParams.get('oauth_verifier')!;
      assert.ok(verifier.length >= 20, 'the verifier went to the victim’s browser, at the app');

      // 3. The attacker exchanges the token as a 1.0 consumer would, with no verifier: refused.
      const without = await server.client.call({
        method: 'POST',
        url: '/oauth/access_token',
        credentials: attacker,
      });
      assert.equal(without.status, 400);
      assert.equal((without.json() as { oauth_problem: string }).oauth_problem, 'parameter_absent');

      // 4. With guesses: each refused, and the token is burned after the allowed tries…
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await server.client.accessToken(attacker, `guess-${i}-${'x'.repeat(20)}`)).status);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
      // 5. …so that not even the victim's verifier, had it leaked later, yields an access token.
      const late = await server.client.accessToken(attacker, verifier);
      assert.equal(late.status, 401);
      assert.equal((late.json() as { oauth_problem: string }).oauth_problem, 'token_rejected');
      assert.deepEqual(
        await server.stores.accessTokens.listActiveForUser(server.user.id),
        [],
        'no access token',
      );
    } finally {
      await server.close();
    }
  });

  test('only the holder of the verifier the victim saw exchanges the token, once', async () => {
    const server = await startTestServer();
    try {
      const issued = (await server.client.requestToken(server.pinApp, 'oob')).form() as Record<
        string,
        string
      >;
      const holder: Required<Credentials> = {
        ...server.pinApp,
        token: issued.oauth_token!,
        tokenSecret: issued.oauth_token_secret!,
      };
      const { pin } = await authorizeInBrowser(server.base, holder.token);
      assert.match(pin!, /^\d{7}$/);
      const wrong = await server.client.accessToken(
        holder,
        String((Number(pin) + 1) % 10_000_000).padStart(7, '0'),
      );
      assert.equal(wrong.status, 401);
      const right = await server.client.accessToken(holder, pin!);
      assert.equal(right.status, 200);
      const replay = await server.client.accessToken(holder, pin!);
      assert.equal(replay.status, 401);
      assert.equal((replay.json() as { oauth_problem: string }).oauth_problem, 'token_used');
    } finally {
      await server.close();
    }
  });
});

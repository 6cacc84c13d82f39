// The protocol's rate limits (server/rate-limits.ts, DESIGN.md §3) as clients meet them: on by default for
// the token endpoints per address and per consumer, an xAuth failure limit per username that leaves the
// owner's own address alone, opt-in per access token on protected resources, all off with
// `--rate-limits off`; refusals are 429 with Twitter's code 88, Retry-After and x-rate-limit-*, which
// successful limited answers carry too. Counters live in the shared store, so two instances share them.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { registerApp } from '../../src/server/registration.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';
import { windowResetAt } from '../../src/stores/rate-limit-window.ts';
import type { CallResult, Credentials } from './fixtures/oauth-client.ts';
import {
  forwardedFrom,
  grantAccessToken,
  startTestServer,
  type TestServer,
  withStillServer,
} from './fixtures/test-server.ts';

/** A server whose clock stands still and which trusts loopback, where a proxy would forward clients from. */
const withServer = (settings: Record<string, string>, run: (server: TestServer) => Promise<void>) =>
  withStillServer({ trustProxy: 'loopback', ...settings }, run);

/** A signed call sent as a proxy forwards it from `address`. */
function callFrom(
  server: TestServer,
  address: string,
  call: Parameters<TestServer['client']['sign']>[0],
): Promise<CallResult> {
  return server.client.call(call, forwardedFrom(address));
}

const requestToken = (server: TestServer, address: string, credentials: Credentials) =>
  callFrom(server, address, {
    method: 'POST',
    url: '/oauth/request_token',
    credentials,
    oauth: [['oauth_callback', 'oob']],
  });

function assertRateLimited(answer: CallResult, limit: number): void {
  assert.equal(answer.status, 429, answer.text);
  const body = answer.json() as { errors: { code: number }[]; oauth_problem: string };
  assert.equal(body.errors[0]!.code, 88);
  assert.equal(body.oauth_problem, 'rate_limited');
  const retryAfter = Number(answer.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal(answer.headers.get('x-rate-limit-limit'), String(limit));
  assert.equal(answer.headers.get('x-rate-limit-remaining'), '0');
  const reset = Number(answer.headers.get('x-rate-limit-reset'));
  assert.ok(reset * 1000 > Date.now() - 1000 && reset * 1000 <= Date.now() + 61_000, `reset ${reset}`);
}

describe('the token endpoints are limited by default', () => {
  test('a flood of 400 request_token calls from one address: the first 300 get tokens, the rest 429 code 88', async () => {
    await withServer({}, async (server) => {
      const answers: CallResult[] = [];
      for (let batch = 0; batch < 20; batch++) {
        answers.push(
          ...(await Promise.all(
            Array.from({ length: 20 }, () => requestToken(server, '198.51.100.7', server.pinApp)),
          )),
        );
      }
      const ok = answers.filter((a) => a.status === 200);
      assert.equal(ok.length, 300);
      for (const refused of answers.filter((a) => a.status !== 200)) assertRateLimited(refused, 300);
      // Successful answers say where the counter stands, as Twitter's do.
      const remaining = ok.map((a) => Number(a.headers.get('x-rate-limit-remaining'))).sort((a, b) => a - b);
      assert.deepEqual(
        remaining,
        Array.from({ length: 300 }, (_, i) => i),
      );
      assert.ok(ok.every((a) => a.headers.get('x-rate-limit-limit') === '300'));
      // Another address is not held back.
      assert.equal((await requestToken(server, '198.51.100.8', server.pinApp)).status, 200);
    });
  });

  test('each token endpoint counts per address before any other work, unknown tokens and forgeries included', async () => {
    await withServer({ tokenRequestsPerMinute: '3' }, async (server) => {
      const token = await grantAccessToken(server, server.pinApp, 'read-write');
      const calls = {
        request_token: { url: '/oauth/request_token', oauth: [['oauth_callback', 'oob']] },
        access_token: { url: '/oauth/access_token', oauth: [['oauth_verifier', '1234567']] },
        invalidate_token: { url: '/oauth/invalidate_token', oauth: [] },
      } as const;
      for (const [endpoint, call] of Object.entries(calls)) {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) {
          const answer = await callFrom(server, '203.0.113.9', {
            method: 'POST',
            url: call.url,
            credentials: endpoint === 'request_token' ? server.pinApp : { ...token, token: `unknown-${i}` },
            oauth: call.oauth.map(([name, value]) => [name, value] as [string, string]),
            corruptSignature: i === 1,
          });
          statuses.push(answer.status);
          if (i === 3) assertRateLimited(answer, 3);
        }
        assert.equal(statuses[3], 429, `${endpoint}: ${statuses}`);
        assert.ok(
          statuses.slice(0, 3).every((s) => s !== 429),
          `${endpoint}: ${statuses}`,
        );
      }
    });
  });

  test("per consumer, 5 × the rate from every address together; forged requests do not spend an app's budget", async () => {
    await withServer({ tokenRequestsPerMinute: '2' }, async (server) => {
      // Forgeries under the app's (public) key, one from each of many addresses: refused as forgeries.
      for (let i = 0; i < 20; i++) {
        const forged = await requestToken(server, `192.0.2.${i}`, {
          ...server.pinApp,
          consumerSecret: 'not the secret',
        });
        assert.equal(forged.status, 401);
      }
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push((await requestToken(server, `198.51.100.${i}`, server.pinApp)).status);
      }
      assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
      // Another app is counted on its own.
      assert.equal((await requestToken(server, '198.51.100.99', server.readApp)).status, 200);
    });
  });

  test('two instances on one store count in the same windows', async () => {
    const stores = createMemoryStores();
    const settings = { trustProxy: 'loopback', tokenRequestsPerMinute: '3' };
    const first = await startTestServer({ stores, settings });
    const second = await startTestServer({ stores, settings });
    try {
      const statuses = [];
      for (const server of [first, second, first, second]) {
        statuses.push((await requestToken(server, '203.0.113.50', server.pinApp)).status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429]);
    } finally {
      await first.close();
      await second.close();
      await stores.close();
    }
  });
});

describe('xAuth failures are limited per username, as sign-ins are', () => {
  const xauth = (server: TestServer, app: Credentials, address: string, password: string) =>
    callFrom(server, address, {
      method: 'POST',
      url: '/oauth/access_token',
      credentials: app,
      form: [
        ['x_auth_username', 'alice'],
        ['x_auth_password', password],
        ['x_auth_mode', 'client_auth'],
      ],
    });

  test("60 guesses at alice's password from one address: 10 are answered, then 429; alice's own address still works", async () => {
    await withServer({}, async (server) => {
      const app = await registerApp(
        server.stores,
        { name: 'Approved xAuth client', xauth: true },
        { clock: server.clock, random: createRandomSource() },
      );
      const credentials = { consumerKey: app.key, consumerSecret: app.secret };
      // alice signs in from home first.
      assert.equal((await xauth(server, credentials, '198.51.100.1', server.user.password)).status, 200);
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        statuses.push((await xauth(server, credentials, '203.0.113.66', `guess ${i}`)).status);
      }
      assert.deepEqual(statuses, [...Array(10).fill(401), ...Array(50).fill(429)]);
      // Even the right password is refused from the guesser's address, which learns nothing…
      assertRateLimited(await xauth(server, credentials, '203.0.113.66', server.user.password), 10);
      // …while alice's own address, and a new one, are not locked out.
      assert.equal((await xauth(server, credentials, '198.51.100.1', server.user.password)).status, 200);
      assert.equal((await xauth(server, credentials, '198.51.100.2', server.user.password)).status, 200);
    });
  });
});

describe('protected resources', () => {
  const verifyCredentials = (server: TestServer, token: Required<Credentials>) =>
    server.client.call({ method: 'GET', url: '/1.1/account/verify_credentials.json', credentials: token });

  test('are not limited by default', async () => {
    await withServer({}, async (server) => {
      const token = await grantAccessToken(server, server.pinApp, 'read');
      const answer = await verifyCredentials(server, token);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('x-rate-limit-limit'), null);
    });
  });

  test('--rate-limit-protected N: N requests per access token in 15 minutes, then 429 code 88; other tokens go on', async () => {
    await withServer({ rateLimitProtected: '3' }, async (server) => {
      const token = await grantAccessToken(server, server.pinApp, 'read');
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const answer = await verifyCredentials(server, token);
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get('x-rate-limit-limit'), '3');
        remaining.push(answer.headers.get('x-rate-limit-remaining'));
      }
      assert.deepEqual(remaining, ['2', '1', '0']);
      const refused = await verifyCredentials(server, token);
      assert.equal(refused.status, 429);
      assert.equal((refused.json() as { errors: { code: number }[] }).errors[0]!.code, 88);
      // A 15-minute window, aligned to the epoch: what is left of it (at the real time, which the clock
      // holds, that can be under a minute).
      const windowMs = 15 * 60_000;
      const left = Math.ceil((windowResetAt(server.clock.now(), windowMs) - server.clock.now()) / 1000);
      assert.ok(Math.abs(Number(refused.headers.get('retry-after')) - left) <= 1, 'a 15-minute window');
      // /oauth/verify counts against the same token.
      const signed = server.client.sign({ method: 'GET', url: '/1.1/anything', credentials: token });
      const viaVerify = await fetch(`${server.base}/oauth/verify`, {
        headers: { ...signed.headers, 'x-original-uri': '/1.1/anything', 'x-original-method': 'GET' },
      });
      assert.equal(viaVerify.status, 429);
      const other = await grantAccessToken(server, server.readApp, 'read');
      assert.equal((await verifyCredentials(server, other)).status, 200);
    });
  });
});

describe('--rate-limits off', () => {
  test('turns every limit off: token endpoints, xAuth and sign-in, protected resources', async () => {
    await withServer(
      {
        rateLimits: 'off',
        tokenRequestsPerMinute: '2',
        rateLimitProtected: '1',
        signInAttemptsPerMinute: '1',
      },
      async (server) => {
        for (let i = 0; i < 5; i++) {
          const answer = await requestToken(server, '203.0.113.1', server.pinApp);
          assert.equal(answer.status, 200);
          assert.equal(answer.headers.get('x-rate-limit-limit'), null);
        }
        const token = await grantAccessToken(server, server.pinApp, 'read');
        for (let i = 0; i < 3; i++) {
          const answer = await server.client.call({
            method: 'GET',
            url: '/1.1/account/verify_credentials.json',
            credentials: token,
          });
          assert.equal(answer.status, 200);
        }
        const app = await registerApp(
          server.stores,
          { name: 'Approved xAuth client', xauth: true },
          { clock: server.clock, random: createRandomSource() },
        );
        for (let i = 0; i < 5; i++) {
          const answer = await callFrom(server, '203.0.113.1', {
            method: 'POST',
            url: '/oauth/access_token',
            credentials: { consumerKey: app.key, consumerSecret: app.secret },
            form: [
              ['x_auth_username', 'alice'],
              ['x_auth_password', `guess ${i}`],
              ['x_auth_mode', 'client_auth'],
            ],
          });
          assert.equal(answer.status, 401);
        }
      },
    );
  });
});

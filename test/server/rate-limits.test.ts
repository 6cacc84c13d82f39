// The rate limits of server/rate-limits.ts: the mechanism (counted in the shared RateLimitStore, safe
// against concurrent attempts), and the sign-in limits as people and clients meet them through the consent
// page and the portal, with the server's default settings unless a test says otherwise.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { buildApp } from '../../src/server/app.ts';
import { serverConfig } from '../../src/server/config.ts';
import { RateLimited, RateLimits } from '../../src/server/rate-limits.ts';
import { registerUser } from '../../src/server/registration.ts';
import { MemoryRateLimitStore } from '../../src/stores/memory/server-state.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';
import { Browser, formFields, inputValue } from './fixtures/browser.ts';
import { forwardedFrom, type TestServer, withStillServer } from './fixtures/test-server.ts';

const PASSWORD = 'correct horse battery';

/** A sign-in on the consent page of a fresh request token; 303 (to the PIN page), 401 or 429. */
async function consentSignIn(
  server: Pick<TestServer, 'base' | 'client' | 'pinApp'>,
  password: string,
  options: { username?: string; headers?: Record<string, string> } = {},
): Promise<number> {
  const token = (await server.client.requestToken(server.pinApp, 'oob')).form().oauth_token!;
  const browser = new Browser();
  const headers = options.headers ?? {};
  const page = await browser.request(`${server.base}/oauth/authorize?oauth_token=${token}`, { headers });
  const answer = await browser.request(`${server.base}/oauth/authorize`, {
    form: { ...formFields(page.text), decision: 'allow', username: options.username ?? 'alice', password },
    headers,
  });
  return answer.status;
}

/** A sign-in on the portal's sign-in page; 303, 401 or 429. */
async function portalSignIn(
  base: string,
  password: string,
  options: { username?: string; headers?: Record<string, string> } = {},
): Promise<number> {
  const browser = new Browser();
  const headers = options.headers ?? {};
  const page = await browser.request(`${base}/sign-in`, { headers });
  const answer = await browser.request(`${base}/sign-in`, {
    form: { _csrf: inputValue(page.text, '_csrf')!, username: options.username ?? 'alice', password },
    headers,
  });
  return answer.status;
}

describe('the mechanism', () => {
  const clock = { now: () => 1_000_000 };

  test('consume counts every call and refuses past the limit with what remains and when it resets', async () => {
    const limits = new RateLimits({ store: new MemoryRateLimitStore(), clock });
    const perConsumer = { name: 'test:consumer', max: 3, windowMs: 60_000 };
    const perAddress = { name: 'test:address', max: 10, windowMs: 60_000 };
    const counted = [
      { limit: perConsumer, subject: 'key' },
      { limit: perAddress, subject: '192.0.2.1' },
    ];
    const first = await limits.consume(counted);
    assert.deepEqual(first, { limit: 3, remaining: 2, resetAt: 1_020_000 }, 'the tightest limit');
    await limits.consume(counted);
    await limits.consume(counted);
    await assert.rejects(limits.consume(counted), (error: unknown) => {
      assert.ok(error instanceof RateLimited);
      assert.equal(error.limitName, 'test:consumer');
      assert.deepEqual(error.status, { limit: 3, remaining: 0, resetAt: 1_020_000 });
      assert.equal(error.retryAfterSeconds(clock.now()), 20);
      return true;
    });
  });

  test('of many concurrent attempts only as many as the limit allows get through to the password check', async () => {
    const limits = new RateLimits({ store: new MemoryRateLimitStore(), clock });
    const limit = { name: 'test:failures', max: 5, windowMs: 60_000, resetOnSuccess: true };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => limits.attempt([{ limit, subject: 'alice' }])),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 5);
  });

  test('a success clears a counter that resets on success, and only cancels its own attempt on one that does not', async () => {
    const store = new MemoryRateLimitStore();
    const limits = new RateLimits({ store, clock });
    const account = { name: 'test:account', max: 2, windowMs: 60_000, resetOnSuccess: true };
    const address = { name: 'test:address', max: 2, windowMs: 60_000, resetOnSuccess: false };
    const both = [
      { limit: account, subject: 'alice' },
      { limit: address, subject: '192.0.2.1' },
    ];
    await limits.attempt(both); // failed
    await (await limits.attempt(both)).succeeded();
    // The account starts again from nothing; the address still holds the one failure.
    await limits.attempt([{ limit: account, subject: 'alice' }]);
    await limits.attempt([{ limit: account, subject: 'alice' }]);
    await limits.attempt([{ limit: address, subject: '192.0.2.1' }]); // failed: the second
    await assert.rejects(limits.attempt([{ limit: address, subject: '192.0.2.1' }]), RateLimited);
  });
});

describe('sign-in limits count failures only', () => {
  test('a client suite that signs in afresh for each of 45 flows in a row is never refused', async () => {
    await withStillServer({}, async (server) => {
      const statuses: number[] = [];
      for (let i = 0; i < 45; i++) statuses.push(await consentSignIn(server, PASSWORD));
      assert.deepEqual(statuses, Array(45).fill(303));
    });
  });

  test('one account from one address: the 11th failure in a minute is refused, the right password too, with Retry-After', async () => {
    await withStillServer({}, async (server) => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push(await consentSignIn(server, `wrong ${i}`));
      assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
      assert.equal(await consentSignIn(server, PASSWORD), 429);
      const browser = new Browser();
      const page = await browser.get(`${server.base}/sign-in`);
      const refused = await browser.post(`${server.base}/sign-in`, {
        _csrf: inputValue(page.text, '_csrf')!,
        username: 'alice',
        password: PASSWORD,
      });
      assert.equal(refused.status, 429);
      assert.match(refused.text, /Too many sign-in attempts/);
      const wait = Number(refused.headers.get('retry-after'));
      assert.ok(wait >= 1 && wait <= 60, `Retry-After: ${wait}`);
    });
  });

  test("a success resets the account's count", async () => {
    await withStillServer({}, async (server) => {
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++) statuses.push(await portalSignIn(server.base, `wrong ${i}`));
      statuses.push(await portalSignIn(server.base, PASSWORD));
      for (let i = 0; i < 10; i++) statuses.push(await portalSignIn(server.base, `wrong again ${i}`));
      assert.deepEqual(statuses, [...Array(9).fill(401), 303, ...Array(10).fill(401)]);
    });
  });

  test('the consent page and the portal share one budget', async () => {
    await withStillServer({}, async (server) => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push(await consentSignIn(server, `wrong ${i}`));
      for (let i = 0; i < 5; i++) statuses.push(await portalSignIn(server.base, `wrong ${i}`));
      statuses.push(await consentSignIn(server, 'wrong again'));
      statuses.push(await portalSignIn(server.base, 'wrong again'));
      assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
    });
  });

  test('one address trying many accounts: 5 times the per-account failures, whatever the usernames', async () => {
    await withStillServer({ signInAttemptsPerMinute: '2', trustProxy: 'loopback' }, async (server) => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push(
          await portalSignIn(server.base, 'guess', {
            username: `user${i}`,
            headers: forwardedFrom('198.51.100.7'),
          }),
        );
      }
      assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
      // Signing in to one's own account there buys no more guesses on others.
      assert.equal(
        await portalSignIn(server.base, PASSWORD, { headers: forwardedFrom('198.51.100.7') }),
        429,
      );
      // Another address is not held back.
      assert.equal(
        await portalSignIn(server.base, PASSWORD, { headers: forwardedFrom('198.51.100.8') }),
        303,
      );
    });
  });

  test('failing on purpose from elsewhere does not lock the owner out of their own address', async () => {
    await withStillServer({ signInAttemptsPerMinute: '2', trustProxy: 'loopback' }, async (server) => {
      // The owner signs in from home once.
      assert.equal(await consentSignIn(server, PASSWORD, { headers: forwardedFrom('192.0.2.10') }), 303);
      // An attacker guesses from many addresses: 2 failures each, until the account's own limit across
      // addresses (10 × 2 in 15 minutes) holds them all back.
      const attacker: number[] = [];
      for (let i = 1; i <= 11; i++) {
        attacker.push(await portalSignIn(server.base, 'guess', { headers: forwardedFrom(`203.0.113.${i}`) }));
        attacker.push(await portalSignIn(server.base, 'guess', { headers: forwardedFrom(`203.0.113.${i}`) }));
      }
      assert.deepEqual(attacker, [...Array(20).fill(401), 429, 429]);
      assert.equal(
        await portalSignIn(server.base, PASSWORD, { headers: forwardedFrom('203.0.113.99') }),
        429,
      );
      // From home, the owner still signs in, on either page.
      assert.equal(await consentSignIn(server, PASSWORD, { headers: forwardedFrom('192.0.2.10') }), 303);
      assert.equal(await portalSignIn(server.base, PASSWORD, { headers: forwardedFrom('192.0.2.10') }), 303);
    });
  });

  test('rotating X-Forwarded-For through a trusted proxy does not escape the limit (true means loopback)', async () => {
    for (const trustProxy of ['loopback', 'true', '127.0.0.1']) {
      await withStillServer({ trustProxy }, async (server) => {
        const statuses: number[] = [];
        for (let i = 0; i < 11; i++) {
          // The client made up the first entry; the proxy appended the address it saw.
          const forwarded = { 'x-forwarded-for': `10.${i}.${i}.${i}, 198.51.100.20` };
          statuses.push(await consentSignIn(server, `wrong ${i}`, { headers: forwarded }));
        }
        assert.deepEqual(statuses, [...Array(10).fill(401), 429], `--trust-proxy ${trustProxy}`);
      });
    }
  });

  test('without a trusted proxy, X-Forwarded-For is ignored altogether', async () => {
    await withStillServer({}, async (server) => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push(await consentSignIn(server, `wrong ${i}`, { headers: forwardedFrom(`10.0.0.${i}`) }));
      }
      assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
    });
  });

  test('the limits hold across instances sharing the stores', async () => {
    const stores = createMemoryStores();
    const random = createRandomSource();
    const frozen = Date.now();
    const clock = { now: () => frozen };
    const instances = await Promise.all(
      [0, 1].map(async () => {
        const app = await buildApp({
          config: serverConfig({ port: '0', logLevel: 'silent' }),
          stores,
          clock,
          random,
        });
        await app.listen({ port: 0, host: '127.0.0.1' });
        return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
      }),
    );
    try {
      await registerUser(stores, { username: 'alice', password: PASSWORD }, { clock, random });
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push(await portalSignIn(instances[i % 2]!.base, `wrong ${i}`));
      statuses.push(await portalSignIn(instances[0]!.base, PASSWORD));
      statuses.push(await portalSignIn(instances[1]!.base, PASSWORD));
      assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
    } finally {
      for (const { app } of instances) await app.close();
      await stores.close();
    }
  });
});

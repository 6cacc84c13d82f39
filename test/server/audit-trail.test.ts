// The audit trail (issue 11) as a person, a client and an attacker fill it: a real server on a SQLite file,
// driven over HTTP through the consent pages and the protocol, its events read back from the store. Each
// event names who, which app and from where, and none carries a secret, PIN, verifier or password; a flood
// of refused signatures or sign-ins leaves a handful of events, not one per refusal.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { registerApp } from '../../src/server/registration.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import type { StoredAuditEvent, TripodStores } from '../../src/stores/types.ts';
import { PASSWORD, startPortalServer } from '../browser/portal-server.ts';
import { eventually } from '../stores/fixtures/eventually.ts';
import { Browser, inputValue } from './fixtures/browser.ts';
import { authorizeInBrowser, startTestServer, type TestServer } from './fixtures/test-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'tripod-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function withServer(
  settings: Record<string, string>,
  run: (server: TestServer, stores: TripodStores) => Promise<void>,
): Promise<void> {
  const stores = await openSqliteStores(join(dir, `audit-${++files}.db`));
  const server = await startTestServer({ settings, stores });
  // Counts are per minute window: time stands still so a test never straddles two.
  const now = Date.now();
  server.clock.now = () => now;
  try {
    await run(server, stores);
  } finally {
    await server.close();
    await stores.close();
  }
}

/** The trail once `count` events of `type` are in it (it is written off the request path). */
async function eventsOnce(stores: TripodStores, type: string, count: number): Promise<StoredAuditEvent[]> {
  return eventually(async () => {
    const found = await stores.audit.query({ type });
    return found.length >= count ? found : null;
  }, `${count} ${type} event(s)`);
}

/** A finished PIN flow of alice's: the access token and everything secret seen on the way. */
async function pinFlow(server: TestServer) {
  const requestToken = (await server.client.requestToken(server.pinApp, 'oob')).form();
  const outcome = await authorizeInBrowser(server.base, requestToken.oauth_token!);
  assert.ok(outcome.pin, 'a PIN was shown');
  const access = await server.client.accessToken(
    {
      ...server.pinApp,
      token: requestToken.oauth_token!,
      tokenSecret: requestToken.oauth_token_secret!,
    },
    outcome.pin,
  );
  assert.equal(access.status, 200);
  const form = access.form();
  return {
    pin: outcome.pin,
    requestTokenSecret: requestToken.oauth_token_secret!,
    token: form.oauth_token!,
    tokenSecret: form.oauth_token_secret!,
  };
}

describe('the audit trail', () => {
  test('a PIN flow, its invalidation and a denial are recorded with user, app and address, and no secret', async () => {
    await withServer({}, async (server, stores) => {
      const flow = await pinFlow(server);
      const invalidated = await server.client.call({
        method: 'POST',
        url: '/1.1/oauth/invalidate_token',
        credentials: { ...server.pinApp, token: flow.token, tokenSecret: flow.tokenSecret },
      });
      assert.equal(invalidated.status, 200);
      const denied = (await server.client.requestToken(server.webApp, 'http://app.example/callback')).form();
      assert.equal(
        (await authorizeInBrowser(server.base, denied.oauth_token!, { decision: 'deny' })).status,
        302,
      );

      await eventsOnce(stores, 'authorization.denied', 1);
      const events = (await stores.audit.query({})).reverse();
      const alice = server.user.id;
      const pin = server.pinApp.consumerKey;
      assert.deepEqual(
        events.map((e) => [e.type, e.userId, e.consumerKey, e.address]),
        [
          ['sign_in.succeeded', alice, null, '127.0.0.1'],
          ['authorization.granted', alice, pin, '127.0.0.1'],
          ['access_token.issued', alice, pin, '127.0.0.1'],
          ['access_token.revoked', alice, pin, '127.0.0.1'],
          // Denying needs no sign-in: nobody is named.
          ['authorization.denied', null, server.webApp.consumerKey, '127.0.0.1'],
        ],
      );
      assert.deepEqual(events[1]!.detail, { mode: 'oob' });
      assert.deepEqual(events[2]!.detail, { via: 'verifier', accessLevel: 'read-write', reused: false });
      assert.deepEqual(events[3]!.detail, { via: 'invalidate_token' });
      const everything = JSON.stringify(events);
      for (const secret of [
        server.pinApp.consumerSecret,
        flow.requestTokenSecret,
        flow.tokenSecret,
        flow.token,
        flow.pin,
        server.user.password,
      ]) {
        assert.ok(!everything.includes(secret), `no secret in the trail (${secret.slice(0, 3)}…)`);
      }
      // Queryable by user and app, newest first.
      assert.deepEqual(
        (await stores.audit.query({ userId: alice, consumerKey: pin })).map((e) => e.type),
        ['access_token.revoked', 'access_token.issued', 'authorization.granted'],
      );
    });
  });

  test('a PIN burned by wrong guesses is one event; the guesses are not', async () => {
    await withServer({}, async (server, stores) => {
      const requestToken = (await server.client.requestToken(server.pinApp, 'oob')).form();
      const outcome = await authorizeInBrowser(server.base, requestToken.oauth_token!);
      const credentials = {
        ...server.pinApp,
        token: requestToken.oauth_token!,
        tokenSecret: requestToken.oauth_token_secret!,
      };
      const wrong = outcome.pin === '0000000' ? '1111111' : '0000000';
      for (let i = 0; i < 7; i++) await server.client.accessToken(credentials, wrong);
      const [burned] = await eventsOnce(stores, 'pin.burned', 1);
      assert.equal(burned!.consumerKey, server.pinApp.consumerKey);
      assert.equal(burned!.address, '127.0.0.1');
      assert.ok(!JSON.stringify(burned).includes(outcome.pin!));
      await server.app.close(); // writes whatever is still queued
      assert.equal((await stores.audit.query({ type: 'pin.burned' })).length, 1);
    });
  });

  test('refused signatures are counted per app: 150 make two events (10 and 100), an unknown key none', async () => {
    await withServer({}, async (server, stores) => {
      const bad = (credentials: { consumerKey: string; consumerSecret: string }) =>
        server.client.requestToken(credentials, 'oob', { corruptSignature: true });
      for (let i = 0; i < 150; i++) assert.equal((await bad(server.pinApp)).status, 401);
      for (let i = 0; i < 20; i++) await bad({ consumerKey: 'no-such-app', consumerSecret: 'x' });
      await server.app.close();
      const events = await stores.audit.query({ type: 'signature.failures' });
      assert.deepEqual(
        events.map((e) => [e.consumerKey, e.detail.failures, e.detail.windowSeconds, e.address]),
        [
          [server.pinApp.consumerKey, 100, 60, '127.0.0.1'],
          [server.pinApp.consumerKey, 10, 60, '127.0.0.1'],
        ],
      );
    });
  });

  test('xAuth password failures are counted per app like signatures: 12 make one event, with no password', async () => {
    await withServer({}, async (server, stores) => {
      const app = await registerApp(
        stores,
        { name: 'Password Client', xauth: true },
        { clock: server.clock, random: createRandomSource() },
      );
      const credentials = { consumerKey: app.key, consumerSecret: app.secret };
      for (let i = 0; i < 12; i++) {
        const answer = await server.client.call({
          method: 'POST',
          url: '/oauth/access_token',
          credentials,
          form: [
            ['x_auth_mode', 'client_auth'],
            ['x_auth_username', i % 2 === 0 ? 'alice' : 'nobody'],
            ['x_auth_password', `guess-${i}`],
          ],
        });
        assert.equal(answer.status, 401);
      }
      await server.app.close();
      const events = await stores.audit.query({ type: 'xauth.*' });
      assert.deepEqual(
        events.map((e) => [e.type, e.consumerKey, e.detail.failures, e.address]),
        [['xauth.failures', app.key, 10, '127.0.0.1']],
      );
      assert.ok(!JSON.stringify(events).includes('guess-'));
    });
  });

  test('sign-in failures are recorded each; the rate limit they trip once per window', async () => {
    await withServer({ signInAttemptsPerMinute: '2' }, async (server, stores) => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const browser = new Browser();
        const page = await browser.get(`${server.base}/sign-in`);
        const answer = await browser.post(`${server.base}/sign-in`, {
          _csrf: inputValue(page.text, '_csrf')!,
          username: 'alice',
          password: `wrong password ${i}`,
        });
        statuses.push(answer.status);
      }
      assert.deepEqual(statuses, [401, 401, 429, 429, 429, 429]);
      await server.app.close();
      const failed = await stores.audit.query({ type: 'sign_in.failed' });
      assert.deepEqual(
        failed.map((e) => [e.userId, e.detail.reason, e.address]),
        [
          [server.user.id, 'wrong_credentials', '127.0.0.1'],
          [server.user.id, 'wrong_credentials', '127.0.0.1'],
        ],
      );
      const tripped = await stores.audit.query({ type: 'rate_limit.*' });
      assert.deepEqual(
        tripped.map((e) => [e.type, e.detail.limit, e.detail.max, e.address]),
        [['rate_limit.tripped', 'sign-in:account-address', 2, '127.0.0.1']],
      );
      assert.ok(!JSON.stringify([...failed, ...tripped]).includes('wrong password'));
    });
  });

  test('the portal records secret regeneration, revocation, deletion and the operator actions, naming who', async () => {
    const server = await startPortalServer();
    try {
      const signIn = async (username: string) => {
        const browser = new Browser();
        const page = await browser.get(`${server.base}/sign-in`);
        await browser.post(`${server.base}/sign-in`, {
          _csrf: inputValue(page.text, '_csrf')!,
          username,
          password: PASSWORD,
        });
        return browser;
      };
      const post = async (browser: Browser, path: string, form: Record<string, string>, page = path) => {
        const formPage = await browser.get(`${server.base}${page}`);
        const answer = await browser.post(`${server.base}${path}`, {
          _csrf: inputValue(formPage.text, '_csrf')!,
          ...form,
        });
        assert.equal(answer.status, 303, answer.text);
      };
      const alice = await signIn('alice');
      await post(alice, '/apps', { name: 'Audited', access_level: 'read-write' }, '/apps/new');
      const [app] = await server.stores.consumers.list({ offset: 0, limit: 10 });
      const key = app!.key;
      const path = `/apps/${encodeURIComponent(key)}`;
      await post(alice, `${path}/secret/regenerate`, { confirm: 'yes' });
      const secrets = [app!.secret, (await server.stores.consumers.get(key))!.secret, 'connected-secret'];
      await server.stores.accessTokens.create({
        token: 'connected-token',
        secret: 'connected-secret',
        consumerKey: key,
        userId: server.alice.id,
        accessLevel: 'read-write',
        createdAt: server.clock.now(),
        revokedAt: null,
      });
      const revoke = `/connected-apps/${encodeURIComponent(key)}/revoke`;
      await post(alice, revoke, { confirm: 'yes' });
      const olga = await signIn('olga');
      const operatorPath = `/operator/apps/${encodeURIComponent(key)}`;
      await post(olga, operatorPath, { action: 'disable', confirm: 'yes' }, '/operator');
      await post(olga, operatorPath, { action: 'enable' }, '/operator');
      await post(olga, operatorPath, { action: 'allow-xauth' }, '/operator');
      await post(alice, `${path}/delete`, { confirm: 'yes' });

      await eventsOnce(server.stores, 'app.deleted', 1);
      const events = (await server.stores.audit.query({})).reverse();
      const [a, o] = [server.alice.id, server.olga.id];
      assert.deepEqual(
        events.map((e) => [e.type, e.userId, e.consumerKey, e.address]),
        [
          ['sign_in.succeeded', a, null, '127.0.0.1'],
          ['app.secret_regenerated', a, key, '127.0.0.1'],
          ['connection.revoked', a, key, '127.0.0.1'],
          ['sign_in.succeeded', o, null, '127.0.0.1'],
          ['operator.disable', o, key, '127.0.0.1'],
          ['operator.enable', o, key, '127.0.0.1'],
          ['operator.allow_xauth', o, key, '127.0.0.1'],
          ['app.deleted', a, key, '127.0.0.1'],
        ],
      );
      assert.deepEqual(events[2]!.detail, { tokens: 1 });
      for (const secret of secrets) assert.ok(!JSON.stringify(events).includes(secret), 'no secret');
    } finally {
      await server.close();
    }
  });
});

// tripod/server's plugin: Tripod's endpoints and pages mounted under a prefix of an existing Fastify app
// that has its own parsers, cookie plugin, routes and 404. The whole PIN flow works under the prefix (links,
// form actions and cookies carry it), and none of Tripod's parsers, headers or answers leak onto the host.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { tripodServer } from '../../src/server/app.ts';
import { serverConfig } from '../../src/server/config.ts';
import { registerApp, registerUser } from '../../src/server/registration.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';
import { OAuthTestClient } from './fixtures/oauth-client.ts';
import { authorizeInBrowser } from './fixtures/test-server.ts';

const stores = createMemoryStores();
let host: FastifyInstance;
let base: string;
let app: { consumerKey: string; consumerSecret: string };

before(async () => {
  const runtime = { clock: { now: () => Date.now() }, random: createRandomSource() };
  await registerUser(stores, { username: 'alice', password: 'correct horse battery' }, runtime);
  const consumer = await registerApp(stores, { name: 'Mounted client' }, runtime);
  app = { consumerKey: consumer.key, consumerSecret: consumer.secret };

  host = Fastify();
  await host.register(fastifyCookie);
  host.post('/api/notes', async (request) => ({ parsedByHost: request.body }));
  host.get('/api/page', async () => 'host page');
  await host.register(tripodServer, {
    config: serverConfig({ signInAttemptsPerMinute: '1000' }),
    stores,
    prefix: '/auth',
  });
  await host.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}`;
});
after(async () => {
  await host.close();
  await stores.close();
});

describe('tripodServer mounted under /auth of another Fastify app', () => {
  test('the PIN flow runs under the prefix: request token, pages, PIN, access token, the demo API', async () => {
    const client = new OAuthTestClient(`${base}/auth`);
    const rt = (await client.requestToken(app)).form();
    assert.ok(rt.oauth_token, 'request token issued under /auth');
    const page = await fetch(`${base}/auth/oauth/authorize?oauth_token=${rt.oauth_token}`);
    const html = await page.text();
    assert.match(html, /action="\/auth\/oauth\/authorize"/, 'the form posts under the prefix');
    assert.match(html, /href="\/auth\/static\/tripod\.css"/, 'the stylesheet is linked under the prefix');
    assert.equal((await fetch(`${base}/auth/static/tripod.css`)).status, 200);
    for (const cookie of page.headers.getSetCookie()) assert.match(cookie, /Path=\/auth/);

    const outcome = await authorizeInBrowser(base, rt.oauth_token!, { path: '/auth/oauth/authorize' });
    assert.match(outcome.pin ?? '', /^\d{7}$/, outcome.html);
    const at = (
      await client.accessToken(
        { ...app, token: rt.oauth_token!, tokenSecret: rt.oauth_token_secret! },
        outcome.pin!,
      )
    ).form();
    assert.equal(at.screen_name, 'alice');
    const me = await client.call({
      method: 'GET',
      url: '/1.1/account/verify_credentials.json',
      credentials: { ...app, token: at.oauth_token!, tokenSecret: at.oauth_token_secret! },
    });
    assert.equal(me.status, 200, me.text);
    assert.equal((me.json() as { screen_name: string }).screen_name, 'alice');
  });

  test("the host keeps its own parsers, 404 and headers; Tripod's answer only under its prefix", async () => {
    const notes = await fetch(`${base}/api/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    assert.deepEqual(await notes.json(), { parsedByHost: { a: 1 } });
    const hostPage = await fetch(`${base}/api/page`);
    assert.equal(
      hostPage.headers.get('content-security-policy'),
      null,
      "Tripod's page headers stay on its pages",
    );
    assert.equal(hostPage.headers.get('cache-control'), null);

    const hostMissing = await fetch(`${base}/nowhere`);
    assert.equal(hostMissing.status, 404);
    assert.equal((await hostMissing.json()).message, 'Route GET:/nowhere not found', "Fastify's own 404");
    const tripodMissing = await fetch(`${base}/auth/nowhere`);
    assert.equal(tripodMissing.status, 404);
    assert.equal((await tripodMissing.json()).errors[0].code, 34, "Tripod's 404 under its prefix");
  });

  test('the host can prune expired state through the decorator the plugin adds', async () => {
    const pruned = await host.pruneExpired();
    assert.deepEqual(Object.keys(pruned).sort(), [
      'nonces',
      'passwordResets',
      'rateLimits',
      'requestTokenTombstones',
      'requestTokens',
      'sessionStashes',
      'sessions',
    ]);
  });
});

describe('tripodServer mounted in an app with its own logger', () => {
  test("a refusal is logged in the host's log (the host writes its own access lines)", async () => {
    const lines: string[] = [];
    const logged = Fastify({
      logger: {
        level: 'info',
        stream: {
          write: (line: string) => {
            lines.push(line);
          },
        },
      },
    });
    await logged.register(tripodServer, { config: serverConfig({}), stores, prefix: '/auth' });
    try {
      const answer = await logged.inject({ method: 'GET', url: '/auth/1.1/account/verify_credentials.json' });
      assert.equal(answer.statusCode, 400, answer.body);
      const problems = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'oauth problem');
      assert.deepEqual(
        problems.map((entry) => entry.oauth_problem),
        ['parameter_absent'],
      );
    } finally {
      await logged.close();
    }
  });
});

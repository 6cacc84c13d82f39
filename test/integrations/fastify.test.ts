// tripod/fastify in a host application that has its own body parsers, error handler and unprotected
// routes: the plugin verifies what it is told to (globally, per route, or not at all), keeps the raw body
// without touching the host's parsers, and hands the route `request.oauth` without a secret.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import tripodFastify from '../../src/integrations/fastify.ts';
import { AWKWARD_TEXT, type IntegrationWorld, integrationWorld } from './fixtures/signed-requests.ts';

let world: IntegrationWorld;
let app: FastifyInstance;
let base: string;
const seenByHandlers: unknown[] = [];

before(async () => {
  world = await integrationWorld();
  app = Fastify();
  // The host's own parsers: forms into an object, JSON as usual. The plugin must leave them alone.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.setErrorHandler((_error, _request, reply) => reply.code(599).send('host error handler'));
  app.get('/health', { config: { oauth: false } }, async (request) => ({ up: true, oauth: request.oauth }));
  await app.register(tripodFastify, { verifier: world.verifier });
  app.get('/hello', { config: { oauth: { access: 'read' } } }, async (request) => {
    seenByHandlers.push(request.oauth);
    return request.oauth;
  });
  app.post('/echo', { config: { oauth: { access: 'write' } } }, async (request) => ({
    oauth: request.oauth,
    body: request.body,
  }));
  // No config: the global default, access by method.
  app.put('/items/:id', async (request) => ({
    id: (request.params as { id: string }).id,
    json: request.body,
  }));
  app.get('/open', { config: { oauth: false } }, async (request) => ({ oauth: request.oauth }));
  app.post('/small', { bodyLimit: 10 }, async () => 'never');
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await app.close();
});

describe('tripod/fastify', () => {
  test('a signed GET reaches the route with request.oauth: the four fields, never a secret', async () => {
    const answer = await world.send(base, { path: '/hello?x=1' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-access-level'), 'read-write');
    assert.deepEqual(await answer.json(), world.identity);
    world.assertNoSecretIn(seenByHandlers);
  });

  test("a form POST is verified from its raw bytes and parsed by the host's own parser", async () => {
    const answer = await world.send(base, {
      method: 'POST',
      path: '/echo',
      form: [['status', AWKWARD_TEXT]],
    });
    assert.equal(answer.status, 200);
    const { oauth, body } = await answer.json();
    assert.deepEqual(body, { status: AWKWARD_TEXT }, 'the host parser got the body');
    assert.equal(oauth.screenName, 'alice');
  });

  test('a changed form parameter fails the signature (the body is part of what is verified)', async () => {
    const signed = world.sign(base, { method: 'POST', path: '/echo', form: [['status', 'signed text']] });
    const answer = await fetch(signed.url, {
      method: 'POST',
      headers: signed.headers as Record<string, string>,
      body: 'status=tampered+text',
    });
    assert.equal(answer.status, 401);
    assert.equal((await answer.json()).errors[0].code, 32);
  });

  test('routes without config get the global rule by method; a JSON body is covered by oauth_body_hash', async () => {
    const json = JSON.stringify({ name: AWKWARD_TEXT });
    const raw = { body: json, contentType: 'application/json' };
    const ok = await world.send(base, { method: 'PUT', path: '/items/7', raw });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { id: '7', json: { name: AWKWARD_TEXT } });

    const readOnly = await world.send(base, { method: 'PUT', path: '/items/7', raw, as: 'read-only' });
    assert.equal(readOnly.status, 403, 'PUT needs write access by default');
    assert.equal(readOnly.headers.get('x-access-level'), 'read');

    const signed = world.sign(base, { method: 'PUT', path: '/items/8', raw });
    const tampered = await fetch(signed.url, {
      method: 'PUT',
      headers: signed.headers as Record<string, string>,
      body: JSON.stringify({ name: 'changed' }),
    });
    assert.equal(tampered.status, 401, 'a body that does not match oauth_body_hash is refused');
  });

  test('a read-only token is refused on a write route with 403 code 261', async () => {
    const answer = await world.send(base, {
      method: 'POST',
      path: '/echo',
      form: [['status', 'x']],
      as: 'read-only',
    });
    assert.equal(answer.status, 403);
    assert.equal((await answer.json()).errors[0].code, 261);
  });

  test("refusals are Tripod's own answer (not the host's error handler), with WWW-Authenticate", async () => {
    const unsigned = await fetch(`${base}/hello`);
    assert.equal(unsigned.status, 400);
    assert.equal((await unsigned.json()).oauth_problem, 'parameter_absent');

    const replayed = world.sign(base, { path: '/hello' });
    const send = () => fetch(replayed.url, { headers: replayed.headers as Record<string, string> });
    assert.equal((await send()).status, 200);
    const replay = await send();
    assert.equal(replay.status, 401);
    assert.match(replay.headers.get('www-authenticate') ?? '', /oauth_problem="nonce_used"/);
    assert.equal(replay.headers.get('content-type'), 'application/json; charset=utf-8');
  });

  test('routes that opt out, and routes registered before the plugin, are not verified', async () => {
    for (const path of ['/open', '/health']) {
      const answer = await fetch(`${base}${path}`);
      assert.equal(answer.status, 200, path);
      assert.equal((await answer.json()).oauth, null);
    }
  });

  test("the host's body limit still holds on a protected route", async () => {
    const answer = await world.send(base, {
      method: 'POST',
      path: '/small',
      raw: { body: 'x'.repeat(1000), contentType: 'application/octet-stream' },
    });
    assert.equal(answer.status, 599, "the host's own error (its limit) answers");
  });

  test('global: false protects only the routes that ask, and a bad route config fails at start', async () => {
    const host = Fastify();
    await host.register(tripodFastify, { verifier: world.verifier, global: false });
    host.get('/free', async (request) => ({ oauth: request.oauth }));
    host.get('/guarded', { config: { oauth: {} } }, async () => 'never');
    assert.equal((await host.inject('/free')).statusCode, 200);
    assert.equal((await host.inject('/guarded')).statusCode, 400);
    await host.close();

    const bad = Fastify();
    await bad.register(tripodFastify, { verifier: world.verifier });
    assert.throws(
      () => bad.get('/x', { config: { oauth: { access: 'admin' as 'read' } } }, async () => ''),
      /config\.oauth\.access of GET \/x must be 'read' or 'write'/,
    );
    await bad.close();
    const forgotten = Fastify();
    await assert.rejects(async () => {
      await forgotten.register(tripodFastify, {} as { verifier: never });
    }, /tripod\/fastify needs \{ verifier \}/);
    await forgotten.close();
  });
});

// tripod/express in an Express 5 application: verification with the host's body parsers keeping the raw
// bytes (verify: keepRawBody), with no parser at all (oauth() reads the body), and the mistake of a parser
// that kept nothing, which is reported with the sentence that fixes it.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express, { type NextFunction, type Request, type Response } from 'express';
import { keepRawBody, oauth } from '../../src/integrations/express.ts';
import { AWKWARD_TEXT, type IntegrationWorld, integrationWorld } from './fixtures/signed-requests.ts';

let world: IntegrationWorld;
let server: Server;
let base: string;
const seenByHandlers: unknown[] = [];

before(async () => {
  world = await integrationWorld();
  const verifier = world.verifier;
  const app = express();
  // The plain parser mounted without keepRawBody, only for /careless: the mistake oauth() must report.
  app.use('/careless', express.urlencoded({ extended: false }));
  app.use('/api', express.urlencoded({ extended: false, verify: keepRawBody }));
  app.use('/api', express.json({ verify: keepRawBody }));
  app.get('/api/hello', oauth(verifier, { access: 'read' }), (req, res) => {
    seenByHandlers.push(req.oauth);
    res.json(req.oauth);
  });
  app.post('/api/echo', oauth(verifier, { access: 'write' }), (req, res) => {
    res.json({ oauth: req.oauth, parsed: req.body, raw: req.rawBody?.toString('utf8') });
  });
  app.patch('/api/items/:id', oauth(verifier), (req, res) => res.json({ id: req.params.id, json: req.body }));
  // No parser on this path: oauth() reads the body itself and leaves req.body alone.
  app.post('/bare', oauth(verifier), (req, res) =>
    res.json({ raw: req.rawBody?.toString('utf8'), body: req.body }),
  );
  app.post('/careless', oauth(verifier), (_req, res) => res.send('never'));
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ hostError: error.message });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
});

describe('tripod/express', () => {
  test('a signed GET reaches the handler with req.oauth: the four fields, never a secret', async () => {
    const answer = await world.send(base, { path: '/api/hello?q=a%20b' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-access-level'), 'read-write');
    assert.deepEqual(await answer.json(), world.identity);
    world.assertNoSecretIn(seenByHandlers);
  });

  test('a form POST through express.urlencoded({ verify: keepRawBody }): parsed and raw, both exact', async () => {
    const answer = await world.send(base, {
      method: 'POST',
      path: '/api/echo',
      form: [['status', AWKWARD_TEXT]],
    });
    assert.equal(answer.status, 200);
    const { oauth: identity, parsed, raw } = await answer.json();
    assert.equal(identity.screenName, 'alice');
    assert.deepEqual(parsed, { status: AWKWARD_TEXT });
    assert.equal(new URLSearchParams(raw).get('status'), AWKWARD_TEXT);
  });

  test('JSON through express.json({ verify: keepRawBody }) is covered by oauth_body_hash', async () => {
    const raw = { body: JSON.stringify({ n: AWKWARD_TEXT }), contentType: 'application/json' };
    const ok = await world.send(base, { method: 'PATCH', path: '/api/items/3', raw });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { id: '3', json: { n: AWKWARD_TEXT } });
    const signed = world.sign(base, { method: 'PATCH', path: '/api/items/3', raw });
    const tampered = await fetch(signed.url, {
      method: 'PATCH',
      headers: signed.headers as Record<string, string>,
      body: '{"n":"changed"}',
    });
    assert.equal(tampered.status, 401);
  });

  test('with no body parser, oauth() reads the body itself and leaves req.body untouched', async () => {
    const answer = await world.send(base, { method: 'POST', path: '/bare', form: [['a', AWKWARD_TEXT]] });
    assert.equal(answer.status, 200);
    const { raw, body } = await answer.json();
    assert.equal(new URLSearchParams(raw).get('a'), AWKWARD_TEXT);
    assert.equal(body, undefined);
  });

  test('a read-only token on a write route is 403 code 261; a bad signature 401 with WWW-Authenticate', async () => {
    const readOnly = await world.send(base, {
      method: 'POST',
      path: '/api/echo',
      form: [['s', 'x']],
      as: 'read-only',
    });
    assert.equal(readOnly.status, 403);
    assert.equal((await readOnly.json()).errors[0].code, 261);

    const forged = await world.send(base, { path: '/api/hello', tokenSecret: 'not-the-secret' });
    assert.equal(forged.status, 401);
    assert.match(
      forged.headers.get('www-authenticate') ?? '',
      /^OAuth realm="Tripod", oauth_problem="signature_invalid"/,
    );
    assert.equal((await forged.json()).errors[0].code, 32);
  });

  test('a replayed request is refused', async () => {
    const signed = world.sign(base, { path: '/api/hello' });
    const send = () => fetch(signed.url, { headers: signed.headers as Record<string, string> });
    assert.equal((await send()).status, 200);
    const replay = await send();
    assert.equal(replay.status, 401);
    assert.equal((await replay.json()).oauth_problem, 'nonce_used');
  });

  test('a body parser that kept no raw bytes is reported to the app with the fix', async () => {
    const answer = await world.send(base, { method: 'POST', path: '/careless', form: [['a', 'b']] });
    assert.equal(answer.status, 500);
    assert.match((await answer.json()).hostError, /Pass \{ verify: keepRawBody \}/);
  });
});

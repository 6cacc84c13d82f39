// tripod/fetch: a `Request` in, the identity (and the headers to add) or a ready `Response` out, as a
// fetch handler of Hono, Bun, Deno or a worker uses it. Requests are built as such runtimes hand them over.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { type FetchOAuthOptions, verifyFetchRequest } from '../../src/integrations/fetch.ts';
import type { OAuthRequest } from '../../src/provider/types.ts';
import { AWKWARD_TEXT, type IntegrationWorld, integrationWorld } from './fixtures/signed-requests.ts';

const BASE = 'https://api.example';
let world: IntegrationWorld;
before(async () => {
  world = await integrationWorld();
});

function asFetchRequest(signed: OAuthRequest, url = signed.url, extraHeaders: Record<string, string> = {}) {
  return new Request(url, {
    method: signed.method,
    headers: { ...(signed.headers as Record<string, string>), ...extraHeaders },
    body: (signed.body ?? undefined) as BodyInit | undefined,
  });
}

/** A fetch handler as an application writes it: POST echoes the body it can still read. */
async function handler(request: Request, options: FetchOAuthOptions = {}): Promise<Response> {
  const result = await verifyFetchRequest(world.verifier, request, options);
  if (!result.ok) return result.response;
  const body = request.method === 'POST' ? await request.text() : null;
  return Response.json({ oauth: result.identity, body }, { headers: result.headers });
}

describe('tripod/fetch', () => {
  test('a signed GET gives the identity (never a secret) and the X-Access-Level header', async () => {
    const answer = await handler(asFetchRequest(world.sign(BASE, { path: '/hello?lang=pl' })));
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-access-level'), 'read-write');
    const { oauth } = await answer.json();
    assert.deepEqual(oauth, world.identity);
    world.assertNoSecretIn(oauth);
  });

  test('a form POST is verified from a clone: the handler still reads the body, byte for byte', async () => {
    const signed = world.sign(BASE, { method: 'POST', path: '/echo', form: [['status', AWKWARD_TEXT]] });
    const answer = await handler(asFetchRequest(signed));
    assert.equal(answer.status, 200);
    const { body } = (await answer.json()) as { body: string };
    assert.equal(body, signed.body);
    assert.equal(new URLSearchParams(body).get('status'), AWKWARD_TEXT);
  });

  test('refusals are ready Responses: 401 with WWW-Authenticate, 403 for a read-only token, 413 past the limit', async () => {
    const forged = await handler(asFetchRequest(world.sign(BASE, { path: '/hello', tokenSecret: 'wrong' })));
    assert.equal(forged.status, 401);
    assert.match(forged.headers.get('www-authenticate') ?? '', /oauth_problem="signature_invalid"/);
    assert.equal((await forged.json()).errors[0].code, 32);

    const readOnly = world.sign(BASE, { method: 'POST', path: '/echo', form: [['a', 'b']], as: 'read-only' });
    const refused = await handler(asFetchRequest(readOnly));
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('x-access-level'), 'read');

    const big = world.sign(BASE, { method: 'POST', path: '/echo', form: [['a', 'x'.repeat(2000)]] });
    const tooLarge = await handler(asFetchRequest(big), { bodyLimit: 1000 });
    assert.equal(tooLarge.status, 413);
    assert.equal((await tooLarge.json()).errors[0].message, 'Request body too large.');
  });

  test('a replay is refused', async () => {
    const signed = world.sign(BASE, { path: '/hello' });
    assert.equal((await handler(asFetchRequest(signed))).status, 200);
    const replay = await handler(asFetchRequest(signed));
    assert.equal(replay.status, 401);
    assert.equal((await replay.json()).oauth_problem, 'nonce_used');
  });

  test('behind a proxy, X-Forwarded-Proto and -Host give the signed URL only when trusted', async () => {
    const signed = world.sign(BASE, { path: '/hello' });
    const behind = (extra: Record<string, string>) =>
      asFetchRequest(signed, 'http://10.0.0.5:8080/hello', extra);
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example' };
    const untrusted = await handler(behind(forwarded));
    assert.equal(untrusted.status, 401, 'by default the URL is the one the runtime saw');
    const trusted = await handler(behind(forwarded), { trustProxy: true });
    assert.equal(trusted.status, 200);
  });
});

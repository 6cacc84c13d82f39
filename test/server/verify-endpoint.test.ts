// GET /oauth/verify, as nginx's auth_request (and Traefik's forwardAuth) call it: the original request is
// described by X-Original-Method and X-Original-URI plus its own Authorization and Content-Type headers;
// the answer is 204 with the identity headers, or the problem (also in X-Tripod-Problem for proxies that
// only relay headers). A form body that did not come with the sub-request is refused, never half-verified.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Credentials } from './fixtures/oauth-client.ts';
import { rawRequest } from './fixtures/raw-http.ts';
import { grantAccessToken, startTestServer, type TestServer } from './fixtures/test-server.ts';

let server: TestServer;
let readWrite: Required<Credentials>;
let readOnly: Required<Credentials>;

before(async () => {
  server = await startTestServer();
  readWrite = await grantAccessToken(server, server.pinApp, 'read-write');
  readOnly = await grantAccessToken(server, server.readApp, 'read');
});
after(async () => {
  await server.close();
});

interface Original {
  method: string;
  /** Path and query of the original request. */
  uri: string;
  credentials?: Credentials;
  form?: [string, string][];
  raw?: { body: string; contentType: string };
  /** The site the client signed for (default the test server's own). */
  site?: string;
  corruptSignature?: boolean;
}

/** The sub-request nginx makes for `original`: its headers, no body, Host the original one. */
async function subRequest(original: Original, extra: Record<string, string> = {}) {
  const { headers } = server.client.sign({
    method: original.method,
    url: `${original.site ?? server.base}${original.uri}`,
    credentials: original.credentials ?? readWrite,
    form: original.form,
    raw: original.raw,
    corruptSignature: original.corruptSignature,
  });
  return fetch(`${server.base}/oauth/verify`, {
    headers: { ...headers, 'x-original-method': original.method, 'x-original-uri': original.uri, ...extra },
  });
}

describe('GET /oauth/verify', () => {
  test('a signed original request is 204 with the four identity headers and X-Access-Level, no body', async () => {
    const answer = await subRequest({ method: 'GET', uri: '/api/things?page=2&q=a%20b' });
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('x-tripod-user-id'), server.user.id);
    assert.equal(answer.headers.get('x-tripod-screen-name'), 'alice');
    assert.equal(answer.headers.get('x-tripod-consumer-key'), server.pinApp.consumerKey);
    assert.equal(answer.headers.get('x-tripod-access-level'), 'read-write');
    assert.equal(answer.headers.get('x-access-level'), 'read-write');
    assert.equal(await answer.text(), '');
  });

  test('the original method decides the access: POST needs read-write, GET read', async () => {
    const write = await subRequest({ method: 'POST', uri: '/api/things', credentials: readOnly });
    assert.equal(write.status, 403);
    assert.equal((await write.json()).errors[0].code, 261);
    assert.equal(
      (await subRequest({ method: 'GET', uri: '/api/things', credentials: readOnly })).status,
      204,
    );
    assert.equal((await subRequest({ method: 'DELETE', uri: '/api/things/1' })).status, 204);
  });

  test('a refusal is 401 with WWW-Authenticate, and the JSON problem also in X-Tripod-Problem', async () => {
    const answer = await subRequest({ method: 'GET', uri: '/api/x', corruptSignature: true });
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get('www-authenticate') ?? '', /oauth_problem="signature_invalid"/);
    const body = await answer.text();
    assert.equal(JSON.parse(body).errors[0].code, 32);
    assert.deepEqual(JSON.parse(answer.headers.get('x-tripod-problem') ?? ''), JSON.parse(body));
    assert.equal(answer.headers.get('x-tripod-user-id'), null);
  });

  test('a replayed original request is refused', async () => {
    const { headers } = server.client.sign({
      method: 'GET',
      url: `${server.base}/api/once`,
      credentials: readWrite,
    });
    const ask = () =>
      fetch(`${server.base}/oauth/verify`, {
        headers: { ...headers, 'x-original-method': 'GET', 'x-original-uri': '/api/once' },
      });
    assert.equal((await ask()).status, 204);
    const replay = await ask();
    assert.equal(replay.status, 401);
    assert.equal((await replay.json()).oauth_problem, 'nonce_used');
  });

  test('a form-encoded original whose body did not come along is 400 with advice, not half-verified', async () => {
    const answer = await subRequest({ method: 'POST', uri: '/api/statuses', form: [['status', 'hi']] });
    assert.equal(answer.status, 400);
    const problem = await answer.json();
    assert.equal(problem.oauth_problem, 'parameter_rejected');
    assert.match(
      problem.advice,
      /form-encoded body, whose parameters are signed, but the sub-request did not carry it/,
    );
    assert.match(problem.advice, /--protect PREFIX=UPSTREAM/);
    assert.match(answer.headers.get('x-tripod-problem') ?? '', /nginx auth_request never does/);

    const hashed = await subRequest({
      method: 'PUT',
      uri: '/api/items/1',
      raw: { body: '{"a":1}', contentType: 'application/json' },
    });
    assert.equal(hashed.status, 400);
    assert.deepEqual((await hashed.json()).oauth_parameters_rejected, 'oauth_body_hash');
  });

  test('a form body sent with the sub-request is verified with it', async () => {
    const form: [string, string][] = [['status', "a + b & c = 'd' ☃"]];
    const { headers, body } = server.client.sign({
      method: 'POST',
      url: `${server.base}/api/statuses`,
      credentials: readWrite,
      form,
    });
    const head = [
      'GET /oauth/verify HTTP/1.1',
      `Host: ${new URL(server.base).host}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'X-Original-Method: POST',
      'X-Original-URI: /api/statuses',
      `Content-Length: ${Buffer.byteLength(body as string)}`,
      'Connection: close',
      '',
      '',
    ].join('\r\n');
    const answer = await rawRequest(server.base, head, body as string);
    assert.equal(answer.status, 204, answer.body);
    assert.equal(answer.headers['x-tripod-screen-name'], 'alice');
  });

  test('Traefik forwardAuth names (X-Forwarded-Method, X-Forwarded-Uri) describe the original too', async () => {
    const { headers } = server.client.sign({
      method: 'GET',
      url: `${server.base}/api/t?x=1`,
      credentials: readWrite,
    });
    const answer = await fetch(`${server.base}/oauth/verify`, {
      headers: { ...headers, 'x-forwarded-method': 'GET', 'x-forwarded-uri': '/api/t?x=1' },
    });
    assert.equal(answer.status, 204);
  });

  test('a sub-request that does not describe the original is 400 naming what is missing', async () => {
    const { headers } = server.client.sign({
      method: 'GET',
      url: `${server.base}/api/x`,
      credentials: readWrite,
    });
    const missing = await fetch(`${server.base}/oauth/verify`, {
      headers: { ...headers, 'x-original-method': 'GET' },
    });
    assert.equal(missing.status, 400);
    assert.equal((await missing.json()).oauth_parameters_absent, 'X-Original-URI');
    const absolute = await fetch(`${server.base}/oauth/verify`, {
      headers: { ...headers, 'x-original-method': 'GET', 'x-original-uri': 'http://evil.example/' },
    });
    assert.equal(absolute.status, 400);
  });

  test("with --public-url, the original URL is the public origin (not Tripod's path) plus X-Original-URI", async () => {
    const behind = await startTestServer({ settings: { publicUrl: 'https://api.example/tripod' } });
    try {
      const credentials = await grantAccessToken(behind, behind.pinApp, 'read-write');
      const { headers } = behind.client.sign({
        method: 'GET',
        url: 'https://api.example/api/x',
        credentials,
      });
      const answer = await fetch(`${behind.base}/oauth/verify`, {
        headers: { ...headers, 'x-original-method': 'GET', 'x-original-uri': '/api/x' },
      });
      assert.equal(answer.status, 204);
      assert.match(answer.headers.get('x-tripod-screen-name') ?? '', /^alice$/);
    } finally {
      await behind.close();
    }
  });
});

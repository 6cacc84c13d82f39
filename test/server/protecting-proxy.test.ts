// --protect PREFIX=UPSTREAM in front of an upstream that is not Node (Python's http.server) and records
// exactly what reaches it: verified requests arrive with the same method, target and body bytes and the
// identity headers (never a client's X-Tripod-*), refused ones never arrive, and the upstream's answer
// comes back as it was sent.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AWKWARD_STATUS as AWKWARD } from '../interop/pin-client-process.ts';
import type { Credentials } from './fixtures/oauth-client.ts';
import { rawRequest } from './fixtures/raw-http.ts';
import { type RecordingUpstream, startRecordingUpstream } from './fixtures/recording-upstream.ts';
import { grantAccessToken, startTestServer, type TestServer } from './fixtures/test-server.ts';

let upstream: RecordingUpstream;
let server: TestServer;
let readWrite: Required<Credentials>;
let readOnly: Required<Credentials>;

before(async () => {
  upstream = await startRecordingUpstream();
  server = await startTestServer({
    settings: { protect: [`/api=${upstream.url}`, `/dead=http://127.0.0.1:9`] },
  });
  readWrite = await grantAccessToken(server, server.pinApp, 'read-write');
  readOnly = await grantAccessToken(server, server.readApp, 'read');
});
after(async () => {
  await server.close();
  upstream.stop();
});

/** A signed GET whose form body is signed too (fetch sends no GET body: a raw socket does). */
function getWithBody(path: string) {
  const { url, headers, body } = server.client.sign({
    method: 'GET',
    url: path,
    credentials: readWrite,
    form: [['a', 'b']],
  });
  const target = new URL(url);
  const head = [
    `GET ${target.pathname} HTTP/1.1`,
    `Host: ${target.host}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body as string)}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return rawRequest(server.base, head, body as string);
}

/** Sends refused requests, then an accepted one: only the accepted one may have reached the upstream. */
async function assertNeverArrived(refused: () => Promise<number>[]) {
  const before = upstream.received.length;
  for (const status of await Promise.all(refused())) assert.ok(status >= 400, `refused with ${status}`);
  const marker = await server.client.call({ method: 'GET', url: '/api/marker', credentials: readWrite });
  assert.equal(marker.status, 207);
  const received = await upstream.waitFor(before + 1);
  assert.deepEqual(
    received.slice(before).map((r) => r.target),
    ['/api/marker'],
    'nothing refused reached the upstream',
  );
}

describe('the protecting proxy (--protect)', () => {
  test('a verified GET arrives with its method and target unchanged and the four identity headers', async () => {
    const count = upstream.received.length;
    const answer = await server.client.call({
      method: 'GET',
      url: '/api/things/1?b=2&a=%20x%2B&a=y',
      credentials: readWrite,
    });
    assert.equal(answer.status, 207, answer.text);
    const [arrived] = (await upstream.waitFor(count + 1)).slice(count);
    assert.ok(arrived);
    assert.equal(arrived.method, 'GET');
    assert.equal(arrived.target, '/api/things/1?b=2&a=%20x%2B&a=y');
    assert.equal(upstream.header(arrived, 'x-tripod-user-id'), server.user.id);
    assert.equal(upstream.header(arrived, 'x-tripod-screen-name'), 'alice');
    assert.equal(upstream.header(arrived, 'x-tripod-consumer-key'), server.pinApp.consumerKey);
    assert.equal(upstream.header(arrived, 'x-tripod-access-level'), 'read-write');
    assert.match(upstream.header(arrived, 'authorization') ?? '', /^OAuth /, 'the signed header goes on');
    const everything = JSON.stringify(arrived.headers);
    for (const secret of [readWrite.consumerSecret, readWrite.tokenSecret])
      assert.ok(!everything.includes(secret));
  });

  test("a client's X-Tripod-* headers never arrive: the identity is Tripod's alone", async () => {
    const count = upstream.received.length;
    const { url, headers } = server.client.sign({ method: 'GET', url: '/api/spoof', credentials: readWrite });
    const answer = await fetch(url, {
      headers: {
        ...headers,
        'X-Tripod-User-Id': 'someone-else',
        'x-tripod-screen-name': 'root',
        'X-TRIPOD-ACCESS-LEVEL': 'admin',
        'X-Tripod-Anything': 'no',
      },
    });
    assert.equal(answer.status, 207);
    const [arrived] = (await upstream.waitFor(count + 1)).slice(count);
    assert.ok(arrived);
    const tripodHeaders = arrived.headers.filter(([name]) => name.toLowerCase().startsWith('x-tripod-'));
    assert.deepEqual(tripodHeaders.map(([name, value]) => [name.toLowerCase(), value]).sort(), [
      ['x-tripod-access-level', 'read-write'],
      ['x-tripod-consumer-key', server.pinApp.consumerKey],
      ['x-tripod-screen-name', 'alice'],
      ['x-tripod-user-id', server.user.id],
    ]);
  });

  test('form and JSON bodies arrive byte for byte, with the Content-Type as sent', async () => {
    const count = upstream.received.length;
    const form = await server.client.call({
      method: 'POST',
      url: '/api/statuses',
      credentials: readWrite,
      form: [['status', AWKWARD]],
    });
    assert.equal(form.status, 207);
    const json = `{"text":${JSON.stringify(AWKWARD)}}`;
    const put = await server.client.call({
      method: 'PUT',
      url: '/api/items/9',
      credentials: readWrite,
      raw: { body: json, contentType: 'application/json; charset=utf-8' },
    });
    assert.equal(put.status, 207);
    const [formArrived, putArrived] = (await upstream.waitFor(count + 2)).slice(count);
    assert.ok(formArrived && putArrived);
    assert.equal(new URLSearchParams(formArrived.body.toString('utf8')).get('status'), AWKWARD);
    assert.equal(upstream.header(formArrived, 'content-type'), 'application/x-www-form-urlencoded');
    assert.equal(putArrived.method, 'PUT');
    assert.deepEqual(putArrived.body, Buffer.from(json, 'utf8'));
    assert.equal(upstream.header(putArrived, 'content-type'), 'application/json; charset=utf-8');
  });

  test('refused requests never reach the upstream: unsigned, forged, read-only on write, replayed, GET with a body', async () => {
    const replayed = server.client.sign({ method: 'GET', url: '/api/replayed', credentials: readWrite });
    assert.equal((await fetch(replayed.url, { headers: replayed.headers })).status, 207);
    await upstream.waitFor(upstream.received.length);
    await assertNeverArrived(() => [
      fetch(`${server.base}/api/unsigned`).then((r) => r.status),
      server.client
        .call({ method: 'GET', url: '/api/forged', credentials: { ...readWrite, tokenSecret: 'guess' } })
        .then((r) => r.status),
      server.client
        .call({ method: 'DELETE', url: '/api/items/1', credentials: readOnly })
        .then((r) => r.status),
      fetch(replayed.url, { headers: replayed.headers }).then((r) => r.status),
      getWithBody('/api/with-body').then((r) => r.status),
    ]);
  });

  test("refusals are Tripod's problems: 401 with WWW-Authenticate, 403 code 261, 400 for a GET body", async () => {
    const forged = await server.client.call({
      method: 'GET',
      url: '/api/x',
      credentials: readWrite,
      corruptSignature: true,
    });
    assert.equal(forged.status, 401);
    assert.match(forged.headers.get('www-authenticate') ?? '', /oauth_problem="signature_invalid"/);
    const readOnlyWrite = await server.client.call({
      method: 'POST',
      url: '/api/x',
      credentials: readOnly,
      form: [['a', 'b']],
    });
    assert.equal(readOnlyWrite.status, 403);
    assert.equal((readOnlyWrite.json() as { errors: { code: number }[] }).errors[0]?.code, 261);
    const readOnlyRead = await server.client.call({ method: 'GET', url: '/api/x', credentials: readOnly });
    assert.equal(readOnlyRead.status, 207, 'GET needs read access only');
    const getBody = await getWithBody('/api/x');
    assert.equal(getBody.status, 400);
    assert.match(JSON.parse(getBody.body).advice, /does not forward a body on GET/);
  });

  test("the upstream's answer comes back unchanged: status, its headers, none of Tripod's, a large body whole", async () => {
    const answer = await server.client.call({ method: 'GET', url: '/api/answer', credentials: readWrite });
    assert.equal(answer.status, 207);
    assert.equal(answer.headers.get('x-upstream'), 'python');
    assert.equal(answer.headers.get('cache-control'), 'public, max-age=60');
    assert.equal(answer.headers.get('content-security-policy'), null, "no page header of Tripod's");
    assert.deepEqual(answer.json(), { upstream: 'python', target: '/api/answer' });
    const big = await server.client.call({ method: 'GET', url: '/api/big', credentials: readWrite });
    assert.equal(big.status, 207);
    assert.equal(big.text.length, 1024 * 1024);
  });

  test("the prefix is matched by whole segments, and an upstream that is down is a 502 in Tripod's shape", async () => {
    const beside = await server.client.call({ method: 'GET', url: '/apix', credentials: readWrite });
    assert.equal(beside.status, 404, '/apix is not under /api');
    const exact = await server.client.call({ method: 'GET', url: '/api', credentials: readWrite });
    assert.equal(exact.status, 207);
    const dead = await server.client.call({ method: 'GET', url: '/dead/x', credentials: readWrite });
    assert.equal(dead.status, 502);
    assert.equal((dead.json() as { errors: { code: number }[] }).errors[0]?.code, 131);
  });
});

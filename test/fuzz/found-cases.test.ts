// Requests the fuzz campaign found answered wrongly, kept as tests (each failed before its fix). Node's
// HTTP server answers some requests itself, before Fastify sees them: a missing Host got a bare 400 with
// no body, an Expect it cannot meet a bare 417, and CONNECT or Upgrade requests a dropped connection; a
// first fix for the Host case made the portal's error page crash (500) on its unparsed cookies. Each is
// now answered in Tripod's shape (error-responses.ts: hostHeaderRequired, answerNodeLevelRequests).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstAnswer } from '../server/fixtures/raw-http.ts';
import { testServerForTheFile } from '../server/fixtures/test-server.ts';
import { judgeAnswer } from './fixtures/answer-oracle.ts';
import { type RawRequest, rawRequest, removeHeader, toWire } from './fixtures/raw-request.ts';

const server = testServerForTheFile();

async function send(request: RawRequest) {
  const answer = await firstAnswer(server.base, toWire(request), { method: request.method, waitMs: 5000 });
  return { answer, wrong: judgeAnswer(request, answer, { clientHungUp: false }) };
}

function request(method: string, path: string, headers: [string, string][] = []): RawRequest {
  return rawRequest({ method, url: `${server.base}${path}`, headers });
}

describe('requests Node would answer itself are answered in Tripod’s shape', () => {
  test('an HTTP/1.1 request without Host is 400 with an oauth_problem, on the API and on the pages', async () => {
    for (const path of [
      '/oauth/request_token',
      '/1.1/account/verify_credentials.json',
      '/apps',
      '/oauth/authorize',
    ]) {
      const noHost = request('GET', path, [['Cookie', 'tripod_session=abc; tripod_portal_csrf=def']]);
      removeHeader(noHost, 'Host');
      const { answer, wrong } = await send(noHost);
      assert.equal(wrong, null, `${path}: ${wrong}`);
      assert.equal(answer.status, 400);
      assert.match(JSON.parse(answer.body).advice, /Host/);
    }
  });

  test('an HTTP/1.0 request without Host is still served', async () => {
    const old = request('GET', '/favicon.ico');
    removeHeader(old, 'Host');
    old.version = 'HTTP/1.0';
    const { answer } = await send(old);
    assert.equal(answer.status, 204);
  });

  test('an Expect other than 100-continue is 417 with an oauth_problem', async () => {
    const expecting = request('POST', '/oauth/request_token', [['Expect', 'garbage']]);
    const { answer, wrong } = await send(expecting);
    assert.equal(wrong, null, wrong ?? '');
    assert.equal(answer.status, 417);
  });

  test('CONNECT is answered 400 with an oauth_problem, not dropped', async () => {
    const tunnel = request('CONNECT', '/oauth/request_token');
    const { answer, wrong } = await send(tunnel);
    assert.equal(wrong, null, wrong ?? '');
    assert.equal(answer.status, 400);
  });

  test('an Upgrade request is answered 400 with an oauth_problem, not dropped', async () => {
    const upgrade = request('GET', '/', [
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
    ]);
    const { answer, wrong } = await send(upgrade);
    assert.equal(wrong, null, wrong ?? '');
    assert.equal(answer.status, 400);
  });
});

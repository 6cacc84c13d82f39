// Request ids: every answer carries one and every log line of the request (the provider's events
// included) names it; a trusted proxy's X-Request-Id is kept, anyone else's ignored.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { trustsPeer } from '../../src/server/proxy-trust.ts';
import { startTestServer } from './fixtures/test-server.ts';

// Ours: a random prefix of this process and a counter.
const OUR_ID = /^[\w-]{8}-[0-9a-z]+$/;

function linesOf(logs: string[], reqId: string): Record<string, unknown>[] {
  return logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.reqId === reqId);
}

describe('request ids', () => {
  test('every answer carries a fresh id, and every log line of the request names it', async () => {
    const server = await startTestServer();
    try {
      const issued = await server.client.requestToken(server.pinApp, 'oob');
      const refused = await fetch(`${server.base}/oauth/request_token`, { method: 'POST' });
      const missing = await fetch(`${server.base}/nowhere`);
      const ids = [issued, refused, missing].map((answer) => answer.headers.get('x-request-id') ?? '');
      for (const id of ids) assert.match(id, OUR_ID);
      assert.equal(new Set(ids).size, 3);

      const messages = linesOf(server.logs, ids[0]!).map((entry) => entry.msg);
      assert.deepEqual(messages, ['request_token.issued', 'request completed']);
      // A refusal is one line too: the access line, with the problem on it.
      const refusedLines = linesOf(server.logs, ids[1]!);
      assert.deepEqual(
        refusedLines.map((entry) => [entry.msg, entry.oauth_problem]),
        [['request completed', 'parameter_absent']],
      );
    } finally {
      await server.close();
    }
  });

  test("a client's own X-Request-Id is ignored unless it comes through a trusted proxy", async () => {
    const direct = await startTestServer();
    const proxied = await startTestServer({ settings: { trustProxy: 'true' } });
    try {
      const headers = { 'x-request-id': 'nginx-4f1c2a' };
      const ignored = await fetch(`${direct.base}/healthz`, { headers });
      assert.match(ignored.headers.get('x-request-id') ?? '', OUR_ID);
      const kept = await fetch(`${proxied.base}/healthz`, { headers });
      assert.equal(kept.headers.get('x-request-id'), 'nginx-4f1c2a');
      const signed = await proxied.client.call({
        method: 'POST',
        url: '/oauth/request_token',
        credentials: proxied.pinApp,
        oauth: [['oauth_callback', 'oob']],
      });
      assert.equal(signed.status, 200);
      // Text that could break a log line or pose as several ids is never taken, even from the proxy.
      for (const bad of ['two words', 'a'.repeat(129), 'x"y', 'a;b,c']) {
        const answer = await fetch(`${proxied.base}/healthz`, { headers: { 'x-request-id': bad } });
        assert.match(answer.headers.get('x-request-id') ?? '', OUR_ID, bad);
      }
    } finally {
      await direct.close();
      await proxied.close();
    }
  });

  test('which peers are trusted proxies follows Fastify’s trustProxy forms', () => {
    assert.equal(trustsPeer(false)('127.0.0.1'), false);
    assert.equal(trustsPeer(true)('203.0.113.9'), true);
    // A hop count says how many proxies there are, not which peer is one: no peer is vouched for.
    assert.equal(trustsPeer(1)('127.0.0.1'), false);
    const list = trustsPeer('127.0.0.1, 10.0.0.0/8');
    assert.equal(list('127.0.0.1'), true);
    assert.equal(list('10.1.2.3'), true);
    assert.equal(list('192.0.2.1'), false);
    assert.equal(trustsPeer(['loopback'])('::1'), true);
    assert.equal(trustsPeer(true)(undefined), false, 'a closed socket has no address to trust');
  });
});

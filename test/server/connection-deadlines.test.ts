// Slow clients cannot hold connections: a body dripped byte by byte, headers never finished, a connection
// that says nothing, an idle keep-alive connection — each is answered 408 (where an answer is possible) and
// closed at its deadline, and connections beyond the cap are closed at once. Real sockets against a real
// server; the deadlines are set short here to prove the mechanism, not the defaults (config.test.ts).

import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { openSocket, type RawAnswer, rawExchange } from './fixtures/raw-http.ts';
import { testServerForTheFile } from './fixtures/test-server.ts';

const server = testServerForTheFile({
  settings: {
    requestTimeoutSeconds: '2',
    headersTimeoutSeconds: '1',
    keepAliveTimeoutSeconds: '1',
    maxConnections: '6',
  },
});

/** How long the test waits before giving up on the server: well past every deadline above. */
const GIVE_UP_MS = 6000;
const host = () => `Host: ${new URL(server.base).host}\r\n`;

function assertTimedOut(answer: RawAnswer) {
  assert.ok(answer.closedAfterMs < GIVE_UP_MS - 500, `still open after ${answer.closedAfterMs} ms`);
  assert.equal(answer.status, 408, answer.body);
  assert.equal(JSON.parse(answer.body).oauth_problem, 'parameter_rejected');
}

// Each of these holds one connection at a time, so they run side by side under the cap.
describe('connection deadlines', { concurrency: true }, () => {
  test('a body dripped one byte at a time is cut off at the request timeout with 408', async () => {
    const head = `POST /oauth/request_token HTTP/1.1\r\n${host()}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`;
    const drip = Array.from({ length: 20 }, () => ['a', 300]).flat();
    const answer = await rawExchange(server.base, [head, ...drip], GIVE_UP_MS);
    assertTimedOut(answer);
    assert.ok(
      answer.closedAfterMs >= 1500,
      `closed after ${answer.closedAfterMs} ms: before the request timeout`,
    );
  });

  test('headers that never end are cut off at the headers timeout with 408', async () => {
    const answer = await rawExchange(server.base, ['GET /oauth/authorize HTTP/1.1\r\n', host()], GIVE_UP_MS);
    assertTimedOut(answer);
  });

  test('a connection that sends nothing is closed at the headers timeout', async () => {
    const answer = await rawExchange(server.base, [], GIVE_UP_MS);
    assert.ok(answer.closedAfterMs < GIVE_UP_MS - 500, `still open after ${answer.closedAfterMs} ms`);
  });

  test('an idle keep-alive connection is closed at the keep-alive timeout, after its answer', async () => {
    const answer = await rawExchange(server.base, [`GET /favicon.ico HTTP/1.1\r\n${host()}\r\n`], GIVE_UP_MS);
    assert.equal(answer.status, 204);
    assert.ok(answer.closedAfterMs < GIVE_UP_MS - 500, `still open after ${answer.closedAfterMs} ms`);
  });
});

describe('the connection cap', () => {
  test('connections beyond the cap are closed at once, and the server answers again when they go', async () => {
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 6; i++) held.push(await openSocket(server.base));
      const refused = await rawExchange(
        server.base,
        [`GET /favicon.ico HTTP/1.1\r\n${host()}\r\n`],
        GIVE_UP_MS,
      );
      assert.equal(refused.status, 0, 'no answer beyond the cap');
      assert.ok(refused.closedAfterMs < 1000, `closed after ${refused.closedAfterMs} ms`);
    } finally {
      for (const socket of held) socket.destroy();
    }
    // The server counts closed connections out; give it the moment that takes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const res = await fetch(`${server.base}/favicon.ico`);
    assert.equal(res.status, 204);
  });
});

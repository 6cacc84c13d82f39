// Every answer, whatever goes wrong, has Tripod's error shape — {"errors":[{code,message}], oauth_problem,
// advice} — never Fastify's ({"statusCode","code":"FST_…","error"}) or Node's: malformed HTTP that Node's
// parser refuses, URLs Fastify cannot route, unknown paths, and a failure to send an answer at all.
// Sent on bare sockets, because fetch will not send most of these.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { serverConfig } from '../../src/server/config.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';
import { type RawAnswer, rawRequest } from './fixtures/raw-http.ts';

let app: FastifyInstance;
let base: string;
before(async () => {
  app = await buildApp({ config: serverConfig({ logLevel: 'silent' }), stores: createMemoryStores() });
  // A route whose answer cannot be sent: Node refuses the header value (ERR_INVALID_CHAR).
  app.get('/test/unsendable-header', async (_request, reply) =>
    reply.header('x-broken', 'a\u0001b').send('x'),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await app.close();
});

const HOST = 'Host: 127.0.0.1\r\nConnection: close\r\n';

function assertTripodShape(answer: RawAnswer, status: number, withProblem = true) {
  assert.equal(answer.status, status, `${answer.status} ${answer.body}`);
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  const [error] = body.errors as { code: number; message: string }[];
  assert.equal(typeof error?.code, 'number', answer.body);
  assert.equal(typeof error?.message, 'string', answer.body);
  assert.equal(typeof body.advice, 'string', answer.body);
  if (withProblem) assert.equal(typeof body.oauth_problem, 'string', answer.body);
  assert.doesNotMatch(answer.body, /FST_|ERR_|"statusCode"|"error":/, "not Fastify's or Node's own JSON");
}

describe("malformed HTTP (Node's parser) is answered in Tripod's shape and the connection closed", () => {
  const cases: { name: string; request: string; status: number }[] = [
    {
      name: 'a space in a header name',
      request: `GET / HTTP/1.1\r\n${HOST}Bad Header: x\r\n\r\n`,
      status: 400,
    },
    {
      name: 'a control character in a header value',
      request: `GET / HTTP/1.1\r\n${HOST}X: a\u0001b\r\n\r\n`,
      status: 400,
    },
    { name: 'an invalid method', request: `G@T / HTTP/1.1\r\n${HOST}\r\n`, status: 400 },
    { name: 'a garbage request line', request: 'hello\r\n\r\n', status: 400 },
    {
      name: 'both Content-Length and Transfer-Encoding',
      request: `POST /oauth/request_token HTTP/1.1\r\n${HOST}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      status: 400,
    },
    {
      name: 'a bad chunk size',
      request: `POST /oauth/request_token HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\nzz\r\n`,
      status: 400,
    },
    {
      name: 'headers over the size limit',
      request: `GET / HTTP/1.1\r\n${HOST}X: ${'a'.repeat(20_000)}\r\n\r\n`,
      status: 431,
    },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.status}`, async () => {
      assertTripodShape(await rawRequest(base, c.request), c.status);
    });
  }
});

describe("what Fastify refuses before any route is answered in Tripod's shape", () => {
  for (const path of [
    '/%zz',
    '/oauth/request_token%E0%A4%A',
    '/1.1/account/%',
    '/oauth/authorize%?oauth_token=x',
  ]) {
    test(`a bad percent-encoding in the path (${path}): 400`, async () => {
      const answer = await rawRequest(base, `GET ${path} HTTP/1.1\r\n${HOST}\r\n`);
      assertTripodShape(answer, 400);
      assert.match(JSON.parse(answer.body).advice, /percent-encoding/);
    });
  }

  test('an unknown path: 404 with code 34, an oauth_problem and advice', async () => {
    const answer = await rawRequest(base, `GET /1.1/nothing.json HTTP/1.1\r\n${HOST}\r\n`);
    assertTripodShape(answer, 404);
    assert.equal(JSON.parse(answer.body).errors[0].code, 34);
  });

  test('a body the root routes cannot parse (a JSON GET to the stylesheet): 400', async () => {
    const body = '{not json';
    const answer = await rawRequest(
      base,
      `GET /static/tripod.css HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    assertTripodShape(answer, 400);
  });

  test("an answer Node refuses to send (a header with a control character): a 500 in Tripod's shape", async () => {
    const answer = await rawRequest(base, `GET /test/unsendable-header HTTP/1.1\r\n${HOST}\r\n`);
    assertTripodShape(answer, 500, false);
    assert.equal(answer.headers['x-broken'], undefined);
  });
});

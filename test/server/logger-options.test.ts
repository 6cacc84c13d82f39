// No secret reaches the log, wherever the client put it and however the request was refused: a live PIN,
// request and access tokens, signatures, token secrets and passwords, each sent in the query string, the
// Authorization header and a form body, refused for a stale timestamp, a bad signature, a malformed URL,
// an unknown path, malformed HTTP or missing parameters. The log stream of a real server is read whole.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { formatFormEncoded, type Parameter } from '../../src/core/encoding.ts';
import { formatAuthorizationHeader } from '../../src/core/parameters.ts';
import { signRequest } from '../../src/core/signing.ts';
import { rawRequest } from './fixtures/raw-http.ts';
import { authorizeInBrowser, startTestServer, type TestServer } from './fixtures/test-server.ts';

let server: TestServer;
let requestToken: { token: string; secret: string };
let pin: string;
let access: { token: string; secret: string };
/** Every secret value sent; none may appear in the log. */
const secrets = new Set<string>();

before(async () => {
  // Ten-digit PINs: a PIN cannot turn up by chance inside a timestamp of the log.
  server = await startTestServer({ settings: { logLevel: 'trace', pinLength: '10' } });
  const first = (await server.client.requestToken(server.pinApp, 'oob')).form();
  const firstPin = (await authorizeInBrowser(server.base, first.oauth_token!)).pin!;
  const at = (
    await server.client.accessToken(
      { ...server.pinApp, token: first.oauth_token!, tokenSecret: first.oauth_token_secret! },
      firstPin,
    )
  ).form();
  access = { token: at.oauth_token!, secret: at.oauth_token_secret! };
  // A live, unexchanged PIN: the one a leak would let someone use.
  const rt = (await server.client.requestToken(server.pinApp, 'oob')).form();
  requestToken = { token: rt.oauth_token!, secret: rt.oauth_token_secret! };
  pin = (await authorizeInBrowser(server.base, requestToken.token)).pin!;
  for (const value of [access.token, access.secret, requestToken.token, requestToken.secret, pin])
    secrets.add(value);
});
after(async () => {
  await server.close();
});

type Transport = 'query' | 'header' | 'body';

/** A POST signed with `params` among the protocol parameters, all of them sent by `transport`. */
async function send(
  transport: Transport,
  path: string,
  token: { token: string; secret: string } | null,
  params: Parameter[],
  options: { staleBySeconds?: number; wrongSecret?: boolean } = {},
) {
  const url = `${server.base}${path}`;
  const signed = signRequest({
    method: 'POST',
    url,
    consumerKey: server.pinApp.consumerKey,
    consumerSecret: options.wrongSecret ? 'not-the-secret' : server.pinApp.consumerSecret,
    token: token?.token,
    tokenSecret: token?.secret,
    extraOAuthParams: params,
    nonce: randomUUID(),
    timestamp: Math.floor(server.clock.now() / 1000) - (options.staleBySeconds ?? 0),
  });
  secrets.add(signed.signature);
  const all = signed.oauthParams;
  const init: RequestInit =
    transport === 'header'
      ? { method: 'POST', headers: { authorization: formatAuthorizationHeader(all) } }
      : transport === 'body'
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: formatFormEncoded(all),
          }
        : { method: 'POST' };
  const res = await fetch(transport === 'query' ? `${url}?${formatFormEncoded(all)}` : url, init);
  return { status: res.status, body: (await res.json()) as { oauth_problem: string } };
}

/** The log lines written since `mark` hold none of the secrets sent so far, and there are some. */
function assertLoggedWithoutSecrets(mark: number) {
  const log = server.logs.slice(mark).join('');
  assert.ok(log.length > 0, 'the requests were logged');
  for (const secret of secrets) assert.equal(log.includes(secret), false, `the log holds ${secret}`);
}

describe('the log', () => {
  for (const transport of ['query', 'header', 'body'] as const) {
    test(`holds no PIN, token or signature sent in the ${transport} of a refused exchange (timestamp_refused)`, async () => {
      const mark = server.logs.length;
      const res = await send(transport, '/oauth/access_token', requestToken, [['oauth_verifier', pin]], {
        staleBySeconds: 3600,
      });
      assert.equal(res.body.oauth_problem, 'timestamp_refused');
      assertLoggedWithoutSecrets(mark);
    });

    test(`holds no xAuth password sent in the ${transport} of a badly signed request`, async () => {
      const mark = server.logs.length;
      const password = `xauth-password-${transport}-${randomUUID()}`;
      secrets.add(password);
      const res = await send(
        transport,
        '/oauth/access_token',
        null,
        [
          ['x_auth_mode', 'client_auth'],
          ['x_auth_username', 'alice'],
          ['x_auth_password', password],
        ],
        { wrongSecret: true },
      );
      assert.equal(res.status, 401);
      assertLoggedWithoutSecrets(mark);
    });

    test(`holds no access token or signature sent in the ${transport} of a refused API call`, async () => {
      const mark = server.logs.length;
      const res = await send(transport, '/1.1/statuses/update.json', access, [], { wrongSecret: true });
      assert.equal(res.status, 401);
      assertLoggedWithoutSecrets(mark);
    });
  }

  test('holds no secret from a URL Fastify cannot decode, an unknown path or malformed HTTP', async () => {
    const mark = server.logs.length;
    const query = `oauth_verifier=${pin}&oauth_token=${access.token}&x_auth_password=url-password-1`;
    secrets.add('url-password-1');
    const host = `Host: ${new URL(server.base).host}\r\nConnection: close\r\n`;
    assert.equal((await rawRequest(server.base, `GET /%zz?${query} HTTP/1.1\r\n${host}\r\n`)).status, 400);
    assert.equal(
      (await rawRequest(server.base, `GET /nothing?${query} HTTP/1.1\r\n${host}\r\n`)).status,
      404,
    );
    const malformed = await rawRequest(
      server.base,
      `GET /oauth/authorize?${query} HTTP/1.1\r\n${host}Bad Header: x\r\n\r\n`,
    );
    assert.equal(malformed.status, 400);
    const page = await fetch(
      `${server.base}/oauth/authorize?oauth_token=${requestToken.token}&oauth_verifier=${pin}`,
    );
    assert.equal(page.status, 400, 'an authorized token cannot be approved again');
    assertLoggedWithoutSecrets(mark);
  });

  test('holds no token secret or password sent in a form body that is refused as malformed', async () => {
    const mark = server.logs.length;
    const res = await fetch(`${server.base}/oauth/request_token?password=url-password-2`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formatFormEncoded([
        ['oauth_token_secret', access.secret],
        ['password', 'form-password-3'],
        ['oauth_signature', 'form-signature-4'],
      ]),
    });
    for (const value of ['url-password-2', 'form-password-3', 'form-signature-4']) secrets.add(value);
    assert.equal(res.status, 400);
    assertLoggedWithoutSecrets(mark);
  });

  test("a refused API call's one line names the token by its first six characters and '...', in ASCII", async () => {
    // ASCII: one character outside it (the '…' it used to end with) made the line a two-byte string in V8,
    // and each refused request 3-7 % dearer over sockets (BENCHMARKS.md).
    const mark = server.logs.length;
    const res = await send('header', '/1.1/statuses/update.json', access, [], { wrongSecret: true });
    assert.equal(res.status, 401);
    const lines = server.logs
      .slice(mark)
      .join('')
      .split('\n')
      .filter((line) => line.includes('"signature_invalid"'));
    assert.equal(lines.length, 1, 'one line for the refusal');
    const line = lines[0]!;
    assert.equal(JSON.parse(line).accessToken, `${access.token.slice(0, 6)}...`);
    assert.match(line, /^[\x20-\x7e]*$/, 'the line is ASCII');
  });

  test('read whole, it still logs what happened: the refusals, and the URLs with their secrets blanked', () => {
    const log = server.logs.join('');
    assert.match(log, /timestamp_refused/);
    assert.match(log, /oauth_verifier=\[redacted\]/);
    assert.match(log, /"url":"\/%zz\?/, 'the bad URL is logged, without its secrets');
    assertLoggedWithoutSecrets(0);
  });
});

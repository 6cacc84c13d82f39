// The protocol endpoints' HTTP binding: bodies reach the provider unparsed, answers have Twitter's shapes,
// and no input, however broken, produces a 5xx or leaks a secret into the log.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { formatFormEncoded, type Parameter } from '../../src/core/encoding.ts';
import { signRequest } from '../../src/core/signing.ts';
import { dayOf } from '../../src/server/daily-counter.ts';
import { twitterDate } from '../../src/server/oauth-endpoints.ts';
import { OAuthTestClient } from './fixtures/oauth-client.ts';
import { rawExchange, rawRequest } from './fixtures/raw-http.ts';
import { authorizeInBrowser, startTestServer, type TestServer } from './fixtures/test-server.ts';

let server: TestServer;
let access: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };

before(async () => {
  server = await startTestServer({ settings: { logLevel: 'debug' } });
  const rt = (await server.client.requestToken(server.pinApp, 'oob')).form();
  const { pin } = await authorizeInBrowser(server.base, rt.oauth_token!);
  const at = (
    await server.client.accessToken(
      { ...server.pinApp, token: rt.oauth_token!, tokenSecret: rt.oauth_token_secret! },
      pin!,
    )
  ).form();
  access = { ...server.pinApp, token: at.oauth_token!, tokenSecret: at.oauth_token_secret! };
});
after(async () => {
  await server.close();
});

describe('token endpoint answers', () => {
  test('request_token answers form-encoded oauth_token, oauth_token_secret, oauth_callback_confirmed=true', async () => {
    const res = await server.client.requestToken(server.pinApp, 'oob');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/x-www-form-urlencoded/);
    assert.deepEqual(Object.keys(res.form()), [
      'oauth_token',
      'oauth_token_secret',
      'oauth_callback_confirmed',
    ]);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('errors carry Twitter JSON, oauth_problem and advice; only 401 carries WWW-Authenticate', async () => {
    const unauthorized = await server.client.requestToken(server.pinApp, 'oob', { corruptSignature: true });
    const body = unauthorized.json() as Record<string, unknown>;
    assert.match(unauthorized.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(body).slice(0, 3), ['errors', 'oauth_problem', 'advice']);
    assert.deepEqual(body.errors, [{ code: 32, message: 'Could not authenticate you.' }]);
    assert.match(
      unauthorized.headers.get('www-authenticate') ?? '',
      /^OAuth realm="Tripod", oauth_problem="signature_invalid"/,
    );

    const malformed = await server.client.requestToken(server.pinApp, null);
    assert.equal(malformed.status, 400);
    assert.equal(malformed.headers.get('www-authenticate'), null);
  });

  test('signatures are checked against the public URL when one is configured (TLS-terminating proxy)', async () => {
    const proxied = await startTestServer({ settings: { publicUrl: 'https://auth.example/tripod' } });
    try {
      // The client signed https://auth.example/tripod/oauth/request_token; the proxy forwarded plain http.
      const client = new OAuthTestClient('https://auth.example/tripod', proxied.clock.now);
      const signed = client.sign({
        method: 'POST',
        url: '/oauth/request_token',
        credentials: proxied.pinApp,
        oauth: [['oauth_callback', 'oob']],
      });
      const res = await fetch(`${proxied.base}/oauth/request_token`, {
        method: 'POST',
        headers: signed.headers,
      });
      assert.equal(res.status, 200, await res.clone().text());
      const direct = await proxied.client.requestToken(proxied.pinApp, 'oob');
      assert.equal(direct.status, 401, 'a signature over the internal URL does not verify');
      // The realm is the public origin (core percent-encodes header values).
      assert.match(direct.headers.get('www-authenticate') ?? '', /realm="https(:|%3A)/);
    } finally {
      await proxied.close();
    }
  });
});

describe('bodies reach the provider as received', () => {
  test('a JSON body signed with oauth_body_hash verifies; the same call with a changed body does not', async () => {
    const call = {
      method: 'POST',
      url: '/oauth/request_token',
      credentials: server.pinApp,
      oauth: [['oauth_callback', 'oob']] as [string, string][],
      raw: { body: '{"status":"hello"}', contentType: 'application/json' },
    };
    const ok = await server.client.call(call);
    assert.equal(ok.status, 200, ok.text);
    const signed = server.client.sign(call);
    assert.match(signed.headers.authorization ?? '', /oauth_body_hash=/);
    const tampered = await fetch(signed.url, {
      method: 'POST',
      headers: signed.headers,
      body: '{"status":"HELLO"}',
    });
    assert.equal(tampered.status, 401);
  });

  test('statuses/update takes status from the form body, byte for byte', async () => {
    const status = "a+b c%20d&e=f *~' ☃ \u{1F600} <tag>";
    const res = await server.client.call({
      method: 'POST',
      url: '/1.1/statuses/update.json',
      credentials: access,
      form: [['status', status]],
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-access-level'), 'read-write');
    assert.equal((res.json() as { text: string }).text, status);
    assert.doesNotMatch(res.text, /&lt;/);
  });

  test('statuses/update without status is 400 code 38', async () => {
    const res = await server.client.call({
      method: 'POST',
      url: '/1.1/statuses/update.json',
      credentials: access,
      form: [],
    });
    assert.equal(res.status, 400);
    assert.equal((res.json() as { errors: { code: number }[] }).errors[0]!.code, 38);
  });
});

describe("OAuth parameters in a form body on any method (RFC 5849 §3.5.2, PECL OAuth's OAUTH_AUTH_TYPE_FORM)", () => {
  const PATH = '/1.1/account/verify_credentials.json';

  /** verify_credentials signed for `method`, its oauth_* parameters (signature included) as a form body. */
  function formSigned(method: string, extra: Parameter[] = []): string {
    const signed = signRequest({
      method,
      url: `${server.base}${PATH}`,
      consumerKey: access.consumerKey,
      consumerSecret: access.consumerSecret,
      token: access.token,
      tokenSecret: access.tokenSecret,
      body: { form: extra },
      nonce: randomUUID(),
      timestamp: Math.floor(server.clock.now() / 1000),
    });
    return formatFormEncoded([...signed.oauthParams, ...extra]);
  }
  const head = (method: string, headers: string) =>
    `${method} ${PATH} HTTP/1.1\r\nHost: ${new URL(server.base).host}\r\nContent-Type: application/x-www-form-urlencoded\r\n${headers}Connection: close\r\n\r\n`;
  /** The request with `body` framed by Content-Length. */
  const sendWithLength = (method: string, body: string) =>
    rawRequest(server.base, head(method, `Content-Length: ${Buffer.byteLength(body)}\r\n`), body);

  test('a GET with the parameters in a Content-Length body verifies', async () => {
    const body = formSigned('GET');
    const answer = await sendWithLength('GET', body);
    assert.equal(answer.status, 200, answer.body);
    assert.equal(JSON.parse(answer.body).screen_name, 'alice');
  });

  test('a GET with the parameters in a chunked body (no Content-Length) verifies', async () => {
    const body = formSigned('GET', [['include_entities', 'false']]);
    const half = Math.floor(body.length / 2);
    const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;
    const answer = await rawExchange(server.base, [
      head('GET', 'Transfer-Encoding: chunked\r\n'),
      chunk(body.slice(0, half)),
      20,
      `${chunk(body.slice(half))}0\r\n\r\n`,
    ]);
    assert.equal(answer.status, 200, answer.body);
  });

  test('a HEAD with the parameters in its body verifies and is answered without a body', async () => {
    const body = formSigned('HEAD');
    const answer = await sendWithLength('HEAD', body);
    assert.equal(answer.status, 200);
    assert.equal(answer.body, '');
  });

  test('the body is signed: a GET whose form body was changed after signing is 401', async () => {
    const body = `${formSigned('GET', [['count', '1']])}`.replace('count=1', 'count=2');
    const answer = await sendWithLength('GET', body);
    assert.equal(answer.status, 401, answer.body);
    assert.equal(JSON.parse(answer.body).oauth_problem, 'signature_invalid');
  });

  test("a GET body over the body limit is 413 in Tripod's shape, as on POST", async () => {
    const body = `${formSigned('GET')}&pad=${'x'.repeat(1024 * 1024)}`;
    const answer = await sendWithLength('GET', body);
    assert.equal(answer.status, 413);
    assert.equal(JSON.parse(answer.body).oauth_problem, 'parameter_rejected');
  });
});

describe('garbage input never produces a 5xx', () => {
  const cases: {
    name: string;
    method: 'GET' | 'POST';
    url: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }[] = [
    { name: 'no Authorization at all', method: 'POST', url: '/oauth/request_token' },
    {
      name: 'a Basic Authorization header',
      method: 'POST',
      url: '/oauth/request_token',
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    },
    {
      name: 'malformed OAuth quoting',
      method: 'POST',
      url: '/oauth/request_token',
      headers: { authorization: 'OAuth oauth_consumer_key="abc, oauth_nonce=' },
    },
    {
      name: 'a parameter given twice',
      method: 'POST',
      url: '/oauth/access_token',
      headers: { authorization: 'OAuth oauth_token="a", oauth_token="b"' },
    },
    {
      name: 'bad percent-encoding in the header',
      method: 'POST',
      url: '/oauth/request_token',
      headers: { authorization: 'OAuth oauth_consumer_key="%zz"' },
    },
    {
      name: 'bad percent-encoding in a form body',
      method: 'POST',
      url: '/oauth/request_token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'oauth_callback=%E0%A4%A&x=%',
    },
    {
      name: 'invalid UTF-8 in a form body',
      method: 'POST',
      url: '/oauth/access_token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from([0x6f, 0x3d, 0xff, 0xfe]),
    },
    {
      name: 'a JSON body that is not JSON',
      method: 'POST',
      url: '/1.1/statuses/update.json',
      headers: { 'content-type': 'application/json' },
      body: '{"status":',
    },
    {
      name: 'binary octets',
      method: 'POST',
      url: '/oauth/invalidate_token',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from([0, 1, 2, 255]),
    },
    {
      name: 'a body without a content type',
      method: 'POST',
      url: '/oauth/request_token',
      body: 'oauth_callback=oob',
    },
    {
      name: 'bad percent-encoding in the query',
      method: 'GET',
      url: '/1.1/account/verify_credentials.json?x=%E0%A4%A',
    },
    {
      name: 'a non-ASCII nonce',
      method: 'POST',
      url: '/oauth/request_token',
      headers: {
        authorization:
          'OAuth oauth_consumer_key="k", oauth_nonce="%C3%A9", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_signature="x", oauth_callback="oob"',
      },
    },
    {
      name: 'an absurd timestamp',
      method: 'POST',
      url: '/oauth/request_token',
      headers: {
        authorization:
          'OAuth oauth_consumer_key="k", oauth_nonce="n", oauth_signature_method="HMAC-SHA1", oauth_timestamp="99999999999999999999999", oauth_signature="x", oauth_callback="oob"',
      },
    },
    {
      name: 'an unknown signature method',
      method: 'POST',
      url: '/oauth/request_token',
      headers: {
        authorization:
          'OAuth oauth_consumer_key="k", oauth_nonce="n", oauth_signature_method="MD5", oauth_timestamp="1", oauth_signature="x", oauth_callback="oob"',
      },
    },
    {
      name: 'an oversized body',
      method: 'POST',
      url: '/oauth/request_token',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(2 * 1024 * 1024),
    },
    { name: 'an unknown path', method: 'GET', url: '/nothing/here' },
    {
      name: 'a form POST to the authorize page with a JSON body',
      method: 'POST',
      url: '/oauth/authorize',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    },
    {
      name: 'a form POST to the authorize page with no CSRF cookie',
      method: 'POST',
      url: '/oauth/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'oauth_token=x&decision=allow',
    },
    {
      name: 'an authorize URL with a huge token',
      method: 'GET',
      url: `/oauth/authorize?oauth_token=${'a'.repeat(5000)}`,
    },
    {
      name: 'an authorize URL with an array token',
      method: 'GET',
      url: '/oauth/authorize?oauth_token=a&oauth_token=b',
    },
  ];
  for (const c of cases) {
    test(`${c.name}: a 4xx answer`, async () => {
      const res = await server.app.inject({
        method: c.method,
        url: c.url,
        headers: c.headers,
        payload: c.body,
      });
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500,
        `${c.name}: got ${res.statusCode} ${res.body.slice(0, 200)}`,
      );
      assert.doesNotMatch(res.body, /at \w+ \(|node_modules|stack/);
    });
  }

  test('an unknown path is a JSON 404 in Twitter shape (code 34)', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/1.1/nothing.json' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().errors[0].code, 34);
  });

  test('a request with a garbage Host header is refused as malformed', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/oauth/request_token',
      headers: { host: 'evil.example/path?x', authorization: 'OAuth oauth_consumer_key="k"' },
    });
    assert.equal(res.statusCode, 400);
  });
});

describe('logging', () => {
  test('the log never holds a password, a secret, a signature or a cookie', async () => {
    // Sign in (password in the body), sign API calls (signature in the header), use the session cookie.
    const rt = (await server.client.requestToken(server.pinApp, 'oob')).form();
    await authorizeInBrowser(server.base, rt.oauth_token!);
    await server.client.call({
      method: 'GET',
      url: '/1.1/account/verify_credentials.json',
      credentials: access,
    });
    await server.app.inject({
      method: 'POST',
      url: '/oauth/request_token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'OAuth oauth_signature="c2VjcmV0"',
      },
      payload: formatFormEncoded([['password', server.user.password]]),
    });
    await server.app.inject({
      method: 'POST',
      url: '/oauth/access_token?x_auth_mode=client_auth&x_auth_password=hunter2-secret',
    });
    const log = server.logs.join('');
    assert.ok(log.length > 0, 'the server logs');
    for (const secret of [
      server.user.password,
      server.pinApp.consumerSecret,
      access.tokenSecret,
      'c2VjcmV0',
      'tripod_session=',
    ]) {
      assert.equal(log.includes(secret), false, `log contains ${secret}`);
    }
  });
});

describe("verify_credentials' created_at", () => {
  // The straightforward derivation from Date's own UTC string, kept as the oracle for the formatter.
  const fromUtcString = (ms: number) => {
    const [weekday, day, month, year, time] = new Date(ms).toUTCString().replace(',', '').split(' ');
    return `${weekday} ${month} ${day} ${time} +0000 ${year}`;
  };

  test("is Twitter's format, as Date's UTC string gives it, for any time", () => {
    assert.equal(twitterDate(Date.UTC(2018, 9, 10, 20, 19, 24)), 'Wed Oct 10 20:19:24 +0000 2018');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_000_000_000_000 }), (ms) => {
        assert.equal(twitterDate(ms), fromUtcString(ms));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("the operator's daily counts", () => {
  test('count every accepted signed call once for its app, and no refused one', async () => {
    // Each endpoint notes the app of a request it verified (request.signedBy); the counter reads it there.
    const own = await startTestServer();
    try {
      const app = own.webApp;
      const rt = (await own.client.requestToken(app, 'oob')).form();
      const { pin } = await authorizeInBrowser(own.base, rt.oauth_token!);
      const exchanged = await own.client.accessToken(
        { ...app, token: rt.oauth_token!, tokenSecret: rt.oauth_token_secret! },
        pin!,
      );
      assert.equal(exchanged.status, 200, exchanged.text);
      const at = exchanged.form();
      const me = { ...app, token: at.oauth_token!, tokenSecret: at.oauth_token_secret! };
      const calls = [
        { method: 'GET', url: '/1.1/account/verify_credentials.json', credentials: me },
        { method: 'POST', url: '/1.1/statuses/update.json', credentials: me, form: [['status', 'hi']] },
        {
          method: 'GET',
          url: '/1.1/account/verify_credentials.json',
          credentials: me,
          corruptSignature: true,
        },
        {
          method: 'POST',
          url: '/oauth/request_token',
          credentials: app,
          oauth: [['oauth_callback', 'oob']],
          corruptSignature: true,
        },
        { method: 'POST', url: '/oauth/invalidate_token', credentials: me },
      ] as const;
      const statuses = [];
      for (const call of calls) statuses.push((await own.client.call(call as never)).status);
      assert.deepEqual(statuses, [200, 200, 401, 401, 200]);

      // request_token, access_token, verify_credentials, statuses/update, invalidate_token: 5.
      const counted = async () =>
        (await own.stores.dailyCounts.since(dayOf(own.clock.now())))
          .filter((row) => row.metric === 'app_requests' && row.subject === app.consumerKey)
          .reduce((total, row) => total + row.count, 0);
      for (let i = 0; i < 150 && (await counted()) < 5; i++) await new Promise((r) => setTimeout(r, 20));
      // Another batch (the counter writes every second) adds nothing more.
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(await counted(), 5);
    } finally {
      await own.close();
    }
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { problemBody } from '../../src/core/problems.ts';
import { COULD_NOT_AUTHENTICATE, rejectsWithProblem } from './fixtures/problem-assertions.ts';
import { APPS, createWorld } from './fixtures/world.ts';

const PATH = '/oauth/request_token';

describe('POST /oauth/request_token', () => {
  test('oob starts the PIN flow: a token, its secret and oauth_callback_confirmed', async () => {
    const w = await createWorld();
    const issued = await w.provider.issueRequestToken(
      w.sign({ path: PATH, consumer: APPS.pin, oauth: [['oauth_callback', 'oob']] }),
    );
    assert.match(issued.token, /^[A-Za-z0-9_-]{32,}$/);
    assert.match(issued.secret, /^[A-Za-z0-9_-]{43,}$/);
    assert.equal(issued.callbackConfirmed, true);
    const stored = await w.stores.requestTokens.get(issued.token);
    assert.deepEqual(
      {
        callback: stored?.callback,
        state: stored?.state,
        level: stored?.accessLevel,
        version: stored?.version,
      },
      { callback: 'oob', state: { status: 'issued' }, level: 'read-write', version: 0 },
    );
    assert.equal(stored?.expiresAt, w.clock.now() + 900_000, 'expires after 15 minutes by default');
  });

  test('the lifetime follows requestTokenTtlSeconds', async () => {
    const w = await createWorld({ config: { requestTokenTtlSeconds: 120 } });
    const issued = await w.provider.issueRequestToken(
      w.sign({ path: PATH, consumer: APPS.pin, oauth: [['oauth_callback', 'oob']] }),
    );
    assert.equal((await w.stores.requestTokens.get(issued.token))?.expiresAt, w.clock.now() + 120_000);
  });

  test('a missing oauth_callback is 400 parameter_absent that tells the client to send oob or a URL', async () => {
    const w = await createWorld();
    const problem = await rejectsWithProblem(
      w.provider.issueRequestToken(w.sign({ path: PATH, consumer: APPS.pin })),
      {
        status: 400,
        code: 215,
        problem: 'parameter_absent',
        extra: { oauth_parameters_absent: 'oauth_callback' },
      },
    );
    assert.match(problem.advice, /oob/);
    assert.match(problem.advice, /PIN-based/);
    assert.match(problem.advice, /callback URL/);
  });

  test('an empty oauth_callback counts as missing', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.issueRequestToken(
        w.sign({ path: PATH, consumer: APPS.pin, oauth: [['oauth_callback', '']] }),
      ),
      {
        status: 400,
        code: 215,
        problem: 'parameter_absent',
        extra: { oauth_parameters_absent: 'oauth_callback' },
      },
    );
  });

  test('a callback that is neither oob nor an absolute URL is 400 parameter_rejected', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.issueRequestToken(
        w.sign({ path: PATH, consumer: APPS.web, oauth: [['oauth_callback', 'not a url']] }),
      ),
      {
        status: 400,
        code: 215,
        problem: 'parameter_rejected',
        extra: { oauth_parameters_rejected: 'oauth_callback' },
      },
    );
  });

  test('a registered callback URL is accepted with a different query, and stored as the URL that matched', async () => {
    const w = await createWorld();
    const callback = 'https://web.example/oauth/callback?state=abc%20def';
    const issued = await w.provider.issueRequestToken(
      w.sign({ path: PATH, consumer: APPS.web, oauth: [['oauth_callback', callback]] }),
    );
    assert.equal((await w.stores.requestTokens.get(issued.token))?.callback, callback);
  });

  test('a registered loopback callback accepts any port; a custom scheme is accepted when registered', async () => {
    const w = await createWorld();
    for (const callback of ['http://127.0.0.1:53682/cb', 'http://127.0.0.1/cb', 'myapp://callback']) {
      const issued = await w.provider.issueRequestToken(
        w.sign({ path: PATH, consumer: APPS.web, oauth: [['oauth_callback', callback]] }),
      );
      assert.equal((await w.stores.requestTokens.get(issued.token))?.callback, callback);
    }
  });

  test("an unregistered callback URL is 403 with code 415 and Twitter's message", async () => {
    const w = await createWorld();
    for (const callback of [
      'https://evil.example/oauth/callback',
      'https://web.example/other',
      'https://web.example:8443/oauth/callback',
      'http://web.example/oauth/callback',
      'otherapp://callback',
    ]) {
      const problem = await rejectsWithProblem(
        w.provider.issueRequestToken(
          w.sign({ path: PATH, consumer: APPS.web, oauth: [['oauth_callback', callback]] }),
        ),
        { status: 403, code: 415, problem: 'callback_rejected' },
      );
      assert.match(problem.message, /^Callback URL not approved for this client application/);
    }
  });

  test('an app with no registered callback is PIN-only: any URL gets 401 with code 417', async () => {
    const w = await createWorld();
    const problem = await rejectsWithProblem(
      w.provider.issueRequestToken(
        w.sign({ path: PATH, consumer: APPS.pin, oauth: [['oauth_callback', 'https://pin-app.example/cb']] }),
      ),
      { status: 401, code: 417, problem: 'callback_rejected' },
    );
    assert.equal(problem.message, "Desktop applications only support the oauth_callback value 'oob'.");
  });

  test('an app with registered callbacks may also use oob', async () => {
    const w = await createWorld();
    const issued = await w.provider.issueRequestToken(
      w.sign({ path: PATH, consumer: APPS.web, oauth: [['oauth_callback', 'oob']] }),
    );
    assert.equal((await w.stores.requestTokens.get(issued.token))?.callback, 'oob');
  });

  test('415 and 417 are told only to a request whose signature verified; a forged one gets 32', async () => {
    const w = await createWorld();
    const forged = { key: APPS.pin.key, secret: 'wrong-secret' };
    await rejectsWithProblem(
      w.provider.issueRequestToken(
        w.sign({ path: PATH, consumer: forged, oauth: [['oauth_callback', 'https://x.example/']] }),
      ),
      COULD_NOT_AUTHENTICATE,
    );
    await rejectsWithProblem(
      w.provider.issueRequestToken(
        w.sign({
          path: PATH,
          consumer: { key: APPS.web.key, secret: 'nope' },
          oauth: [['oauth_callback', 'https://evil.example/']],
        }),
      ),
      COULD_NOT_AUTHENTICATE,
    );
  });

  test('x_auth_access_type=read lowers a read-write app to read for this token', async () => {
    const w = await createWorld();
    const issued = await w.provider.issueRequestToken(
      w.sign({
        path: PATH,
        consumer: APPS.pin,
        oauth: [['oauth_callback', 'oob']],
        form: [['x_auth_access_type', 'read']],
      }),
    );
    assert.equal((await w.stores.requestTokens.get(issued.token))?.accessLevel, 'read');
  });

  test('x_auth_access_type=write never raises a read-only app: it gets a read token', async () => {
    const w = await createWorld();
    const issued = await w.provider.issueRequestToken(
      w.sign({
        path: `${PATH}?x_auth_access_type=write`,
        consumer: APPS.reader,
        oauth: [['oauth_callback', 'oob']],
      }),
    );
    assert.equal((await w.stores.requestTokens.get(issued.token))?.accessLevel, 'read');
  });

  test('x_auth_access_type=write on a read-write app keeps read-write', async () => {
    const w = await createWorld();
    const issued = await w.provider.issueRequestToken(
      w.sign({
        path: `${PATH}?x_auth_access_type=write`,
        consumer: APPS.pin,
        oauth: [['oauth_callback', 'oob']],
      }),
    );
    assert.equal((await w.stores.requestTokens.get(issued.token))?.accessLevel, 'read-write');
  });

  test('any other x_auth_access_type is 400 parameter_rejected', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.issueRequestToken(
        w.sign({
          path: `${PATH}?x_auth_access_type=admin`,
          consumer: APPS.pin,
          oauth: [['oauth_callback', 'oob']],
        }),
      ),
      {
        status: 400,
        code: 215,
        problem: 'parameter_rejected',
        extra: { oauth_parameters_rejected: 'x_auth_access_type' },
      },
    );
  });

  test('an unknown consumer, a disabled one and a bad signature get the very same 401 code 32', async () => {
    const w = await createWorld();
    const attempts = [
      { key: 'no-such-app', secret: 'whatever' },
      APPS.disabled,
      { key: APPS.pin.key, secret: 'not-the-secret' },
    ];
    const bodies = [];
    for (const consumer of attempts) {
      const problem = await rejectsWithProblem(
        w.provider.issueRequestToken(w.sign({ path: PATH, consumer, oauth: [['oauth_callback', 'oob']] })),
        COULD_NOT_AUTHENTICATE,
      );
      bodies.push(problemBody(problem));
    }
    assert.deepEqual(bodies[0], bodies[1]);
    assert.deepEqual(bodies[0], bodies[2]);
    const refused = w.events.filter((e) => e.event === 'request.refused').map((e) => e.reasons);
    assert.deepEqual(refused, [
      ['consumer_unknown', 'signature_mismatch'],
      ['consumer_disabled', 'consumer_unknown', 'signature_mismatch'],
      ['signature_mismatch'],
    ]);
  });

  test('the log records the issue without secrets', async () => {
    const w = await createWorld();
    const issued = await w.provider.issueRequestToken(
      w.sign({ path: PATH, consumer: APPS.pin, oauth: [['oauth_callback', 'oob']] }),
    );
    const logged = JSON.stringify(w.events);
    assert.match(logged, /request_token\.issued/);
    assert.ok(!logged.includes(issued.secret));
    assert.ok(!logged.includes(APPS.pin.secret));
  });
});

// The security review's matrix, kept in the suite: a callback for an app that registered
// https://good.example/cb is stored as the canonical URL that was matched (what the browser will be sent
// to), or refused — 400 when it is not a usable URL at all, 403 code 415 when it is not the registered one.
describe('oauth_callback against a registered https://good.example/cb', () => {
  const GOOD = {
    ...APPS.web,
    key: 'good-app',
    secret: 'good-app-secret',
    callbackUrls: ['https://good.example/cb'],
  };
  const rows: { callback: string; why: string; stored?: string; status?: 400 | 403 }[] = [
    { callback: 'https://good.example/cb', why: 'the registered URL', stored: 'https://good.example/cb' },
    { callback: 'https:good.example/cb', why: 'no slashes', stored: 'https://good.example/cb' },
    { callback: 'https:/good.example/cb', why: 'one slash', stored: 'https://good.example/cb' },
    {
      callback: 'HTTPS://GOOD.example:443/cb',
      why: 'case and default port',
      stored: 'https://good.example/cb',
    },
    { callback: 'https://good.example/x/../cb', why: 'dot segments', stored: 'https://good.example/cb' },
    {
      callback: 'https://good.example/cb?q=żółw 1',
      why: 'a non-ASCII query',
      stored: 'https://good.example/cb?q=%C5%BC%C3%B3%C5%82w%201',
    },
    { callback: 'https://good.example/cb?x=1\r\nSet-Cookie: a=b', why: 'CR LF', status: 400 },
    { callback: 'https://good.example/c\tb', why: 'a tab', status: 400 },
    { callback: 'https://good.example/cb\u0000', why: 'NUL', status: 400 },
    { callback: 'https://good.example/cb\u0085', why: 'a C1 control', status: 400 },
    { callback: 'https://good.example%2Fcb', why: 'an encoded slash in the host', status: 400 },
    { callback: 'javascript:alert(1)//good.example/cb', why: 'javascript:', status: 400 },
    { callback: 'https://good.example/cb#frag', why: 'a fragment', status: 400 },
    { callback: 'https://good.example.evil.example/cb', why: 'a look-alike suffix', status: 403 },
    { callback: 'https://evilgood.example/cb', why: 'a look-alike prefix', status: 403 },
    { callback: 'https://good.example@evil.example/cb', why: 'the good host as userinfo', status: 403 },
    { callback: 'https://evil@good.example/cb', why: 'userinfo on the good host', status: 403 },
    { callback: 'https://good.example%2F@evil.example/cb', why: 'an encoded slash before @', status: 403 },
    { callback: 'https://good.example\\@evil.example/cb', why: 'a backslash before @', status: 403 },
    { callback: 'https://good.example./cb', why: 'a trailing dot', status: 403 },
    { callback: 'https://gооd.example/cb', why: 'a Cyrillic homograph', status: 403 },
    { callback: 'https://good.example/cb%2F..%2Fevil', why: 'encoded slashes in the path', status: 403 },
    { callback: 'https://good.example//cb', why: 'a doubled slash', status: 403 },
    { callback: 'https://good.example:8443/cb', why: 'another port', status: 403 },
    { callback: 'http://good.example/cb', why: 'another scheme', status: 403 },
    { callback: 'goodapp://cb', why: 'an unregistered custom scheme', status: 403 },
  ];
  for (const row of rows) {
    test(`${row.why}: ${JSON.stringify(row.callback)} is ${row.stored ? `stored as ${row.stored}` : `refused with ${row.status}`}`, async () => {
      const w = await createWorld();
      await w.stores.consumers.create(GOOD);
      const issue = w.provider.issueRequestToken(
        w.sign({ path: PATH, consumer: GOOD, oauth: [['oauth_callback', row.callback]] }),
      );
      if (row.stored !== undefined) {
        const issued = await issue;
        assert.equal((await w.stores.requestTokens.get(issued.token))?.callback, row.stored);
        return;
      }
      await rejectsWithProblem(
        issue,
        row.status === 400
          ? { status: 400, code: 215, problem: 'parameter_rejected' }
          : { status: 403, code: 415, problem: 'callback_rejected' },
      );
    });
  }
});

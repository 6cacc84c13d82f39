import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bodyHash } from '../../src/core/body-hash.ts';
import { problemBody } from '../../src/core/problems.ts';
import { signRequest } from '../../src/core/signing.ts';
import type { OAuthRequest } from '../../src/provider/types.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';
import { COULD_NOT_AUTHENTICATE, rejectsWithProblem } from './fixtures/problem-assertions.ts';
import {
  ALICE,
  APPS,
  accessTokenFor,
  approvedPinToken,
  createWorld,
  exchangeRequest,
  RSA_PRIVATE_KEY,
  type SignInput,
  type World,
} from './fixtures/world.ts';

const READ_PATH = '/1.1/account/verify_credentials.json';
const WRITE_PATH = '/1.1/statuses/update.json';

/** A GET of READ_PATH signed with `token` by the PIN app, unless `overrides` say otherwise. */
function signedRead(
  w: World,
  token: { token: string; secret: string },
  overrides: Partial<SignInput> = {},
): OAuthRequest {
  return w.sign({
    method: 'GET',
    path: READ_PATH,
    consumer: APPS.pin,
    token: token.token,
    tokenSecret: token.secret,
    ...overrides,
  });
}

async function userWorld(consumer = APPS.pin) {
  const w = await createWorld();
  const at = await accessTokenFor(w, consumer);
  const call = (overrides: Partial<SignInput> = {}) => signedRead(w, at, { consumer, ...overrides });
  return { w, at, call };
}

/**
 * A read signed with no oauth_version of its own (w.sign always sends 1.0), and `extra` protocol parameters:
 * how a client that leaves the version out, or sends another, signs.
 */
function readWithoutVersion(
  w: World,
  at: { token: string; secret: string },
  nonce: string,
  extra: [string, string][] = [],
): OAuthRequest {
  const url = `https://tripod.example${READ_PATH}`;
  const signed = signRequest({
    method: 'GET',
    url,
    consumerKey: APPS.pin.key,
    consumerSecret: APPS.pin.secret,
    token: at.token,
    tokenSecret: at.secret,
    nonce,
    timestamp: w.clock.seconds(),
    version: false,
    extraOAuthParams: extra,
  });
  return { method: 'GET', url, headers: { authorization: signed.authorization } };
}

describe('verifying signed requests to protected resources', () => {
  test('a three-legged request yields the consumer, the access token, the user and the access level', async () => {
    const { w, at, call } = await userWorld();
    const verified = await w.provider.verifyProtectedRequest(call(), { access: 'read' });
    assert.equal(verified.consumer.key, APPS.pin.key);
    assert.equal(verified.accessToken?.token, at.token);
    assert.equal(verified.userId, ALICE.id);
    assert.equal(verified.accessLevel, 'read-write');
  });

  test('a write route accepts a read-write token', async () => {
    const { w, call } = await userWorld();
    const verified = await w.provider.verifyProtectedRequest(
      call({
        method: 'POST',
        path: WRITE_PATH,
        form: [['status', 'Hello Ladies + Gentlemen, a signed OAuth request!']],
      }),
      { access: 'write' },
    );
    assert.equal(verified.accessLevel, 'read-write');
  });

  test('a read token on a write route is 403 code 261', async () => {
    const { w, call } = await userWorld(APPS.reader);
    await w.provider.verifyProtectedRequest(call(), { access: 'read' });
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(
        call({ method: 'POST', path: WRITE_PATH, form: [['status', 'hi']] }),
        {
          access: 'write',
        },
      ),
      { status: 403, code: 261, problem: 'permission_denied' },
    );
  });

  test('an app lowered to read since the token was issued cannot write with it', async () => {
    const { w, call } = await userWorld();
    await w.stores.consumers.update({ ...APPS.pin, accessLevel: 'read' });
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(call({ method: 'POST', path: WRITE_PATH }), { access: 'write' }),
      {
        status: 403,
        code: 261,
        problem: 'permission_denied',
      },
    );
  });

  test('two-legged: a consumer-only request passes where the route allows it, with no user', async () => {
    const w = await createWorld();
    const verified = await w.provider.verifyProtectedRequest(
      w.sign({ method: 'GET', path: '/1.1/public', consumer: APPS.reader }),
      { access: 'read', allowTwoLegged: true },
    );
    assert.deepEqual(
      {
        key: verified.consumer.key,
        accessToken: verified.accessToken,
        userId: verified.userId,
        level: verified.accessLevel,
      },
      { key: APPS.reader.key, accessToken: null, userId: null, level: 'read' },
    );
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(
        w.sign({ method: 'POST', path: '/1.1/public', consumer: APPS.reader }),
        {
          access: 'write',
          allowTwoLegged: true,
        },
      ),
      { status: 403, code: 261, problem: 'permission_denied' },
    );
  });

  test('two-legged: where the route does not allow it, the missing oauth_token is 400', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(w.sign({ method: 'GET', path: READ_PATH, consumer: APPS.pin }), {
        access: 'read',
      }),
      {
        status: 400,
        code: 215,
        problem: 'parameter_absent',
        extra: { oauth_parameters_absent: 'oauth_token' },
      },
    );
  });

  test('a timestamp outside ±300 s is 401 code 135 with oauth_acceptable_timestamps', async () => {
    const { w, call } = await userWorld();
    const now = w.clock.seconds();
    for (const skew of [301, -301, 3600 * 5]) {
      const problem = await rejectsWithProblem(
        w.provider.verifyProtectedRequest(call({ timestamp: now + skew }), { access: 'read' }),
        {
          status: 401,
          code: 135,
          problem: 'timestamp_refused',
          extra: { oauth_acceptable_timestamps: `${now - 300}-${now + 300}` },
        },
      );
      assert.match(problem.advice, /clock/);
    }
    for (const skew of [300, -300]) {
      await w.provider.verifyProtectedRequest(call({ timestamp: now + skew }), { access: 'read' });
    }
  });

  test('a millisecond timestamp is out of bounds (135), not a crash', async () => {
    const { w, call } = await userWorld();
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(call({ timestamp: w.clock.now() }), { access: 'read' }),
      {
        status: 401,
        code: 135,
        problem: 'timestamp_refused',
      },
    );
  });

  test('the window follows timestampWindowSeconds', async () => {
    const w = await createWorld({ config: { timestampWindowSeconds: 60 } });
    const at = await accessTokenFor(w);
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(signedRead(w, at, { timestamp: w.clock.seconds() - 61 }), {
        access: 'read',
      }),
      { status: 401, code: 135, problem: 'timestamp_refused' },
    );
  });

  test('a replayed request (same nonce, timestamp, consumer and token) is 401 code 32 nonce_used', async () => {
    const { w, call } = await userWorld();
    const request = call({ nonce: 'once-only' });
    await w.provider.verifyProtectedRequest(request, { access: 'read' });
    const problem = await rejectsWithProblem(w.provider.verifyProtectedRequest(request, { access: 'read' }), {
      status: 401,
      code: 32,
      problem: 'nonce_used',
    });
    assert.match(problem.advice, /nonce/);
  });

  test('the nonce is scoped to consumer, token and timestamp: the same nonce elsewhere is fine', async () => {
    const { w, at, call } = await userWorld();
    await w.provider.verifyProtectedRequest(call({ nonce: 'n' }), { access: 'read' });
    await w.provider.verifyProtectedRequest(call({ nonce: 'n', timestamp: w.clock.seconds() + 1 }), {
      access: 'read',
    });
    const other = await accessTokenFor(w, APPS.web);
    await w.provider.verifyProtectedRequest(
      w.sign({
        method: 'GET',
        path: READ_PATH,
        consumer: APPS.web,
        token: other.token,
        tokenSecret: other.secret,
        nonce: 'n',
      }),
      { access: 'read' },
    );
    assert.notEqual(other.token, at.token);
  });

  test('a replay across a restart is still refused (nonces live in the store, not the process)', async () => {
    const stores = createMemoryStores();
    const w = await createWorld({ stores });
    const at = await accessTokenFor(w);
    const request = signedRead(w, at);
    await w.provider.verifyProtectedRequest(request, { access: 'read' });
    const { Provider } = await import('../../src/provider/provider.ts');
    const restarted = new Provider({ stores, clock: w.clock, random: w.random });
    await rejectsWithProblem(restarted.verifyProtectedRequest(request, { access: 'read' }), {
      status: 401,
      code: 32,
      problem: 'nonce_used',
    });
  });

  test("a bad signature, an unknown consumer, an unknown token and another app's token look exactly alike", async () => {
    const { w, at, call } = await userWorld();
    const other = await accessTokenFor(w, APPS.web);
    const attempts = [
      call({ tokenSecret: 'wrong-secret' }),
      call({ consumer: { key: 'no-such-app', secret: APPS.pin.secret } }),
      call({ token: 'no-such-token' }),
      call({ token: other.token, tokenSecret: other.secret }),
      call({ consumer: { ...APPS.pin, secret: 'wrong' } }),
    ];
    const answers = [];
    for (const request of attempts) {
      const problem = await rejectsWithProblem(
        w.provider.verifyProtectedRequest(request, { access: 'read' }),
        COULD_NOT_AUTHENTICATE,
      );
      answers.push({ status: problem.status, body: problemBody(problem) });
    }
    for (const answer of answers) assert.deepEqual(answer, answers[0]);
    assert.equal(answers[0]?.body.errors[0]?.message, 'Could not authenticate you.');
    assert.ok(at.token);
    const reasons = w.events.filter((e) => e.event === 'request.refused').map((e) => e.reasons);
    assert.deepEqual(reasons, [
      ['signature_mismatch'],
      // The real token belongs to another app than the (unknown) one named: both count.
      ['token_of_another_consumer', 'consumer_unknown', 'token_unknown', 'signature_mismatch'],
      ['token_unknown', 'signature_mismatch'],
      ['token_of_another_consumer', 'token_unknown', 'signature_mismatch'],
      ['signature_mismatch'],
    ]);
  });

  test('a request token is not an access token, and an access token is not a request token', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(signedRead(w, rt), { access: 'read' }),
      COULD_NOT_AUTHENTICATE,
    );
    const at = await accessTokenFor(w);
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, at, rt.pin)),
      COULD_NOT_AUTHENTICATE,
    );
  });

  test('an unknown consumer or token costs the same store work as a known one: one lookup each, no nonce claim', async () => {
    const { w, call } = await userWorld();
    const counts = countStoreCalls(w);
    await assert.rejects(
      w.provider.verifyProtectedRequest(call({ consumer: { key: 'no-such-app', secret: 'x' } }), {
        access: 'read',
      }),
    );
    assert.deepEqual(counts(), { 'consumers.get': 1, 'accessTokens.get': 1 });
    await assert.rejects(
      w.provider.verifyProtectedRequest(call({ token: 'no-such-token' }), { access: 'read' }),
    );
    assert.deepEqual(counts(), { 'consumers.get': 1, 'accessTokens.get': 1 });
    await w.provider.verifyProtectedRequest(call(), { access: 'read' });
    assert.deepEqual(counts(), { 'consumers.get': 1, 'accessTokens.get': 1, 'nonces.claim': 1 });
  });

  test('a revoked token that signs correctly gets 401 code 89; signed wrongly, still 32', async () => {
    const { w, at, call } = await userWorld();
    await w.stores.accessTokens.revoke(at.token, w.clock.now());
    await rejectsWithProblem(w.provider.verifyProtectedRequest(call(), { access: 'read' }), {
      status: 401,
      code: 89,
      problem: 'token_revoked',
    });
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(call({ tokenSecret: 'wrong' }), { access: 'read' }),
      COULD_NOT_AUTHENTICATE,
    );
  });

  test('an app disabled after issuing tokens fails as unknown (32)', async () => {
    const { w, call } = await userWorld();
    await w.stores.consumers.update({ ...APPS.pin, disabled: true });
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(call(), { access: 'read' }),
      COULD_NOT_AUTHENTICATE,
    );
  });

  test('oauth_version must be 1.0 when present; leaving it out is fine', async () => {
    const { w, at } = await userWorld();
    const base = {
      method: 'GET',
      path: READ_PATH,
      consumer: APPS.pin,
      token: at.token,
      tokenSecret: at.secret,
    };
    const withVersion = w.sign({ ...base, oauth: [] });
    assert.match(String(withVersion.headers.authorization), /oauth_version="1.0"/);
    await w.provider.verifyProtectedRequest(withVersion, { access: 'read' });
    await w.provider.verifyProtectedRequest(readWithoutVersion(w, at, 'no-version'), { access: 'read' });
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(w.sign({ ...base, path: `${READ_PATH}?oauth_version=2.0` }), {
        access: 'read',
      }),
      { status: 400, code: 215, problem: 'parameter_rejected' },
    );
  });

  test('an oauth_version other than 1.0 is 400 version_rejected', async () => {
    const { w, at } = await userWorld();
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(readWithoutVersion(w, at, 'v2', [['oauth_version', '2.0']]), {
        access: 'read',
      }),
      { status: 400, code: 215, problem: 'version_rejected' },
    );
  });

  test('a nonce must be printable ASCII of bounded length (400 otherwise)', async () => {
    const { w, call } = await userWorld();
    for (const nonce of ['nönce', 'tab\there', 'x'.repeat(65)]) {
      await rejectsWithProblem(w.provider.verifyProtectedRequest(call({ nonce }), { access: 'read' }), {
        status: 400,
        code: 215,
        problem: 'parameter_rejected',
        extra: { oauth_parameters_rejected: 'oauth_nonce' },
      });
    }
    await w.provider.verifyProtectedRequest(call({ nonce: 'x'.repeat(64) }), { access: 'read' });
  });

  test('missing protocol parameters are 400 parameter_absent naming each', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(
        { method: 'GET', url: `https://tripod.example${READ_PATH}`, headers: {} },
        { access: 'read' },
      ),
      {
        status: 400,
        code: 215,
        problem: 'parameter_absent',
        extra: {
          oauth_parameters_absent:
            'oauth_consumer_key&oauth_signature_method&oauth_timestamp&oauth_nonce&oauth_signature&oauth_token',
        },
      },
    );
  });

  test('a malformed Authorization header is 400 parameter_rejected, not a guess', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(
        {
          method: 'GET',
          url: `https://tripod.example${READ_PATH}`,
          headers: { authorization: 'OAuth oauth_nonce="a", oauth_nonce="b"' },
        },
        { access: 'read' },
      ),
      { status: 400, code: 215, problem: 'parameter_rejected' },
    );
  });

  test('PLAINTEXT is refused over http unless allowPlaintextOverHttp; accepted over https', async () => {
    const { w, call } = await userWorld();
    await w.provider.verifyProtectedRequest(call({ signatureMethod: 'PLAINTEXT' }), { access: 'read' });
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(
        call({ signatureMethod: 'PLAINTEXT', site: 'http://tripod.example' }),
        { access: 'read' },
      ),
      { status: 400, code: 215, problem: 'signature_method_rejected' },
    );
    const dev = await createWorld({ config: { allowPlaintextOverHttp: true } });
    const at = await accessTokenFor(dev);
    await dev.provider.verifyProtectedRequest(
      dev.sign({
        method: 'GET',
        path: READ_PATH,
        site: 'http://localhost:8080',
        consumer: APPS.pin,
        token: at.token,
        tokenSecret: at.secret,
        signatureMethod: 'PLAINTEXT',
      }),
      { access: 'read' },
    );
  });

  test('HMAC-SHA256 and HMAC-SHA512 verify; a method the operator turned off is 400', async () => {
    const { w, call } = await userWorld();
    await w.provider.verifyProtectedRequest(call({ signatureMethod: 'HMAC-SHA256' }), { access: 'read' });
    await w.provider.verifyProtectedRequest(call({ signatureMethod: 'HMAC-SHA512' }), { access: 'read' });
    const strict = await createWorld({ config: { signatureMethods: ['HMAC-SHA256'] } });
    await rejectsWithProblem(
      strict.provider.issueRequestToken(
        strict.sign({ path: '/oauth/request_token', consumer: APPS.pin, oauth: [['oauth_callback', 'oob']] }),
      ),
      { status: 400, code: 215, problem: 'signature_method_rejected' },
    );
  });

  test("RSA-SHA1 and RSA-SHA256 verify with the app's registered public key; an app without one gets 32", async () => {
    const w = await createWorld();
    for (const signatureMethod of ['RSA-SHA1', 'RSA-SHA256'] as const) {
      const verified = await w.provider.verifyProtectedRequest(
        w.sign({
          method: 'GET',
          path: '/1.1/public',
          consumer: APPS.rsa,
          signatureMethod,
          privateKey: RSA_PRIVATE_KEY,
        }),
        { access: 'read', allowTwoLegged: true },
      );
      assert.equal(verified.consumer.key, APPS.rsa.key);
    }
    for (const consumer of [APPS.pin, { key: 'no-such-app', secret: '' }]) {
      await rejectsWithProblem(
        w.provider.verifyProtectedRequest(
          w.sign({
            method: 'GET',
            path: '/1.1/public',
            consumer,
            signatureMethod: 'RSA-SHA1',
            privateKey: RSA_PRIVATE_KEY,
          }),
          { access: 'read', allowTwoLegged: true },
        ),
        COULD_NOT_AUTHENTICATE,
      );
    }
  });

  test('oauth_body_hash is verified for non-form bodies: the right body passes, a tampered one gets 32', async () => {
    const { w, call } = await userWorld();
    const json = '{"status":"héllo & goodbye"}';
    const request = call({
      method: 'POST',
      path: WRITE_PATH,
      raw: { body: json, contentType: 'application/json' },
    });
    assert.match(String(request.headers.authorization), /oauth_body_hash=/);
    await w.provider.verifyProtectedRequest(request, { access: 'write' });
    const tampered = call({
      method: 'POST',
      path: WRITE_PATH,
      raw: { body: json, contentType: 'application/json' },
    });
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest({ ...tampered, body: '{"status":"evil"}' }, { access: 'write' }),
      COULD_NOT_AUTHENTICATE,
    );
    const bytes = call({
      method: 'POST',
      path: WRITE_PATH,
      raw: { body: json, contentType: 'application/json' },
    });
    await w.provider.verifyProtectedRequest(
      { ...bytes, body: new TextEncoder().encode(json) },
      { access: 'write' },
    );
  });

  test('oauth_body_hash on a form-encoded body (ruby-oauth sends one) is verified against the raw body', async () => {
    const { w, call } = await userWorld();
    // ruby-oauth's post(path): an empty body signed with its hash, labelled form-encoded by Net::HTTP.
    const empty = call({
      method: 'POST',
      path: WRITE_PATH,
      form: [],
      oauth: [['oauth_body_hash', bodyHash('', 'HMAC-SHA1')]],
    });
    await w.provider.verifyProtectedRequest(empty, { access: 'write' });
    const matching = call({
      method: 'POST',
      path: WRITE_PATH,
      form: [['status', 'x']],
      oauth: [['oauth_body_hash', bodyHash('status=x', 'HMAC-SHA1')]],
    });
    await w.provider.verifyProtectedRequest(matching, { access: 'write' });
    await rejectsWithProblem(
      w.provider.verifyProtectedRequest(
        call({
          method: 'POST',
          path: WRITE_PATH,
          form: [['status', 'x']],
          oauth: [['oauth_body_hash', 'AAAA']],
        }),
        { access: 'write' },
      ),
      COULD_NOT_AUTHENTICATE,
    );
  });

  test('parameters with spaces, reserved characters and non-ASCII text verify (query and body)', async () => {
    const { w, call } = await userWorld();
    const text = "spaces + * ~ ' % & = ünïcödé 🐑";
    await w.provider.verifyProtectedRequest(
      call({ method: 'POST', path: `${WRITE_PATH}?q=${encodeURIComponent(text)}`, form: [['status', text]] }),
      { access: 'write' },
    );
  });

  test('header names are found whatever their case', async () => {
    const { w, call } = await userWorld();
    const request = call();
    const headers = { Authorization: request.headers.authorization };
    await w.provider.verifyProtectedRequest({ ...request, headers }, { access: 'read' });
  });
});

describe('POST /oauth/invalidate_token', () => {
  test('revokes the access token that signed the call; afterwards that token gets 401 code 89', async () => {
    const { w, at, call } = await userWorld();
    const result = await w.provider.invalidateToken(
      call({ method: 'POST', path: '/oauth/invalidate_token' }),
    );
    assert.deepEqual(result, { token: at.token });
    assert.equal((await w.stores.accessTokens.get(at.token))?.revokedAt, w.clock.now());
    await rejectsWithProblem(w.provider.verifyProtectedRequest(call(), { access: 'read' }), {
      status: 401,
      code: 89,
      problem: 'token_revoked',
    });
    await rejectsWithProblem(
      w.provider.invalidateToken(call({ method: 'POST', path: '/oauth/invalidate_token' })),
      {
        status: 401,
        code: 89,
        problem: 'token_revoked',
      },
    );
  });

  test('a forged invalidation revokes nothing', async () => {
    const { w, at, call } = await userWorld();
    await rejectsWithProblem(
      w.provider.invalidateToken(
        call({ method: 'POST', path: '/oauth/invalidate_token', tokenSecret: 'wrong' }),
      ),
      COULD_NOT_AUTHENTICATE,
    );
    assert.equal((await w.stores.accessTokens.get(at.token))?.revokedAt, null);
  });

  test('invalidation needs an access token (400 without one)', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.invalidateToken(w.sign({ path: '/oauth/invalidate_token', consumer: APPS.pin })),
      {
        status: 400,
        code: 215,
        problem: 'parameter_absent',
        extra: { oauth_parameters_absent: 'oauth_token' },
      },
    );
  });
});

describe('housekeeping', () => {
  test('pruneExpired forgets nonces past their window and request tokens a day past expiry', async () => {
    const { w, call } = await userWorld();
    const replay = call({ nonce: 'prune-me' });
    await w.provider.verifyProtectedRequest(replay, { access: 'read' });
    w.clock.advance(302);
    const pruned = await w.provider.pruneExpired();
    assert.ok(pruned.nonces >= 1);
    assert.equal(pruned.requestTokens, 0);
    await rejectsWithProblem(w.provider.verifyProtectedRequest(replay, { access: 'read' }), {
      status: 401,
      code: 135,
      problem: 'timestamp_refused',
    });
    w.clock.advance(24 * 3600 + 900);
    assert.ok((await w.provider.pruneExpired()).requestTokens >= 1);
  });
});

/** Wraps the world's stores to count the calls the provider makes from now on. */
function countStoreCalls(w: World): () => Record<string, number> {
  let counts: Record<string, number> = {};
  const stores = w.stores as unknown as Record<string, Record<string, unknown>>;
  for (const storeName of ['consumers', 'accessTokens', 'requestTokens', 'nonces', 'users'] as const) {
    const store = stores[storeName] as Record<string, unknown>;
    for (const method of ['get', 'claim', 'getById', 'findActive', 'transition']) {
      const original = store[method];
      if (typeof original !== 'function') continue;
      store[method] = (...args: unknown[]) => {
        const name = `${storeName}.${method}`;
        counts[name] = (counts[name] ?? 0) + 1;
        return (original as (...a: unknown[]) => unknown).apply(store, args);
      };
    }
  }
  return () => {
    const seen = counts;
    counts = {};
    return seen;
  };
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COULD_NOT_AUTHENTICATE, rejectsWithProblem } from './fixtures/problem-assertions.ts';
import {
  ALICE,
  APPS,
  approvedCallbackToken,
  approvedPinToken,
  BOB,
  createWorld,
  exchangeRequest,
  exchangeTwoAuthorizationsAtOnce,
  type World,
} from './fixtures/world.ts';

const TOKEN_USED = { status: 401, code: 89, problem: 'token_used' };
const TOKEN_REJECTED = { status: 401, code: 89, problem: 'token_rejected' };
const WRONG_PIN = { status: 401, code: 32, problem: 'verifier_invalid' };

function wrongPin(pin: string): string {
  return pin.replace(/^./, (d) => String((Number(d) + 1) % 10));
}

function xauthRequest(world: World, consumer: { key: string; secret: string }, form: [string, string][]) {
  return world.sign({ path: '/oauth/access_token', consumer, form });
}

describe('POST /oauth/access_token with a PIN or verifier', () => {
  test('the right PIN gives an access token, its secret, user_id and screen_name', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    const at = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin));
    assert.equal(at.userId, ALICE.id);
    assert.equal(at.screenName, ALICE.username);
    assert.match(at.token, /^[A-Za-z0-9_-]{32,}$/);
    assert.match(at.secret, /^[A-Za-z0-9_-]{43,}$/);
    assert.deepEqual(await w.stores.accessTokens.get(at.token), {
      token: at.token,
      secret: at.secret,
      consumerKey: APPS.pin.key,
      userId: ALICE.id,
      accessLevel: 'read-write',
      createdAt: w.clock.now(),
      revokedAt: null,
    });
    assert.deepEqual((await w.stores.requestTokens.get(rt.token))?.state, {
      status: 'exchanged',
      userId: ALICE.id,
      accessToken: at.token,
    });
  });

  test('a PIN typed with spaces or a dash (as the page may group it) still matches', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    const typed = `${rt.pin.slice(0, 3)} ${rt.pin.slice(3, 5)}-${rt.pin.slice(5)}`;
    const at = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, typed));
    assert.equal(at.userId, ALICE.id);
  });

  test('a callback verifier must match exactly', async () => {
    const w = await createWorld();
    const rt = await approvedCallbackToken(w);
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.web, rt, ` ${rt.verifier}`)),
      WRONG_PIN,
    );
  });

  test('a PIN is single use: the second exchange gets 401 code 89', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin));
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin)),
      TOKEN_USED,
    );
  });

  test('a wrong PIN is 401 and says how many attempts are left', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    const problem = await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, wrongPin(rt.pin))),
      { ...WRONG_PIN, extra: { oauth_verifier_attempts_left: '4' } },
    );
    assert.match(problem.advice, /4 attempts left/);
    const stored = await w.stores.requestTokens.get(rt.token);
    assert.equal(stored?.state.status === 'authorized' && stored.state.attemptsLeft, 4);
  });

  test('after 5 wrong PINs the token is burned, and then even the right PIN is refused', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    for (let left = 4; left >= 0; left--) {
      await rejectsWithProblem(
        w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, wrongPin(rt.pin))),
        {
          ...WRONG_PIN,
          extra: { oauth_verifier_attempts_left: String(left) },
        },
      );
    }
    assert.deepEqual((await w.stores.requestTokens.get(rt.token))?.state, { status: 'burned' });
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin)),
      TOKEN_REJECTED,
    );
    assert.ok(w.events.some((e) => e.event === 'verifier.rejected' && e.burned === true));
  });

  test('pinMaxAttempts sets how many wrong PINs a token survives', async () => {
    const w = await createWorld({ config: { pinMaxAttempts: 1 } });
    const rt = await approvedPinToken(w);
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, wrongPin(rt.pin))),
      {
        ...WRONG_PIN,
        extra: { oauth_verifier_attempts_left: '0' },
      },
    );
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin)),
      TOKEN_REJECTED,
    );
  });

  test('parallel wrong guesses are each counted: racing cannot buy extra tries', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    const guesses = Array.from({ length: 12 }, (_, i) => String(i).padStart(7, '0')).filter(
      (g) => g !== rt.pin,
    );
    const results = await Promise.allSettled(
      guesses.map((guess) => w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, guess))),
    );
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.deepEqual((await w.stores.requestTokens.get(rt.token))?.state, { status: 'burned' });
    const wrong = w.events.filter((e) => e.event === 'verifier.rejected');
    assert.equal(wrong.length, 5, 'exactly pinMaxAttempts wrong guesses were evaluated against the PIN');
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin)),
      TOKEN_REJECTED,
    );
  });

  test('concurrent exchanges of the right PIN: compare-and-set lets exactly one through', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin)),
      ),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    assert.equal(fulfilled.length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.equal((r.reason as { problem: string }).problem, 'token_used');
    }
    assert.equal((await w.stores.accessTokens.listActiveForUser(ALICE.id)).length, 1);
  });

  test('the right PIN racing a few wrong ones still wins: a lost compare-and-set is retried on fresh state', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    const guesses = [
      wrongPin(rt.pin),
      wrongPin(wrongPin(rt.pin)),
      rt.pin,
      wrongPin(wrongPin(wrongPin(rt.pin))),
    ];
    const results = await Promise.allSettled(
      guesses.map((guess) => w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, guess))),
    );
    assert.equal(results[2]?.status, 'fulfilled');
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal((await w.stores.requestTokens.get(rt.token))?.state.status, 'exchanged');
  });

  test('an expired request token gets 401 code 89 token_expired, even with the right PIN', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    w.clock.advance(900);
    await rejectsWithProblem(w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin)), {
      status: 401,
      code: 89,
      problem: 'token_expired',
    });
  });

  test('a request token the user has not approved yet is 401 permission_unknown', async () => {
    const w = await createWorld();
    const rt = await w.provider.issueRequestToken(
      w.sign({ path: '/oauth/request_token', consumer: APPS.pin, oauth: [['oauth_callback', 'oob']] }),
    );
    await rejectsWithProblem(w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, '1234567')), {
      status: 401,
      code: 32,
      problem: 'permission_unknown',
    });
  });

  test('a denied request token is 401 code 89', async () => {
    const w = await createWorld();
    const rt = await w.provider.issueRequestToken(
      w.sign({ path: '/oauth/request_token', consumer: APPS.pin, oauth: [['oauth_callback', 'oob']] }),
    );
    await w.provider.deny(rt.token);
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, '1234567')),
      TOKEN_REJECTED,
    );
  });

  test('a missing verifier or token is 400 parameter_absent naming them', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(
        w.sign({ path: '/oauth/access_token', consumer: APPS.pin, token: rt.token, tokenSecret: rt.secret }),
      ),
      {
        status: 400,
        code: 215,
        problem: 'parameter_absent',
        extra: { oauth_parameters_absent: 'oauth_verifier' },
      },
    );
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(w.sign({ path: '/oauth/access_token', consumer: APPS.pin })),
      {
        status: 400,
        code: 215,
        problem: 'parameter_absent',
        extra: { oauth_parameters_absent: 'oauth_token&oauth_verifier' },
      },
    );
  });

  test("a wrong request token secret, an unknown token or another app's token all get 32 and burn no attempt", async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, { token: rt.token, secret: 'wrong' }, 'x')),
      COULD_NOT_AUTHENTICATE,
    );
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(
        exchangeRequest(w, APPS.pin, { token: 'unknown', secret: rt.secret }, rt.pin),
      ),
      COULD_NOT_AUTHENTICATE,
    );
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(exchangeRequest(w, APPS.web, rt, rt.pin)),
      COULD_NOT_AUTHENTICATE,
    );
    const stored = await w.stores.requestTokens.get(rt.token);
    assert.equal(stored?.state.status === 'authorized' && stored.state.attemptsLeft, 5);
    await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin));
  });

  test('the callback flow exchanges the verifier from the redirect', async () => {
    const w = await createWorld();
    const rt = await approvedCallbackToken(w, BOB.id);
    const at = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.web, rt, rt.verifier));
    assert.equal(at.screenName, 'bob');
  });

  test('re-authorizing the same app by the same user at the same level returns the same access token', async () => {
    const w = await createWorld();
    const first = await approvedPinToken(w);
    const a = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, first, first.pin));
    const second = await approvedPinToken(w);
    const b = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, second, second.pin));
    assert.deepEqual(b, a);
    assert.equal(w.events.filter((e) => e.event === 'access_token.issued' && e.reused === true).length, 1);
  });

  test('two authorizations of the same app by the same user, exchanged at once, get the same access token', async () => {
    const w = await createWorld();
    const [a, b] = await exchangeTwoAuthorizationsAtOnce(w);
    assert.deepEqual(a, b);
    assert.equal((await w.stores.accessTokens.listActiveForUser(ALICE.id)).length, 1);
  });

  test('…but not after it was invalidated, nor at another access level, nor for another user', async () => {
    const w = await createWorld();
    const first = await approvedPinToken(w);
    const a = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, first, first.pin));
    await w.stores.accessTokens.revoke(a.token, w.clock.now());
    const second = await approvedPinToken(w);
    const b = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, second, second.pin));
    assert.notEqual(b.token, a.token);

    const readRt = await w.provider.issueRequestToken(
      w.sign({
        path: '/oauth/request_token?x_auth_access_type=read',
        consumer: APPS.pin,
        oauth: [['oauth_callback', 'oob']],
      }),
    );
    const approval = await w.provider.approve(readRt.token, ALICE.id);
    const pin = approval.mode === 'oob' ? approval.pin : '';
    const c = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, readRt, pin));
    assert.notEqual(c.token, b.token);
    assert.equal((await w.stores.accessTokens.get(c.token))?.accessLevel, 'read');

    const bobs = await approvedPinToken(w, APPS.pin, BOB.id);
    const d = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, bobs, bobs.pin));
    assert.notEqual(d.token, b.token);
  });

  test('a read-only app gets a read token', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w, APPS.reader);
    const at = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.reader, rt, rt.pin));
    assert.equal((await w.stores.accessTokens.get(at.token))?.accessLevel, 'read');
  });

  test('the verifier may travel in the form body', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    const at = await w.provider.exchangeAccessToken(
      w.sign({
        path: '/oauth/access_token',
        consumer: APPS.pin,
        token: rt.token,
        tokenSecret: rt.secret,
        form: [['oauth_verifier', rt.pin]],
      }),
    );
    assert.equal(at.userId, ALICE.id);
  });
});

describe('POST /oauth/access_token with xAuth (x_auth_mode=client_auth)', () => {
  const credentials = (password: string, username = 'alice'): [string, string][] => [
    ['x_auth_mode', 'client_auth'],
    ['x_auth_username', username],
    ['x_auth_password', password],
  ];

  test('an app flagged for xAuth exchanges a username and password for an access token', async () => {
    const w = await createWorld();
    const at = await w.provider.exchangeAccessToken(xauthRequest(w, APPS.xauth, credentials('wonderland')));
    assert.equal(at.userId, ALICE.id);
    assert.equal(at.screenName, 'alice');
    assert.equal((await w.stores.accessTokens.get(at.token))?.accessLevel, 'read-write');
    assert.ok(!JSON.stringify(w.events).includes('wonderland'), 'the password is never logged');
  });

  test('xAuth honours x_auth_access_type=read and reuses the live token', async () => {
    const w = await createWorld();
    const a = await w.provider.exchangeAccessToken(
      xauthRequest(w, APPS.xauth, [...credentials('wonderland'), ['x_auth_access_type', 'read']]),
    );
    assert.equal((await w.stores.accessTokens.get(a.token))?.accessLevel, 'read');
    const b = await w.provider.exchangeAccessToken(
      xauthRequest(w, APPS.xauth, [...credentials('wonderland'), ['x_auth_access_type', 'read']]),
    );
    assert.equal(b.token, a.token);
  });

  test('an app not flagged for xAuth gets 401, even with the right password', async () => {
    const w = await createWorld();
    const problem = await rejectsWithProblem(
      w.provider.exchangeAccessToken(xauthRequest(w, APPS.pin, credentials('wonderland'))),
      { status: 401, code: 32, problem: 'consumer_key_refused' },
    );
    assert.match(problem.message, /not permitted to use xAuth/);
  });

  test('a wrong password and an unknown user get the same 401', async () => {
    const w = await createWorld();
    const wrong = await rejectsWithProblem(
      w.provider.exchangeAccessToken(xauthRequest(w, APPS.xauth, credentials('guess'))),
      { status: 401, code: 32, problem: 'permission_denied' },
    );
    const unknown = await rejectsWithProblem(
      w.provider.exchangeAccessToken(xauthRequest(w, APPS.xauth, credentials('guess', 'mallory'))),
      { status: 401, code: 32, problem: 'permission_denied' },
    );
    assert.equal(wrong.message, unknown.message);
    assert.equal(wrong.advice, unknown.advice);
  });

  test('a disabled account is refused as an unknown user would be, even with the right password', async () => {
    const w = await createWorld();
    await w.stores.users.setDisabled(ALICE.id, true);
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(xauthRequest(w, APPS.xauth, credentials('wonderland'))),
      { status: 401, code: 32, problem: 'permission_denied' },
    );
    await w.stores.users.setDisabled(ALICE.id, false);
    const at = await w.provider.exchangeAccessToken(xauthRequest(w, APPS.xauth, credentials('wonderland')));
    assert.equal(at.userId, ALICE.id);
  });

  test('a forged xAuth request gets the generic 32 before any password is checked', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(
        xauthRequest(w, { key: APPS.xauth.key, secret: 'forged' }, credentials('wonderland')),
      ),
      COULD_NOT_AUTHENTICATE,
    );
  });

  test('an overlong username or password is 400 before any password check', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(xauthRequest(w, APPS.xauth, credentials('p'.repeat(1025)))),
      {
        status: 400,
        code: 215,
        problem: 'parameter_rejected',
        extra: { oauth_parameters_rejected: 'x_auth_password' },
      },
    );
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(xauthRequest(w, APPS.xauth, credentials('wonderland', 'u'.repeat(257)))),
      {
        status: 400,
        code: 215,
        problem: 'parameter_rejected',
        extra: { oauth_parameters_rejected: 'x_auth_username' },
      },
    );
  });

  test('missing credentials are 400; an x_auth_mode other than client_auth is 400', async () => {
    const w = await createWorld();
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(xauthRequest(w, APPS.xauth, [['x_auth_mode', 'client_auth']])),
      {
        status: 400,
        code: 215,
        problem: 'parameter_absent',
        extra: { oauth_parameters_absent: 'x_auth_username&x_auth_password' },
      },
    );
    await rejectsWithProblem(
      w.provider.exchangeAccessToken(
        xauthRequest(w, APPS.xauth, [['x_auth_mode', 'reverse_auth'], ...credentials('wonderland').slice(1)]),
      ),
      { status: 400, code: 215, problem: 'parameter_rejected' },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OAuthProblem } from '../../src/core/problems.ts';
import { RequestTokenUnusable } from '../../src/provider/request-token-state.ts';
import { verifierDigest } from '../../src/provider/verifier-digest.ts';
import {
  ALICE,
  APPS,
  accessTokenFor,
  approvedPinToken,
  BOB,
  createWorld,
  exchangeRequest,
  type World,
} from './fixtures/world.ts';

async function requestToken(world: World, consumer = APPS.pin, callback = 'oob') {
  return world.provider.issueRequestToken(
    world.sign({ path: '/oauth/request_token', consumer, oauth: [['oauth_callback', callback]] }),
  );
}

async function rejectsUnusable(
  action: Promise<unknown>,
  reason: RequestTokenUnusable['reason'],
): Promise<void> {
  await assert.rejects(action, (error: unknown) => {
    assert.ok(error instanceof RequestTokenUnusable, String(error));
    assert.equal(error.reason, reason);
    return true;
  });
}

describe('authorization decisions (GET/POST /oauth/authorize)', () => {
  test("describeAuthorization gives the page the app's public fields, mode, access and expiry — no secret", async () => {
    const w = await createWorld();
    const rt = await requestToken(w);
    const described = await w.provider.describeAuthorization(rt.token);
    assert.deepEqual(described, {
      requestToken: rt.token,
      consumer: {
        key: APPS.pin.key,
        name: APPS.pin.name,
        description: APPS.pin.description,
        website: APPS.pin.website,
      },
      callbackMode: 'oob',
      accessLevel: 'read-write',
      expiresAt: w.clock.now() + 900_000,
      state: 'issued',
    });
    assert.ok(!JSON.stringify(described).includes(APPS.pin.secret));
    assert.ok(!JSON.stringify(described).includes(rt.secret));
  });

  test('describeAuthorization reports callback mode and a lowered access level', async () => {
    const w = await createWorld();
    const rt = await w.provider.issueRequestToken(
      w.sign({
        path: '/oauth/request_token?x_auth_access_type=read',
        consumer: APPS.web,
        oauth: [['oauth_callback', 'https://web.example/oauth/callback']],
      }),
    );
    const described = await w.provider.describeAuthorization(rt.token);
    assert.equal(described.callbackMode, 'callback');
    assert.equal(described.accessLevel, 'read');
  });

  test('unknown, expired, answered, denied and burned request tokens are unusable, each with its reason', async () => {
    const w = await createWorld();
    await rejectsUnusable(w.provider.describeAuthorization('no-such-token'), 'unknown');

    const approved = await approvedPinToken(w);
    await rejectsUnusable(w.provider.describeAuthorization(approved.token), 'used');

    const denied = await requestToken(w);
    await w.provider.deny(denied.token);
    await rejectsUnusable(w.provider.describeAuthorization(denied.token), 'denied');

    const burned = await approvedPinToken(w);
    for (let i = 0; i < 5; i++) {
      await assert.rejects(w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, burned, 'wrong')));
    }
    await rejectsUnusable(w.provider.describeAuthorization(burned.token), 'burned');

    const late = await requestToken(w);
    w.clock.advance(900);
    await rejectsUnusable(w.provider.describeAuthorization(late.token), 'expired');
    await rejectsUnusable(w.provider.approve(late.token, ALICE.id), 'expired');
    await rejectsUnusable(w.provider.deny(late.token), 'expired');
  });

  test('a request token of an app disabled since is unusable', async () => {
    const w = await createWorld();
    const rt = await requestToken(w);
    await w.stores.consumers.update({ ...APPS.pin, disabled: true });
    await rejectsUnusable(w.provider.describeAuthorization(rt.token), 'unknown');
    await rejectsUnusable(w.provider.approve(rt.token, ALICE.id), 'unknown');
  });

  test('approve in oob mode gives a PIN of pinLength digits with the app name and expiry', async () => {
    for (const pinLength of [6, 7, 10]) {
      const w = await createWorld({ config: { pinLength } });
      const rt = await requestToken(w);
      const approval = await w.provider.approve(rt.token, ALICE.id);
      assert.equal(approval.mode, 'oob');
      if (approval.mode !== 'oob') return;
      assert.match(approval.pin, new RegExp(`^[0-9]{${pinLength}}$`));
      assert.equal(approval.consumerName, APPS.pin.name);
      assert.equal(approval.expiresAt, w.clock.now() + 900_000);
      // Stored is the PIN's keyed digest, bound to this token; never the PIN itself.
      const stored = await w.stores.requestTokens.get(rt.token);
      assert.deepEqual(stored?.state, {
        status: 'authorized',
        userId: ALICE.id,
        verifier: verifierDigest(w.stores.verifierKey as Uint8Array, rt.token, approval.pin),
        attemptsLeft: 5,
      });
      assert.ok(!JSON.stringify(stored).includes(approval.pin));
    }
  });

  test("the PIN is drawn from the injected random source's int(10), one call per digit", async () => {
    const w = await createWorld({ config: { pinLength: 8 } });
    const rt = await requestToken(w);
    const before = w.random.calls.int.length;
    await w.provider.approve(rt.token, ALICE.id);
    assert.deepEqual(w.random.calls.int.slice(before), [10, 10, 10, 10, 10, 10, 10, 10]);
  });

  test('approve in callback mode redirects with oauth_token and a long random oauth_verifier, keeping the query', async () => {
    const w = await createWorld();
    const callback = 'https://web.example/oauth/callback?state=a%20b';
    const rt = await requestToken(w, APPS.web, callback);
    const approval = await w.provider.approve(rt.token, ALICE.id);
    assert.equal(approval.mode, 'callback');
    if (approval.mode !== 'callback') return;
    assert.ok(approval.redirectTo.startsWith(`${callback}&oauth_token=${rt.token}&oauth_verifier=`));
    const verifier = new URL(approval.redirectTo).searchParams.get('oauth_verifier') ?? '';
    assert.match(verifier, /^[A-Za-z0-9_-]{32,}$/, 'at least 192 bits, URL-safe');
  });

  test('deny in callback mode redirects with oauth_token, denied and error=access_denied', async () => {
    const w = await createWorld();
    const rt = await requestToken(w, APPS.web, 'myapp://callback');
    const denial = await w.provider.deny(rt.token);
    assert.deepEqual(denial, {
      mode: 'callback',
      redirectTo: `myapp://callback?oauth_token=${rt.token}&denied=${rt.token}&error=access_denied`,
    });
    assert.deepEqual((await w.stores.requestTokens.get(rt.token))?.state, { status: 'denied' });
  });

  test('deny in oob mode has nowhere to redirect', async () => {
    const w = await createWorld();
    const rt = await requestToken(w);
    assert.deepEqual(await w.provider.deny(rt.token), { mode: 'oob' });
  });

  test('a decision is final: approving twice, or denying after approving, is refused', async () => {
    const w = await createWorld();
    const rt = await requestToken(w);
    await w.provider.approve(rt.token, ALICE.id);
    await rejectsUnusable(w.provider.approve(rt.token, ALICE.id), 'used');
    await rejectsUnusable(w.provider.deny(rt.token), 'used');
    const other = await requestToken(w);
    await w.provider.deny(other.token);
    await rejectsUnusable(w.provider.approve(other.token, ALICE.id), 'denied');
  });

  test('concurrent approve and deny: compare-and-set lets exactly one decision through', async () => {
    const w = await createWorld();
    const rt = await requestToken(w);
    const results = await Promise.allSettled([
      w.provider.approve(rt.token, ALICE.id),
      w.provider.deny(rt.token),
      w.provider.approve(rt.token, BOB.id),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    assert.equal(fulfilled.length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof RequestTokenUnusable);
    }
    const state = (await w.stores.requestTokens.get(rt.token))?.state;
    assert.ok(state?.status === 'authorized' || state?.status === 'denied');
  });

  test('hasAuthorized is true while the user holds a live access token for that app, and only then', async () => {
    const w = await createWorld();
    assert.equal(await w.provider.hasAuthorized(ALICE.id, APPS.pin.key), false);
    const at = await accessTokenFor(w, APPS.pin, ALICE.id);
    assert.equal(await w.provider.hasAuthorized(ALICE.id, APPS.pin.key), true);
    assert.equal(await w.provider.hasAuthorized(BOB.id, APPS.pin.key), false);
    assert.equal(await w.provider.hasAuthorized(ALICE.id, APPS.web.key), false);
    await w.stores.accessTokens.revoke(at.token, w.clock.now());
    assert.equal(await w.provider.hasAuthorized(ALICE.id, APPS.pin.key), false);
  });

  test("hasAuthorized with a level counts only a live grant covering it at the app's current level", async () => {
    const w = await createWorld();
    await accessTokenFor(w, APPS.reader, ALICE.id);
    assert.equal(await w.provider.hasAuthorized(ALICE.id, APPS.reader.key, 'read'), true);
    // The app is raised to read-write: the read grant made before does not cover a read-write request.
    await w.stores.consumers.update({ ...APPS.reader, accessLevel: 'read-write' });
    assert.equal(await w.provider.hasAuthorized(ALICE.id, APPS.reader.key, 'read-write'), false);
    assert.equal(await w.provider.hasAuthorized(ALICE.id, APPS.reader.key), true, 'authorized before, still');
    // A read-write grant covers read, and read-write while the app keeps that level.
    await accessTokenFor(w, APPS.pin, ALICE.id);
    assert.equal(await w.provider.hasAuthorized(ALICE.id, APPS.pin.key, 'read'), true);
    assert.equal(await w.provider.hasAuthorized(ALICE.id, APPS.pin.key, 'read-write'), true);
    assert.equal(await w.provider.hasAuthorized(BOB.id, APPS.pin.key, 'read'), false);
  });

  test('a callback that cannot be redirected to is refused before the decision: the token is not spent', async () => {
    const w = await createWorld();
    // A token stored before callbacks were canonicalised, with CR LF in its callback.
    const issued = await requestToken(w, APPS.web, 'https://web.example/oauth/callback');
    const stored = (await w.stores.requestTokens.get(issued.token))!;
    const poisoned = { ...stored, callback: 'https://web.example/oauth/callback?x=1\r\nSet-Cookie: a=b' };
    assert.ok(await w.stores.requestTokens.transition({ ...poisoned, version: 1 }, 0));
    for (const decide of [
      () => w.provider.approve(issued.token, ALICE.id),
      () => w.provider.deny(issued.token),
    ]) {
      await assert.rejects(
        decide(),
        (error: unknown) => error instanceof OAuthProblem && error.status === 400,
      );
      assert.equal((await w.stores.requestTokens.get(issued.token))?.state.status, 'issued');
    }
  });

  test('the redirect goes to the canonical URL that was matched, never a raw spelling', async () => {
    const w = await createWorld();
    const issued = await requestToken(w, APPS.web, 'https:web.example/oauth/callback?q=żółw');
    const approval = await w.provider.approve(issued.token, ALICE.id);
    assert.equal(approval.mode, 'callback');
    const location = approval.mode === 'callback' ? approval.redirectTo : '';
    assert.match(location, /^https:\/\/web\.example\/oauth\/callback\?q=%C5%BC%C3%B3%C5%82w&oauth_token=/);
    assert.match(location, /^[\x21-\x7e]+$/, 'a Location header carries visible ASCII only');
  });

  test('the log records decisions without the PIN', async () => {
    const w = await createWorld();
    const rt = await approvedPinToken(w);
    const approved = w.events.find((e) => e.event === 'authorization.approved');
    assert.deepEqual(approved, {
      event: 'authorization.approved',
      consumerKey: APPS.pin.key,
      requestToken: rt.token,
      userId: ALICE.id,
      mode: 'oob',
    });
    assert.ok(!JSON.stringify(w.events).includes(rt.pin));
  });
});

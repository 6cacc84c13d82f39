// The provider over the real default store: the flows, the races and a restart, on a SQLite file.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { OAuthProblem } from '../../src/core/problems.ts';
import { Provider } from '../../src/provider/provider.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import { rejectsWithProblem } from './fixtures/problem-assertions.ts';
import {
  ALICE,
  APPS,
  approvedPinToken,
  createWorld,
  exchangeRequest,
  exchangeTwoAuthorizationsAtOnce,
} from './fixtures/world.ts';

const dir = mkdtempSync(join(tmpdir(), 'tripod-provider-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `provider-${++files}.sqlite`);

describe('the provider on SQLite', () => {
  test('the PIN flow runs end to end: request token, approve, exchange, verified call', async () => {
    const stores = await openSqliteStores(freshFile());
    const w = await createWorld({ stores });
    const rt = await approvedPinToken(w);
    const at = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin));
    const verified = await w.provider.verifyProtectedRequest(
      w.sign({
        method: 'GET',
        path: '/1.1/account/verify_credentials.json',
        consumer: APPS.pin,
        token: at.token,
        tokenSecret: at.secret,
      }),
      { access: 'write' },
    );
    assert.equal(verified.userId, ALICE.id);
    await stores.close();
  });

  test('concurrent exchanges of one PIN: the compare-and-set in SQL lets exactly one through', async () => {
    const stores = await openSqliteStores(freshFile());
    const w = await createWorld({ stores });
    const rt = await approvedPinToken(w);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin)),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal((await stores.accessTokens.listActiveForUser(ALICE.id)).length, 1);
    await stores.close();
  });

  test('racing exchanges of two authorizations for one grant share one access token (unique live grant)', async () => {
    const stores = await openSqliteStores(freshFile());
    const w = await createWorld({ stores });
    const [a, b] = await exchangeTwoAuthorizationsAtOnce(w);
    assert.deepEqual(a, b);
    assert.equal((await stores.accessTokens.listActiveForUser(ALICE.id)).length, 1);
    await stores.close();
  });

  test('parallel wrong PINs burn the token after exactly pinMaxAttempts', async () => {
    const stores = await openSqliteStores(freshFile());
    const w = await createWorld({ stores });
    const rt = await approvedPinToken(w);
    const guesses = [
      '0000000',
      '1111111',
      '2222222',
      '3333333',
      '4444444',
      '5555555',
      '6666666',
      '7777777',
    ].filter((g) => g !== rt.pin);
    await Promise.allSettled(
      guesses.map((g) => w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, g))),
    );
    assert.deepEqual((await stores.requestTokens.get(rt.token))?.state, { status: 'burned' });
    assert.equal(w.events.filter((e) => e.event === 'verifier.rejected').length, 5);
    await stores.close();
  });

  test('a request replayed after a restart (new process, same file) is still refused', async () => {
    const file = freshFile();
    const stores = await openSqliteStores(file);
    const w = await createWorld({ stores });
    const rt = await approvedPinToken(w);
    const at = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin));
    const request = w.sign({
      method: 'GET',
      path: '/1.1/account/verify_credentials.json',
      consumer: APPS.pin,
      token: at.token,
      tokenSecret: at.secret,
    });
    await w.provider.verifyProtectedRequest(request, { access: 'read' });
    await stores.close();

    const reopened = await openSqliteStores(file);
    const restarted = new Provider({ stores: reopened, clock: w.clock, random: w.random });
    await rejectsWithProblem(restarted.verifyProtectedRequest(request, { access: 'read' }), {
      status: 401,
      code: 32,
      problem: 'nonce_used',
    });
    await reopened.close();
  });

  test('with the database gone, verification fails with an error, never a pass or a misleading 401', async () => {
    const stores = await openSqliteStores(freshFile());
    const w = await createWorld({ stores });
    const rt = await approvedPinToken(w);
    const at = await w.provider.exchangeAccessToken(exchangeRequest(w, APPS.pin, rt, rt.pin));
    await stores.close();
    await assert.rejects(
      w.provider.verifyProtectedRequest(
        w.sign({
          method: 'GET',
          path: '/1.1/x',
          consumer: APPS.pin,
          token: at.token,
          tokenSecret: at.secret,
        }),
        { access: 'read' },
      ),
      (error: unknown) => !(error instanceof OAuthProblem),
    );
  });
});

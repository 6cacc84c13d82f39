import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  authorize,
  deny,
  exchange,
  IllegalTransition,
  rejectVerifier,
  requestTokenStatus,
  unusableForDecision,
} from '../../src/provider/request-token-state.ts';
import type { RequestToken } from '../../src/provider/types.ts';

const NOW = 1_000_000;
const issued: RequestToken = {
  token: 'rt',
  secret: 'rts',
  consumerKey: 'app',
  callback: 'oob',
  accessLevel: 'read-write',
  createdAt: NOW,
  expiresAt: NOW + 900_000,
  state: { status: 'issued' },
  version: 0,
};
const grant = { userId: 'u1', verifier: '0421337', attempts: 3 };

describe('request token state machine (DESIGN.md §2)', () => {
  test('issued --approve--> authorized(user, verifier, attempts left), version + 1', () => {
    const next = authorize(issued, grant, NOW);
    assert.deepEqual(next.state, {
      status: 'authorized',
      userId: 'u1',
      verifier: '0421337',
      attemptsLeft: 3,
    });
    assert.equal(next.version, 1);
    assert.deepEqual({ ...next, state: issued.state, version: 0 }, issued, 'nothing else changes');
    assert.deepEqual(issued.state, { status: 'issued' }, 'the input is not mutated');
  });

  test('issued --deny--> denied', () => {
    const next = deny(issued, NOW);
    assert.deepEqual(next.state, { status: 'denied' });
    assert.equal(next.version, 1);
  });

  test('authorized --correct verifier--> exchanged(user, access token)', () => {
    const next = exchange(authorize(issued, grant, NOW), 'at1', NOW);
    assert.deepEqual(next.state, { status: 'exchanged', userId: 'u1', accessToken: 'at1' });
    assert.equal(next.version, 2);
  });

  test('authorized --wrong verifier--> one attempt fewer, and burned when none is left', () => {
    let token = authorize(issued, grant, NOW);
    token = rejectVerifier(token, NOW);
    assert.deepEqual(token.state, {
      status: 'authorized',
      userId: 'u1',
      verifier: '0421337',
      attemptsLeft: 2,
    });
    token = rejectVerifier(token, NOW);
    assert.equal(token.state.status === 'authorized' && token.state.attemptsLeft, 1);
    token = rejectVerifier(token, NOW);
    assert.deepEqual(token.state, { status: 'burned' });
    assert.equal(token.version, 4);
  });

  test('time passes --> expired, derived from expiresAt for issued and authorized tokens', () => {
    assert.equal(requestTokenStatus(issued, issued.expiresAt - 1), 'issued');
    assert.equal(requestTokenStatus(issued, issued.expiresAt), 'expired');
    assert.equal(requestTokenStatus(authorize(issued, grant, NOW), issued.expiresAt + 1), 'expired');
  });

  test('terminal states keep their name after expiry (used says more than expired)', () => {
    const exchanged = exchange(authorize(issued, grant, NOW), 'at', NOW);
    assert.equal(requestTokenStatus(exchanged, issued.expiresAt + 1), 'exchanged');
    assert.equal(requestTokenStatus(deny(issued, NOW), issued.expiresAt + 1), 'denied');
  });

  test('no arrow leaves a state it does not start from', () => {
    const authorized = authorize(issued, grant, NOW);
    const exchanged = exchange(authorized, 'at', NOW);
    const denied = deny(issued, NOW);
    const late = issued.expiresAt;
    assert.throws(() => authorize(authorized, grant, NOW), IllegalTransition);
    assert.throws(() => authorize(issued, grant, late), IllegalTransition);
    assert.throws(() => deny(authorized, NOW), IllegalTransition);
    assert.throws(() => deny(denied, NOW), IllegalTransition);
    assert.throws(() => exchange(issued, 'at', NOW), IllegalTransition);
    assert.throws(() => exchange(exchanged, 'at', NOW), IllegalTransition);
    assert.throws(() => exchange(authorized, 'at', late), IllegalTransition);
    assert.throws(() => rejectVerifier(issued, NOW), IllegalTransition);
    assert.throws(() => rejectVerifier(exchanged, NOW), IllegalTransition);
    try {
      deny(exchanged, NOW);
    } catch (error) {
      assert.ok(error instanceof IllegalTransition);
      assert.equal(error.from, 'exchanged');
    }
  });

  test('only an issued token can still be approved or denied; the others say why not', () => {
    assert.equal(unusableForDecision('issued'), null);
    assert.equal(unusableForDecision('authorized'), 'used');
    assert.equal(unusableForDecision('exchanged'), 'used');
    assert.equal(unusableForDecision('expired'), 'expired');
    assert.equal(unusableForDecision('denied'), 'denied');
    assert.equal(unusableForDecision('burned'), 'burned');
  });
});

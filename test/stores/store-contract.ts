// The behaviour every implementation of the provider's store interfaces must have, run against each
// (memory, SQLite; PostgreSQL later). A store passes when it is indistinguishable from the others.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AccessToken, Consumer, RequestToken, Stores, User } from '../../src/provider/types.ts';

const user = (id: string, username: string, createdAt = 1): User => ({
  id,
  username,
  passwordHash: `$argon2id$hash-of-${username}`,
  isOperator: false,
  createdAt,
});

const consumer = (key: string, overrides: Partial<Consumer> = {}): Consumer => ({
  key,
  secret: `${key}-secret`,
  name: `App ${key}`,
  description: 'An app with "quotes", <angle brackets> and ünïcödé',
  website: 'https://app.example',
  ownerUserId: 'u1',
  callbackUrls: ['https://app.example/cb?x=1&y=2', 'myapp://callback'],
  accessLevel: 'read-write',
  xauth: false,
  rsaPublicKey: null,
  disabled: false,
  createdAt: 1_767_225_600_000,
  ...overrides,
});

const requestToken = (token: string, overrides: Partial<RequestToken> = {}): RequestToken => ({
  token,
  secret: `${token}-secret`,
  consumerKey: 'app',
  callback: 'oob',
  accessLevel: 'read-write',
  createdAt: 1_767_225_600_000,
  expiresAt: 1_767_226_500_000,
  state: { status: 'issued' },
  version: 0,
  ...overrides,
});

const accessToken = (token: string, overrides: Partial<AccessToken> = {}): AccessToken => ({
  token,
  secret: `${token}-secret`,
  consumerKey: 'app',
  userId: 'u1',
  accessLevel: 'read-write',
  createdAt: 1_767_225_600_000,
  revokedAt: null,
  ...overrides,
});

export function storeContract(name: string, open: () => Promise<Stores>): void {
  const withStores = (fn: (stores: Stores) => Promise<void>) => async () => {
    const stores = await open();
    try {
      await fn(stores);
    } finally {
      await stores.close();
    }
  };

  describe(`${name} store contract`, () => {
    describe('users', () => {
      test(
        'a created user is found by id and by username, with every field intact',
        withStores(async ({ users }) => {
          const alice = { ...user('u1', 'alice'), isOperator: true };
          await users.create(alice);
          assert.deepEqual(await users.getById('u1'), alice);
          assert.deepEqual(await users.getByUsername('alice'), alice);
          assert.equal(await users.getById('nobody'), null);
          assert.equal(await users.getByUsername('nobody'), null);
        }),
      );
      test(
        'usernames and ids are unique',
        withStores(async ({ users }) => {
          await users.create(user('u1', 'alice'));
          await assert.rejects(users.create(user('u2', 'alice')));
          await assert.rejects(users.create(user('u1', 'bob')));
          assert.equal(await users.count(), 1);
        }),
      );
      test(
        'list returns users oldest first and count counts them',
        withStores(async ({ users }) => {
          await users.create(user('u2', 'bob', 2));
          await users.create(user('u1', 'alice', 1));
          assert.deepEqual(
            (await users.list()).map((u) => u.username),
            ['alice', 'bob'],
          );
          assert.equal(await users.count(), 2);
        }),
      );
    });

    describe('consumers', () => {
      test(
        'a created consumer round-trips, callback URLs and flags included',
        withStores(async ({ consumers }) => {
          const c = consumer('app', { xauth: true, rsaPublicKey: '-----BEGIN PUBLIC KEY-----\n…' });
          await consumers.create(c);
          assert.deepEqual(await consumers.get('app'), c);
          assert.equal(await consumers.get('other'), null);
        }),
      );
      test(
        'a PIN-only consumer keeps its empty callback list',
        withStores(async ({ consumers }) => {
          await consumers.create(consumer('pin', { callbackUrls: [] }));
          assert.deepEqual((await consumers.get('pin'))?.callbackUrls, []);
        }),
      );
      test(
        'update replaces every field but the key; delete removes it',
        withStores(async ({ consumers }) => {
          await consumers.create(consumer('app'));
          const changed = consumer('app', {
            name: 'Renamed',
            accessLevel: 'read',
            disabled: true,
            callbackUrls: [],
            ownerUserId: null,
          });
          await consumers.update(changed);
          assert.deepEqual(await consumers.get('app'), changed);
          await assert.rejects(consumers.update(consumer('missing')));
          await consumers.delete('app');
          assert.equal(await consumers.get('app'), null);
        }),
      );
      test(
        'keys are unique and list returns oldest first',
        withStores(async ({ consumers }) => {
          await consumers.create(consumer('b', { createdAt: 2 }));
          await consumers.create(consumer('a', { createdAt: 1 }));
          await assert.rejects(consumers.create(consumer('a')));
          assert.deepEqual(
            (await consumers.list()).map((c) => c.key),
            ['a', 'b'],
          );
        }),
      );
    });

    describe('request tokens', () => {
      test(
        'a created request token round-trips',
        withStores(async ({ requestTokens }) => {
          const rt = requestToken('rt1', { callback: 'https://app.example/cb?x=1' });
          await requestTokens.create(rt);
          assert.deepEqual(await requestTokens.get('rt1'), rt);
          assert.equal(await requestTokens.get('nope'), null);
        }),
      );
      test(
        'every state of the machine round-trips through transition',
        withStores(async ({ requestTokens }) => {
          await requestTokens.create(requestToken('rt1'));
          const states: RequestToken['state'][] = [
            { status: 'authorized', userId: 'u1', verifier: '0123456', attemptsLeft: 5 },
            { status: 'authorized', userId: 'u1', verifier: '0123456', attemptsLeft: 4 },
            { status: 'exchanged', userId: 'u1', accessToken: 'at1' },
          ];
          let version = 0;
          for (const state of states) {
            const next = { ...requestToken('rt1'), state, version: version + 1 };
            assert.equal(await requestTokens.transition(next, version), true);
            version++;
            assert.deepEqual(await requestTokens.get('rt1'), next);
          }
          await requestTokens.create(requestToken('rt2'));
          for (const state of [{ status: 'denied' }, { status: 'burned' }] as const) {
            const current = (await requestTokens.get('rt2')) as RequestToken;
            const next = { ...current, state, version: current.version + 1 };
            assert.equal(await requestTokens.transition(next, current.version), true);
            assert.deepEqual(await requestTokens.get('rt2'), next);
          }
        }),
      );
      test(
        'transition is a compare-and-set: a stale version loses and changes nothing',
        withStores(async ({ requestTokens }) => {
          await requestTokens.create(requestToken('rt1'));
          const approved = {
            ...requestToken('rt1'),
            state: { status: 'authorized', userId: 'u1', verifier: '1', attemptsLeft: 5 } as const,
            version: 1,
          };
          const denied = { ...requestToken('rt1'), state: { status: 'denied' } as const, version: 1 };
          assert.equal(await requestTokens.transition(approved, 0), true);
          assert.equal(await requestTokens.transition(denied, 0), false);
          assert.deepEqual(await requestTokens.get('rt1'), approved);
          assert.equal(await requestTokens.transition({ ...denied, token: 'missing' }, 0), false);
        }),
      );
      test(
        'of many concurrent transitions from one version exactly one wins',
        withStores(async ({ requestTokens }) => {
          await requestTokens.create(requestToken('rt1'));
          const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              requestTokens.transition(
                {
                  ...requestToken('rt1'),
                  state: { status: 'authorized', userId: `u${i}`, verifier: String(i), attemptsLeft: 5 },
                  version: 1,
                },
                0,
              ),
            ),
          );
          assert.equal(results.filter(Boolean).length, 1);
          const winner = results.indexOf(true);
          assert.deepEqual((await requestTokens.get('rt1'))?.state, {
            status: 'authorized',
            userId: `u${winner}`,
            verifier: String(winner),
            attemptsLeft: 5,
          });
        }),
      );
      test(
        'deleteExpired removes tokens that expired before the given time, and only those',
        withStores(async ({ requestTokens }) => {
          await requestTokens.create(requestToken('old', { expiresAt: 1000 }));
          await requestTokens.create(requestToken('edge', { expiresAt: 2000 }));
          await requestTokens.create(requestToken('new', { expiresAt: 3000 }));
          assert.equal(await requestTokens.deleteExpired(2000), 1);
          assert.equal(await requestTokens.get('old'), null);
          assert.notEqual(await requestTokens.get('edge'), null);
          assert.notEqual(await requestTokens.get('new'), null);
        }),
      );
      test(
        'values read are copies: mutating one does not change the store',
        withStores(async ({ requestTokens }) => {
          await requestTokens.create(requestToken('rt1'));
          const read = (await requestTokens.get('rt1')) as RequestToken;
          read.state = { status: 'burned' };
          read.version = 99;
          assert.deepEqual(await requestTokens.get('rt1'), requestToken('rt1'));
        }),
      );
    });

    describe('access tokens', () => {
      test(
        'a created access token round-trips',
        withStores(async ({ accessTokens }) => {
          await accessTokens.create(accessToken('at1'));
          assert.deepEqual(await accessTokens.get('at1'), accessToken('at1'));
          assert.equal(await accessTokens.get('nope'), null);
        }),
      );
      test(
        'findActive finds the live token of this user for this app at this level',
        withStores(async ({ accessTokens }) => {
          await accessTokens.create(accessToken('rw'));
          await accessTokens.create(accessToken('read', { accessLevel: 'read' }));
          await accessTokens.create(accessToken('other-user', { userId: 'u2' }));
          await accessTokens.create(accessToken('other-app', { consumerKey: 'app2' }));
          assert.equal((await accessTokens.findActive('app', 'u1', 'read-write'))?.token, 'rw');
          assert.equal((await accessTokens.findActive('app', 'u1', 'read'))?.token, 'read');
          assert.equal(await accessTokens.findActive('app', 'u3', 'read'), null);
        }),
      );
      test(
        'there is at most one live token per app, user and access level; revoked ones do not count',
        withStores(async ({ accessTokens }) => {
          await accessTokens.create(accessToken('first'));
          await assert.rejects(accessTokens.create(accessToken('second')));
          assert.equal(await accessTokens.get('second'), null);
          await accessTokens.revoke('first', 10);
          await accessTokens.create(accessToken('second'));
          await accessTokens.create(accessToken('old-tombstone', { revokedAt: 5 }));
          assert.equal((await accessTokens.findActive('app', 'u1', 'read-write'))?.token, 'second');
        }),
      );
      test(
        'a revoked token stays readable as a tombstone but is no longer active',
        withStores(async ({ accessTokens }) => {
          await accessTokens.create(accessToken('at1'));
          assert.equal(await accessTokens.revoke('at1', 5000), true);
          assert.equal(await accessTokens.revoke('at1', 6000), false);
          assert.equal(await accessTokens.revoke('missing', 6000), false);
          assert.deepEqual(await accessTokens.get('at1'), accessToken('at1', { revokedAt: 5000 }));
          assert.equal(await accessTokens.findActive('app', 'u1', 'read-write'), null);
          assert.deepEqual(await accessTokens.listActiveForUser('u1'), []);
        }),
      );
      test(
        'revokeAllFor revokes every live token of one user for one app',
        withStores(async ({ accessTokens }) => {
          await accessTokens.create(accessToken('a', { accessLevel: 'read' }));
          await accessTokens.create(accessToken('b'));
          await accessTokens.create(accessToken('c', { revokedAt: 10 }));
          await accessTokens.create(accessToken('d', { consumerKey: 'app2' }));
          await accessTokens.create(accessToken('e', { userId: 'u2' }));
          assert.equal(await accessTokens.revokeAllFor('app', 'u1', 99), 2);
          assert.equal((await accessTokens.get('c'))?.revokedAt, 10);
          assert.deepEqual(
            (await accessTokens.listActiveForUser('u1')).map((t) => t.token),
            ['d'],
          );
        }),
      );
      test(
        'listActiveForUser lists live tokens, oldest first',
        withStores(async ({ accessTokens }) => {
          await accessTokens.create(accessToken('b', { createdAt: 2, consumerKey: 'app2' }));
          await accessTokens.create(accessToken('a', { createdAt: 1 }));
          assert.deepEqual(
            (await accessTokens.listActiveForUser('u1')).map((t) => t.token),
            ['a', 'b'],
          );
        }),
      );
    });

    describe('nonces', () => {
      test(
        'claim is true the first time a key is seen and false on every replay',
        withStores(async ({ nonces }) => {
          assert.equal(await nonces.claim('k1', 10_000), true);
          assert.equal(await nonces.claim('k1', 10_000), false);
          assert.equal(await nonces.claim('k1', 20_000), false);
          assert.equal(await nonces.claim('k2', 10_000), true);
        }),
      );
      test(
        'of many concurrent claims of one key exactly one succeeds',
        withStores(async ({ nonces }) => {
          const results = await Promise.all(Array.from({ length: 50 }, () => nonces.claim('same', 10_000)));
          assert.equal(results.filter(Boolean).length, 1);
        }),
      );
      test(
        'deleteExpired forgets keys whose expiry has passed, so they can be claimed again',
        withStores(async ({ nonces }) => {
          await nonces.claim('old', 1000);
          await nonces.claim('new', 3000);
          assert.equal(await nonces.deleteExpired(2000), 1);
          assert.equal(await nonces.claim('old', 5000), true);
          assert.equal(await nonces.claim('new', 5000), false);
        }),
      );
    });
  });
}

// The behaviour every implementation of the stores must have, run against each (memory, SQLite file,
// PostgreSQL, PostgreSQL + Redis). A store passes when it is indistinguishable from the others.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AccessToken, Consumer, RequestToken, User } from '../../src/provider/types.ts';
import { PURGE_CHUNK } from '../../src/stores/sql/sql-stores.ts';
import type {
  RejectedRequest,
  RevocationEvent,
  Session,
  StoredAuditEvent,
  TripodStores,
} from '../../src/stores/types.ts';
import { REJECTIONS_KEPT } from '../../src/stores/types.ts';

const user = (id: string, username: string, createdAt = 1): User => ({
  id,
  username,
  passwordHash: `$argon2id$hash-of-${username}`,
  isOperator: false,
  disabled: false,
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

/** A request token of app `app` waiting for its answer; the stores' own tests build theirs with it too. */
export const requestToken = (token: string, overrides: Partial<RequestToken> = {}): RequestToken => ({
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

const session = (idHash: string, overrides: Partial<Session> = {}): Session => ({
  idHash,
  userId: 'u1',
  createdAt: 1_000,
  expiresAt: 10_000,
  stash: null,
  lastSeenAt: 1_000,
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chromium/131',
  address: '192.0.2.7',
  ...overrides,
});

const rejected = (n: number): RejectedRequest => ({
  at: 1_767_225_600_000 + n,
  method: 'POST',
  url: `https://tripod.example/oauth/request_token?n=${n}`,
  problem: 'signature_invalid',
  status: 401,
  code: 32,
  advice: 'Check the base string.',
  parameters: [
    ['oauth_consumer_key', 'key'],
    ['oauth_nonce', `n${n}`],
  ],
  baseString: n % 2 === 0 ? `POST&https%3A%2F%2Ftripod.example&oauth_nonce%3Dn${n}` : null,
});

const ALL = { offset: 0, limit: 100 };

const withoutId = ({ id: _id, ...event }: StoredAuditEvent) => event;

export function storeContract(name: string, open: () => Promise<TripodStores>): void {
  const withStores = (fn: (stores: TripodStores) => Promise<void>) => async () => {
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
            (await users.list(ALL)).map((u) => u.username),
            ['alice', 'bob'],
          );
          assert.equal(await users.count(), 2);
        }),
      );
      test(
        'usernames are unique whatever their letter case, and found in any case',
        withStores(async ({ users }) => {
          await users.create(user('u1', 'olga'));
          await assert.rejects(users.create(user('u2', 'OLGA')));
          await assert.rejects(users.create(user('u3', 'Olga')));
          assert.equal((await users.getByUsername('OLGA'))?.id, 'u1');
          assert.equal((await users.getByUsername('oLgA'))?.username, 'olga', 'the name as typed is kept');
          assert.equal(await users.count(), 1);
        }),
      );
      test(
        'list pages with offset and limit, and searches names case-insensitively (LIKE wildcards are literal)',
        withStores(async ({ users }) => {
          const names = ['alice', 'Bob', 'carol', 'ALINA', 'al_x', 'al%y'];
          for (const [i, n] of names.entries()) await users.create(user(`u${i}`, n, i));
          const page = async (offset: number, limit: number, search?: string) =>
            (await users.list({ offset, limit, search })).map((u) => u.username);
          assert.deepEqual(await page(1, 2), ['Bob', 'carol']);
          assert.deepEqual(await page(5, 10), ['al%y']);
          assert.deepEqual(await page(0, 0), []);
          assert.deepEqual(await page(0, 10, 'AL'), ['alice', 'ALINA', 'al_x', 'al%y']);
          assert.deepEqual(await page(1, 1, 'al'), ['ALINA']);
          assert.deepEqual(await page(0, 10, '_'), ['al_x']);
          assert.deepEqual(await page(0, 10, '%'), ['al%y']);
          assert.deepEqual(await page(0, 10, 'zzz'), []);
          assert.equal(await users.count('al'), 4);
          assert.equal(await users.count(''), 6);
        }),
      );
      test(
        'password, disabled and operator flag change one user; delete removes it and frees the name',
        withStores(async ({ users }) => {
          await users.create(user('u1', 'alice'));
          await users.create(user('u2', 'bob'));
          assert.equal(await users.updatePassword('u1', '$argon2id$new'), true);
          assert.equal(await users.setDisabled('u1', true), true);
          assert.equal(await users.setOperator('u1', true), true);
          assert.deepEqual(await users.getById('u1'), {
            ...user('u1', 'alice'),
            passwordHash: '$argon2id$new',
            disabled: true,
            isOperator: true,
          });
          assert.deepEqual(await users.getById('u2'), user('u2', 'bob'));
          assert.equal(await users.setDisabled('u1', false), true);
          assert.equal((await users.getById('u1'))?.disabled, false);
          for (const change of [
            users.updatePassword('nobody', 'x'),
            users.setDisabled('nobody', true),
            users.setOperator('nobody', true),
            users.delete('nobody'),
          ]) {
            assert.equal(await change, false);
          }
          assert.equal(await users.delete('u1'), true);
          assert.equal(await users.getById('u1'), null);
          assert.equal(await users.getByUsername('alice'), null);
          await users.create(user('u3', 'ALICE'));
          assert.equal((await users.getByUsername('alice'))?.id, 'u3');
        }),
      );
      test(
        'an e-mail address is optional, found in any letter case, changed and forgotten',
        withStores(async ({ users }) => {
          await users.create({ ...user('u1', 'alice', 1), email: 'Alice@Example.org' });
          await users.create(user('u2', 'bob', 2));
          await users.create(user('u3', 'carol', 3));
          assert.deepEqual(await users.getById('u1'), {
            ...user('u1', 'alice', 1),
            email: 'Alice@Example.org',
          });
          assert.deepEqual(await users.getById('u2'), user('u2', 'bob', 2), 'no address: none read back');
          assert.equal(await users.setEmail('u3', 'alice@example.ORG'), true);
          assert.deepEqual(
            (await users.listByEmail('ALICE@example.org')).map((u) => u.id),
            ['u1', 'u3'],
          );
          assert.deepEqual(await users.listByEmail('nobody@example.org'), []);
          assert.equal(await users.setEmail('u1', null), true);
          assert.deepEqual(await users.getById('u1'), user('u1', 'alice', 1));
          assert.deepEqual(
            (await users.listByEmail('alice@example.org')).map((u) => u.id),
            ['u3'],
          );
          assert.equal(await users.setEmail('nobody', 'x@example.org'), false);
        }),
      );
    });

    describe('consumers', () => {
      test(
        'keys lists the registered apps (up to a limit): what the verification cache knows of them',
        withStores(async ({ consumers }) => {
          assert.deepEqual(await consumers.keys?.(10), []);
          for (const key of ['k1', 'k2', 'k3']) await consumers.create(consumer(key));
          assert.deepEqual((await consumers.keys?.(10))?.sort(), ['k1', 'k2', 'k3']);
          assert.equal((await consumers.keys?.(2))?.length, 2);
          await consumers.delete('k2');
          assert.deepEqual((await consumers.keys?.(10))?.sort(), ['k1', 'k3']);
        }),
      );
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
            (await consumers.list(ALL)).map((c) => c.key),
            ['a', 'b'],
          );
        }),
      );
      test(
        "listByOwner lists one owner's apps, oldest first; count and search page the rest",
        withStores(async ({ consumers }) => {
          await consumers.create(consumer('k3', { ownerUserId: 'u1', createdAt: 3, name: 'Ünïcödé Reader' }));
          await consumers.create(consumer('k1', { ownerUserId: 'u1', createdAt: 1, name: 'Photo Sync' }));
          await consumers.create(consumer('k2', { ownerUserId: 'u2', createdAt: 2, name: 'photo album' }));
          await consumers.create(consumer('k4', { ownerUserId: null, createdAt: 4, name: 'CLI' }));
          assert.deepEqual(
            (await consumers.listByOwner('u1')).map((c) => c.key),
            ['k1', 'k3'],
          );
          assert.deepEqual(await consumers.listByOwner('nobody'), []);
          assert.equal(await consumers.count(), 4);
          assert.equal(await consumers.count('PHOTO'), 2);
          const keys = async (offset: number, limit: number, search?: string) =>
            (await consumers.list({ offset, limit, search })).map((c) => c.key);
          assert.deepEqual(await keys(0, 10, 'photo'), ['k1', 'k2']);
          assert.deepEqual(await keys(0, 10, 'ÜNÏ'), ['k3'], 'case folding beyond ASCII');
          assert.deepEqual(await keys(0, 10, 'k4'), ['k4'], 'an exact key is found too');
          assert.deepEqual(await keys(1, 2), ['k2', 'k3']);
          const renamed = { ...(await consumers.get('k4'))!, name: 'Photo CLI' };
          await consumers.update(renamed);
          assert.deepEqual(await keys(0, 10, 'photo'), ['k1', 'k2', 'k4'], 'search follows a rename');
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
        'a token created twice at once is kept once; the one refused does not take the others of its moment',
        withStores(async ({ requestTokens }) => {
          const results = await Promise.allSettled([
            requestTokens.create(requestToken('twice')),
            requestTokens.create(requestToken('twice')),
            requestTokens.create(requestToken('beside')),
          ]);
          assert.deepEqual(
            results.map((r) => r.status),
            ['fulfilled', 'rejected', 'fulfilled'],
          );
          assert.deepEqual(await requestTokens.get('twice'), requestToken('twice'));
          assert.deepEqual(await requestTokens.get('beside'), requestToken('beside'));
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
        'a purged token leaves a tombstone with its app, what became of it and its expiry; nothing else',
        withStores(async ({ requestTokens }) => {
          await requestTokens.create(requestToken('waiting', { expiresAt: 1000 }));
          await requestTokens.create(
            requestToken('authorized', {
              expiresAt: 1000,
              consumerKey: 'other',
              state: { status: 'authorized', userId: 'u1', verifier: '1234567', attemptsLeft: 5 },
            }),
          );
          await requestTokens.create(
            requestToken('spent', {
              expiresAt: 1500,
              state: { status: 'exchanged', userId: 'u1', accessToken: 'at1' },
            }),
          );
          await requestTokens.create(
            requestToken('refused', { expiresAt: 1500, state: { status: 'denied' } }),
          );
          await requestTokens.create(
            requestToken('locked', { expiresAt: 1500, state: { status: 'burned' } }),
          );
          await requestTokens.create(requestToken('live', { expiresAt: 3000 }));
          assert.equal(await requestTokens.deleteExpired(2000), 5);
          assert.deepEqual(await requestTokens.getTombstone('waiting'), {
            consumerKey: 'app',
            status: 'expired',
            expiresAt: 1000,
          });
          assert.deepEqual(await requestTokens.getTombstone('authorized'), {
            consumerKey: 'other',
            status: 'expired',
            expiresAt: 1000,
          });
          assert.equal((await requestTokens.getTombstone('spent'))?.status, 'exchanged');
          assert.equal((await requestTokens.getTombstone('refused'))?.status, 'denied');
          assert.equal((await requestTokens.getTombstone('locked'))?.status, 'burned');
          assert.equal(await requestTokens.getTombstone('live'), null, 'a live token has none');
          assert.equal(await requestTokens.getTombstone('never'), null);
          // Purging again finds nothing new; old tombstones go by their expiry.
          assert.equal(await requestTokens.deleteExpired(2000), 0);
          assert.equal(await requestTokens.deleteTombstones(1200), 2);
          assert.equal(await requestTokens.getTombstone('waiting'), null);
          assert.equal((await requestTokens.getTombstone('spent'))?.status, 'exchanged');
        }),
      );
      test(
        "countOutstanding counts one app's issued and authorized tokens that have not expired, up to a bound",
        withStores(async ({ requestTokens }) => {
          await requestTokens.create(requestToken('a', { expiresAt: 5000 }));
          await requestTokens.create(
            requestToken('b', {
              expiresAt: 5000,
              state: { status: 'authorized', userId: 'u1', verifier: 'v', attemptsLeft: 5 },
            }),
          );
          await requestTokens.create(requestToken('expired', { expiresAt: 1000 }));
          await requestTokens.create(
            requestToken('denied', { expiresAt: 5000, state: { status: 'denied' } }),
          );
          await requestTokens.create(
            requestToken('spent', {
              expiresAt: 5000,
              state: { status: 'exchanged', userId: 'u1', accessToken: 'at' },
            }),
          );
          await requestTokens.create(requestToken('theirs', { expiresAt: 5000, consumerKey: 'other' }));
          assert.equal(await requestTokens.countOutstanding('app', 2000, 100), 2);
          assert.equal(await requestTokens.countOutstanding('app', 2000, 1), 1, 'counted up to atMost');
          assert.equal(await requestTokens.countOutstanding('other', 2000, 100), 1);
          assert.equal(await requestTokens.countOutstanding('nobody', 2000, 100), 0);
          assert.equal(await requestTokens.countOutstanding('app', 5000, 100), 0, 'expired at 5000');
        }),
      );
      test(
        'a token leaves the outstanding count when it is authorized no more: answered, exchanged, denied or purged',
        withStores(async ({ requestTokens }) => {
          for (const token of ['one', 'two', 'three', 'four']) {
            await requestTokens.create(requestToken(token, { expiresAt: 5000 }));
          }
          const answered = { status: 'authorized', userId: 'u1', verifier: 'v', attemptsLeft: 5 } as const;
          assert.ok(
            await requestTokens.transition(requestToken('one', { expiresAt: 5000, state: answered }), 0),
          );
          assert.equal(
            await requestTokens.countOutstanding('app', 2000, 100),
            4,
            'authorized is still waiting',
          );
          const exchanged = { status: 'exchanged', userId: 'u1', accessToken: 'at' } as const;
          assert.ok(
            await requestTokens.transition(
              requestToken('one', { expiresAt: 5000, state: exchanged, version: 1 }),
              1,
            ),
          );
          assert.ok(
            await requestTokens.transition(
              requestToken('two', { expiresAt: 5000, state: { status: 'denied' } }),
              0,
            ),
          );
          assert.ok(
            await requestTokens.transition(
              requestToken('three', { expiresAt: 5000, state: { status: 'burned' } }),
              0,
            ),
          );
          assert.equal(await requestTokens.countOutstanding('app', 2000, 100), 1);
          assert.equal(
            await requestTokens.transition(
              requestToken('four', { expiresAt: 5000, state: { status: 'denied' } }),
              7,
            ),
            false,
          );
          assert.equal(
            await requestTokens.countOutstanding('app', 2000, 100),
            1,
            'a lost transition changes nothing',
          );
          await requestTokens.create(requestToken('late', { expiresAt: 9000 }));
          assert.equal(await requestTokens.deleteExpired(6000), 4);
          assert.equal(
            await requestTokens.countOutstanding('app', 2000, 100),
            1,
            'the purged are gone, the live kept',
          );
          assert.equal((await requestTokens.get('late'))?.state.status, 'issued');
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
        'size counts the keys still live at a time',
        withStores(async ({ nonces }) => {
          const now = Date.now();
          assert.equal(await nonces.size(now), 0);
          await nonces.claim('a', now + 60_000);
          await nonces.claim('b', now + 120_000);
          await nonces.claim('b', now + 120_000);
          assert.equal(await nonces.size(now), 2);
          assert.equal(await nonces.size(now + 90_000), 1);
        }),
      );
      // Expiries are in the future, as the provider's are (the end of the timestamp window): Redis expires
      // keys by its own clock.
      test(
        'claim is true the first time a key is seen and false on every replay',
        withStores(async ({ nonces }) => {
          const soon = Date.now() + 60_000;
          assert.equal(await nonces.claim('k1', soon), true);
          assert.equal(await nonces.claim('k1', soon), false);
          assert.equal(await nonces.claim('k1', soon + 60_000), false);
          assert.equal(await nonces.claim('k2', soon), true);
        }),
      );
      test(
        'knownClaimed, where a store has it, is never true for a key claim would accept',
        withStores(async ({ nonces }) => {
          const soon = Date.now() + 60_000;
          assert.equal(nonces.knownClaimed?.('fresh') ?? false, false);
          assert.equal(await nonces.claim('fresh', soon), true, 'knownClaimed claimed nothing');
          // Where it answers at all, a key just claimed through this store is known.
          if (nonces.knownClaimed) assert.equal(nonces.knownClaimed('fresh'), true);
          assert.equal(await nonces.claim('fresh', soon), false);
        }),
      );
      test(
        'of many concurrent claims of one key exactly one succeeds',
        withStores(async ({ nonces }) => {
          const soon = Date.now() + 60_000;
          const results = await Promise.all(Array.from({ length: 50 }, () => nonces.claim('same', soon)));
          assert.equal(results.filter(Boolean).length, 1);
        }),
      );
      test(
        'a key whose expiry has passed can be claimed again once purged; a live one cannot',
        withStores(async ({ nonces }) => {
          const now = Date.now();
          await nonces.claim('old', now - 1000);
          await nonces.claim('new', now + 60_000);
          // SQL stores delete and count; Redis has expired the key by itself and reports 0.
          assert.ok((await nonces.deleteExpired(now)) <= 1);
          assert.equal(await nonces.claim('old', now + 60_000), true);
          assert.equal(await nonces.claim('new', now + 60_000), false);
        }),
      );
      test(
        'a purge of more expired nonces than one statement deletes takes them all and keeps the live ones',
        withStores(async ({ nonces }) => {
          const now = Date.now();
          // The expired keys sort after the live ones: a purge may not rely on keys being in expiry order.
          const expired = Array.from({ length: 2 * PURGE_CHUNK + 1 }, (_, i) => `zz-expired-${i}`);
          const live = ['aa-live-1', 'aa-live-2', 'zz-live-3'];
          for (let i = 0; i < expired.length; i += 1000) {
            await Promise.all(expired.slice(i, i + 1000).map((key) => nonces.claim(key, now - 1000)));
          }
          for (const key of live) await nonces.claim(key, now + 60_000);
          const deleted = await nonces.deleteExpired(now);
          // SQL stores delete and count every one; Redis has expired them by itself and reports 0.
          assert.ok(deleted === expired.length || deleted === 0, `deleted ${deleted}`);
          for (const key of live) assert.equal(await nonces.claim(key, now + 60_000), false, key);
          for (const key of [expired[0], expired[PURGE_CHUNK], expired.at(-1)] as string[]) {
            assert.equal(await nonces.claim(key, now + 60_000), true, key);
          }
        }),
      );
    });

    describe('browser sessions', () => {
      test(
        'a session is found until it expires, and deleted on sign-out',
        withStores(async ({ sessions }) => {
          await sessions.create(session('h1'));
          assert.deepEqual(await sessions.get('h1', 9_999), session('h1'));
          assert.equal(await sessions.get('h1', 10_000), null, 'expired at its expiry');
          assert.equal(await sessions.get('other', 1), null);
          await sessions.delete('h1');
          assert.equal(await sessions.get('h1', 1), null);
        }),
      );
      test(
        "listForUser lists a user's live sessions newest first; deleteForUser signs them out everywhere",
        withStores(async ({ sessions }) => {
          await sessions.create(session('old', { createdAt: 1 }));
          await sessions.create(session('new', { createdAt: 2 }));
          await sessions.create(session('gone', { createdAt: 3, expiresAt: 50 }));
          await sessions.create(session('bob', { userId: 'u2' }));
          assert.deepEqual(
            (await sessions.listForUser('u1', 100)).map((s) => s.idHash),
            ['new', 'old'],
          );
          assert.equal(await sessions.deleteForUser('u1'), 3);
          assert.deepEqual(await sessions.listForUser('u1', 100), []);
          assert.notEqual(await sessions.get('bob', 100), null);
        }),
      );
      test(
        'a stash is kept with its session until replaced, deleted or expired; the session stays',
        withStores(async ({ sessions }) => {
          await sessions.create(session('s1'));
          await sessions.create(session('s2'));
          assert.equal(await sessions.setStash('s1', { sealed: 'sealed-1', expiresAt: 500 }), true);
          assert.equal(await sessions.setStash('s2', { sealed: 'sealed-2', expiresAt: 900 }), true);
          assert.deepEqual((await sessions.get('s1', 1))?.stash, { sealed: 'sealed-1', expiresAt: 500 });
          assert.equal(await sessions.setStash('missing', { sealed: 'x', expiresAt: 500 }), false);
          assert.equal(await sessions.deleteExpiredStashes(600), 1);
          assert.equal((await sessions.get('s1', 1))?.stash, null, 'the expired stash is gone');
          assert.notEqual(await sessions.get('s1', 1), null, 'its session is not');
          assert.equal((await sessions.get('s2', 1))?.stash?.sealed, 'sealed-2');
          assert.equal(await sessions.setStash('s2', null), true);
          assert.equal((await sessions.get('s2', 1))?.stash, null);
        }),
      );
      test(
        'deleteExpired removes sessions that expired before the given time',
        withStores(async ({ sessions }) => {
          await sessions.create(session('a', { expiresAt: 100 }));
          await sessions.create(session('b', { expiresAt: 200 }));
          assert.equal(await sessions.deleteExpired(150), 1);
          assert.notEqual(await sessions.get('b', 150), null);
        }),
      );
      test(
        'touch records when a session was last seen; deleteForUser with an exception keeps that one',
        withStores(async ({ sessions }) => {
          await sessions.create(session('here', { createdAt: 1 }));
          await sessions.create(session('phone', { createdAt: 2, userAgent: null, address: null }));
          await sessions.create(session('laptop', { createdAt: 3 }));
          await sessions.create(session('bob', { userId: 'u2' }));
          assert.equal(await sessions.touch('phone', 4_321), true);
          assert.equal(await sessions.touch('missing', 4_321), false);
          assert.deepEqual(
            await sessions.get('phone', 5_000),
            session('phone', { createdAt: 2, userAgent: null, address: null, lastSeenAt: 4_321 }),
          );
          assert.equal(await sessions.deleteForUser('u1', 'here'), 2);
          assert.deepEqual(
            (await sessions.listForUser('u1', 100)).map((s) => s.idHash),
            ['here'],
          );
          assert.notEqual(await sessions.get('bob', 100), null);
        }),
      );
    });

    describe('password resets', () => {
      const reset = (tokenHash: string, userId = 'u1', expiresAt = 10_000) => ({
        tokenHash,
        userId,
        createdAt: 1_000,
        expiresAt,
      });
      test(
        'a reset is found until it expires and can be taken once',
        withStores(async ({ passwordResets }) => {
          await passwordResets.create(reset('r1'));
          assert.deepEqual(await passwordResets.get('r1', 9_999), reset('r1'));
          assert.equal(await passwordResets.get('r1', 10_000), null, 'expired at its expiry');
          assert.equal(await passwordResets.take('r1', 10_000), null, 'an expired one cannot be taken');
          assert.deepEqual(await passwordResets.take('r1', 5_000), reset('r1'));
          assert.equal(await passwordResets.take('r1', 5_000), null, 'single use');
          assert.equal(await passwordResets.get('r1', 5_000), null);
          assert.equal(await passwordResets.take('unknown', 5_000), null);
        }),
      );
      test(
        'two takes of one reset at once: exactly one wins',
        withStores(async ({ passwordResets }) => {
          await passwordResets.create(reset('race'));
          const results = await Promise.all([
            passwordResets.take('race', 5_000),
            passwordResets.take('race', 5_000),
            passwordResets.take('race', 5_000),
          ]);
          assert.equal(results.filter((r) => r !== null).length, 1);
        }),
      );
      test(
        "deleteForUser forgets a user's resets; deleteExpired the expired ones",
        withStores(async ({ passwordResets }) => {
          await passwordResets.create(reset('a1'));
          await passwordResets.create(reset('a2', 'u1', 200));
          await passwordResets.create(reset('b1', 'u2', 100));
          await passwordResets.create(reset('b2', 'u2'));
          assert.equal(await passwordResets.deleteForUser('u1'), 2);
          assert.equal(await passwordResets.get('a1', 1), null);
          assert.equal(await passwordResets.deleteExpired(150), 1);
          assert.equal(await passwordResets.get('b1', 1), null);
          assert.notEqual(await passwordResets.get('b2', 150), null);
        }),
      );
    });

    describe('rejection log', () => {
      test(
        `keeps the newest ${REJECTIONS_KEPT} rejections of each app, newest first, every field intact`,
        withStores(async ({ rejections }) => {
          for (let n = 0; n < REJECTIONS_KEPT + 5; n++) await rejections.record('app-a', rejected(n));
          await rejections.record('app-b', rejected(100));
          const listed = await rejections.list('app-a');
          assert.equal(listed.length, REJECTIONS_KEPT);
          assert.deepEqual(listed[0], rejected(REJECTIONS_KEPT + 4));
          assert.deepEqual(listed.at(-1), rejected(5));
          assert.deepEqual(await rejections.list('app-b'), [rejected(100)]);
          assert.deepEqual(await rejections.list('nobody'), []);
          assert.equal((await rejections.list('app-a', 3)).length, 3);
          assert.equal((await rejections.list('app-a', 1000)).length, REJECTIONS_KEPT);
          await rejections.forget('app-a');
          assert.deepEqual(await rejections.list('app-a'), []);
          assert.equal((await rejections.list('app-b')).length, 1);
        }),
      );
      test(
        'recordMany writes a batch of several apps in order, and keeps the cap per app',
        withStores(async ({ rejections }) => {
          await rejections.recordMany([]);
          const batch = Array.from({ length: REJECTIONS_KEPT + 3 }, (_, n) => ({
            consumerKey: n % 2 === 0 ? 'even' : 'odd',
            entry: rejected(n),
          }));
          await rejections.recordMany(batch);
          await rejections.recordMany(
            Array.from({ length: REJECTIONS_KEPT }, (_, n) => ({
              consumerKey: 'even',
              entry: rejected(1000 + n),
            })),
          );
          const even = await rejections.list('even');
          assert.equal(even.length, REJECTIONS_KEPT);
          assert.equal(even[0]!.at, rejected(1000 + REJECTIONS_KEPT - 1).at);
          const odd = await rejections.list('odd');
          assert.deepEqual(
            odd.map((e) => e.at),
            batch
              .filter((b) => b.consumerKey === 'odd')
              .map((b) => b.entry.at)
              .reverse(),
          );
        }),
      );
    });

    describe('daily counts', () => {
      test(
        'adds to the row of each day, metric and subject, lists from a day on in order, deletes old days',
        withStores(async ({ dailyCounts }) => {
          await dailyCounts.add([]);
          await dailyCounts.add([
            { day: '2026-11-29', metric: 'refused', subject: 'signature_invalid', count: 2 },
            { day: '2026-11-30', metric: 'authorizations', subject: '', count: 1 },
            { day: '2026-11-30', metric: 'refused', subject: 'timestamp_refused', count: 1 },
          ]);
          await dailyCounts.add([
            { day: '2026-11-30', metric: 'authorizations', subject: '', count: 4 },
            { day: '2026-11-29', metric: 'refused', subject: 'signature_invalid', count: 3 },
            { day: '2026-11-30', metric: 'app_requests', subject: 'key-a', count: 7 },
          ]);
          assert.deepEqual(await dailyCounts.since('2026-11-29'), [
            { day: '2026-11-29', metric: 'refused', subject: 'signature_invalid', count: 5 },
            { day: '2026-11-30', metric: 'app_requests', subject: 'key-a', count: 7 },
            { day: '2026-11-30', metric: 'authorizations', subject: '', count: 5 },
            { day: '2026-11-30', metric: 'refused', subject: 'timestamp_refused', count: 1 },
          ]);
          assert.equal((await dailyCounts.since('2026-11-30')).length, 3);
          assert.deepEqual(await dailyCounts.since('2026-12-01'), []);
          assert.equal(await dailyCounts.deleteBefore('2026-11-30'), 1);
          assert.equal((await dailyCounts.since('2000-01-01')).length, 3);
        }),
      );
      test(
        'counts added at once from many writers all land',
        withStores(async ({ dailyCounts }) => {
          await Promise.all(
            Array.from({ length: 20 }, () =>
              dailyCounts.add([{ day: '2026-11-30', metric: 'pins_burned', subject: '', count: 1 }]),
            ),
          );
          assert.deepEqual(await dailyCounts.since('2026-11-30'), [
            { day: '2026-11-30', metric: 'pins_burned', subject: '', count: 20 },
          ]);
        }),
      );
    });

    describe('app icons', () => {
      test(
        'keeps one icon per app, byte for byte, replaced by the next and gone when deleted',
        withStores(async ({ icons }) => {
          const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 1, 2, 3]);
          assert.equal(await icons.get('app-a'), null);
          await icons.put('app-a', { type: 'image/png', bytes, updatedAt: 1_000 });
          await icons.put('app-b', { type: 'image/webp', bytes: new Uint8Array([1]), updatedAt: 5 });
          assert.deepEqual(await icons.get('app-a'), { type: 'image/png', bytes, updatedAt: 1_000 });
          const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
          await icons.put('app-a', { type: 'image/jpeg', bytes: jpeg, updatedAt: 2_000 });
          assert.deepEqual(await icons.get('app-a'), { type: 'image/jpeg', bytes: jpeg, updatedAt: 2_000 });
          await icons.delete('app-a');
          await icons.delete('app-a');
          assert.equal(await icons.get('app-a'), null);
          assert.equal((await icons.get('app-b'))?.type, 'image/webp');
        }),
      );
    });

    describe('rate limits', () => {
      const MINUTE = 60_000;
      // A minute boundary an hour ahead: Redis expires a window at its end by its own clock.
      const T = (Math.floor(Date.now() / MINUTE) + 60) * MINUTE;
      test(
        'hits in one window are counted, and the window ends on a multiple of its length',
        withStores(async ({ rateLimits }) => {
          assert.deepEqual(await rateLimits.hit('k', MINUTE, T + 5), { count: 1, resetAt: T + MINUTE });
          assert.deepEqual(await rateLimits.hit('k', MINUTE, T + 59_999), { count: 2, resetAt: T + MINUTE });
          assert.deepEqual(await rateLimits.get('k', T + 30_000), { count: 2, resetAt: T + MINUTE });
          assert.deepEqual(await rateLimits.hit('other', MINUTE, T), { count: 1, resetAt: T + MINUTE });
          assert.equal(await rateLimits.get('never', T), null);
        }),
      );
      test(
        'a new window starts the count again; an ended window is not reported',
        withStores(async ({ rateLimits }) => {
          const now = Date.now();
          await rateLimits.hit('k', MINUTE, now);
          await rateLimits.hit('k', MINUTE, now);
          const next = Math.floor(now / MINUTE) * MINUTE + MINUTE;
          assert.equal(await rateLimits.get('k', next), null);
          assert.deepEqual(await rateLimits.hit('k', MINUTE, next + 1), { count: 1, resetAt: next + MINUTE });
        }),
      );
      test(
        'reset forgets a key at once (a success clears a failure counter)',
        withStores(async ({ rateLimits }) => {
          const now = Date.now();
          await rateLimits.hit('fail:alice', MINUTE, now);
          await rateLimits.hit('fail:bob', MINUTE, now);
          await rateLimits.reset('fail:alice');
          assert.equal(await rateLimits.get('fail:alice', now), null);
          assert.equal((await rateLimits.hit('fail:alice', MINUTE, now)).count, 1);
          assert.equal((await rateLimits.get('fail:bob', now))?.count, 1);
        }),
      );
      test(
        'of many concurrent hits each gets its own count: none is lost',
        withStores(async ({ rateLimits }) => {
          const now = Date.now();
          const counts = await Promise.all(
            Array.from({ length: 30 }, () => rateLimits.hit('busy', MINUTE, now)),
          );
          assert.deepEqual(
            counts.map((c) => c.count).sort((a, b) => a - b),
            Array.from({ length: 30 }, (_, i) => i + 1),
          );
        }),
      );
      test(
        'deleteExpired leaves every live window alone',
        withStores(async ({ rateLimits }) => {
          const now = Date.now();
          await rateLimits.hit('live', MINUTE, now);
          await rateLimits.deleteExpired(now);
          assert.equal((await rateLimits.get('live', now))?.count, 1);
        }),
      );
    });

    describe('audit trail', () => {
      const event = (at: number, overrides: Record<string, unknown> = {}) => ({
        at,
        type: 'authorization.granted',
        userId: 'u1',
        consumerKey: 'app',
        address: '203.0.113.7',
        detail: { accessLevel: 'read', nested: { list: [1, 'two'] } },
        ...overrides,
      });
      test(
        'events come back newest first with every field, filtered by user, app and time',
        withStores(async ({ audit }) => {
          await audit.append(event(1));
          await audit.append(event(2, { userId: 'u2', type: 'token.revoked' }));
          await audit.append(event(3, { consumerKey: 'other', address: null }));
          await audit.append(
            event(4, { userId: null, consumerKey: null, type: 'operator.action', detail: {} }),
          );
          assert.deepEqual(
            (await audit.query({})).map((e) => e.at),
            [4, 3, 2, 1],
          );
          assert.deepEqual(
            withoutId((await audit.query({ limit: 1 }))[0]!),
            event(4, {
              userId: null,
              consumerKey: null,
              type: 'operator.action',
              detail: {},
            }),
          );
          assert.deepEqual(
            (await audit.query({ userId: 'u1' })).map((e) => e.at),
            [3, 1],
          );
          assert.deepEqual(
            (await audit.query({ consumerKey: 'app' })).map((e) => e.at),
            [2, 1],
          );
          assert.deepEqual(
            (await audit.query({ userId: 'u1', consumerKey: 'app' })).map((e) => e.at),
            [1],
          );
          assert.deepEqual(
            (await audit.query({ since: 2 })).map((e) => e.at),
            [4, 3, 2],
          );
          assert.deepEqual((await audit.query({ userId: 'u1', since: 2 })).map(withoutId), [
            event(3, { consumerKey: 'other', address: null }),
          ]);
          assert.deepEqual(
            (await audit.query({ type: 'token.revoked' })).map((e) => e.at),
            [2],
          );
          assert.deepEqual(
            (await audit.query({ type: 'operator.*' })).map((e) => e.at),
            [4],
          );
          // `_` and `%` are no wildcards, and a prefix needs its dot.
          assert.deepEqual(await audit.query({ type: 'token_revoked' }), []);
          assert.deepEqual(await audit.query({ type: 'token%' }), []);
          assert.deepEqual(await audit.query({ type: 'token.*', userId: 'u1' }), []);
        }),
      );
      test(
        'appendMany writes several events at once, in the order given',
        withStores(async ({ audit }) => {
          await audit.appendMany([]);
          await audit.appendMany([event(8, { type: 'a' }), event(8, { type: 'b' }), event(9, { type: 'c' })]);
          const found = await audit.query({});
          assert.deepEqual(
            found.map((e) => e.type),
            ['c', 'b', 'a'],
          );
          assert.deepEqual(withoutId(found[2]!), event(8, { type: 'a' }));
          assert.ok(found[0]!.id > found[1]!.id && found[1]!.id > found[2]!.id);
        }),
      );
      test(
        'each event has an id, increasing in the order they were appended',
        withStores(async ({ audit }) => {
          await audit.append(event(5));
          await audit.append(event(5));
          const [second, first] = await audit.query({});
          assert.ok(first!.id > 0 && second!.id > first!.id);
        }),
      );
      test(
        'events of the same millisecond keep the order they were appended in',
        withStores(async ({ audit }) => {
          for (const type of ['first', 'second', 'third']) await audit.append(event(7, { type }));
          assert.deepEqual(
            (await audit.query({})).map((e) => e.type),
            ['third', 'second', 'first'],
          );
        }),
      );
    });

    describe('secrets at rest', () => {
      test(
        "the verifiers' hash key is 32 bytes, its own to each store; opened without an operator key nothing is encrypted",
        withStores(async (stores) => {
          assert.equal(stores.verifierKey?.length, 32);
          const other = await open();
          try {
            assert.ok(!Buffer.from(other.verifierKey ?? []).equals(Buffer.from(stores.verifierKey ?? [])));
          } finally {
            await other.close();
          }
          assert.notEqual(stores.secretsAtRest?.encrypted, true);
        }),
      );
    });

    describe('audit webhook deliveries', () => {
      const event = (at: number, type = 'sign_in.failed') => ({
        at,
        type,
        userId: 'u1',
        consumerKey: null,
        address: '203.0.113.7',
        detail: { reason: 'password' },
      });
      const A = 'https://siem.example/a';
      const B = 'https://siem.example/b';
      test(
        'enqueue adds one pending delivery per event and URL since a time, however often it runs',
        withStores(async ({ audit, auditDeliveries }) => {
          await audit.append(event(10));
          await audit.append(event(20));
          await audit.append(event(30));
          assert.equal(await auditDeliveries.enqueue(A, 20, 100), 2);
          assert.equal(await auditDeliveries.enqueue(A, 0, 100), 1);
          assert.equal(await auditDeliveries.enqueue(A, 0, 100), 0);
          assert.equal(await auditDeliveries.enqueue(B, 30, 100), 1);
          const due = await auditDeliveries.due(100, 10);
          assert.deepEqual(
            due.map(({ delivery, event }) => [event.at, delivery.url, delivery.status, delivery.attempt]),
            [
              [10, A, 'pending', 0],
              [20, A, 'pending', 0],
              [30, A, 'pending', 0],
              [30, B, 'pending', 0],
            ],
          );
          assert.deepEqual(withoutId(due[0]!.event), event(10));
          assert.equal(due[0]!.delivery.eventId, due[0]!.event.id);
          assert.deepEqual(await auditDeliveries.due(99, 10), [], 'not due before its time');
          assert.equal((await auditDeliveries.due(100, 2)).length, 2);
        }),
      );
      test(
        'a claim is a compare-and-set: of two claims on one version, one wins; its lease hides it',
        withStores(async ({ audit, auditDeliveries }) => {
          await audit.append(event(10));
          await auditDeliveries.enqueue(A, 0, 100);
          const { delivery } = (await auditDeliveries.due(100, 1))[0]!;
          const claims = await Promise.all([
            auditDeliveries.claim(delivery, 1_000),
            auditDeliveries.claim(delivery, 1_000),
          ]);
          assert.deepEqual(claims.sort(), [false, true]);
          assert.deepEqual(await auditDeliveries.due(999, 10), [], 'claimed: not due while leased');
          // The claimer crashed: its lease lapses and the delivery is due again, for its second attempt.
          const [again] = await auditDeliveries.due(1_000, 10);
          assert.equal(again?.delivery.attempt, 1);
          assert.equal(again?.delivery.version, delivery.version + 1);
          // The first claimer comes back too late: its settle is refused.
          assert.equal(await auditDeliveries.claim(again!.delivery, 2_000), true);
          const late = { status: 'delivered', nextTryAt: 1_500, lastStatus: 200, error: null } as const;
          assert.equal(
            await auditDeliveries.settle({ ...delivery, version: delivery.version + 1 }, late),
            false,
          );
          assert.equal(
            await auditDeliveries.settle({ ...delivery, version: delivery.version + 2 }, late),
            true,
          );
          const [logged] = await auditDeliveries.list({ eventId: again!.event.id });
          assert.deepEqual(
            [logged?.status, logged?.attempt, logged?.lastStatus, logged?.error],
            ['delivered', 2, 200, null],
          );
          assert.deepEqual(await auditDeliveries.due(10_000, 10), [], 'delivered: never due again');
        }),
      );
      test(
        'a failed attempt is kept with its status and error, due again at its next try',
        withStores(async ({ audit, auditDeliveries }) => {
          await audit.append(event(10));
          await audit.append(event(11));
          await auditDeliveries.enqueue(A, 0, 100);
          const { delivery } = (await auditDeliveries.due(100, 1))[0]!;
          assert.equal(await auditDeliveries.claim(delivery, 1_000), true);
          const failed = { status: 'pending', nextTryAt: 200, lastStatus: 503, error: 'HTTP 503' } as const;
          assert.equal(
            await auditDeliveries.settle({ ...delivery, version: delivery.version + 1 }, failed),
            true,
          );
          const due = await auditDeliveries.due(200, 10);
          assert.deepEqual(
            due.map((d) => [d.delivery.eventId, d.delivery.attempt, d.delivery.lastStatus, d.delivery.error]),
            [
              [delivery.eventId, 1, 503, 'HTTP 503'],
              [delivery.eventId + 1, 0, null, null],
            ],
          );
          assert.deepEqual(
            (await auditDeliveries.list({})).map((d) => d.eventId),
            [delivery.eventId + 1, delivery.eventId],
          );
        }),
      );
    });

    describe('revocation bus and health', () => {
      test(
        'a published event reaches every subscriber of this instance at once; unsubscribing stops it',
        withStores(async ({ revocations }) => {
          const seen: RevocationEvent[] = [];
          const other: RevocationEvent[] = [];
          const stop = revocations.subscribe((e) => seen.push(e));
          revocations.subscribe((e) => other.push(e));
          await revocations.publish({ kind: 'access-token-revoked', token: 't1' });
          assert.deepEqual(seen, [{ kind: 'access-token-revoked', token: 't1' }]);
          stop();
          await revocations.publish({ kind: 'consumer-changed', consumerKey: 'k' });
          assert.equal(seen.length, 1);
          assert.deepEqual(other.at(-1), { kind: 'consumer-changed', consumerKey: 'k' });
        }),
      );
      test(
        'ping resolves while the stores are open',
        withStores(async (stores) => {
          await stores.ping();
        }),
      );
      test(
        'the database is the first backing service, and each one answers a ping of its own',
        withStores(async (stores) => {
          assert.equal(stores.backingServices[0]?.name, 'database');
          for (const service of stores.backingServices) await service.ping();
        }),
      );
    });
  });
}

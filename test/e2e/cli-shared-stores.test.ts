// tripod-server on PostgreSQL and Redis, as an operator of several instances runs it: every command takes
// the same store settings (flags or TRIPOD_* variables), administration works on the shared database as
// on the embedded one, and a served PIN flow keeps its nonces in Redis under the configured prefix.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { authorizeInBrowser } from '../server/fixtures/test-server.ts';
import {
  createTestDatabase,
  deleteRedisKeys,
  REDIS_URL,
  uniqueKeyPrefix,
} from '../stores/fixtures/services.ts';
import { run, serve, stopServers } from './fixtures/tripod-server-process.ts';

const database = await createTestDatabase('cli');
const prefix = uniqueKeyPrefix('cli');
after(async () => {
  stopServers();
  await database.drop();
  await deleteRedisKeys(prefix);
});

/** Only the shared stores in the environment: no data directory is ever touched. */
const SHARED = {
  TRIPOD_DATABASE_URL: database.url,
  TRIPOD_REDIS_URL: REDIS_URL,
  TRIPOD_REDIS_KEY_PREFIX: prefix,
  TRIPOD_DATA: '/dev/null/no-data-directory-needed',
};

describe('tripod-server on PostgreSQL and Redis', () => {
  test('user add, app add and app list work on the shared database, with flags or environment', async () => {
    const flags = ['--database-url', database.url, '--redis-url', REDIS_URL, '--redis-key-prefix', prefix];
    const user = await run(['user', 'add', 'carol', '--password', 'carol-password', ...flags], {});
    assert.equal(user.code, 0, user.stderr);
    const clash = await run(['user', 'add', 'CAROL', '--password', 'carol-password'], SHARED);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /'carol' already exists/);

    const added = await run(['app', 'add', '--name', 'Shared', '--json'], SHARED);
    assert.equal(added.code, 0, added.stderr);
    const app = JSON.parse(added.stdout) as { consumer_key: string; consumer_secret: string };
    const listed = await run(['app', 'list', '--json', ...flags], {});
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { consumer_key: string }[]).map((a) => a.consumer_key),
      [app.consumer_key],
    );

    const server = await serve(['--port', '0'], SHARED);
    assert.match(
      server.stdout(),
      new RegExp(`Data: postgres://postgres@127\\.0\\.0\\.1:5432/${database.name}`),
    );
    assert.doesNotMatch(server.stdout(), /First run/);
    const client = new OAuthTestClient(server.url);
    const credentials = { consumerKey: app.consumer_key, consumerSecret: app.consumer_secret };
    const rt = (await client.requestToken(credentials, 'oob')).form();
    const outcome = await authorizeInBrowser(server.url, rt.oauth_token!, {
      username: 'Carol',
      password: 'carol-password',
    });
    assert.match(outcome.pin ?? '', /^\d{7}$/, 'signed in with the name in another letter case');
    const exchange = { ...credentials, token: rt.oauth_token!, tokenSecret: rt.oauth_token_secret! };
    const at = await client.accessToken(exchange, outcome.pin!);
    assert.equal(at.status, 200, at.text);
    assert.equal(at.form().screen_name, 'carol');

    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}nonce:*`);
      assert.ok(keys.length >= 2, `the nonces are in Redis under the prefix: ${keys.join(', ')}`);
      const ttl = await redis.pttl(keys[0]!);
      assert.ok(ttl > 0 && ttl <= 2 * 300_000, `each expires with the timestamp window (${ttl} ms)`);
    } finally {
      redis.disconnect();
    }
  });

  test('a database URL that is not PostgreSQL is refused with a sentence naming the setting', async () => {
    const result = await run(['app', 'list', '--database-url', 'mysql://secret-password@db/x'], {});
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /--database-url \(TRIPOD_DATABASE_URL\) must be a URL starting with postgres:\/\//,
    );
    assert.doesNotMatch(result.stderr, /secret-password/);
  });
});

// tripod-server on PostgreSQL and Redis, as an operator of several instances runs it: every command takes
// the same store settings (flags or TRIPOD_* variables), administration works on the shared database as
// on the embedded one, and a served PIN flow keeps its nonces in Redis under the configured prefix.

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { authorizeInBrowser } from '../server/fixtures/test-server.ts';
import {
  createTestDatabase,
  deleteRedisKeys,
  REDIS_URL,
  uniqueKeyPrefix,
} from '../stores/fixtures/services.ts';

const BIN = fileURLToPath(new URL('../../bin/tripod-server.js', import.meta.url));
const database = await createTestDatabase('cli');
const prefix = uniqueKeyPrefix('cli');
const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) child.kill('SIGTERM');
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

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRIPOD_')) clean[k] = v;
  return { ...clean, ...extra };
}

function run(args: string[], extra: Record<string, string> = SHARED) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: env(extra) }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function serve(args: string[], extra: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: env(extra) });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ url: string; banner: () => string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${stdout} ${stderr}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (https?:\/\/\S+)/.exec(stdout);
      if (match && /Data: .*\n/.test(stdout)) {
        clearTimeout(timer);
        resolve({ url: match[1]!, banner: () => stdout });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
  });
}

describe('tripod-server on PostgreSQL and Redis', () => {
  test('user add, app add and app list work on the shared database, with flags or environment', async () => {
    const flags = ['--database-url', database.url, '--redis-url', REDIS_URL, '--redis-key-prefix', prefix];
    const user = await run(['user', 'add', 'carol', '--password', 'carol-password', ...flags], {});
    assert.equal(user.code, 0, user.stderr);
    const clash = await run(['user', 'add', 'CAROL', '--password', 'carol-password']);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /'carol' already exists/);

    const added = await run(['app', 'add', '--name', 'Shared', '--json']);
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
      server.banner(),
      new RegExp(`Data: postgres://postgres@127\\.0\\.0\\.1:5432/${database.name}`),
    );
    assert.doesNotMatch(server.banner(), /First run/);
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

// The README's way to run several instances, as written: three `tripod-server serve` processes on
// PostgreSQL and Redis with the README's settings, and Debian's nginx with exactly the README's config (its
// ports changed to free ones), wrapped in the few main-context lines a non-root test run needs. A PIN flow
// completes through nginx, nginx's request id reaches Tripod and comes back, and with one instance killed
// every request through nginx still succeeds.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run, serve, stopServers } from '../e2e/fixtures/tripod-server-process.ts';
import { type Credentials, OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import {
  createTestDatabase,
  deleteRedisKeys,
  REDIS_URL,
  type TestDatabase,
  uniqueKeyPrefix,
} from '../stores/fixtures/services.ts';
import { pinFlow } from './fixtures/pin-flow.ts';
import { freePort } from './fixtures/private-services.ts';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const NGINX = '/usr/sbin/nginx';
const README_PORTS = ['3001', '3002', '3003'];

/** The nginx config the README shows, between its markers. */
function readmeNginxConfig(): string {
  const match = /<!-- nginx-config:start -->\s*```nginx\n([\s\S]*?)```\s*<!-- nginx-config:end -->/.exec(
    readFileSync(README, 'utf8'),
  );
  assert.ok(match, 'README.md shows the nginx config between its markers');
  return match[1]!;
}

const work = mkdtempSync(join(tmpdir(), 'tripod-nginx-'));
const prefix = uniqueKeyPrefix('nginx');
let database: TestDatabase;
let nginx: ChildProcess;
let site: string;
let instances: Awaited<ReturnType<typeof serve>>[];
let app: Credentials;

before(async () => {
  database = await createTestDatabase('nginx');
  const nginxPort = await freePort();
  site = `http://127.0.0.1:${nginxPort}`;
  // The README's settings, as environment variables, with this test's services and nginx's address.
  const env = {
    TRIPOD_DATABASE_URL: database.url,
    TRIPOD_REDIS_URL: REDIS_URL,
    TRIPOD_REDIS_KEY_PREFIX: prefix,
    TRIPOD_PUBLIC_URL: site,
    TRIPOD_TRUST_PROXY: 'true',
  };
  instances = await Promise.all(
    [1, 2, 3].map((n) =>
      serve(['--port', '0', '--data', join(work, `data-${n}`), '--metrics-port', '0'], env),
    ),
  );
  const user = await run(['user', 'add', 'alice', '--password', 'alice-password'], env);
  assert.equal(user.code, 0, user.stderr);
  const added = await run(['app', 'add', '--name', 'Behind nginx', '--json'], env);
  assert.equal(added.code, 0, added.stderr);
  const created = JSON.parse(added.stdout) as { consumer_key: string; consumer_secret: string };
  app = { consumerKey: created.consumer_key, consumerSecret: created.consumer_secret };

  let config = readmeNginxConfig().replace(/listen 80;/, `listen 127.0.0.1:${nginxPort};`);
  README_PORTS.forEach((port, i) => {
    config = config.replace(`127.0.0.1:${port} `, `127.0.0.1:${new URL(instances[i]!.url).port} `);
  });
  writeFileSync(join(work, 'tripod.conf'), config);
  // nginx's workers run as nobody: their temporary files go where nobody can write.
  const temp = join(work, 'temp');
  mkdirSync(temp);
  chmodSync(temp, 0o777);
  chmodSync(work, 0o755);
  writeFileSync(
    join(work, 'nginx.conf'),
    [
      `pid ${join(work, 'nginx.pid')};`,
      `error_log ${join(work, 'error.log')};`,
      'events {}',
      'http {',
      `  access_log ${join(work, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (kind) => `  ${kind}_temp_path ${join(temp, kind)};`,
      ),
      `  include ${join(work, 'tripod.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  nginx = spawn(NGINX, ['-p', work, '-c', join(work, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: 'inherit',
  });
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`${site}/healthz`).then(
      (answer) => answer.ok,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
after(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGQUIT');
    await exited;
  }
  stopServers();
  await database?.drop();
  await deleteRedisKeys(prefix);
  rmSync(work, { recursive: true, force: true });
});

describe("the README's three instances behind nginx", () => {
  test('a PIN flow completes through nginx, and its request id reaches Tripod and comes back', async () => {
    const access = await pinFlow(site, app, { username: 'alice', password: 'alice-password' });
    const me = await new OAuthTestClient(site).call({
      method: 'GET',
      url: '/1.1/account/verify_credentials.json',
      credentials: access,
    });
    assert.equal(me.status, 200, me.text);
    assert.equal((me.json() as { screen_name: string }).screen_name, 'alice');
    // nginx's $request_id: 32 hex digits, kept by Tripod because nginx is a trusted proxy.
    assert.match(me.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
  });

  test('with one instance killed, every request through nginx still succeeds', async () => {
    const access = await pinFlow(site, app, { username: 'alice', password: 'alice-password' });
    const victim = instances[0]!.child;
    const exited = new Promise((resolve) => victim.once('exit', resolve));
    victim.kill('SIGKILL');
    await exited;
    const client = new OAuthTestClient(site);
    for (let i = 0; i < 12; i++) {
      const issued = await client.requestToken(app, 'oob');
      assert.equal(issued.status, 200, issued.text);
      const me = await client.call({
        method: 'GET',
        url: '/1.1/account/verify_credentials.json',
        credentials: access,
      });
      assert.equal(me.status, 200, me.text);
    }
  });
});

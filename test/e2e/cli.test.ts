// tripod-server as an operator uses it: the real CLI in a child process registers an app and a user in a
// fresh data directory, `serve --port 0` prints the URL it listens on, and a PIN flow completes against it.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import { Browser, inputValue } from '../server/fixtures/browser.ts';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { authorizeInBrowser } from '../server/fixtures/test-server.ts';
import { run, serve, stop, stopServers } from './fixtures/tripod-server-process.ts';

const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-cli-'));
  dirs.push(dir);
  return dir;
}

after(async () => {
  stopServers();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('tripod-server CLI', () => {
  test('app add --json, user add, serve --port 0, then a PIN flow against the printed URL', async () => {
    const data = dataDir();
    const added = await run(['app', 'add', '--name', 'CLI E2E', '--json', '--data', data]);
    assert.equal(added.code, 0, added.stderr);
    const app = JSON.parse(added.stdout) as {
      consumer_key: string;
      consumer_secret: string;
      pin_only: boolean;
    };
    assert.equal(added.stdout.trim().split('\n').length, 1, 'stdout holds the JSON alone');
    assert.equal(app.pin_only, true);

    const user = await run(['user', 'add', 'carol', '--password', 'carol-password'], { TRIPOD_DATA: data });
    assert.equal(user.code, 0, user.stderr);
    assert.match(user.stdout, /Created user carol/);
    const operator = await run(['user', 'add', 'oscar', '--password', 'oscar-password', '--operator'], {
      TRIPOD_DATA: data,
    });
    assert.equal(operator.code, 0, operator.stderr);
    assert.match(operator.stdout, /Created operator oscar/);

    const server = await serve(['--port', '0', '--data', data]);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.doesNotMatch(server.stdout(), /First run/, 'no demo accounts in a database that has some');

    const client = new OAuthTestClient(server.url);
    const credentials = { consumerKey: app.consumer_key, consumerSecret: app.consumer_secret };
    const rt = await client.requestToken(credentials, 'oob');
    assert.equal(rt.status, 200, rt.text);
    const { oauth_token: token, oauth_token_secret: secret } = rt.form();
    const outcome = await authorizeInBrowser(server.url, token!, {
      username: 'carol',
      password: 'carol-password',
    });
    assert.match(outcome.pin ?? '', /^\d{7}$/);
    const at = await client.accessToken(
      { ...credentials, token: token!, tokenSecret: secret! },
      outcome.pin!,
    );
    assert.equal(at.status, 200, at.text);
    assert.equal(at.form().screen_name, 'carol');

    const listed = await run(['app', 'list', '--json', '--data', data]);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { consumer_key: string }[]).map((a) => a.consumer_key),
      [app.consumer_key],
    );
    assert.doesNotMatch(listed.stdout, new RegExp(app.consumer_secret), 'app list hides secrets by default');

    // serve mounts the web pages: the home page links to sign in, My apps and Connected apps.
    const home = await fetch(`${server.url}/`);
    assert.equal(home.status, 200);
    const homeHtml = await home.text();
    for (const path of ['/sign-in', '/apps', '/connected-apps'])
      assert.ok(homeHtml.includes(`href="${path}"`), path);
    // An operator made with `user add --operator` reaches the operator page after signing in.
    const portal = new Browser();
    const signInPage = await portal.get(`${server.url}/sign-in`);
    const signedIn = await portal.post(`${server.url}/sign-in`, {
      _csrf: inputValue(signInPage.text, '_csrf')!,
      username: 'oscar',
      password: 'oscar-password',
      next: '/operator',
    });
    assert.equal(signedIn.status, 303, signedIn.text);
    const operatorPage = await portal.get(`${server.url}/operator`);
    assert.equal(operatorPage.status, 200);
    assert.ok(operatorPage.text.includes('carol'), 'the operator page lists the users');
    // A refused request is kept for the app's signature debugger in the same SQLite file.
    const refused = await client.requestToken(credentials, 'oob', { corruptSignature: true });
    assert.equal(refused.status, 401, refused.text);

    assert.equal(await stop(server.child), 0);
    const stores = await openSqliteStores(join(data, 'tripod.db'));
    try {
      const kept = await stores.rejections.list(app.consumer_key);
      assert.equal(kept.length, 1);
      assert.equal(kept[0]!.problem, 'signature_invalid');
    } finally {
      await stores.close();
    }
  });

  test('a first run on an empty database creates a demo user and PIN-only app that work', async () => {
    const data = dataDir();
    const server = await serve(['--port', '0'], { TRIPOD_DATA: data });
    const banner = server.stdout();
    assert.match(banner, /First run/);
    const password = /password:\s+(\S+)/.exec(banner)?.[1];
    const key = /consumer_key:\s+(\S+)/.exec(banner)?.[1];
    const secret = /consumer_secret:\s+(\S+)/.exec(banner)?.[1];
    assert.ok(password && key && secret, banner);
    assert.match(banner, /npx tripod authorize --site http:\/\/127\.0\.0\.1:\d+ --consumer-key/);

    const client = new OAuthTestClient(server.url);
    const rt = (await client.requestToken({ consumerKey: key, consumerSecret: secret }, 'oob')).form();
    const outcome = await authorizeInBrowser(server.url, rt.oauth_token!, { username: 'demo', password });
    assert.match(outcome.pin ?? '', /^\d{7}$/);
    assert.equal(await stop(server.child), 0);

    // The second start finds the accounts and prints no new ones.
    const again = await serve(['--port', '0', '--data', data]);
    assert.doesNotMatch(again.stdout(), /First run/);
    await stop(again.child);
  });

  test('errors are one line on stderr with a non-zero exit, never a stack trace', async () => {
    const data = dataDir();
    const cases: [string[], RegExp][] = [
      [['serve', '--port', 'eighty', '--data', data], /--port \(TRIPOD_PORT\) must be a whole number/],
      [
        ['serve', '--tls-cert', 'x.pem', '--data', data],
        /--tls-cert .* and --tls-key .* must be given together/,
      ],
      [['user', 'add', 'dave', '--data', data], /--password/],
      [['user', 'add', 'bad name!', '--password', 'long-enough', '--data', data], /not allowed/],
      [
        ['app', 'add', '--name', 'X', '--callback', 'javascript:alert(1)', '--json', '--data', data],
        /callback URL/,
      ],
      [['app', 'add', '--name', 'X', '--access', 'admin', '--data', data], /admin/],
      [
        ['app', 'add', '--name', 'X', '--rsa-public-key', join(data, 'missing.pem'), '--data', data],
        /cannot read/,
      ],
      [['frobnicate'], /unknown command/],
      [['app', 'list', '--data', '/dev/null/tripod'], /cannot create the data directory/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      assert.notEqual(result.code, 0, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
      if (args.includes('--json')) assert.equal(result.stdout, '', 'nothing on stdout with --json on error');
    }
    const first = await run(['user', 'add', 'erin', '--password', 'erin-password', '--data', data]);
    assert.equal(first.code, 0);
    const duplicate = await run(['user', 'add', 'erin', '--password', 'erin-password', '--data', data]);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /already exists/);
  });

  test('app add registers callbacks, read access, xAuth and an RSA key', async () => {
    const data = dataDir();
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(data, 'app.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const result = await run([
      'app',
      'add',
      '--name',
      'Full',
      '--callback',
      'https://full.example/cb',
      '--callback',
      'http://127.0.0.1/cb',
      '--access',
      'read',
      '--xauth',
      '--rsa-public-key',
      join(data, 'app.pub'),
      '--json',
      '--data',
      data,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const app = JSON.parse(result.stdout);
    assert.deepEqual(app.callback_urls, ['https://full.example/cb', 'http://127.0.0.1/cb']);
    assert.equal(app.access, 'read');
    assert.equal(app.xauth, true);
    assert.equal(app.signature, 'RSA');
    const text = await run(['app', 'add', '--name', 'Plain', '--data', data]);
    assert.match(
      text.stdout,
      /^Created app "Plain" \(read-write, PIN-only\)\nconsumer_key: +\S+\nconsumer_secret: +\S+\n$/,
    );
  });
});

// The SDK and the real `tripod` CLI against the real Tripod server (bin/tripod-server.js): the whole PIN
// flow with the PIN read from the PIN page, signed GET and POST with awkward characters, the loopback
// flow with the browser step done by an HTTP client, errors explained in one line, logout revoking.
// And when things go wrong: wrong PINs are asked for again until the server's tries run out, a PIN
// typed before Allow costs nothing, the wait lasts as long as the request token does, and the CLI's
// messages name the flag to change (--loopback, --loopback-port).

import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { waitLimitMs } from '../../src/cli/tripod/authorize-command.ts';
import { OAuthResponseError } from '../../src/client/errors.ts';
import { startLoopbackCallback } from '../../src/client/loopback-callback.ts';
import { OAuthConsumer } from '../../src/client/pin-flow.ts';
import {
  authorizeArgs,
  decideOnTripodPages,
  runTripod,
  serverForTheFile,
  startTripod,
  startTripodServer,
  type TripodServer,
  tempDir,
} from './tripod-process.ts';

const server = serverForTheFile(startTripodServer);

const AUTHORIZE_URL = /^\s+(http\S+\/oauth\/authorize\?oauth_token=\S+)$/m;
const AWKWARD = `Hello Ladies + Gentlemen, a signed OAuth request! 100% & "quotes" <b>x</b> ~*'() żółw 🐙`;

function consumer(app: TripodServer['pinApp']) {
  return new OAuthConsumer({
    consumerKey: app.consumer_key,
    consumerSecret: app.consumer_secret,
    endpoints: {
      requestTokenUrl: `${server.url}/oauth/request_token`,
      authorizeUrl: `${server.url}/oauth/authorize`,
      accessTokenUrl: `${server.url}/oauth/access_token`,
      invalidateTokenUrl: `${server.url}/oauth/invalidate_token`,
    },
  });
}

/** `tripod authorize` in PIN mode: URL from stderr, the person's part on the pages, the PIN typed on stdin. */
async function cliAuthorize(env: Record<string, string>, extra: string[] = []) {
  const run = startTripod(authorizeArgs(server, server.pinApp, extra), env);
  const [, url] = await run.waitForStderr(AUTHORIZE_URL);
  const { pin } = await decideOnTripodPages(url!, server.user);
  assert.match(pin ?? '', /^\d{7}$/, 'the PIN page shows 7 digits in #oauth_pin');
  run.child.stdin.end(`${pin}\n`);
  return run.done;
}

describe('SDK against the real Tripod server', () => {
  it('PIN flow in three calls, then signed GET and POST with awkward characters', async () => {
    const client = consumer(server.pinApp);
    const requestToken = await client.requestToken();
    assert.equal(requestToken.callbackConfirmed, true);
    const { pin } = await decideOnTripodPages(
      client.authorizeUrl(requestToken, { langpref: 'en' }),
      server.user,
    );
    const access = await client.accessToken(requestToken, pin!);
    assert.equal(access.screenName, 'carol');
    assert.ok(access.userId);

    const me = await client.fetch(access)(`${server.url}/1.1/account/verify_credentials.json`);
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { screen_name: string }).screen_name, 'carol');

    const update = await client.fetch(access)(`${server.url}/1.1/statuses/update.json`, {
      method: 'POST',
      body: new URLSearchParams({ status: AWKWARD }),
    });
    assert.equal(update.status, 200, await update.clone().text());
    assert.equal(((await update.json()) as { text: string }).text, AWKWARD);
  });

  it('a wrong PIN surfaces as an OAuthResponseError with the status, Twitter code and oauth_problem', async () => {
    const client = consumer(server.pinApp);
    const requestToken = await client.requestToken();
    const { pin } = await decideOnTripodPages(client.authorizeUrl(requestToken), server.user);
    const wrong = pin === '0000000' ? '1111111' : '0000000';
    await assert.rejects(client.accessToken(requestToken, wrong), (error: unknown) => {
      assert.ok(error instanceof OAuthResponseError);
      assert.equal(error.status, 401);
      assert.equal(typeof error.twitterCode, 'number');
      assert.ok(error.oauthProblem, 'oauth_problem parsed from the body');
      assert.ok(error.providerMessage);
      return true;
    });
  });

  it('loopback flow: the browser (an HTTP client) follows the redirect to 127.0.0.1, the helper catches the verifier', async () => {
    const client = consumer(server.loopbackApp);
    const loopback = await startLoopbackCallback({ timeoutMs: 15_000 });
    const requestToken = await client.requestToken({ callback: loopback.callbackUrl });
    const waiting = loopback.waitForVerifier(requestToken.token);
    const { location } = await decideOnTripodPages(client.authorizeUrl(requestToken), server.user);
    assert.ok(location?.startsWith(loopback.callbackUrl), location);
    const landing = await fetch(location!);
    assert.match(await landing.text(), /You may close this window/);
    const { oauthVerifier } = await waiting;
    const access = await client.accessToken(requestToken, oauthVerifier);
    assert.equal(access.screenName, 'carol');
  });

  it('loopback flow: a denial on the consent page rejects with AuthorizationDeniedError', async () => {
    const client = consumer(server.loopbackApp);
    const loopback = await startLoopbackCallback({ timeoutMs: 15_000 });
    const requestToken = await client.requestToken({ callback: loopback.callbackUrl });
    const denied = assert.rejects(loopback.waitForVerifier(requestToken.token), {
      name: 'AuthorizationDeniedError',
    });
    const { location } = await decideOnTripodPages(client.authorizeUrl(requestToken), server.user, 'deny');
    assert.match(location ?? '', /[?&]error=access_denied/);
    assert.match(await (await fetch(location!)).text(), /You denied access/);
    await denied;
  });
});

describe('tripod CLI against the real Tripod server', () => {
  it('authorize (PIN from the page on stdin), then request GET and POST with awkward characters', async () => {
    const config = tempDir();
    const env = { TRIPOD_CONFIG_DIR: config };
    const authorized = await cliAuthorize(env);
    assert.equal(authorized.code, 0, authorized.stderr);
    assert.equal(authorized.stdout, `Authorized carol on ${server.url}.\n`);
    assert.match(authorized.stderr, /Enter the PIN|enter the PIN/);
    assert.equal(statSync(join(config, 'profiles.json')).mode & 0o777, 0o600);
    assert.equal(statSync(config).mode & 0o777, 0o700);

    const me = await runTripod(['request', '/1.1/account/verify_credentials.json'], env);
    assert.equal(me.code, 0, me.stderr);
    assert.equal((JSON.parse(me.stdout) as { screen_name: string }).screen_name, 'carol');

    // -d without -X is a POST; the value keeps its "&", "=", "+" and "%" exactly.
    const posted = await runTripod(
      ['request', '-d', `status=${AWKWARD}`, '/1.1/statuses/update.json?x=a+b%21'],
      env,
    );
    assert.equal(posted.code, 0, posted.stderr);
    assert.equal((JSON.parse(posted.stdout) as { text: string }).text, AWKWARD);

    const included = await runTripod(['request', '-i', '/1.1/account/verify_credentials.json'], env);
    assert.match(included.stdout, /^HTTP\/1\.1 200 OK\n/);
    assert.match(included.stdout, /\ncontent-type: application\/json/);

    const asJson = await runTripod(
      ['request', '--format', 'json', '/1.1/account/verify_credentials.json'],
      env,
    );
    const parsed = JSON.parse(asJson.stdout) as { status: number; body: { screen_name: string } };
    assert.equal(parsed.status, 200);
    assert.equal(parsed.body.screen_name, 'carol');

    const doctor = await runTripod(['doctor'], env);
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, /^ok\s+clock\s/m);
    assert.match(doctor.stdout, /^ok\s+credentials\s/m);
  });

  it('authorize --access-type read gives a read-only token: a write is refused with 403 and explained', async () => {
    const env = { TRIPOD_CONFIG_DIR: tempDir() };
    assert.equal((await cliAuthorize(env, ['--access-type', 'read'])).code, 0);
    const me = await runTripod(['request', '-i', '/1.1/account/verify_credentials.json'], env);
    assert.match(me.stdout, /\nx-access-level: read\n/);
    const write = await runTripod(['request', '-d', 'status=no', '/1.1/statuses/update.json'], env);
    assert.equal(write.code, 4);
    assert.match(write.stderr, /^tripod: HTTP 403 Forbidden, code 261/);
  });

  it('an HTTP error exits non-zero, prints the body, and explains it in one line on stderr', async () => {
    const config = tempDir();
    const result = await runTripod(
      [
        'request',
        '-c',
        server.pinApp.consumer_key,
        '-s',
        'not-the-secret',
        '-a',
        'not-a-token',
        '-S',
        'not-a-token-secret',
        '--host',
        server.url,
        '/1.1/account/verify_credentials.json',
      ],
      { TRIPOD_CONFIG_DIR: config },
    );
    assert.equal(result.code, 4);
    assert.match(result.stdout, /"errors"/, 'the body is still printed');
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^tripod: HTTP 401 Unauthorized, code \d+, oauth_problem=\w+: .+ — .+/);
  });

  it('--debug shows the base string and masked secrets, never the secrets or the signature', async () => {
    const config = tempDir();
    const env = { TRIPOD_CONFIG_DIR: config };
    assert.equal((await cliAuthorize(env)).code, 0);
    const profile = JSON.parse((await runTripod(['accounts', '--json', '--show-secrets'], env)).stdout) as {
      sites: { accounts: { consumerSecret: string; tokenSecret: string }[] }[];
    };
    const { consumerSecret, tokenSecret } = profile.sites[0]!.accounts[0]!;
    const debug = await runTripod(['--debug', 'request', '/1.1/account/verify_credentials.json'], env);
    assert.equal(debug.code, 0, debug.stderr);
    assert.match(debug.stderr, /signature base string:\n\[debug\] {3}GET&http%3A%2F%2F127\.0\.0\.1/);
    assert.match(debug.stderr, /signing key: consumer secret \(\d+ chars, sha256:[0-9a-f]{8}\)/);
    assert.match(debug.stderr, /oauth_signature="\[redacted\]"/);
    assert.ok(!debug.stderr.includes(consumerSecret));
    assert.ok(!debug.stderr.includes(tokenSecret));
  });

  it('authorize --loopback: the redirect to 127.0.0.1 completes the flow without a PIN', async () => {
    const config = tempDir();
    const run = startTripod(authorizeArgs(server, server.loopbackApp, ['--loopback', '--json']), {
      TRIPOD_CONFIG_DIR: config,
    });
    const [, url] = await run.waitForStderr(AUTHORIZE_URL);
    const { location } = await decideOnTripodPages(url!, server.user);
    assert.match(location ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    await fetch(location!);
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { account: string; site: string };
    assert.equal(json.account, 'carol');
    assert.equal(json.site, server.url);
  });

  it('logout revokes the token at /oauth/invalidate_token: the old token then fails', async () => {
    const config = tempDir();
    const env = { TRIPOD_CONFIG_DIR: config };
    assert.equal((await cliAuthorize(env)).code, 0);
    const stored = JSON.parse((await runTripod(['accounts', '--json', '--show-secrets'], env)).stdout) as {
      sites: {
        accounts: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string }[];
      }[];
    };
    const account = stored.sites[0]!.accounts[0]!;
    const logout = await runTripod(['logout'], env);
    assert.equal(logout.code, 0, logout.stderr);
    assert.match(logout.stderr, /Revoked the token/);
    assert.equal(logout.stdout, `Removed carol from ${server.url}.\n`);
    const reused = await runTripod(
      [
        'request',
        '-c',
        account.consumerKey,
        '-s',
        account.consumerSecret,
        '-a',
        account.token,
        '-S',
        account.tokenSecret,
        '--host',
        server.url,
        '/1.1/account/verify_credentials.json',
      ],
      env,
    );
    assert.equal(reused.code, 4);
    assert.match(reused.stderr, /HTTP 401/);
  });
});

function authorize(app: TripodServer['pinApp'], extra: string[] = []) {
  return startTripod(authorizeArgs(server, app, extra), { TRIPOD_CONFIG_DIR: tempDir() });
}

describe('tripod authorize forgives', () => {
  it('asks again after each wrong PIN until the server’s tries run out, then says the token is locked', async () => {
    const run = authorize(server.pinApp);
    const [, url] = await run.waitForStderr(AUTHORIZE_URL);
    const { pin } = await decideOnTripodPages(url!, server.user);
    const wrong = pin === '1234567' ? '7654321' : '1234567';
    run.child.stdin.write(`${wrong}\n`.repeat(5));
    const result = await run.done;
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    for (const left of ['4 tries', '3 tries', '2 tries', '1 try']) {
      assert.match(result.stderr, new RegExp(`That PIN is wrong: ${left} left\\.`));
    }
    assert.match(
      result.stderr,
      /tripod: That PIN is wrong, and it was the last try: the provider has locked this request token\. Run `tripod authorize` again for a new PIN\.\n$/,
    );
  });

  it('a PIN typed before anyone pressed Allow costs no try: the right PIN after Allow still works', async () => {
    const run = authorize(server.pinApp);
    const [, url] = await run.waitForStderr(AUTHORIZE_URL);
    run.child.stdin.write('1234567\n');
    await run.waitForStderr(/nobody has authorized this request token yet: open the URL above, press Allow/);
    const { pin } = await decideOnTripodPages(url!, server.user);
    run.child.stdin.end(`${pin!.slice(0, 3)}-${pin!.slice(3)}\n`);
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `Authorized carol on ${server.url}.\n`);
    assert.doesNotMatch(result.stderr, /That PIN is wrong/);
  });

  it('stdin ending before a PIN ends the run with a sentence, not a hang', async () => {
    const result = await runTripod(
      authorizeArgs(server, server.pinApp),
      { TRIPOD_CONFIG_DIR: tempDir() },
      '\n\n',
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /tripod: No PIN was given \(stdin ended\)\.\n$/);
  });

  it('waits as long as the request token lives: --timeout, else the provider’s oauth_expires_in, else no limit', () => {
    assert.equal(waitLimitMs({ authParam: [], timeout: '30' }, { oauth_expires_in: '900' }), 30_000);
    assert.equal(waitLimitMs({ authParam: [] }, { oauth_expires_in: '900' }), 900_000);
    assert.equal(waitLimitMs({ authParam: [] }, {}), undefined, 'no 300 s of our own');
  });

  it('--loopback with a PIN-only app: the CLI says to drop --loopback (the server’s advice speaks protocol)', async () => {
    const run = authorize(server.pinApp, ['--loopback']);
    const result = await run.done;
    assert.equal(result.code, 4);
    assert.match(result.stderr, /code 417, .*drop --loopback and type the PIN the page shows/);
    assert.doesNotMatch(result.stderr, /send oauth_callback=oob/);
  });

  it('--loopback-port on a port in use names the flag that picks another', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const result = await authorize(server.loopbackApp, ['--loopback', '--loopback-port', String(port)])
        .done;
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        new RegExp(
          `Port ${port} on 127\\.0\\.0\\.1 is already in use.*: pick another with --loopback-port N`,
        ),
      );
    } finally {
      busy.close();
    }
  });
});

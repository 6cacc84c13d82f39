// The real `tripod` CLI against a provider nobody here wrote: oauthlib's rfc5849 endpoints
// (Debian's python3-oauthlib). `tripod authorize` in PIN mode with the endpoints given by flags, then
// `tripod request` GET and POST.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTripod, serverForTheFile, startTripod, tempDir } from '../cli/tripod-process.ts';
import { approveOnOAuthlibPage, startOAuthlibProvider } from './oauthlib-provider-process.ts';

const provider = serverForTheFile(() =>
  startOAuthlibProvider({
    clients: [{ key: 'tripodcliconsumer', secret: 'a secret: with & and %' }],
    user: { user_id: '777', screen_name: 'py_user' },
  }),
);

describe('tripod CLI against oauthlib', () => {
  it('authorize (PIN) with custom endpoint URLs, then request GET and POST', async () => {
    const env = { TRIPOD_CONFIG_DIR: tempDir() };
    const run = startTripod(
      [
        'authorize',
        '--site',
        provider.url,
        '--request-token-url',
        `${provider.url}/oauth/request_token`,
        '--authorize-url',
        `${provider.url}/oauth/authorize`,
        '--access-token-url',
        `${provider.url}/oauth/access_token`,
        '--consumer-key',
        'tripodcliconsumer',
        '--consumer-secret',
        'a secret: with & and %',
        '--json',
      ],
      env,
    );
    const [, url] = await run.waitForStderr(/^\s+(http\S+\/oauth\/authorize\?oauth_token=\S+)$/m);
    const { pin } = await approveOnOAuthlibPage(url!);
    run.child.stdin.end(`${pin}\n`);
    const authorized = await run.done;
    assert.equal(authorized.code, 0, authorized.stderr);
    const result = JSON.parse(authorized.stdout) as { account: string; userId: string; provider: string };
    assert.deepEqual([result.account, result.userId, result.provider], ['py_user', '777', 'custom']);

    const me = await runTripod(
      ['request', '/1.1/account/verify_credentials.json?q=caf%C3%A9%20%2B%20cr%C3%A8me'],
      env,
    );
    assert.equal(me.code, 0, me.stderr);
    const got = JSON.parse(me.stdout) as { screen_name: string; params: [string, string][] };
    assert.equal(got.screen_name, 'py_user');
    assert.deepEqual(got.params, [['q', 'café + crème']]);

    const status = "Hello Ladies + Gentlemen, a signed OAuth request! 100% & =*'()";
    const posted = await runTripod(['request', '-d', `status=${status}`, '/1.1/statuses/update.json'], env);
    assert.equal(posted.code, 0, posted.stderr);
    assert.deepEqual((JSON.parse(posted.stdout) as { params: [string, string][] }).params, [
      ['status', status],
    ]);

    const json = await runTripod(
      ['request', '-X', 'PUT', '--json', '{"a":[1,"&="]}', '/1.1/statuses/update.json'],
      env,
    );
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { body: string; method: string }).body, '{"a":[1,"&="]}');
  });

  it('a consumer secret oauthlib does not know gives exit code 4 and an explanation', async () => {
    const env = { TRIPOD_CONFIG_DIR: tempDir() };
    const result = await runTripod(
      [
        'authorize',
        '--site',
        provider.url,
        '--consumer-key',
        'tripodcliconsumer',
        '--consumer-secret',
        'wrong',
      ],
      env,
    );
    assert.equal(result.code, 4);
    assert.match(result.stderr, /^tripod: authorization failed: HTTP 401/m);
  });
});

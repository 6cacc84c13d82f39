import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallbackTimeoutError } from '../../src/client/errors.ts';
import { startLoopbackCallback } from '../../src/client/loopback-callback.ts';
import { parseAuthorizationResponse } from '../../src/client/pin-flow.ts';

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
}

describe('loopback callback (RFC 8252 §7.3 for OAuth 1.0a)', () => {
  it('listens on 127.0.0.1 on a free port with the path /callback', async () => {
    const loopback = await startLoopbackCallback();
    assert.match(loopback.callbackUrl, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    await loopback.close();
  });

  it('callbackHost "localhost" (NetSuite allows only http://localhost:*) is answered on 127.0.0.1', async () => {
    const loopback = await startLoopbackCallback({ callbackHost: 'localhost', timeoutMs: 5000 });
    assert.match(loopback.callbackUrl, /^http:\/\/localhost:\d+\/callback$/);
    const waiting = loopback.waitForVerifier('t');
    const port = new URL(loopback.callbackUrl).port;
    await fetch(`http://127.0.0.1:${port}/callback?oauth_token=t&oauth_verifier=v`);
    assert.equal((await waiting).oauthVerifier, 'v');
  });

  it('captures the verifier, answers "you may close this window", then stops listening', async () => {
    const loopback = await startLoopbackCallback({ timeoutMs: 5000 });
    const waiting = loopback.waitForVerifier('tok');
    const page = await fetch(`${loopback.callbackUrl}?oauth_token=tok&oauth_verifier=v123`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /You may close this window/);
    assert.deepEqual(await waiting, { oauthToken: 'tok', oauthVerifier: 'v123' });
    assert.ok(await refused(loopback.callbackUrl), 'the server is closed');
  });

  it('a redirect that arrives before waitForVerifier is kept', async () => {
    const loopback = await startLoopbackCallback({ timeoutMs: 5000 });
    await fetch(`${loopback.callbackUrl}?oauth_token=early&oauth_verifier=v`);
    assert.deepEqual(await loopback.waitForVerifier('early'), { oauthToken: 'early', oauthVerifier: 'v' });
  });

  it('a redirect for another request token gets a 400 and the wait goes on', async () => {
    const loopback = await startLoopbackCallback({ timeoutMs: 5000 });
    const waiting = loopback.waitForVerifier('mine');
    const stale = await fetch(`${loopback.callbackUrl}?oauth_token=old&oauth_verifier=x`);
    assert.equal(stale.status, 400);
    await fetch(`${loopback.callbackUrl}?oauth_token=mine&oauth_verifier=y`);
    assert.equal((await waiting).oauthVerifier, 'y');
  });

  it('a denial (Twitter’s denied=, OKAPI’s error=access_denied) rejects with AuthorizationDeniedError', async () => {
    const loopback = await startLoopbackCallback({ timeoutMs: 5000 });
    const denied = assert.rejects(loopback.waitForVerifier('t'), { name: 'AuthorizationDeniedError' });
    const page = await fetch(`${loopback.callbackUrl}?oauth_token=t&denied=t&error=access_denied`);
    assert.match(await page.text(), /You denied access/);
    await denied;
  });

  it('other paths are 404 and do not end the wait', async () => {
    const loopback = await startLoopbackCallback({ timeoutMs: 5000 });
    const waiting = loopback.waitForVerifier('t');
    assert.equal((await fetch(new URL('/favicon.ico', loopback.callbackUrl))).status, 404);
    await fetch(`${loopback.callbackUrl}?oauth_token=t&oauth_verifier=ok`);
    assert.equal((await waiting).oauthVerifier, 'ok');
  });

  it('times out cleanly with CallbackTimeoutError and closes the port', async () => {
    const loopback = await startLoopbackCallback({ timeoutMs: 50 });
    await assert.rejects(
      loopback.waitForVerifier('t'),
      (error: unknown) => error instanceof CallbackTimeoutError,
    );
    assert.ok(await refused(loopback.callbackUrl));
  });

  it('a limit given to waitForVerifier (known once the request token is) overrides the listener’s', async () => {
    const loopback = await startLoopbackCallback({ timeoutMs: 60_000 });
    await assert.rejects(loopback.waitForVerifier('t', { timeoutMs: 50 }), (error: unknown) => {
      assert.ok(error instanceof CallbackTimeoutError);
      assert.match(error.message, /within 0 s/);
      return true;
    });
  });

  it('an infinite limit waits for the browser (Infinity is not setTimeout’s 1 ms)', async () => {
    const loopback = await startLoopbackCallback({ timeoutMs: Number.POSITIVE_INFINITY });
    const waiting = loopback.waitForVerifier('t');
    // Let the event loop turn: a limit read as 1 ms would have rejected by now.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await fetch(`${loopback.callbackUrl}?oauth_token=t&oauth_verifier=late`);
    assert.equal((await waiting).oauthVerifier, 'late');
  });

  it('parseAuthorizationResponse reads a pasted redirect URL, and sees denials', () => {
    assert.deepEqual(parseAuthorizationResponse('http://127.0.0.1:1/cb?x=1&oauth_token=a&oauth_verifier=b'), {
      oauthToken: 'a',
      oauthVerifier: 'b',
    });
    assert.deepEqual(
      parseAuthorizationResponse('http://127.0.0.1:1/cb?oauth_token=a&denied=a&error=access_denied'),
      {
        denied: true,
        oauthToken: 'a',
      },
    );
  });
});

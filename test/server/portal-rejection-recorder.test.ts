import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { signatureBaseString } from '../../src/core/base-string.ts';
import { collectRequestParameters } from '../../src/core/parameters.ts';
import { couldNotAuthenticate } from '../../src/core/problems.ts';
import { signRequest } from '../../src/core/signing.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { describeRejectedRequest, recordRejections } from '../../src/server/portal/rejection-recorder.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';

const url = 'http://127.0.0.1/oauth/request_token?extra=1';

function signed(consumerKey: string) {
  return signRequest({
    method: 'POST',
    url,
    consumerKey,
    consumerSecret: 'secret',
    extraOAuthParams: [['oauth_callback', 'oob']],
    body: { form: [['status', 'hello world']] },
    nonce: 'nonce1',
    timestamp: 1_700_000_000,
  });
}

describe('rejected request description', () => {
  it('carries the parameters received and the same base string the server verifies', () => {
    const s = signed('app-key');
    const described = describeRejectedRequest(
      {
        method: 'POST',
        url,
        headers: { authorization: s.authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'status=hello%20world',
      },
      { problem: 'signature_invalid', status: 401, code: 32, advice: 'Check it.' },
      5,
    )!;
    assert.equal(described.consumerKey, 'app-key');
    assert.equal(described.entry.baseString, s.baseString);
    const collected = collectRequestParameters({
      url,
      authorization: s.authorization,
      contentType: 'application/x-www-form-urlencoded',
      body: 'status=hello%20world',
    });
    assert.equal(described.entry.baseString, signatureBaseString('POST', url, collected.params));
    const names = described.entry.parameters.map(([name]) => name);
    assert.ok(names.includes('status') && names.includes('extra') && names.includes('oauth_signature'));
    assert.ok(!JSON.stringify(described).includes('"secret"'));
  });

  it('names no app for requests that carry no consumer key or cannot be read', () => {
    const problem = { problem: 'parameter_absent', status: 400, code: 215, advice: '' } as const;
    assert.equal(describeRejectedRequest({ method: 'GET', url, headers: {} }, problem, 0), null);
    assert.equal(
      describeRejectedRequest(
        { method: 'GET', url, headers: { authorization: 'OAuth a="1", a="2"' } },
        problem,
        0,
      ),
      null,
    );
  });
});

/** A Fastify app recording the refused requests of the apps `exists` knows, into memory stores. */
function recordingApp(exists: (key: string) => boolean, now: number) {
  const app = Fastify();
  const { rejections } = createMemoryStores();
  recordRejections(app, {
    rejections,
    consumers: { get: async (key) => (exists(key) ? ({ key } as Consumer) : null) },
    clock: { now: () => now },
    toOAuthRequest: (request) => ({
      method: request.method,
      url: `http://127.0.0.1${request.url}`,
      headers: request.headers,
      body: null,
    }),
  });
  return { app, rejections };
}

describe('rejection recorder hooks', () => {
  it('records refused requests of existing apps only, after answering', async () => {
    const { app, rejections } = recordingApp((key) => key === 'real-app', 42);
    app.post('/oauth/request_token', async () => {
      throw couldNotAuthenticate({});
    });
    for (const key of ['real-app', 'made-up-app']) {
      const s = signed(key);
      const answer = await app.inject({
        method: 'POST',
        url: '/oauth/request_token?extra=1',
        headers: { authorization: s.authorization },
      });
      assert.equal(answer.statusCode, 401);
    }
    await new Promise((resolve) => setTimeout(resolve, 20)); // recorded once the answer has gone out
    const entries = await rejections.list('real-app');
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.problem, 'signature_invalid');
    assert.equal(entries[0]!.at, 42);
    assert.deepEqual(await rejections.list('made-up-app'), []);
    await app.close();
  });

  it('stores the entry redacted: an xAuth password sent by a refused request never reaches the store', async () => {
    const { app, rejections } = recordingApp(() => true, 1);
    app.post('/oauth/access_token', async () => {
      throw couldNotAuthenticate({});
    });
    const signature = signRequest({
      method: 'POST',
      url: 'http://127.0.0.1/oauth/access_token?x_auth_mode=client_auth&x_auth_username=alice&x_auth_password=hunter2',
      consumerKey: 'xauth-app',
      consumerSecret: 'secret',
      nonce: 'n',
      timestamp: 1_700_000_000,
    });
    await app.inject({
      method: 'POST',
      url: '/oauth/access_token?x_auth_mode=client_auth&x_auth_username=alice&x_auth_password=hunter2',
      headers: { authorization: signature.authorization },
    });
    let entries: Awaited<ReturnType<typeof rejections.list>> = [];
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      entries = await rejections.list('xauth-app');
    }
    assert.equal(entries.length, 1);
    assert.ok(!JSON.stringify(entries).includes('hunter2'), JSON.stringify(entries));
    await app.close();
  });
});

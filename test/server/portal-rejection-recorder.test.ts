import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { signatureBaseString } from '../../src/core/base-string.ts';
import { collectRequestParameters } from '../../src/core/parameters.ts';
import { couldNotAuthenticate } from '../../src/core/problems.ts';
import { signRequest } from '../../src/core/signing.ts';
import type { Consumer } from '../../src/provider/types.ts';
import {
  describeRejectedRequest,
  PENDING_KEPT,
  RECORDED_PER_APP_PER_MINUTE,
  recordRejections,
} from '../../src/server/portal/rejection-recorder.ts';
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
  const app = Fastify({ bodyLimit: 2 * 1024 * 1024 });
  const { rejections } = createMemoryStores();
  // The real memory store, with every call counted: when does recording touch a store, and how much.
  const calls = { consumerGets: 0, batches: 0, entries: 0 };
  const counted: typeof rejections = {
    ...rejections,
    recordMany: async (entries) => {
      calls.batches++;
      calls.entries += entries.length;
      return rejections.recordMany(entries);
    },
  };
  const recorder = recordRejections(app, {
    rejections: counted,
    consumers: {
      get: async (key) => {
        calls.consumerGets++;
        return exists(key) ? ({ key } as Consumer) : null;
      },
    },
    clock: { now: () => now },
    toOAuthRequest: (request) => ({
      method: request.method,
      url: `http://127.0.0.1${request.url}`,
      headers: request.headers,
      body: typeof request.body === 'string' ? request.body : null,
    }),
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
    done(null, body),
  );
  return { app, rejections, recorder, calls };
}

describe('rejection recorder hooks', () => {
  it('records refused requests of existing apps only, after answering', async () => {
    const { app, rejections, recorder } = recordingApp((key) => key === 'real-app', 42);
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
    await recorder.flush();
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

describe('recording costs the request path nothing and keeps a few KB at most (issue 7)', () => {
  const refuse = async () => {
    throw couldNotAuthenticate({});
  };

  it('answering touches no store: entries are written later, in one batch, by the timer', async () => {
    const { app, rejections, recorder, calls } = recordingApp(() => true, 7);
    app.post('/oauth/request_token', refuse);
    for (let i = 0; i < 5; i++) {
      const answer = await app.inject({
        method: 'POST',
        url: '/oauth/request_token?extra=1',
        headers: { authorization: signed('real-app').authorization },
      });
      assert.equal(answer.statusCode, 401);
    }
    assert.deepEqual(calls, { consumerGets: 0, batches: 0, entries: 0 });
    await recorder.flush();
    assert.deepEqual(calls, { consumerGets: 1, batches: 1, entries: 5 });
    assert.equal((await rejections.list('real-app')).length, 5);
    await app.close();
  });

  it('a flood naming one real key records at most RECORDED_PER_APP_PER_MINUTE, and the queue is bounded', async () => {
    const { app, rejections, recorder, calls } = recordingApp(() => true, 7);
    app.post('/oauth/request_token', refuse);
    for (let i = 0; i < PENDING_KEPT + 50; i++) {
      await app.inject({
        method: 'POST',
        url: '/oauth/request_token',
        headers: { authorization: signed('real-app').authorization },
      });
    }
    assert.equal(recorder.dropped, 50);
    await recorder.flush();
    assert.equal(calls.entries, RECORDED_PER_APP_PER_MINUTE);
    assert.ok((await rejections.list('real-app')).length <= RECORDED_PER_APP_PER_MINUTE);
    await app.close();
  });

  it('a 1 MB refused request naming a real key is kept as a few KB, marked as cut', async () => {
    const { app, rejections, recorder } = recordingApp(() => true, 7);
    app.post('/oauth/request_token', refuse);
    const big = `status=${'x'.repeat(1024 * 1024)}`;
    const answer = await app.inject({
      method: 'POST',
      url: `/oauth/request_token?q=${'y'.repeat(6000)}`,
      headers: {
        authorization: signed('real-app').authorization,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: big,
    });
    assert.equal(answer.statusCode, 401);
    await recorder.flush();
    const [entry] = await rejections.list('real-app');
    assert.ok(entry);
    const size = Buffer.byteLength(JSON.stringify(entry));
    assert.ok(size < 16 * 1024, `the entry takes ${size} bytes`);
    assert.match(entry.parameters.find(([name]) => name === 'status')![1], /…\[truncated\]$/);
    assert.match(entry.url, /…\[truncated\]$/);
    await app.close();
  });

  it('a PLAINTEXT signature (the secrets themselves) and a PIN never reach the store', async () => {
    const { app, rejections, recorder } = recordingApp(() => true, 7);
    app.post('/oauth/access_token', refuse);
    const pin = '7654321';
    const s = signRequest({
      method: 'POST',
      url: `http://127.0.0.1/oauth/access_token?oauth_verifier=${pin}`,
      consumerKey: 'plain-app',
      consumerSecret: 'consumer-secret-value',
      token: 'request-token',
      tokenSecret: 'token-secret-value',
      signatureMethod: 'PLAINTEXT',
      nonce: 'n',
      timestamp: 1_700_000_000,
    });
    await app.inject({
      method: 'POST',
      url: `/oauth/access_token?oauth_verifier=${pin}`,
      headers: { authorization: s.authorization },
    });
    await recorder.flush();
    const entries = await rejections.list('plain-app');
    assert.equal(entries.length, 1);
    const stored = JSON.stringify(entries);
    for (const secret of ['consumer-secret-value', 'token-secret-value', pin]) {
      assert.ok(!stored.includes(secret), `${secret} was stored: ${stored}`);
    }
    const parameters = new Map(entries[0]!.parameters);
    assert.equal(parameters.get('oauth_signature'), '[redacted]');
    assert.equal(parameters.get('oauth_verifier'), '[redacted]');
    assert.equal(parameters.get('oauth_token'), 'request-token');
    assert.match(entries[0]!.baseString ?? '', /oauth_verifier%3D%255Bredacted%255D/);
    await app.close();
  });

  it('an HMAC signature is kept: it reveals no secret and the developer compares it', async () => {
    const { app, rejections, recorder } = recordingApp(() => true, 7);
    app.post('/oauth/request_token', refuse);
    const s = signed('real-app');
    await app.inject({
      method: 'POST',
      url: '/oauth/request_token',
      headers: { authorization: s.authorization },
    });
    await recorder.flush();
    const [entry] = await rejections.list('real-app');
    assert.equal(new Map(entry!.parameters).get('oauth_signature'), s.signature);
    await app.close();
  });
});

// Prometheus metrics: requests by route, method and status, refusals by oauth_problem, how long people
// take from request_token to access_token by mode, store latency by operation, the nonce store's size and
// the process's own metrics — at GET /metrics on the main port, or only on a port of their own.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listenForMetrics } from '../../src/server/metrics-endpoint.ts';
import { MemoryNonceStore } from '../../src/stores/memory/nonces.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';
import { RecentNonces } from '../../src/stores/recent-nonces.ts';
import { withVerificationCache } from '../../src/stores/verification-cache.ts';
import { sample } from './fixtures/prometheus-text.ts';
import {
  authorizeInBrowser,
  grantAccessToken,
  startTestServer,
  testServerForTheFile,
  WEB_CALLBACK,
} from './fixtures/test-server.ts';

const server = testServerForTheFile();

async function scrape(base = server.base): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  assert.equal(response.status, 200);
  assert.match(String(response.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** How much each sample grew while `action` ran. */
async function growth(
  action: () => Promise<void>,
  samples: Record<string, [string, Record<string, string>]>,
): Promise<Record<string, number>> {
  const before = await scrape();
  await action();
  const after = await scrape();
  return Object.fromEntries(
    Object.entries(samples).map(([key, [name, labels]]) => [
      key,
      sample(after, name, labels) - sample(before, name, labels),
    ]),
  );
}

const verifyCredentials = '/1.1/account/verify_credentials.json';

describe('metrics at GET /metrics', () => {
  test('requests are counted by route, method and status, and refusals by oauth_problem', async () => {
    const counted = await growth(
      async () => {
        await fetch(`${server.base}/oauth/request_token`, { method: 'POST' });
        await server.client.call({
          method: 'GET',
          url: verifyCredentials,
          credentials: { ...server.pinApp, token: 'no-such-token', tokenSecret: 'x' },
        });
        await fetch(`${server.base}/no/such/page/${Math.random()}`);
        await server.client.requestToken(server.pinApp, 'oob');
      },
      {
        malformed: [
          'tripod_http_requests_total',
          { endpoint: '/oauth/request_token', method: 'POST', status: '400' },
        ],
        absent: [
          'tripod_oauth_problems_total',
          { endpoint: '/oauth/request_token', problem: 'parameter_absent' },
        ],
        refused: [
          'tripod_http_requests_total',
          { endpoint: verifyCredentials, method: 'GET', status: '401' },
        ],
        invalid: [
          'tripod_oauth_problems_total',
          { endpoint: verifyCredentials, problem: 'signature_invalid' },
        ],
        unmatched: ['tripod_http_requests_total', { endpoint: 'unmatched', method: 'GET', status: '404' }],
        issued: [
          'tripod_http_requests_total',
          { endpoint: '/oauth/request_token', method: 'POST', status: '200' },
        ],
        timed: [
          'tripod_http_request_duration_seconds_count',
          { endpoint: '/oauth/request_token', method: 'POST' },
        ],
        oob: ['tripod_request_tokens_issued_total', { mode: 'oob' }],
      },
    );
    assert.deepEqual(counted, {
      malformed: 1,
      absent: 1,
      refused: 1,
      invalid: 1,
      unmatched: 1,
      issued: 1,
      timed: 2,
      oob: 1,
    });
  });

  test('a flow is timed from request_token to access_token, by mode (oob or callback)', async () => {
    // Real seconds each flow took besides the clock's moves, however slow the machine is today.
    const real = { oob: 0, callback: 0 };
    const flows = await growth(
      async () => {
        let started = Date.now();
        const pin = (await server.client.requestToken(server.pinApp, 'oob')).form();
        server.clock.advance(42);
        const { pin: verifier } = await authorizeInBrowser(server.base, pin.oauth_token!);
        const exchanged = await server.client.accessToken(
          { ...server.pinApp, token: pin.oauth_token!, tokenSecret: pin.oauth_token_secret! },
          verifier!,
        );
        assert.equal(exchanged.status, 200, exchanged.text);
        real.oob = (Date.now() - started) / 1000;

        started = Date.now();
        const web = (await server.client.requestToken(server.webApp, WEB_CALLBACK)).form();
        server.clock.advance(7);
        const { location } = await authorizeInBrowser(server.base, web.oauth_token!);
        const callbackVerifier = new URL(location!).searchParams.get('oauth_verifier')!;
        const redeemed = await server.client.accessToken(
          { ...server.webApp, token: web.oauth_token!, tokenSecret: web.oauth_token_secret! },
          callbackVerifier,
        );
        assert.equal(redeemed.status, 200, redeemed.text);
        real.callback = (Date.now() - started) / 1000;
      },
      {
        oobCount: ['tripod_flow_duration_seconds_count', { mode: 'oob' }],
        oobSeconds: ['tripod_flow_duration_seconds_sum', { mode: 'oob' }],
        callbackCount: ['tripod_flow_duration_seconds_count', { mode: 'callback' }],
        callbackSeconds: ['tripod_flow_duration_seconds_sum', { mode: 'callback' }],
        exchanged: ['tripod_access_tokens_issued_total', { via: 'verifier' }],
      },
    );
    assert.equal(flows.oobCount, 1);
    assert.equal(flows.callbackCount, 1);
    assert.equal(flows.exchanged, 2);
    // The clock moved 42 s and 7 s; the requests and pages themselves took `real` seconds more.
    assert.ok(flows.oobSeconds! >= 42 && flows.oobSeconds! <= 42 + real.oob, `oob: ${flows.oobSeconds} s`);
    assert.ok(
      flows.callbackSeconds! >= 7 && flows.callbackSeconds! <= 7 + real.callback,
      `callback: ${flows.callbackSeconds} s`,
    );
  });

  test('store calls are timed by operation, and the nonce store size is the live nonces', async () => {
    // The earlier tests' refusals are written behind (the rejection recorder, every 100 ms), looking their
    // apps up as they are: counted here, they made consumers.get 2 about one run in eight. Measured once
    // two scrapes 250 ms apart agree.
    for (let previous = ''; ; ) {
      const now = await scrape();
      const lookups = String(
        sample(now, 'tripod_store_operation_duration_seconds_count', { operation: 'consumers.get' }),
      );
      if (lookups === previous) break;
      previous = lookups;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const timed = await growth(
      async () => {
        await server.client.requestToken(server.pinApp, 'oob');
      },
      {
        claims: ['tripod_store_operation_duration_seconds_count', { operation: 'nonces.claim' }],
        consumers: ['tripod_store_operation_duration_seconds_count', { operation: 'consumers.get' }],
        created: ['tripod_store_operation_duration_seconds_count', { operation: 'requestTokens.create' }],
      },
    );
    assert.deepEqual(timed, { claims: 1, consumers: 1, created: 1 });
    const text = await scrape();
    const live = await server.stores.nonces.size(server.clock.now());
    assert.ok(live > 0);
    assert.equal(sample(text, 'tripod_nonce_store_size'), live);
  });

  test('a lookup the verification cache answers is not timed as a store call: the store below it is', async () => {
    // The cache's clock stands still: the second lookup is a hit however slow the machine is.
    const cached = await startTestServer({
      stores: withVerificationCache(createMemoryStores(), { now: () => 0 }),
    });
    try {
      const before = await scrape(cached.base);
      await cached.client.requestToken(cached.pinApp, 'oob');
      await cached.client.requestToken(cached.pinApp, 'oob');
      const after = await scrape(cached.base);
      const grew = (operation: string) =>
        sample(after, 'tripod_store_operation_duration_seconds_count', { operation }) -
        sample(before, 'tripod_store_operation_duration_seconds_count', { operation });
      // Two requests, two nonces claimed and two tokens stored; the app read from the store once.
      assert.deepEqual(
        {
          claims: grew('nonces.claim'),
          created: grew('requestTokens.create'),
          consumers: grew('consumers.get'),
        },
        { claims: 2, created: 2, consumers: 1 },
      );
    } finally {
      await cached.close();
      await cached.stores.close();
    }
  });

  test('a replay the recent nonces refuse from memory is answered, and no store call is timed for it', async () => {
    // As every real server runs (SQLite, PostgreSQL, Redis): the recent nonces in front of the store.
    const recent = await startTestServer({
      stores: { ...createMemoryStores(), nonces: new RecentNonces(new MemoryNonceStore()) },
    });
    try {
      const credentials = await grantAccessToken(recent, recent.pinApp, 'read');
      const { headers } = recent.client.sign({
        method: 'GET',
        url: `${recent.base}${verifyCredentials}`,
        credentials,
      });
      const claims = async () =>
        sample(await scrape(recent.base), 'tripod_store_operation_duration_seconds_count', {
          operation: 'nonces.claim',
        });
      const before = await claims();
      assert.equal((await fetch(`${recent.base}${verifyCredentials}`, { headers })).status, 200);
      const replay = await fetch(`${recent.base}${verifyCredentials}`, { headers });
      assert.equal(replay.status, 401);
      assert.equal((await replay.json()).oauth_problem, 'nonce_used');
      assert.equal((await claims()) - before, 1, 'one claim timed: the first use');
      const text = await scrape(recent.base);
      assert.equal(
        sample(text, 'tripod_store_operation_duration_seconds_count', { operation: 'nonces.knownClaimed' }),
        0,
      );
    } finally {
      await recent.close();
      await recent.stores.close();
    }
  });

  test("the process's own metrics are there too", async () => {
    const text = await scrape();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      assert.match(text, new RegExp(`^${name} `, 'm'), name);
    }
  });
});

describe('metrics on a port of their own (--metrics-port)', () => {
  test('are served there and not on the main port', async () => {
    const separate = await startTestServer({ settings: { metricsPort: '0' } });
    const listener = await listenForMetrics(separate.app.metrics, { host: '127.0.0.1', port: 0 });
    try {
      const main = await fetch(`${separate.base}/metrics`);
      assert.equal(main.status, 404);
      assert.equal(((await main.json()) as { errors: { code: number }[] }).errors[0]!.code, 34);
      await separate.client.requestToken(separate.pinApp, 'oob');
      const scraped = await fetch(listener.url);
      assert.equal(scraped.status, 200);
      const text = await scraped.text();
      assert.equal(
        sample(text, 'tripod_http_requests_total', { endpoint: '/oauth/request_token', status: '200' }),
        1,
      );
      assert.equal(sample(text, 'tripod_http_requests_total', { endpoint: 'unmatched', status: '404' }), 1);
      const elsewhere = await fetch(listener.url.replace('/metrics', '/oauth/request_token'));
      assert.equal(elsewhere.status, 404);
    } finally {
      await listener.close();
      await separate.close();
    }
  });
});

// Timing (issue 11, RFC 5849 §4.7 context): a request that fails authentication takes the same path
// whatever the reason — an unknown consumer key, a bad signature, an unknown token — because every check is
// made (dummy secrets stand in for unknown ones, the signature is always computed, the lookups are the same)
// and then decided once (provider/authentication.ts). Shown on distributions, not single timings: many
// samples of each kind, interleaved in random order so that drift on a loaded machine hits all kinds
// alike, compared with each other (medians within a generous factor, and a rank statistic: the chance that
// one kind's sample is slower than another's stays near one half). No absolute time is asserted.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SignedCall } from './fixtures/oauth-client.ts';
import {
  authorizeInBrowser,
  grantAccessToken,
  startTestServer,
  type TestServer,
} from './fixtures/test-server.ts';

const SAMPLES = 400;
const WARM_UP = 100;
/** Largest accepted median of the per-round ratios between two kinds. */
const MEDIAN_FACTOR = 1.5;
/** Accepted share of rounds where one kind was slower than another: 0.5 when indistinguishable. */
const SIGN_RANGE = [0.3, 0.7] as const;

type Kind = 'unknown consumer' | 'bad signature' | 'unknown token';

async function timed(server: TestServer, call: SignedCall): Promise<{ ns: number; status: number }> {
  const { url, headers, body } = server.client.sign(call);
  const path = url.slice(server.base.length);
  const start = process.hrtime.bigint();
  const answer = await server.app.inject({
    method: call.method as 'GET' | 'POST',
    url: path,
    headers: { ...headers, host: new URL(server.base).host },
    ...(body === undefined ? {} : { payload: body as string }),
  });
  return { ns: Number(process.hrtime.bigint() - start), status: answer.statusCode };
}

/** Interleaved samples of each kind, after a warm-up; every answer must be the same 401. */
async function sample(
  server: TestServer,
  calls: Record<Kind, () => SignedCall>,
): Promise<Record<Kind, number[]>> {
  const kinds = Object.keys(calls) as Kind[];
  const samples = Object.fromEntries(kinds.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
  for (let round = 0; round < WARM_UP + SAMPLES; round++) {
    const order = [...kinds].sort(() => Math.random() - 0.5);
    for (const kind of order) {
      const { ns, status } = await timed(server, calls[kind]());
      assert.equal(status, 401, kind);
      if (round >= WARM_UP) samples[kind].push(ns);
    }
  }
  return samples;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The share of rounds where `a` was slower than `b` (ties count half): a sign test's statistic. */
function shareSlower(a: readonly number[], b: readonly number[]): number {
  let slower = 0;
  for (const [round, x] of a.entries()) slower += x > b[round]! ? 1 : x === b[round] ? 0.5 : 0;
  return slower / a.length;
}

function assertSamePath(samples: Record<Kind, number[]>, report: (line: string) => void): void {
  const kinds = Object.keys(samples) as Kind[];
  for (const kind of kinds) report(`${kind}: median ${(median(samples[kind]) / 1000).toFixed(0)} µs`);
  for (const [i, a] of kinds.entries()) {
    for (const b of kinds.slice(i + 1)) {
      const ratio = median(samples[a].map((x, round) => x / samples[b][round]!));
      const slower = shareSlower(samples[a], samples[b]);
      report(
        `${a} vs ${b}: median ratio per round ${ratio.toFixed(2)}, slower in ${slower.toFixed(2)} of rounds`,
      );
      assert.ok(ratio < MEDIAN_FACTOR && ratio > 1 / MEDIAN_FACTOR, `${a} vs ${b}: ${ratio}× per round`);
      assert.ok(slower > SIGN_RANGE[0] && slower < SIGN_RANGE[1], `${a} vs ${b}: slower in ${slower}`);
    }
  }
}

describe('failed authentication takes the same time whatever the reason', () => {
  let server: TestServer;
  before(async () => {
    // Limits would refuse the samples (429) and measure the limiter instead.
    server = await startTestServer({ settings: { rateLimits: 'off' } });
  });
  after(() => server.close());

  test('a protected resource: unknown consumer, bad signature and unknown access token', async (t) => {
    const token = await grantAccessToken(server, server.pinApp, 'read');
    const url = '/1.1/account/verify_credentials.json';
    const samples = await sample(server, {
      'unknown consumer': () => ({
        method: 'GET',
        url,
        credentials: { ...token, consumerKey: 'no-such-consumer-key-000000000' },
      }),
      'bad signature': () => ({ method: 'GET', url, credentials: token, corruptSignature: true }),
      'unknown token': () => ({
        method: 'GET',
        url,
        credentials: { ...token, token: 'no-such-token-0000000000000000000000000' },
      }),
    });
    assertSamePath(samples, (line) => t.diagnostic(line));
  });

  test('access_token: unknown consumer, bad signature and unknown request token', async (t) => {
    const issued = (await server.client.requestToken(server.pinApp, 'oob')).form() as Record<string, string>;
    const requestToken = {
      ...server.pinApp,
      token: issued.oauth_token as string,
      tokenSecret: issued.oauth_token_secret as string,
    };
    // Authorized, so the bad-signature kind meets a token with a verifier to compare.
    const { pin } = await authorizeInBrowser(server.base, requestToken.token, {});
    const call = (credentials: typeof requestToken, corruptSignature = false): SignedCall => ({
      method: 'POST',
      url: '/oauth/access_token',
      credentials,
      oauth: [['oauth_verifier', pin ?? '1234567']],
      corruptSignature,
    });
    const samples = await sample(server, {
      'unknown consumer': () => call({ ...requestToken, consumerKey: 'no-such-consumer-key-000000000' }),
      'bad signature': () => call(requestToken, true),
      'unknown token': () => call({ ...requestToken, token: 'no-such-token-0000000000000000000000000' }),
    });
    assertSamePath(samples, (line) => t.diagnostic(line));
  });
});

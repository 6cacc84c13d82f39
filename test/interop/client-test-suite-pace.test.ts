// A client test suite's pace (issue 7), from the outside: command-line tools' test suites authorize one
// user again and again from one address, signing in afresh on the consent page each time (a fresh
// cookie jar per flow). About 45 complete PIN flows in about 30 s must all succeed on a tripod-server
// with its default settings: the sign-in limiter counts failures only (src/server/rate-limits.ts; when it
// counted every sign-in, the 11th success in a minute was refused with 429), and no limit on the
// protocol's endpoints may stop a suite doing a hundred flows a minute (DESIGN.md §3). A few flows run at
// once, as a test runner's workers do. Each test has its own server, so its own counters.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OAuthConsumer } from '../../src/client/pin-flow.ts';
import { removeTempDirs } from '../cli/tripod-process.ts';
import { authorizeInBrowser } from '../server/fixtures/test-server.ts';
import {
  assertCompleteFlow,
  NET_OAUTH,
  PECL_OAUTH,
  REQUESTS_OAUTHLIB,
  RUBY_OAUTH,
  runPinClient,
} from './pin-client-process.ts';
import { type ServedTripod, serveTripodForClients } from './served-tripod.ts';

const FLOWS = 45;
const WORKERS = 3;

/** Runs flows 0…count-1, `workers` at a time; returns what failed ("flow i: message"), and how long it took. */
async function runFlows(count: number, workers: number, flow: (i: number) => Promise<void>) {
  const failures: string[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      try {
        await flow(i);
      } catch (error) {
        // One line each: a refused page's title says why ("Too many sign-in attempts"), not its markup.
        const message = String((error as Error).message);
        const title = /<title>([^<]*)</.exec(message)?.[1];
        failures.push(`flow ${i}: ${title ?? message.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { failures, seconds: ((performance.now() - started) / 1000).toFixed(1) };
}

let sdkServer: ServedTripod;
let foreignServer: ServedTripod;
before(async () => {
  [sdkServer, foreignServer] = await Promise.all([serveTripodForClients(), serveTripodForClients()]);
});
after(async () => {
  await Promise.all([sdkServer.stop(), foreignServer.stop()]);
  removeTempDirs();
});

describe("a client test suite's pace against tripod-server's defaults", () => {
  test(`${FLOWS} PIN flows for one user from one address, each signing in afresh, all succeed`, async (t) => {
    const server = sdkServer;
    const client = new OAuthConsumer({
      consumerKey: server.pinApp.consumerKey,
      consumerSecret: server.pinApp.consumerSecret,
      endpoints: {
        requestTokenUrl: `${server.base}/oauth/request_token`,
        authorizeUrl: `${server.base}/oauth/authorize`,
        accessTokenUrl: `${server.base}/oauth/access_token`,
      },
    });
    const { failures, seconds } = await runFlows(FLOWS, WORKERS, async () => {
      const requestToken = await client.requestToken();
      // A new Browser each time (authorizeInBrowser's default): no session, so the page asks to sign in.
      const outcome = await authorizeInBrowser(server.base, requestToken.token, server.user);
      assert.match(outcome.pin ?? '', /^\d{7}$/, `${outcome.status} ${outcome.html}`);
      const access = await client.accessToken(requestToken, outcome.pin!);
      assert.equal(access.screenName, server.user.username);
      const me = await client.fetch(access)(`${server.base}/1.1/account/verify_credentials.json`);
      assert.equal(me.status, 200);
    });
    t.diagnostic(`${FLOWS} flows in ${seconds} s`);
    assert.deepEqual(failures, []);
  });

  test(`${FLOWS} PIN flows mixed across requests-oauthlib, PECL OAuth, ruby-oauth and Net::OAuth, all succeed`, async (t) => {
    const server = foreignServer;
    const clients = [
      [REQUESTS_OAUTHLIB, {}],
      [PECL_OAUTH, { auth_type: 'authorization' }],
      [RUBY_OAUTH, { scheme: 'header' }],
      [NET_OAUTH, { form: 'header' }],
    ] as const;
    const { failures, seconds } = await runFlows(FLOWS, WORKERS, async (i) => {
      const [client, options] = clients[i % clients.length]!;
      try {
        assertCompleteFlow(server, await runPinClient(server, client, options));
      } catch (error) {
        throw new Error(`${client.library}: ${(error as Error).message}`);
      }
    });
    t.diagnostic(`${FLOWS} flows in ${seconds} s`);
    assert.deepEqual(failures, []);
  });
});

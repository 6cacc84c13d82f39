// Crash safety: `tripod-server` is killed with SIGKILL in the middle of load (PIN flows through the real
// pages, signed API calls, request tokens being issued) and started again on the same data. Then:
// - every access token a client received before the kill still works;
// - every request the server accepted before the kill is refused when replayed byte for byte after it
//   (its nonce was durable before the answer went out), with nonce_used;
// - no request token is half-transitioned: each is in one state of DESIGN.md §2 with that state's data,
//   an exchanged one names an access token that exists, and one whose PIN was shown can still be
//   exchanged, exactly once.
// SQLite runs with journal_mode=WAL and synchronous=NORMAL: a commit is in the WAL (in the OS's page cache)
// before the answer, so a process crash loses nothing; only an OS crash or power cut could lose the last
// commits (synchronous=FULL closes that too, at a cost per commit). SECURITY.md says more.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  type AccessToken,
  OAuthResponseError,
  type RequestToken,
  signHttpRequest,
} from '../../src/client/index.ts';
import { openStores, type StoreSettings, type TripodStores } from '../../src/stores/index.ts';
import {
  decideOnTripodPages,
  removeTempDirs,
  type ServeProcess,
  type ServerApp,
  type StoreFlags,
  serveTripod,
  tempDir,
} from '../cli/tripod-process.ts';
import { stopServers } from '../e2e/fixtures/tripod-server-process.ts';
import {
  consumerFor,
  type Person,
  pinFlow,
  registerWorld,
  signUp,
  verifyCredentials,
} from '../fuzz/fixtures/real-credentials.ts';
import {
  createTestDatabase,
  deleteRedisKeys,
  REDIS_URL,
  uniqueKeyPrefix,
} from '../stores/fixtures/services.ts';

// A server a failed test left running would keep this file's process alive until CI's deadline.
after(() => {
  stopServers();
  removeTempDirs();
});

/** A request the server answered 200 before the kill, as it was sent. */
interface Accepted {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | undefined;
}

interface Flow {
  app: ServerApp;
  requestToken: RequestToken;
  pin?: string;
  /** Set when the exchange answered before the kill. */
  accessToken?: AccessToken;
}

interface LoadRecord {
  flows: Flow[];
  accepted: Accepted[];
  received: { app: ServerApp; token: AccessToken }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs flows and signed calls against `url` until `stop` is set; records what the server answered. */
async function load(
  url: string,
  apps: ServerApp[],
  people: Person[],
  firstToken: { app: ServerApp; token: AccessToken },
  stop: { now: boolean },
  record: LoadRecord,
): Promise<void> {
  let next = 0;
  const flowWorker = async () => {
    while (!stop.now) {
      const n = next++;
      const app = apps[n % apps.length]!;
      const person = people[Math.floor(n / apps.length) % people.length]!;
      const consumer = consumerFor(url, app);
      try {
        const requestToken = await consumer.requestToken({ callback: 'oob' });
        const flow: Flow = { app, requestToken };
        record.flows.push(flow);
        const decided = await decideOnTripodPages(consumer.authorizeUrl(requestToken), person);
        flow.pin = decided.pin;
        if (flow.pin === undefined) continue;
        flow.accessToken = await consumer.accessToken(requestToken, flow.pin);
        record.received.push({ app, token: flow.accessToken });
      } catch {
        // The kill cut this flow short; what it recorded before is checked after the restart.
      }
    }
  };
  const callWorker = async (kind: 'verify' | 'update' | 'request_token') => {
    const { app, token } = firstToken;
    const credentials = { consumerKey: app.consumer_key, consumerSecret: app.consumer_secret };
    while (!stop.now) {
      const signed =
        kind === 'request_token'
          ? signHttpRequest(
              credentials,
              { method: 'POST', url: `${url}/oauth/request_token` },
              {
                extraOAuthParams: [['oauth_callback', 'oob']],
              },
            )
          : signHttpRequest(
              { ...credentials, token: token.token, tokenSecret: token.tokenSecret },
              kind === 'verify'
                ? { method: 'GET', url: `${url}/1.1/account/verify_credentials.json` }
                : {
                    method: 'POST',
                    url: `${url}/1.1/statuses/update.json`,
                    body: { form: [['status', 'crash test']] },
                  },
            );
      const sent: Accepted = {
        method: signed.method,
        url: signed.url,
        headers: signed.headers,
        body: typeof signed.body === 'string' ? signed.body : undefined,
      };
      try {
        const response = await fetch(sent.url, {
          method: sent.method,
          headers: sent.headers,
          body: sent.body,
        });
        await response.arrayBuffer();
        if (response.status === 200) record.accepted.push(sent);
      } catch {
        // Cut by the kill: not known to be accepted.
      }
    }
  };
  await Promise.all([
    flowWorker(),
    flowWorker(),
    flowWorker(),
    callWorker('verify'),
    callWorker('verify'),
    callWorker('update'),
    callWorker('request_token'),
  ]);
}

/** Each request token in one state with that state's data; exchanged ones name an existing access token. */
async function assertNoHalfTransitions(stores: TripodStores, flows: readonly Flow[]) {
  const states: Record<string, number> = {};
  for (const flow of flows) {
    const stored = await stores.requestTokens.get(flow.requestToken.token);
    assert.ok(stored, `request token ${flow.requestToken.token} was issued (answered) but is gone`);
    const state = stored.state;
    states[state.status] = (states[state.status] ?? 0) + 1;
    switch (state.status) {
      case 'authorized':
        assert.ok(state.userId && state.verifier && state.attemptsLeft > 0, JSON.stringify(state));
        break;
      case 'exchanged': {
        const accessToken = await stores.accessTokens.get(state.accessToken);
        assert.ok(accessToken, `exchanged request token names a missing access token ${state.accessToken}`);
        assert.equal(accessToken.userId, state.userId);
        assert.equal(accessToken.consumerKey, stored.consumerKey);
        break;
      }
      default:
        break;
    }
    if (flow.accessToken) assert.equal(state.status, 'exchanged', 'an exchange answered 200 before the kill');
    if (flow.pin !== undefined) {
      assert.ok(['authorized', 'exchanged'].includes(state.status), `PIN shown, then ${state.status}`);
    }
  }
  return states;
}

/** `error` with the last lines `server` logged, which say why it answered as it did. */
function withServerLog(error: unknown, server: ServeProcess): Error {
  const log = server.stderr().trimEnd().split('\n').slice(-20).join('\n');
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${message}\n--- the server's last log lines:\n${log}`, { cause: error });
}

/** Runs `check` against `server` and stops it (by `end`) however `check` ends. */
async function against<T>(
  server: ServeProcess,
  end: 'stop' | 'kill',
  check: (server: ServeProcess) => Promise<T>,
): Promise<T> {
  try {
    return await check(server);
  } catch (error) {
    throw withServerLog(error, server);
  } finally {
    await server[end]();
  }
}

async function crashAndCheck(store: StoreFlags, settings: StoreSettings) {
  const world = await registerWorld(store);
  // The load floods the endpoints from one address on purpose: limits off, before and after the kill.
  const env = { TRIPOD_RATE_LIMITS: 'off', TRIPOD_SIGN_IN_RATE: '100000' };
  const apps = [world.pinApp, world.readApp, world.xauthApp];
  const record: LoadRecord = { flows: [], accepted: [], received: [] };
  const first = await serveTripod(store, { env });
  await against(first, 'kill', async (server) => {
    // Each flow pairs an app with a person who has not authorized it yet, so each mints a new access token.
    const people = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        signUp(server.url, { username: `crash${i}`, password: `crash-password-${i}` }),
      ),
    );
    const firstToken = { app: world.pinApp, token: await pinFlow(server.url, world.pinApp, world.alice) };
    record.received.push(firstToken);
    const stop = { now: false };
    const running = load(server.url, apps, people, firstToken, stop, record);
    try {
      // Kill once the load is well under way (however busy the machine), at a moment nobody chose.
      for (let waited = 0; record.received.length < 4 || record.accepted.length < 20; waited += 50) {
        assert.ok(waited < 60_000, 'the load made no progress');
        await sleep(50);
      }
      await sleep(Math.floor(Math.random() * 1000));
      await server.kill();
    } finally {
      stop.now = true;
      await running;
    }
  });

  // The same port: a replay must name the URL that was signed.
  const second = await serveTripod(store, { env, port: Number(new URL(first.url).port) });
  await against(second, 'stop', async (server) => {
    // 1. Every access token received before the kill works.
    for (const { app, token } of record.received) {
      const me = await verifyCredentials(server.url, app, token);
      assert.equal(me.status, 200, `access token ${token.token} lost in the crash: ${await me.text()}`);
    }
    // 2. Every accepted request is refused when replayed: its nonce was kept.
    for (const sent of record.accepted) {
      const replay = await fetch(sent.url, { method: sent.method, headers: sent.headers, body: sent.body });
      const body = (await replay.json()) as { oauth_problem?: string };
      assert.equal(replay.status, 401, `a replay of ${sent.method} ${sent.url} was accepted after the crash`);
      assert.equal(body.oauth_problem, 'nonce_used');
    }
    // 3. A flow whose PIN was shown but whose exchange did not answer completes now, once.
    for (const flow of record.flows.filter((f) => f.pin !== undefined && f.accessToken === undefined)) {
      const consumer = consumerFor(server.url, flow.app);
      try {
        const token = await consumer.accessToken(flow.requestToken, flow.pin!);
        assert.equal((await verifyCredentials(server.url, flow.app, token)).status, 200);
      } catch (error) {
        // Only a token exchanged before the kill (its answer lost) may refuse, as used.
        assert.ok(error instanceof OAuthResponseError, String(error));
        assert.equal(error.oauthProblem, 'token_used');
      }
    }
  });
  // 4. No request token is half-transitioned.
  const stores = await openStores(settings);
  try {
    const states = await assertNoHalfTransitions(stores, record.flows);
    return {
      flows: record.flows.length,
      received: record.received.length,
      accepted: record.accepted.length,
      states,
    };
  } finally {
    await stores.close();
  }
}

describe('kill -9 during load, then restart', () => {
  test('SQLite (WAL, synchronous=NORMAL): tokens kept, replays refused, no request token half-transitioned', async (t) => {
    const data = tempDir('tripod-crash-');
    const summary = await crashAndCheck(['--data', data], { dataDir: data });
    t.diagnostic(JSON.stringify(summary));
  });

  test('PostgreSQL: tokens kept, replays refused, no request token half-transitioned', async (t) => {
    const database = await createTestDatabase('crash');
    try {
      const summary = await crashAndCheck(['--database-url', database.url], { databaseUrl: database.url });
      t.diagnostic(JSON.stringify(summary));
    } finally {
      await database.drop();
    }
  });

  test('PostgreSQL with nonces in Redis: the same', async (t) => {
    const database = await createTestDatabase('crash_redis');
    const keyPrefix = uniqueKeyPrefix('crash');
    const flags = ['--database-url', database.url, '--redis-url', REDIS_URL, '--redis-key-prefix', keyPrefix];
    try {
      const summary = await crashAndCheck(flags, {
        databaseUrl: database.url,
        redisUrl: REDIS_URL,
        keyPrefix,
      });
      t.diagnostic(JSON.stringify(summary));
    } finally {
      await database.drop();
      await deleteRedisKeys(keyPrefix);
    }
  });
});

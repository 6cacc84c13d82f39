// Tripod as an operator runs it: its stores (a data directory for SQLite, or a fresh PostgreSQL database
// and a Redis key prefix), an app and a user made with `tripod-server`'s CLI, a real `tripod-server serve`
// process, and an access token obtained through the real PIN flow (request token with the SDK, the
// authorization page signed in and allowed like a person would, the PIN read from the page, the access
// token with the SDK) — all before any clock starts.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { OAuthConsumer } from '../../src/client/pin-flow.ts';
import { signRequest } from '../../src/core/signing.ts';
import { systemClock } from '../../src/provider/clock.ts';
import { Provider } from '../../src/provider/provider.ts';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { openStores, type StoreSettings } from '../../src/stores/open-stores.ts';
import { Browser, elementText, formAction, formFields } from '../../test/server/fixtures/browser.ts';
import { freePort, startPinned, waitUntilAnswering } from './processes.ts';
import type { Credentials } from './signing.ts';

const run = promisify(execFile);
/** This checkout's `tripod-server`; another checkout's is `ROOT/bin/tripod-server.js` (checkouts-side-by-side.ts). */
export const CLI = new URL('../../bin/tripod-server.js', import.meta.url).pathname;

/** Node's flags for the server as `npm start` gives them (package.json; docs/operations.md, "Memory"). */
export const NPM_START_NODE_FLAGS = ['--max-semi-space-size=8'] as const;

/** `npm start`'s Node flags, then `extra` (space-separated flags of a benchmark's own, may be empty). */
export function serverNodeFlags(extra = ''): string[] {
  return [...NPM_START_NODE_FLAGS, ...extra.split(' ').filter(Boolean)];
}

/** Where a Tripod keeps its state: the settings for openStores and the same as command-line flags. */
export interface TripodStoresPlace {
  settings: StoreSettings;
  flags: string[];
  /** The same as TRIPOD_* environment variables (for a host app's openVerifier). */
  env: Record<string, string>;
  /** Deletes what was made for the benchmark (the PostgreSQL database). */
  remove(): Promise<void>;
}

/**
 * The options naming the shared servers a PostgreSQL + Redis Tripod uses, for the scripts' benchArguments,
 * so that every script that takes them has the same defaults (this machine's servers).
 */
export const SHARED_SERVERS_OPTIONS = {
  'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
} as const;

/** `--stores sqlite|postgres-redis` and the shared servers, for the scripts that run Tripod on either. */
export const STORES_OPTIONS = {
  stores: { type: 'string', default: 'sqlite' },
  ...SHARED_SERVERS_OPTIONS,
} as const;

/** The place STORES_OPTIONS' values name: SQLite in `dataDir`, or PostgreSQL + Redis of their own. */
export async function chosenPlace(
  options: { stores: string; 'postgres-url': string; 'redis-url': string },
  dataDir: string,
): Promise<TripodStoresPlace> {
  return options.stores === 'sqlite'
    ? sqlitePlace(dataDir)
    : await postgresRedisPlace(options['postgres-url'], options['redis-url']);
}

export function sqlitePlace(dataDir: string): TripodStoresPlace {
  return {
    settings: { dataDir },
    flags: ['--data', dataDir],
    env: { TRIPOD_DATA: dataDir },
    remove: async () => {},
  };
}

/**
 * A database of its own on the PostgreSQL server of `serverUrl` (postgres://…/postgres), and a key prefix
 * of its own on Redis, so the benchmark never meets anyone else's data on the shared servers.
 */
export async function postgresRedisPlace(serverUrl: string, redisUrl: string): Promise<TripodStoresPlace> {
  const name = `tripod_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${name}`;
  const keyPrefix = `${name}:`;
  return {
    settings: { databaseUrl: databaseUrl.href, redisUrl, keyPrefix },
    flags: ['--database-url', databaseUrl.href, '--redis-url', redisUrl, '--redis-key-prefix', keyPrefix],
    env: {
      TRIPOD_DATABASE_URL: databaseUrl.href,
      TRIPOD_REDIS_URL: redisUrl,
      TRIPOD_REDIS_KEY_PREFIX: keyPrefix,
    },
    remove: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      // And every key under its prefix (nonces, markers, the sign-in rate limits of the PIN flow). A Redis
      // that cannot be reached holds none of them: said, not thrown (ioredis would retry, then crash).
      const redis = new Redis(redisUrl, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      redis.on('error', () => {});
      try {
        await redis.connect();
        for await (const keys of redis.scanStream({ match: `${keyPrefix}*`, count: 1000 })) {
          if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
        }
      } catch (error) {
        console.error(
          `bench: the Redis keys under ${keyPrefix} were not removed: ${(error as Error).message}`,
        );
      } finally {
        redis.disconnect();
      }
    },
  };
}

export interface TripodSetup {
  place: TripodStoresPlace;
  consumerKey: string;
  consumerSecret: string;
  userId: string;
  username: string;
  password: string;
}

/** `tripod-server user add` and `app add` on fresh stores, with the `tripod-server` at `command`. */
export async function setUpTripod(place: TripodStoresPlace, command = CLI): Promise<TripodSetup> {
  const username = 'bench';
  const password = 'bench correct horse battery';
  const cli = (...args: string[]) => run(process.execPath, [command, ...args, ...place.flags]);
  const user = await cli('user', 'add', username, '--password', password);
  const userId = /user_id (\S+)\)/.exec(user.stdout)?.[1];
  if (userId === undefined) throw new Error(`tripod-server user add printed: ${user.stdout}`);
  const app = await cli('app', 'add', '--name', 'Bench', '--json');
  const created = JSON.parse(app.stdout) as { consumer_key: string; consumer_secret: string };
  return {
    place,
    consumerKey: created.consumer_key,
    consumerSecret: created.consumer_secret,
    userId,
    username,
    password,
  };
}

/** The arguments of `tripod-server serve` (the one at `cli`) for this data directory and port. */
export function serveArguments(
  setup: TripodSetup,
  port: number,
  extra: readonly string[] = [],
  cli = CLI,
): string[] {
  // One load generator on one address sends thousands of token requests a second, far past the default
  // limits: the limits stay on (their counting is part of what is measured) with a rate nobody reaches,
  // and the cap on one app's unanswered request tokens is off (each request_token call leaves one: the cap
  // would refuse all but the first thousand, and counting up to a cap never reached costs a scan).
  return [
    cli,
    'serve',
    ...setup.place.flags,
    '--port',
    String(port),
    ...['--token-rate', '1000000', '--max-outstanding-request-tokens', '0'],
    ...extra,
  ];
}

/**
 * Tripod set up on `place` (`setUpTripod`), and an access token made through the PIN flow of a server
 * started for it and stopped again (its output in `logFile`): what every load of a Tripod server needs
 * before its clock starts.
 */
export async function tripodWithAccessToken(
  place: TripodStoresPlace,
  logFile: string,
): Promise<{ setup: TripodSetup; credentials: Credentials }> {
  const setup = await setUpTripod(place);
  const port = await freePort();
  const server = startPinned(process.execPath, serveArguments(setup, port), logFile);
  try {
    await waitUntilAnswering(server, `http://127.0.0.1:${port}/`);
    return { setup, credentials: await accessTokenThroughPinFlow(`http://127.0.0.1:${port}`, setup) };
  } finally {
    await server.stop();
  }
}

/** The PIN flow against a running server, through its pages: returns the access token's credentials. */
export async function accessTokenThroughPinFlow(base: string, setup: TripodSetup): Promise<Credentials> {
  const consumer = new OAuthConsumer({
    consumerKey: setup.consumerKey,
    consumerSecret: setup.consumerSecret,
    endpoints: {
      requestTokenUrl: `${base}/oauth/request_token`,
      authorizeUrl: `${base}/oauth/authorize`,
      accessTokenUrl: `${base}/oauth/access_token`,
    },
  });
  const requestToken = await consumer.requestToken();
  const browser = new Browser();
  const page = await browser.get(consumer.authorizeUrl(requestToken));
  const form = {
    ...formFields(page.text),
    decision: 'allow',
    username: setup.username,
    password: setup.password,
  };
  let answer = await browser.post(`${base}${formAction(page.text) ?? '/oauth/authorize'}`, form);
  // Post-redirect-get: the Allow answers a 303 to the PIN page.
  if (answer.status === 303 && answer.location !== null) {
    answer = await browser.get(new URL(answer.location, base).toString());
  }
  const pin = elementText(answer.text, 'oauth_pin');
  if (pin === null) throw new Error(`the authorization page showed no PIN (status ${answer.status})`);
  const access = await consumer.accessToken(requestToken, pin);
  return {
    consumerKey: setup.consumerKey,
    consumerSecret: setup.consumerSecret,
    token: access.token,
    tokenSecret: access.tokenSecret,
  };
}

export interface AuthorizedRequestToken {
  token: string;
  secret: string;
  verifier: string;
}

/**
 * Request tokens issued and approved through the provider on the server's own stores (SQLite in WAL mode
 * lets two processes share the file), each with its PIN: what `count` access_token exchanges need, made
 * before the clock starts. The running server sees them as if people had approved them on its pages.
 */
export async function authorizedRequestTokens(
  base: string,
  setup: TripodSetup,
  count: number,
): Promise<AuthorizedRequestToken[]> {
  const stores = await openStores(setup.place.settings);
  const random = createRandomSource();
  // As the server runs for the bench (serveArguments): no cap on an app's waiting request tokens, which the
  // request_token scenario has just filled with thousands.
  const provider = new Provider({
    stores,
    clock: systemClock,
    random,
    config: { maxOutstandingRequestTokens: 0 },
  });
  const tokens: AuthorizedRequestToken[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const url = `${base}/oauth/request_token`;
      const signed = signRequest({
        method: 'POST',
        url,
        consumerKey: setup.consumerKey,
        consumerSecret: setup.consumerSecret,
        nonce: Buffer.from(random.bytes(12)).toString('hex'),
        timestamp: Math.floor(Date.now() / 1000),
        extraOAuthParams: [['oauth_callback', 'oob']],
      });
      const issued = await provider.issueRequestToken({
        method: 'POST',
        url,
        headers: { authorization: signed.authorization },
        body: null,
      });
      const approved = await provider.approve(issued.token, setup.userId);
      if (approved.mode !== 'oob') throw new Error('a PIN-only app was given a callback');
      tokens.push({ token: issued.token, secret: issued.secret, verifier: approved.pin });
    }
  } finally {
    await stores.close();
  }
  return tokens;
}

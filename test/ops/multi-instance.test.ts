// Three `tripod-server serve` processes, each with its own --data directory, sharing PostgreSQL and Redis
// (a fresh database and key prefix of this test): a flow begun on one finishes on the others, a nonce
// accepted by one is refused by the others, a revocation made on one — invalidate_token, connected-apps
// revoke, an app disabled by the operator, a regenerated secret — is refused by the others within a
// second, and one instance killed with SIGKILL under load costs nothing to requests that did not go to it.
//
// Revocations hold everywhere at once because no instance caches consumers or tokens: every verification
// reads them from the shared database. A cache (planned for performance) must keep this test passing: it
// would be invalidated through the stores' RevocationBus (Redis pub/sub) and carry a short safety TTL
// (docs/operations.md, "Revocation across instances").

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run, serve, stopServers } from '../e2e/fixtures/tripod-server-process.ts';
import { Browser } from '../server/fixtures/browser.ts';
import { type Credentials, OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { rawRequest } from '../server/fixtures/raw-http.ts';
import {
  createTestDatabase,
  deleteRedisKeys,
  REDIS_URL,
  type TestDatabase,
  uniqueKeyPrefix,
} from '../stores/fixtures/services.ts';
import { submitUntil } from './fixtures/page-forms.ts';
import { pinFlow } from './fixtures/pin-flow.ts';

const ALICE = { username: 'alice', password: 'alice-password' };
const OLGA = { username: 'olga', password: 'olga-password' };
const VERIFY = '/1.1/account/verify_credentials.json';

let database: TestDatabase;
const prefix = uniqueKeyPrefix('multi');
const dirs: string[] = [];
let instances: Awaited<ReturnType<typeof serve>>[];
let sites: string[];
const apps: Record<string, Credentials> = {};

function sharedStores(): string[] {
  return ['--database-url', database.url, '--redis-url', REDIS_URL, '--redis-key-prefix', prefix];
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-instance-'));
  dirs.push(dir);
  return dir;
}

before(async () => {
  database = await createTestDatabase('multi');
  // All three start together on the empty database: one migrates, the others wait for it.
  instances = await Promise.all(
    [1, 2, 3].map(() => serve(['--port', '0', '--data', dataDir(), ...sharedStores()])),
  );
  sites = instances.map((instance) => instance.url);
  await Promise.all([
    ...[ALICE, OLGA].map(async (person) => {
      const args = ['user', 'add', person.username, '--password', person.password, ...sharedStores()];
      const added = await run(person === OLGA ? [...args, '--operator'] : args);
      assert.equal(added.code, 0, added.stderr);
    }),
    ...['Flows', 'Invalidated', 'Connected', 'Disabled', 'Regenerated', 'Load'].map(async (name) => {
      const added = await run([
        'app',
        'add',
        '--name',
        name,
        '--json',
        '--data',
        dataDir(),
        ...sharedStores(),
      ]);
      assert.equal(added.code, 0, added.stderr);
      const app = JSON.parse(added.stdout) as { consumer_key: string; consumer_secret: string };
      apps[name] = { consumerKey: app.consumer_key, consumerSecret: app.consumer_secret };
    }),
  ]);
});
after(async () => {
  stopServers();
  await database?.drop();
  await deleteRedisKeys(prefix);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function verify(site: string, credentials: Credentials) {
  return new OAuthTestClient(site).call({ method: 'GET', url: VERIFY, credentials });
}

/** A PIN flow whose three steps are each on another instance. */
function flowAcross(app: Credentials, browser = new Browser()) {
  const [first, second, third] = sites as [string, string, string];
  return pinFlow({ requestToken: first, authorize: second, accessToken: third }, app, { ...ALICE, browser });
}

/**
 * Asks each other instance again and again until it refuses `credentials`; returns the longest time from
 * `since` (the revocation done) to the sending of a request that was refused. Send times, not answer times:
 * on a loaded machine an answer can take long, which says nothing about when the revocation took hold.
 */
async function refusedElsewhere(credentials: Credentials, since: number): Promise<number> {
  let longest = 0;
  for (const site of sites.slice(1)) {
    for (;;) {
      const sentAt = Date.now();
      if ((await verify(site, credentials)).status === 401) {
        longest = Math.max(longest, sentAt - since);
        break;
      }
      assert.ok(sentAt - since < 5000, `${site} still accepts the revoked credentials`);
    }
  }
  return longest;
}

describe('three instances on one PostgreSQL and Redis', () => {
  test('request_token on the first, the pages on the second, access_token on the third', async () => {
    const access = await flowAcross(apps.Flows!);
    for (const site of sites) {
      const me = await verify(site, access);
      assert.equal(me.status, 200, me.text);
      assert.equal((me.json() as { screen_name: string }).screen_name, 'alice');
    }
  });

  test('a nonce accepted by one instance is refused by the others', async () => {
    const access = await flowAcross(apps.Flows!);
    const signed = new OAuthTestClient(sites[0]!).sign({
      method: 'GET',
      url: VERIFY,
      credentials: access,
      nonce: `shared-${Date.now()}`,
    });
    // Signed for the first instance's URL: the others are sent the same bytes, Host header included.
    const host = new URL(sites[0]!).host;
    const send = (site: string) =>
      rawRequest(
        site,
        `GET ${VERIFY} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${signed.headers.authorization}\r\nConnection: close\r\n\r\n`,
      );
    assert.equal((await send(sites[0]!)).status, 200);
    for (const site of sites.slice(1)) {
      const replay = await send(site);
      assert.equal(replay.status, 401, site);
      assert.equal((JSON.parse(replay.body) as { oauth_problem: string }).oauth_problem, 'nonce_used');
    }
  });

  test('invalidate_token on one instance: refused by the others within a second', async () => {
    const access = await flowAcross(apps.Invalidated!);
    const invalidated = await new OAuthTestClient(sites[0]!).call({
      method: 'POST',
      url: '/oauth/invalidate_token',
      credentials: access,
    });
    assert.equal(invalidated.status, 200, invalidated.text);
    const took = await refusedElsewhere(access, Date.now());
    assert.ok(took < 1000, `refused everywhere after ${took} ms`);
  });

  test('connected apps, revoke on one instance: refused by the others within a second', async () => {
    const browser = new Browser();
    const access = await flowAcross(apps.Connected!, browser);
    const { doneAt } = await submitUntil(browser, sites[0]!, {
      page: '/connected-apps',
      action: `/connected-apps/${encodeURIComponent(apps.Connected!.consumerKey)}/revoke`,
      done: async () => (await verify(sites[0]!, access)).status === 401,
    });
    const took = await refusedElsewhere(access, doneAt);
    assert.ok(took < 1000, `refused everywhere after ${took} ms`);
  });

  test('the operator disables an app on one instance, or regenerates its secret: refused by the others within a second', async () => {
    const operator = new Browser();
    await submitUntil(operator, sites[0]!, {
      page: '/sign-in',
      action: '/sign-in',
      fill: { username: OLGA.username, password: OLGA.password, next: '/operator' },
      done: async () => (await operator.get(`${sites[0]}/operator`)).status === 200,
    });

    const disabled = await flowAcross(apps.Disabled!);
    const key = encodeURIComponent(apps.Disabled!.consumerKey);
    const disabling = await submitUntil(operator, sites[0]!, {
      page: '/operator',
      action: `/operator/apps/${key}`,
      choose: { action: 'disable' },
      done: async () => (await verify(sites[0]!, disabled)).status === 401,
    });
    const tookDisabled = await refusedElsewhere(disabled, disabling.doneAt);
    assert.ok(tookDisabled < 1000, `disabled everywhere after ${tookDisabled} ms`);

    const regenerated = await flowAcross(apps.Regenerated!);
    const appPage = `/apps/${encodeURIComponent(apps.Regenerated!.consumerKey)}`;
    const regenerating = await submitUntil(operator, sites[0]!, {
      page: appPage,
      action: `${appPage}/secret/regenerate`,
      done: async () => (await verify(sites[0]!, regenerated)).status === 401,
    });
    const tookSecret = await refusedElsewhere(regenerated, regenerating.doneAt);
    assert.ok(tookSecret < 1000, `the old secret refused everywhere after ${tookSecret} ms`);
  });

  test('one instance killed with SIGKILL under load: no request to the others fails', async () => {
    const access = await flowAcross(apps.Load!);
    const outcomes = sites.map(() => ({ ok: 0, failed: 0, failedBeforeKill: 0 }));
    let killedAt = Number.POSITIVE_INFINITY;
    let running = true;
    const worker = async (index: number) => {
      const client = new OAuthTestClient(sites[index]!);
      while (running) {
        try {
          const answer = await client.call({ method: 'GET', url: VERIFY, credentials: access });
          if (answer.status === 200) outcomes[index]!.ok++;
          else throw new Error(`status ${answer.status}`);
        } catch {
          outcomes[index]!.failed++;
          if (Date.now() < killedAt) outcomes[index]!.failedBeforeKill++;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
    };
    // Three clients per instance, in flight all the time.
    const workers = [0, 1, 2].flatMap((index) => [worker(index), worker(index), worker(index)]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const victim = instances[0]!.child;
    const exited = new Promise((resolve) => victim.once('exit', resolve));
    killedAt = Date.now();
    victim.kill('SIGKILL');
    await exited;
    const atKill = outcomes.map((o) => o.ok);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    running = false;
    await Promise.all(workers);

    assert.ok(outcomes[0]!.ok > 0 && outcomes[0]!.failed > 0, 'the killed instance served, then failed');
    assert.equal(outcomes[0]!.failedBeforeKill, 0, 'nothing failed before the kill');
    for (const index of [1, 2]) {
      assert.equal(outcomes[index]!.failed, 0, `instance ${index + 1} failed no request`);
      assert.ok(outcomes[index]!.ok > atKill[index]!, `instance ${index + 1} kept serving`);
    }
  });
});

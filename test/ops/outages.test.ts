// When PostgreSQL or Redis goes away under traffic, a real `tripod-server serve` answers 503 with
// Retry-After at once (Tripod's JSON error on the API, an HTML page on pages), /readyz names the service
// that is down, the process stays up, and everything works again by itself when the service is back — no
// restart. The services are private instances of this test (the machine's shared ones are never stopped).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { explainConnectionFailure } from '../../src/cli/tripod/connection-failure.ts';
import { run, serve, stopServers } from '../e2e/fixtures/tripod-server-process.ts';
import { Browser } from '../server/fixtures/browser.ts';
import { type Credentials, OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { sample } from '../server/fixtures/prometheus-text.ts';
import { eventually } from '../stores/fixtures/eventually.ts';
import { pinFlow } from './fixtures/pin-flow.ts';
import { PrivatePostgres, PrivateRedis } from './fixtures/private-services.ts';

const PASSWORD = 'outage-password';
const dataDir = mkdtempSync(join(tmpdir(), 'tripod-outages-'));
let postgres: PrivatePostgres;
let redis: PrivateRedis;
let site: string;
let child: Awaited<ReturnType<typeof serve>>['child'];
let serverStderr: () => string;
let access: Required<Credentials>;
let browser: Browser;
let pendingToken: string;

before(async () => {
  [postgres, redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
  const stores = ['--database-url', postgres.url, '--redis-url', redis.url, '--data', dataDir];
  const user = await run(['user', 'add', 'alice', '--password', PASSWORD, ...stores]);
  assert.equal(user.code, 0, user.stderr);
  const added = await run(['app', 'add', '--name', 'Outage App', '--json', ...stores]);
  assert.equal(added.code, 0, added.stderr);
  const app = JSON.parse(added.stdout) as { consumer_key: string; consumer_secret: string };
  const server = await serve(['--port', '0', ...stores]);
  site = server.url;
  child = server.child;
  serverStderr = server.stderr;
  const credentials = { consumerKey: app.consumer_key, consumerSecret: app.consumer_secret };
  browser = new Browser();
  access = await pinFlow(site, credentials, { username: 'alice', password: PASSWORD, browser });
  pendingToken = (await new OAuthTestClient(site).requestToken(credentials, 'oob')).form().oauth_token!;
});
after(async () => {
  stopServers();
  await Promise.all([redis?.stop(), postgres?.destroy()]);
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  kind: 'api' | 'authorize page' | 'portal page';
  at: number;
  status: number;
  headers: Headers;
  body: string;
}

/** Two clients in a loop until stopped: signed API calls, and the authorize and portal pages. */
class Traffic {
  readonly answers: Answer[] = [];
  readonly failures: { kind: string; error: unknown }[] = [];
  /** When each loop's request in flight was sent. */
  readonly #sent = new Map<Answer['kind'], number>();
  #running = true;
  #loops: Promise<void>[] = [];

  start(): this {
    const client = new OAuthTestClient(site);
    const api = async () => {
      const answer = await client.call({
        method: 'GET',
        url: '/1.1/account/verify_credentials.json',
        credentials: access,
      });
      return { status: answer.status, headers: answer.headers, body: answer.text };
    };
    const page = (path: string) => async () => {
      const answer = await browser.get(`${site}${path}`);
      return { status: answer.status, headers: answer.headers, body: answer.text };
    };
    this.#loops = [
      this.#loop('api', api),
      this.#loop('authorize page', page(`/oauth/authorize?oauth_token=${pendingToken}`)),
      this.#loop('portal page', page('/connected-apps')),
    ];
    return this;
  }

  async #loop(kind: Answer['kind'], call: () => Promise<Omit<Answer, 'kind' | 'at'>>): Promise<void> {
    while (this.#running) {
      const at = Date.now();
      this.#sent.set(kind, at);
      try {
        this.answers.push({ kind, at, ...(await call()) });
      } catch (error) {
        this.failures.push({ kind, error });
      }
      this.#sent.delete(kind);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
  }

  since(at: number, kind: Answer['kind'], status: number): Answer | undefined {
    return this.answers.find((a) => a.at >= at && a.kind === kind && a.status === status);
  }

  /** What a loop saw since `at`, for a failure's message: its statuses, failures, a request still out. */
  seen(at: number, kind: Answer['kind']): string {
    const runs: string[] = [];
    let last = 0;
    let count = 0;
    for (const { status } of this.answers.filter((a) => a.at >= at && a.kind === kind)) {
      if (status !== last && count > 0) runs.push(`${last}×${count}`);
      count = status === last ? count + 1 : 1;
      last = status;
    }
    if (count > 0) runs.push(`${last}×${count}`);
    const sent = this.#sent.get(kind);
    const failures = this.failures.filter((f) => f.kind === kind);
    return [
      `${kind} since then: ${runs.length === 0 ? 'no answer' : runs.join(' then ')}`,
      `${failures.length} failed${failures.length === 0 ? '' : ` (the first: ${explainConnectionFailure(failures[0]!.error, site)})`}`,
      sent === undefined ? 'none in flight' : `one in flight for ${Date.now() - sent} ms`,
      child.exitCode === null
        ? 'the server runs'
        : `the server exited with ${child.exitCode}: ${serverStderr().slice(-400)}`,
    ].join('; ');
  }
}

async function readiness() {
  const answer = await fetch(`${site}/readyz`);
  return { status: answer.status, body: (await answer.json()) as { checks?: Record<string, string> } };
}

async function unavailableCount(service: string): Promise<number> {
  const text = await (await fetch(`${site}/metrics`)).text();
  return sample(text, 'tripod_store_unavailable_total', { service });
}

function assertApiUnavailable(answer: Answer | undefined): void {
  assert.ok(answer, 'a 503 on the API');
  assert.equal(answer.headers.get('retry-after'), '5');
  assert.match(String(answer.headers.get('content-type')), /^application\/json/);
  const body = JSON.parse(answer.body) as {
    errors: { code: number }[];
    oauth_problem: string;
    advice: string;
  };
  assert.equal(body.errors[0]!.code, 130);
  assert.equal(body.oauth_problem, 'temporarily_unavailable');
  assert.match(body.advice, /Try again in 5 seconds/);
}

function assertNothingElse(traffic: Traffic): void {
  assert.deepEqual(traffic.failures, [], 'every request got an answer');
  const statuses = new Set(traffic.answers.map((a) => `${a.kind} ${a.status}`));
  assert.deepEqual(
    [...statuses].filter((s) => !/ (200|503)$/.test(s)),
    [],
    'nothing but success and 503',
  );
  assert.equal(child.exitCode, null, 'the server process is still running');
}

describe('outages under traffic', () => {
  test('Redis gone: signed requests get 503 + Retry-After at once; back by themselves when it returns', async () => {
    const traffic = new Traffic().start();
    try {
      await eventually(async () => traffic.since(0, 'api', 200) ?? null, 'traffic flows');
      const before = await unavailableCount('redis');
      const down = Date.now();
      await redis.stop();
      assertApiUnavailable(
        await eventually(
          async () => traffic.since(down, 'api', 503),
          () => `a 503 (${traffic.seen(down, 'api')})`,
        ),
      );
      assert.deepEqual(await readiness(), {
        status: 503,
        body: { status: 'unavailable', checks: { database: 'up', redis: 'down' } },
      });
      assert.ok((await unavailableCount('redis')) > before, 'the outage is counted in the metrics');

      await redis.start();
      const up = Date.now();
      await eventually(
        async () => traffic.since(up, 'api', 200),
        () => `signed requests succeed again (${traffic.seen(up, 'api')})`,
      );
      assert.equal((await readiness()).status, 200);
    } finally {
      await traffic.stop();
    }
    assertNothingElse(traffic);
  });

  test('PostgreSQL gone: 503 on the API and an HTML page on pages; back by themselves when it returns', async () => {
    const traffic = new Traffic().start();
    try {
      await eventually(async () => traffic.since(0, 'portal page', 200) ?? null, 'traffic flows');
      const down = Date.now();
      await postgres.stop();
      assertApiUnavailable(
        await eventually(
          async () => traffic.since(down, 'api', 503),
          () => `a 503 on the API (${traffic.seen(down, 'api')})`,
        ),
      );
      for (const kind of ['authorize page', 'portal page'] as const) {
        const page = await eventually(
          async () => traffic.since(down, kind, 503),
          () => `a 503 ${kind} (${traffic.seen(down, kind)})`,
        );
        assert.match(String(page.headers.get('content-type')), /^text\/html/, kind);
        assert.equal(page.headers.get('retry-after'), '5', kind);
        assert.match(page.body, /Temporarily unavailable/, kind);
      }
      assert.deepEqual(await readiness(), {
        status: 503,
        body: { status: 'unavailable', checks: { database: 'down', redis: 'up' } },
      });

      await postgres.start();
      const up = Date.now();
      for (const kind of ['api', 'authorize page', 'portal page'] as const) {
        await eventually(
          async () => traffic.since(up, kind, 200),
          () => `${kind} works again (${traffic.seen(up, kind)})`,
        );
      }
      assert.equal((await readiness()).status, 200);
    } finally {
      await traffic.stop();
    }
    assertNothingElse(traffic);
  });
});

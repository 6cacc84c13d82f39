// The probes: /healthz while the process answers, /readyz only while the database and Redis answer (each
// checked on its own, naming the one that is down, without hanging on one that stopped answering), on the
// real SQLite file and the machine's Redis reached through a forwarder the test can cut and stall.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { healthRoutes } from '../../src/server/health-routes.ts';
import { openStores } from '../../src/stores/open-stores.ts';
import type { TripodStores } from '../../src/stores/types.ts';
import { eventually } from '../stores/fixtures/eventually.ts';
import { deleteRedisKeys, uniqueKeyPrefix } from '../stores/fixtures/services.ts';
import { TcpForwarder } from '../stores/fixtures/tcp-forwarder.ts';
import { startTestServer, type TestServer } from './fixtures/test-server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'tripod-health-'));
const prefix = uniqueKeyPrefix('health');
let redis: TcpForwarder;
let stores: TripodStores;
let server: TestServer;

before(async () => {
  redis = await new TcpForwarder({ host: '127.0.0.1', port: 6379 }).start();
  stores = await openStores({
    dataDir,
    redisUrl: `redis://127.0.0.1:${redis.port}`,
    keyPrefix: prefix,
    // Far longer than the probe waits: only the probe's own timeout can answer while Redis is stalled.
    redis: { connectTimeoutMs: 500, commandTimeoutMs: 60_000 },
  });
  server = await startTestServer({ stores });
});
after(async () => {
  await server.close();
  await redis.cut();
  await stores.close();
  await deleteRedisKeys(prefix);
  rmSync(dataDir, { recursive: true, force: true });
});

async function readiness() {
  const response = await fetch(`${server.base}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('health probes', () => {
  test('/healthz answers while the process runs', async () => {
    const response = await fetch(`${server.base}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('/readyz is 200 while the database and Redis both answer', async () => {
    assert.deepEqual(await readiness(), {
      status: 200,
      body: { status: 'ready', checks: { database: 'up', redis: 'up' } },
    });
  });

  test('/readyz is 503 naming Redis when it is gone, and ready again by itself when it is back', async () => {
    await redis.cut();
    try {
      assert.deepEqual(await readiness(), {
        status: 503,
        body: { status: 'unavailable', checks: { database: 'up', redis: 'down' } },
      });
      const health = await fetch(`${server.base}/healthz`);
      assert.equal(health.status, 200, 'the process itself is fine');
    } finally {
      await redis.restore();
    }
    await eventually(async () => ((await readiness()).status === 200 ? true : null), 'ready again');
  });

  test('/readyz does not wait on a Redis that stopped answering: down after its short timeout', async () => {
    redis.stall();
    try {
      const answer = await readiness();
      assert.equal(answer.status, 503);
      assert.deepEqual(answer.body.checks, { database: 'up', redis: 'down' });
    } finally {
      await redis.restore();
    }
    await eventually(async () => ((await readiness()).status === 200 ? true : null), 'ready again');
  });

  test('/readyz is 503 once shutdown has begun, so the balancer stops sending new requests', async () => {
    const app = Fastify();
    await app.register(healthRoutes, {
      services: stores.backingServices,
      timeoutMs: 1000,
      shuttingDown: () => true,
    });
    const answer = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(answer.statusCode, 503);
    assert.deepEqual(answer.json(), { status: 'shutting down' });
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    await app.close();
  });

  test('probes are not logged on every poll', async () => {
    const before = server.logs.length;
    await fetch(`${server.base}/healthz`);
    await readiness();
    assert.equal(server.logs.slice(before).filter((line) => /\/healthz|\/readyz/.test(line)).length, 0);
  });
});

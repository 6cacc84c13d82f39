// Audit webhooks (issue 11) against a real HTTP receiver on this machine that fails the first tries: each
// event arrives signed (checked here as docs/operations.md tells a receiver to), retried with backoff until
// delivered, given up after DELIVERY_ATTEMPTS; the delivery log survives a restart, and two instances
// sharing PostgreSQL send each event once. The sender's rounds are run one by one on a clock the test moves,
// so no test waits for a backoff; the last test runs the real server with its own timer.

import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { auditEventJson } from '../../src/server/audit-trail.ts';
import {
  AuditWebhookSender,
  DELIVERY_ATTEMPTS,
  retryDelayMs,
  SIGNATURE_HEADER,
} from '../../src/server/audit-webhooks.ts';
import { openPostgresStores } from '../../src/stores/postgres/open.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import type { AuditEvent, TripodStores } from '../../src/stores/types.ts';
import { eventually } from '../stores/fixtures/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../stores/fixtures/services.ts';
import { Browser, inputValue } from './fixtures/browser.ts';
import { startTestServer } from './fixtures/test-server.ts';

const SECRET = 'whsec-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'tripod-webhooks-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `webhooks-${++files}.db`);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver that answers 500 to the first `failFirst` requests of each event, then 204. */
async function startReceiver(
  failFirst: number,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const id = String(request.headers['tripod-event-id']);
      const count = (seen.get(id) ?? 0) + 1;
      seen.set(id, count);
      response.statusCode = count <= failFirst ? 500 : 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tripod-events`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What a receiver does (docs/operations.md): recompute the HMAC of "t.body" and compare in constant time. */
function verifySignature(received: Received, secret: string, now: number): boolean {
  const header = String(received.headers[SIGNATURE_HEADER] ?? '');
  const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
  const v1 = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)?.[1];
  if (t === undefined || v1 === undefined) return false;
  if (Math.abs(now / 1000 - Number(t)) > 300) return false; // a replay of an old delivery
  const expected = createHmac('sha256', secret).update(`${t}.${received.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

const event = (at: number, type = 'sign_in.failed'): AuditEvent => ({
  at,
  type,
  userId: 'u1',
  consumerKey: null,
  address: '203.0.113.7',
  detail: { reason: 'wrong_credentials' },
});

function senderOn(stores: TripodStores, urls: string[], clock: { now(): number }) {
  return new AuditWebhookSender({ deliveries: stores.auditDeliveries, urls, secret: SECRET, clock });
}

describe('audit webhooks', () => {
  test('an event failed twice is retried after 1 s and 2 s, then delivered, each try signed and logged', async () => {
    const receiver = await startReceiver(2);
    const stores = await openSqliteStores(freshFile());
    try {
      let now = Date.now();
      const clock = { now: () => now };
      await stores.audit.append(event(now));
      const [stored] = await stores.audit.query({});
      const sender = senderOn(stores, [receiver.url], clock);

      await sender.runOnce();
      assert.equal(receiver.received.length, 1);
      let [logged] = await stores.auditDeliveries.list({ eventId: stored!.id });
      assert.deepEqual(
        [logged!.status, logged!.attempt, logged!.lastStatus, logged!.error, logged!.nextTryAt],
        ['pending', 1, 500, 'HTTP 500', now + retryDelayMs(1)],
      );
      await sender.runOnce();
      assert.equal(receiver.received.length, 1, 'not retried before its time');
      now += retryDelayMs(1);
      await sender.runOnce();
      assert.equal(receiver.received.length, 2);
      now += retryDelayMs(2) - 1;
      await sender.runOnce();
      assert.equal(receiver.received.length, 2, 'the second wait is longer');
      now += 1;
      await sender.runOnce();
      assert.equal(receiver.received.length, 3);
      [logged] = await stores.auditDeliveries.list({ eventId: stored!.id });
      assert.deepEqual(
        [logged!.status, logged!.attempt, logged!.lastStatus, logged!.error],
        ['delivered', 3, 204, null],
      );
      now += 3_600_000;
      await sender.runOnce();
      assert.equal(receiver.received.length, 3, 'delivered once: never sent again');

      for (const [i, received] of receiver.received.entries()) {
        assert.ok(verifySignature(received, SECRET, now - 3_600_000), `attempt ${i + 1} is signed`);
        assert.ok(!verifySignature(received, 'another secret of 16+', now - 3_600_000));
        assert.equal(received.headers['content-type'], 'application/json');
        assert.equal(received.headers['tripod-event-id'], String(stored!.id));
        assert.equal(received.headers['tripod-delivery-attempt'], String(i + 1));
        assert.deepEqual(JSON.parse(received.body), auditEventJson(stored!));
      }
      // A signature over another body does not verify (the receiver must hash the raw body).
      const tampered = { ...receiver.received[0]!, body: receiver.received[0]!.body.replace('u1', 'u2') };
      assert.ok(!verifySignature(tampered, SECRET, now - 3_600_000));
    } finally {
      await stores.close();
      await receiver.close();
    }
  });

  test(`a receiver that never answers is given up after ${DELIVERY_ATTEMPTS} attempts, each error kept`, async () => {
    const gone = await startReceiver(0);
    await gone.close(); // nothing listens on its port any more
    const stores = await openSqliteStores(freshFile());
    try {
      let now = Date.now();
      await stores.audit.append(event(now));
      const sender = senderOn(stores, [gone.url], { now: () => now });
      for (let attempt = 1; attempt <= DELIVERY_ATTEMPTS + 2; attempt++) {
        await sender.runOnce();
        now += retryDelayMs(attempt);
      }
      const [logged] = await stores.auditDeliveries.list({});
      assert.equal(logged!.status, 'failed');
      assert.equal(logged!.attempt, DELIVERY_ATTEMPTS);
      assert.equal(logged!.lastStatus, null);
      assert.match(logged!.error ?? '', /ECONNREFUSED|fetch failed/);
    } finally {
      await stores.close();
    }
  });

  test('stopping the server cuts a send in flight short: it stays pending, to be retried', async () => {
    let arrived = 0;
    const silent = createServer((request) => {
      arrived++;
      request.resume(); // read, never answered
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    const stores = await openSqliteStores(freshFile());
    try {
      await stores.audit.append(event(Date.now()));
      const sender = senderOn(stores, [url], { now: () => Date.now() });
      sender.start();
      await eventually(async () => (arrived > 0 ? true : null), 'the send reached the receiver');
      await sender.stop();
      const [logged] = await stores.auditDeliveries.list({});
      assert.deepEqual([logged!.status, logged!.attempt], ['pending', 1]);
      assert.match(logged!.error ?? '', /shutting down/);
    } finally {
      await stores.close();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('the delivery log survives a restart: a new process resumes the retry where the old one left it', async () => {
    const receiver = await startReceiver(1);
    const file = freshFile();
    let now = Date.now();
    try {
      const first = await openSqliteStores(file);
      await first.audit.append(event(now));
      await senderOn(first, [receiver.url], { now: () => now }).runOnce();
      await first.close();
      assert.equal(receiver.received.length, 1);

      now += retryDelayMs(1);
      const second = await openSqliteStores(file);
      try {
        await senderOn(second, [receiver.url], { now: () => now }).runOnce();
        const log = await second.auditDeliveries.list({});
        assert.deepEqual(
          log.map((d) => [d.status, d.attempt, d.lastStatus]),
          [['delivered', 2, 204]],
        );
        assert.equal(receiver.received.length, 2);
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
    }
  });

  describe('two instances on one PostgreSQL database', () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase('webhooks');
    });
    after(() => database.drop());

    test('send each event to each URL once, though both run their rounds at the same time', async () => {
      const receivers = [await startReceiver(0), await startReceiver(0)];
      const urls = receivers.map((r) => r.url);
      const [a, b] = [await openPostgresStores(database.url), await openPostgresStores(database.url)];
      try {
        const now = Date.now();
        for (let i = 0; i < 30; i++) await a.audit.append(event(now, `test.event_${i}`));
        const clock = { now: () => now };
        const senders = [senderOn(a, urls, clock), senderOn(b, urls, clock)];
        // Rounds of 20: two rounds each cover 30 events on two URLs.
        for (let round = 0; round < 3; round++) await Promise.all(senders.map((s) => s.runOnce()));
        for (const receiver of receivers) {
          const ids = receiver.received.map((r) => r.headers['tripod-event-id']);
          assert.equal(ids.length, 30, 'every event arrived');
          assert.equal(new Set(ids).size, 30, 'none twice');
        }
        const log = await a.auditDeliveries.list({ limit: 1000 });
        assert.equal(log.length, 60);
        assert.ok(log.every((d) => d.status === 'delivered' && d.attempt === 1));
      } finally {
        await Promise.all([a.close(), b.close()]);
        await Promise.all(receivers.map((r) => r.close()));
      }
    });
  });

  test('a running server sends its events: a failed sign-in reaches the receiver, retried once', async () => {
    const receiver = await startReceiver(1);
    const stores = await openSqliteStores(freshFile());
    const server = await startTestServer({
      stores,
      settings: { auditWebhooks: receiver.url, auditWebhookSecret: SECRET },
    });
    try {
      const browser = new Browser();
      const page = await browser.get(`${server.base}/sign-in`);
      await browser.post(`${server.base}/sign-in`, {
        _csrf: inputValue(page.text, '_csrf')!,
        username: 'alice',
        password: 'not the password',
      });
      const delivered = await eventually(async () => {
        const sent = receiver.received.filter((r) => JSON.parse(r.body).type === 'sign_in.failed');
        return sent.length >= 2 ? sent : null;
      }, 'the sign-in failure delivered on its second attempt');
      assert.ok(delivered.every((r) => verifySignature(r, SECRET, Date.now())));
      assert.deepEqual(
        delivered.map((r) => r.headers['tripod-delivery-attempt']),
        ['1', '2'],
      );
      const body = JSON.parse(delivered[1]!.body);
      assert.equal(body.user_id, server.user.id);
      assert.equal(body.address, '127.0.0.1');
      assert.ok(!delivered[1]!.body.includes('not the password'));
    } finally {
      await server.close();
      await stores.close();
      await receiver.close();
    }
  });
});

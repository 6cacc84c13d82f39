// The framework-free verifier that every integration (Fastify, Express, fetch, the protecting proxy,
// /oauth/verify, Tripod's demo API) goes through: identity or a rendered problem, never a secret; the
// public URL built from the configured one or from what was received; stores reduced to four readers.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OAuthRequest, VerificationStores } from '../../src/provider/types.ts';
import { requiredAccessOf, Verifier } from '../../src/provider/verifier.ts';
import { ALICE, APPS, accessTokenFor, createWorld, SITE, type SignInput } from './fixtures/world.ts';

const PATH = '/api/items?page=2';

async function verifierWorld(consumer = APPS.pin, options: { publicUrl?: string } = {}) {
  const w = await createWorld();
  const at = await accessTokenFor(w, consumer);
  const verifier = new Verifier({ stores: w.stores, clock: w.clock, publicUrl: options.publicUrl });
  const call = (overrides: Partial<SignInput> = {}) =>
    w.sign({ method: 'GET', path: PATH, consumer, token: at.token, tokenSecret: at.secret, ...overrides });
  return { w, at, verifier, call };
}

/** The verifier's input for a signed request as a server at `received` would see it. */
function asReceived(request: OAuthRequest, scheme: string, host: string | undefined) {
  const url = new URL(request.url);
  return { ...request, url: { scheme, host, path: `${url.pathname}${url.search}` } };
}

describe('Verifier', () => {
  test('a verified request yields exactly user id, screen name, consumer key and access level', async () => {
    const { at, verifier, call } = await verifierWorld();
    const result = await verifier.verify(call(), { access: 'read' });
    assert.ok(result.ok);
    assert.deepEqual(result.identity, {
      userId: ALICE.id,
      screenName: 'alice',
      consumerKey: APPS.pin.key,
      accessLevel: 'read-write',
    });
    assert.deepEqual(result.headers, { 'x-access-level': 'read-write' });
    const shown = JSON.stringify(result);
    for (const secret of [APPS.pin.secret, at.secret, ALICE.passwordHash]) {
      assert.ok(!shown.includes(secret), `no secret in what the verifier returns (${secret})`);
    }
  });

  test('a refusal is rendered once: status, WWW-Authenticate with the realm, Twitter JSON, no-store', async () => {
    const { verifier, call } = await verifierWorld();
    const result = await verifier.verify(call({ tokenSecret: 'wrong' }), { access: 'read' });
    assert.ok(!result.ok);
    assert.equal(result.status, 401);
    assert.equal(result.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(result.headers['cache-control'], 'no-store');
    assert.match(
      result.headers['www-authenticate'] ?? '',
      /^OAuth realm="Tripod", oauth_problem="signature_invalid"/,
    );
    const body = JSON.parse(result.body);
    assert.deepEqual(body.errors, [{ code: 32, message: 'Could not authenticate you.' }]);
    assert.equal(body.oauth_problem, 'signature_invalid');
    assert.equal(result.problem.code, 32);
  });

  test("a refusal settles after its event-loop turn's I/O, where a busy turn's acceptances settle", async () => {
    // Adapters then write the turn's answers together: a refusal sent alone, mid-turn, cost a third more
    // than an acceptance over real sockets (BENCHMARKS.md).
    const { verifier, call } = await verifierWorld();
    const order: string[] = [];
    setImmediate(() => order.push('end of the turn'));
    const result = await verifier.verify(call({ tokenSecret: 'wrong' }), { access: 'read' });
    order.push('refusal settled');
    assert.ok(!result.ok);
    assert.deepEqual(order, ['end of the turn', 'refusal settled']);
  });

  test("a turn's refusals settle together: their answers are built side by side, then written one after another", async () => {
    // One callback for the turn (src/provider/turn-end.ts): with a setImmediate each, every refusal ran
    // to its write alone, and over loopback the client slept between answers (BENCHMARKS.md).
    const { verifier, call } = await verifierWorld();
    const order: string[] = [];
    const refuse = async (name: string) => {
      const result = await verifier.verify(call({ tokenSecret: 'wrong' }), { access: 'read' });
      order.push(`${name} refused`);
      await null;
      order.push(`${name} answered`);
      return result;
    };
    const results = await Promise.all([refuse('a'), refuse('b')]);
    assert.ok(results.every((result) => !result.ok));
    assert.deepEqual(order, ['a refused', 'b refused', 'a answered', 'b answered']);
  });

  test('a read-only token on a write rule is 403 code 261 and says its level in X-Access-Level', async () => {
    const { verifier, call } = await verifierWorld(APPS.reader);
    const result = await verifier.verify(call({ method: 'POST' }), { access: 'write' });
    assert.ok(!result.ok);
    assert.equal(result.status, 403);
    assert.equal(result.headers['x-access-level'], 'read');
    assert.equal(result.headers['www-authenticate'], undefined, 'a 403 carries no WWW-Authenticate');
    assert.equal(JSON.parse(result.body).errors[0].code, 261);
  });

  test('a replayed request is refused (nonce_used) and the first one verified', async () => {
    const { verifier, call } = await verifierWorld();
    const request = call();
    assert.ok((await verifier.verify(request, { access: 'read' })).ok);
    const replay = await verifier.verify(request, { access: 'read' });
    assert.ok(!replay.ok);
    assert.equal(replay.problem.problem, 'nonce_used');
  });

  test('a replay the nonce store knows at once (knownClaimed) is refused without a claim, and logged', async () => {
    const { w, call } = await verifierWorld();
    const claimed: string[] = [];
    const known = new Set<string>();
    const nonces = {
      claim: async (key: string) => {
        claimed.push(key);
        if (known.has(key)) return false;
        known.add(key);
        return true;
      },
      knownClaimed: (key: string) => known.has(key),
    };
    const events: Record<string, unknown>[] = [];
    const verifier = new Verifier({
      stores: { ...w.stores, nonces },
      clock: w.clock,
      log: (event) => events.push(event),
    });
    const request = call();
    assert.ok((await verifier.verify(request, { access: 'read' })).ok);
    assert.equal(claimed.length, 1);
    const replay = await verifier.verify(request, { access: 'read' });
    assert.ok(!replay.ok);
    assert.equal(replay.problem.problem, 'nonce_used');
    assert.equal(replay.status, 401);
    assert.equal(claimed.length, 1, 'refused before any claim');
    const refused = events.filter((e) => e.event === 'request.refused');
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.problem, 'nonce_used');
    assert.equal(typeof refused[0]!.timestamp, 'number', 'the replayed timestamp, as a claimed replay logs');
    // Not known here: the claim decides, and a fresh request is verified.
    known.clear();
    assert.ok((await verifier.verify(call(), { access: 'read' })).ok);
    assert.equal(claimed.length, 2);
  });

  test('two-legged requests pass only where the rule allows them, with no user', async () => {
    const { w, verifier } = await verifierWorld();
    const twoLegged = () => w.sign({ method: 'GET', path: PATH, consumer: APPS.pin });
    const refused = await verifier.verify(twoLegged(), { access: 'read' });
    assert.ok(!refused.ok);
    assert.equal(refused.problem.problem, 'parameter_absent');
    const allowed = await verifier.verify(twoLegged(), { access: 'read', twoLegged: true });
    assert.ok(allowed.ok);
    assert.deepEqual(allowed.identity, {
      userId: null,
      screenName: null,
      consumerKey: APPS.pin.key,
      accessLevel: 'read-write',
    });
  });

  test('a token whose user no longer exists is 401 code 89 (token_rejected)', async () => {
    const { w, verifier, call } = await verifierWorld();
    await w.stores.users.delete(ALICE.id);
    const result = await verifier.verify(call(), { access: 'read' });
    assert.ok(!result.ok);
    assert.equal(result.status, 401);
    assert.equal(result.problem.problem, 'token_rejected');
    assert.equal(result.problem.code, 89);
  });

  test("a caller's own user reader replaces the verifier's for that call: the user is read once", async () => {
    const { verifier, call } = await verifierWorld();
    const asked: string[] = [];
    const result = await verifier.verify(
      call(),
      { access: 'read' },
      {
        getById: async (id) => {
          asked.push(id);
          return { username: 'alice' };
        },
      },
    );
    assert.ok(result.ok);
    assert.deepEqual(asked, [ALICE.id]);
  });

  test('the public URL is the received scheme and Host, or the configured one plus the path', async () => {
    const { verifier, call } = await verifierWorld();
    const signed = call();
    const site = new URL(SITE);
    assert.ok((await verifier.verify(asReceived(signed, 'https', site.host), { access: 'read' })).ok);
    const wrongScheme = await verifier.verify(asReceived(call(), 'http', site.host), { access: 'read' });
    assert.ok(!wrongScheme.ok, 'the scheme is part of what was signed');

    // Behind a proxy that strips /tripod and terminates TLS: the configured URL wins over what arrives.
    const behind = await verifierWorld(APPS.pin, { publicUrl: 'https://api.example/tripod' });
    const proxied = behind.call({ site: 'https://api.example/tripod' });
    const received = asReceived(proxied, 'http', '127.0.0.1:8080');
    received.url.path = received.url.path.replace('/tripod', '');
    const result = await behind.verifier.verify(received, { access: 'read' });
    assert.ok(result.ok, !result.ok ? result.body : '');
  });

  test('a bad Host or scheme is 400 parameter_rejected, before any store is asked', async () => {
    const asked: string[] = [];
    const lookUp = async (key: string) => {
      asked.push(key);
      return null;
    };
    const stores: VerificationStores = {
      consumers: { get: lookUp },
      accessTokens: { get: lookUp },
      nonces: { claim: async () => true },
      users: { getById: async () => null },
    };
    const verifier = new Verifier({ stores });
    for (const [scheme, host] of [
      ['http', 'evil.example/path'],
      ['http', undefined],
      ['http', 'a b'],
      ['gopher', 'tripod.example'],
    ] as const) {
      const result = await verifier.verify(
        { method: 'GET', url: { scheme, host, path: '/x' }, headers: {} },
        { access: 'read' },
      );
      assert.ok(!result.ok);
      assert.equal(result.status, 400, `${scheme} ${host}`);
      assert.equal(result.problem.problem, 'parameter_rejected');
    }
    assert.deepEqual(asked, []);
  });

  test('the realm is the configured public origin, or the one given in config', async () => {
    const { w } = await verifierWorld();
    const byUrl = new Verifier({ stores: w.stores, publicUrl: 'https://api.example/base' });
    assert.equal(byUrl.config.realm, 'https://api.example');
    const given = new Verifier({
      stores: w.stores,
      publicUrl: 'https://api.example',
      config: { realm: 'Photos' },
    });
    assert.equal(given.config.realm, 'Photos');
  });

  test('a store that fails rejects the verification (an outage is not a client mistake)', async () => {
    const { w, call } = await verifierWorld();
    const failing = new Verifier({
      stores: { ...w.stores, nonces: { claim: async () => Promise.reject(new Error('redis away')) } },
      clock: w.clock,
    });
    await assert.rejects(failing.verify(call(), { access: 'read' }), /redis away/);
  });

  test('a database that fails both lookups rejects once, with no unhandled rejection left behind', async () => {
    // The consumer and token lookups start together and are awaited one after the other: the token's
    // failure must still be handled when the consumer's has already ended the verification.
    const { w, call } = await verifierWorld();
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const down = async () => Promise.reject(new Error('database away'));
      const failing = new Verifier({
        stores: { ...w.stores, consumers: { get: down }, accessTokens: { get: down } },
        clock: w.clock,
      });
      await assert.rejects(failing.verify(call(), { access: 'read' }), /database away/);
      // Unhandled rejections are reported after the microtasks of the turn: give them a turn.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  test('GET, HEAD and OPTIONS need read access; every other method write', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) assert.equal(requiredAccessOf(method), 'read');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'])
      assert.equal(requiredAccessOf(method), 'write');
  });
});

// Secrets at rest (issue 11), proved on the bytes: real flows against the real server on a real SQLite
// file, then the file, its WAL and its shared-memory index are read byte by byte for every consumer
// secret, token secret, PIN and verifier the clients received (as UTF-8, as hex, and as the raw bytes a
// base64url secret decodes to). Without a key the same search finds the secrets, so the search itself
// is shown to work. On PostgreSQL the tables are read raw with `pg`. Rotation: re-sealed under a new
// operator key, the old key removed from the configuration, every token and app still verifies.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { newOperatorKeyLine, type OperatorKey, parseOperatorKeys } from '../../src/stores/operator-keys.ts';
import { openPostgresStores } from '../../src/stores/postgres/open.ts';
import { openSqliteStores } from '../../src/stores/sqlite/open.ts';
import type { TripodStores } from '../../src/stores/types.ts';
import {
  authorizeInBrowser,
  startTestServer,
  type TestServer,
  WEB_CALLBACK,
} from '../server/fixtures/test-server.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/services.ts';

/** What the clients received and the database must not show. */
interface Received {
  kind: 'consumer secret' | 'token secret' | 'PIN' | 'verifier';
  value: string;
}

/** A key line as the key file holds it, with a distinct id. */
function operatorKey(id: string): OperatorKey {
  const line = newOperatorKeyLine().replace(/^[^:]+/, id);
  return parseOperatorKeys(line, 'test')[0] as OperatorKey;
}

const tokenCredentials = (app: TestServer['pinApp'], token: string, tokenSecret: string) => ({
  consumerKey: app.consumerKey,
  consumerSecret: app.consumerSecret,
  token,
  tokenSecret,
});

/**
 * Flows of every kind, leaving every state a secret can be stored in: a PIN flow to the end (and a signed
 * call), a PIN approved but not exchanged, a callback flow approved but not exchanged, a request token
 * only issued. Returns what the clients received, and the access tokens to verify later.
 */
async function runFlows(server: TestServer) {
  const received: Received[] = [server.pinApp, server.webApp, server.readApp].map((app) => ({
    kind: 'consumer secret',
    value: app.consumerSecret,
  }));
  const accessTokens: { token: string; secret: string }[] = [];

  const issue = async (app: TestServer['pinApp'], callback: string) => {
    const answer = await server.client.requestToken(app, callback);
    assert.equal(answer.status, 200, answer.text);
    const { oauth_token: token = '', oauth_token_secret: secret = '' } = answer.form();
    received.push({ kind: 'token secret', value: secret });
    return { token, secret };
  };

  // 1. To the end, twice (two users' worth of tokens is not needed: one app, one user, one live token).
  const done = await issue(server.pinApp, 'oob');
  const shown = await authorizeInBrowser(server.base, done.token);
  assert.ok(shown.pin, shown.html);
  received.push({ kind: 'PIN', value: shown.pin });
  const exchanged = await server.client.accessToken(
    tokenCredentials(server.pinApp, done.token, done.secret),
    shown.pin,
  );
  assert.equal(exchanged.status, 200, exchanged.text);
  const access = exchanged.form();
  received.push({ kind: 'token secret', value: access.oauth_token_secret ?? '' });
  accessTokens.push({ token: access.oauth_token ?? '', secret: access.oauth_token_secret ?? '' });
  await assertVerifies(server, access.oauth_token ?? '', access.oauth_token_secret ?? '');

  // 2. A live PIN, never typed.
  const pending = await issue(server.readApp, 'oob');
  const pendingPin = (await authorizeInBrowser(server.base, pending.token)).pin;
  assert.ok(pendingPin);
  received.push({ kind: 'PIN', value: pendingPin });

  // 3. A live callback verifier, never exchanged.
  const web = await issue(server.webApp, WEB_CALLBACK);
  const redirected = await authorizeInBrowser(server.base, web.token);
  assert.ok(redirected.location?.startsWith(WEB_CALLBACK), String(redirected.location));
  const verifier = new URL(redirected.location ?? '').searchParams.get('oauth_verifier');
  assert.ok(verifier);
  received.push({ kind: 'verifier', value: verifier });

  // 4. Issued only.
  await issue(server.pinApp, 'oob');
  return { received, accessTokens };
}

async function assertVerifies(server: TestServer, token: string, tokenSecret: string) {
  const me = await server.client.call({
    method: 'GET',
    url: '/1.1/account/verify_credentials.json',
    credentials: tokenCredentials(server.pinApp, token, tokenSecret),
  });
  assert.equal(me.status, 200, me.text);
}

/** Each way a value could sit in raw bytes. */
function encodings(value: string): { name: string; bytes: Buffer }[] {
  const utf8 = Buffer.from(value, 'utf8');
  const forms = [
    { name: 'utf8', bytes: utf8 },
    { name: 'hex', bytes: Buffer.from(utf8.toString('hex'), 'utf8') },
  ];
  // A base64url secret could also be stored decoded.
  if (/^[A-Za-z0-9_-]{16,}$/.test(value)) {
    forms.push({ name: 'decoded bytes', bytes: Buffer.from(value, 'base64url') });
  }
  return forms;
}

/** Every place a received value shows in the given bytes. */
function findIn(sources: { name: string; bytes: Buffer }[], received: readonly Received[]): string[] {
  const found: string[] = [];
  for (const { kind, value } of received) {
    for (const form of encodings(value)) {
      for (const source of sources) {
        if (source.bytes.includes(form.bytes))
          found.push(`${kind} ${value} (${form.name}) in ${source.name}`);
      }
    }
  }
  return found;
}

/** The database file, its WAL and its shared-memory index, as they are on disk now. */
function sqliteFiles(file: string): { name: string; bytes: Buffer }[] {
  return ['', '-wal', '-shm']
    .map((suffix) => `${file}${suffix}`)
    .filter((path) => existsSync(path))
    .map((path) => ({ name: path.slice(path.lastIndexOf('/') + 1), bytes: readFileSync(path) }));
}

const dir = mkdtempSync(join(tmpdir(), 'tripod-secrets-'));
let fileCount = 0;
const freshFile = () => join(dir, `tripod-${++fileCount}.db`);

async function withServer<T>(stores: TripodStores, action: (server: TestServer) => Promise<T>): Promise<T> {
  const server = await startTestServer({ stores });
  try {
    return await action(server);
  } finally {
    await server.close();
  }
}

describe('secrets at rest on a SQLite file', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  test('with an operator key, the file, its WAL and -shm hold no secret, PIN or verifier the clients received', async () => {
    const file = freshFile();
    const stores = await openSqliteStores(file, { operatorKeys: [operatorKey('k1')] });
    try {
      assert.equal(stores.secretsAtRest?.encrypted, true);
      const { received } = await withServer(stores, async (server) => {
        const flows = await runFlows(server);
        // Read while the server runs: the WAL holds the newest pages, not yet copied into the file.
        const files = sqliteFiles(file);
        assert.ok((files.find((f) => f.name.endsWith('-wal'))?.bytes.length ?? 0) > 0, 'the WAL is read');
        assert.deepEqual(findIn(files, flows.received), []);
        return flows;
      });
      assert.equal(received.filter((r) => r.kind === 'PIN').length, 2);
      assert.deepEqual(findIn(sqliteFiles(file), received), []);
    } finally {
      await stores.close();
    }
    // After close the WAL is checkpointed into the file: still nothing.
    const table = new Database(file, { readonly: true });
    try {
      const secrets = table.prepare('select secret from consumers').pluck().all() as string[];
      assert.ok(secrets.length === 3 && secrets.every((s) => s.startsWith('enc1.')), secrets.join());
    } finally {
      table.close();
    }
  });

  test('without a key the same search finds the secrets (so it can fail), and PINs and verifiers still only as keyed digests', async () => {
    const file = freshFile();
    const stores = await openSqliteStores(file);
    try {
      assert.equal(stores.secretsAtRest?.encrypted, false);
      await withServer(stores, async (server) => {
        const { received } = await runFlows(server);
        const files = sqliteFiles(file);
        const found = findIn(files, received);
        for (const { kind, value } of received) {
          const shown = found.some((line) => line.startsWith(`${kind} ${value} `));
          assert.equal(shown, kind === 'consumer secret' || kind === 'token secret', `${kind} ${value}`);
        }
      });
    } finally {
      await stores.close();
    }
  });

  test('a sealed secret copied into another row does not open there', async () => {
    const file = freshFile();
    const stores = await openSqliteStores(file, { operatorKeys: [operatorKey('k1')] });
    try {
      await withServer(stores, async (server) => {
        const raw = new Database(file);
        try {
          const sealed = raw
            .prepare('select secret from consumers where key = ?')
            .pluck()
            .get(server.pinApp.consumerKey) as string;
          raw.prepare('update consumers set secret = ? where key = ?').run(sealed, server.webApp.consumerKey);
        } finally {
          raw.close();
        }
        await assert.rejects(stores.consumers.get(server.webApp.consumerKey), {
          name: 'SecretKeyError',
          message: new RegExp(`consumers\\.secret:${server.webApp.consumerKey}`),
        });
        assert.equal(
          (await stores.consumers.get(server.pinApp.consumerKey))?.secret,
          server.pinApp.consumerSecret,
        );
      });
    } finally {
      await stores.close();
    }
  });

  test('clear rows, then keys and rotations: sealed in place, old values gone from the files, the old key removed, everything verifies', async () => {
    const file = freshFile();
    const k1 = operatorKey('k1');
    const k2 = operatorKey('k2');

    // An earlier Tripod, no key: secrets in clear.
    let clear = await openSqliteStores(file);
    const first = await withServer(clear, runFlows);
    await clear.close();

    // The key is given: the clear rows still read (the upgrade path), new ones are sealed.
    let stores = await openSqliteStores(file, { operatorKeys: [k1] });
    await withServer(stores, async (server) => {
      for (const access of first.accessTokens) await assertVerifies(server, access.token, access.secret);
    });
    // Rotation seals the clear rows and leaves nothing of them in the file or the WAL.
    const sealed = await stores.secretsAtRest?.rotate({ batchSize: 2 });
    assert.ok(sealed && sealed.rowsResealed >= 6 && sealed.batches >= 3, JSON.stringify(sealed));
    assert.deepEqual(findIn(sqliteFiles(file), first.received), []);
    await stores.close();
    assert.deepEqual(findIn(sqliteFiles(file), first.received), []);

    // A new key at the end of the file, rotate, then the old key removed; the verifiers' key stays the same.
    const verifierKey = Buffer.from(stores.verifierKey ?? []);
    stores = await openSqliteStores(file, { operatorKeys: [k1, k2] });
    assert.ok(verifierKey.equals(Buffer.from(stores.verifierKey ?? [])));
    const rotated = await stores.secretsAtRest?.rotate();
    assert.equal(rotated?.operatorKey, 'k2');
    assert.ok(rotated && rotated.dataKeysRewrapped >= 2, JSON.stringify(rotated));
    await stores.close();

    stores = await openSqliteStores(file, { operatorKeys: [k2] });
    try {
      await withServer(stores, async (server) => {
        for (const access of first.accessTokens) await assertVerifies(server, access.token, access.secret);
        // Every app still signs (consumer secrets), and a whole new flow works under k2.
        const again = await runFlows(server);
        assert.deepEqual(findIn(sqliteFiles(file), again.received), []);
      });
    } finally {
      await stores.close();
    }
    const raw = new Database(file, { readonly: true });
    try {
      const underK2 = raw.prepare('select wrapped from data_keys').pluck().all() as string[];
      assert.ok(
        underK2.every((w) => w.startsWith('k2.')),
        underK2.join('\n'),
      );
    } finally {
      raw.close();
    }

    // The removed key alone opens nothing, and saying so names the key that is needed.
    await assert.rejects(openSqliteStores(file, { operatorKeys: [k1] }), {
      name: 'SecretKeyError',
      message: /operator key "k2"/,
    });
    await assert.rejects(openSqliteStores(file), { name: 'SecretKeyError', message: /no secret key/ });
    clear = await openSqliteStores(file, { operatorKeys: [k2] });
    await clear.close();
  });

  test('a rotation interrupted after one batch leaves every row readable, and a second run finishes it', async () => {
    const file = freshFile();
    const k1 = operatorKey('k1');
    const k2 = operatorKey('k2');
    let stores = await openSqliteStores(file, { operatorKeys: [k1] });
    const flows = await withServer(stores, runFlows);
    await stores.close();

    stores = await openSqliteStores(file, { operatorKeys: [k1, k2] });
    let batches = 0;
    await assert.rejects(
      stores.secretsAtRest?.rotate({
        batchSize: 1,
        onBatch: () => {
          if (++batches === 1) throw new Error('interrupted');
        },
      }) ?? Promise.reject(new Error('no secretsAtRest')),
      /interrupted/,
    );
    await stores.close();
    const prefixes = () => {
      const raw = new Database(file, { readonly: true });
      try {
        return (
          raw
            .prepare('select secret from consumers union all select secret from access_tokens')
            .pluck()
            .all() as string[]
        ).map((s) => s.split('.')[1]);
      } finally {
        raw.close();
      }
    };
    assert.ok(new Set(prefixes()).size >= 2, 'half re-sealed: two data keys in use');

    stores = await openSqliteStores(file, { operatorKeys: [k1, k2] });
    await withServer(stores, async (server) => {
      for (const access of flows.accessTokens) await assertVerifies(server, access.token, access.secret);
    });
    const finished = await stores.secretsAtRest?.rotate({ batchSize: 1 });
    await stores.close();
    assert.equal(new Set(prefixes()).size, 1);
    assert.equal(prefixes()[0], finished?.dataKey);
  });
});

describe('secrets at rest on PostgreSQL', () => {
  let database: TestDatabase;
  after(async () => {
    await database?.drop();
  });

  test('the tables, read raw with pg, hold no secret, PIN or verifier; rotation to a new key keeps every token verifying', async () => {
    database = await createTestDatabase('secrets');
    const k1 = operatorKey('k1');
    const k2 = operatorKey('k2');
    let stores = await openPostgresStores(database.url, { operatorKeys: [k1], revocationEvents: false });
    const flows = await withServer(stores, runFlows);
    await stores.close();

    const rawTables = async () => {
      const client = new pg.Client(database.url);
      await client.connect();
      try {
        const sources: { name: string; bytes: Buffer }[] = [];
        for (const table of [
          'consumers',
          'request_tokens',
          'access_tokens',
          'sessions',
          'data_keys',
          'audit_events',
        ]) {
          const { rows } = await client.query<{ row: string }>(
            `select row_to_json(t)::text as row from ${table} t`,
          );
          sources.push({ name: table, bytes: Buffer.from(rows.map((r) => r.row).join('\n'), 'utf8') });
        }
        return sources;
      } finally {
        await client.end();
      }
    };
    const tables = await rawTables();
    assert.ok(tables.find((t) => t.name === 'consumers')?.bytes.includes('enc1.'), 'the consumers were read');
    assert.deepEqual(findIn(tables, flows.received), []);

    // Every instance of one database hashes verifiers with the same key: one approves, another exchanges.
    const [one, two] = await Promise.all([
      openPostgresStores(database.url, { operatorKeys: [k1], revocationEvents: false }),
      openPostgresStores(database.url, { operatorKeys: [k1], revocationEvents: false }),
    ]);
    assert.ok(Buffer.from(one.verifierKey ?? []).equals(Buffer.from(two.verifierKey ?? [])));
    await Promise.all([one.close(), two.close()]);

    stores = await openPostgresStores(database.url, { operatorKeys: [k1, k2], revocationEvents: false });
    const rotated = await stores.secretsAtRest?.rotate({ batchSize: 2 });
    assert.equal(rotated?.operatorKey, 'k2');
    await stores.close();

    stores = await openPostgresStores(database.url, { operatorKeys: [k2], revocationEvents: false });
    try {
      await withServer(stores, async (server) => {
        for (const access of flows.accessTokens) await assertVerifies(server, access.token, access.secret);
        await runFlows(server);
      });
    } finally {
      await stores.close();
    }
    assert.deepEqual(findIn(await rawTables(), flows.received), []);
  });
});

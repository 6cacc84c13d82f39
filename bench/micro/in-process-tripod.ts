// The real app (buildApp, its log written to /dev/null) on a fresh SQLite file with the verification cache,
// one user, one app and one access token, driven through Fastify's inject: for measurements of the
// request path in CPU time (request-path.ts), steady on a shared machine where requests per second are not.
// (Memory is measured on the real server, bench/load/soak.ts: here the load's own objects would count.)

import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signRequest } from '../../src/core/signing.ts';
import { createRandomSource } from '../../src/provider/random-source.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { buildApp } from '../../src/server/app.ts';
import { type RawSettings, serverConfig } from '../../src/server/config.ts';
import { registerApp, registerUser } from '../../src/server/registration.ts';
import { openStores } from '../../src/stores/open-stores.ts';

const PATH = '/1.1/account/verify_credentials.json';
const URL_SIGNED = `http://localhost${PATH}`;
/** Requests in flight at once: nonce claims are group-committed as under load. */
const CONCURRENCY = 50;

export async function startInProcessTripod(settings: RawSettings) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tripod-in-process-'));
  const stores = await openStores({ dataDir });
  const clock = { now: () => Date.now() };
  const random = createRandomSource();
  const app = await buildApp({
    config: serverConfig({ port: '0', ...settings }),
    stores,
    clock,
    random,
    logStream: createWriteStream('/dev/null'),
  });
  await app.ready();
  const user = await registerUser(
    stores,
    { username: 'bench', password: 'bench password' },
    { clock, random },
  );
  const consumer: Consumer = await registerApp(stores, { name: 'Bench' }, { clock, random });
  const token = { token: `t-${randomBytes(8).toString('hex')}`, secret: randomBytes(16).toString('hex') };
  await stores.accessTokens.create({
    ...token,
    consumerKey: consumer.key,
    userId: user.id,
    accessLevel: 'read-write',
    createdAt: clock.now(),
    revokedAt: null,
  });

  return {
    consumer,
    /** A signed GET verify_credentials Authorization header (a fresh nonce unless given). */
    header(consumerKey: string, consumerSecret: string, nonce = randomBytes(12).toString('hex')): string {
      return signRequest({
        method: 'GET',
        url: URL_SIGNED,
        consumerKey,
        consumerSecret,
        token: token.token,
        tokenSecret: token.secret,
        nonce,
        timestamp: Math.floor(Date.now() / 1000),
      }).authorization;
    },
    /** Sends every header, CONCURRENCY at a time; throws on an answer other than `expected`. */
    async send(headers: readonly string[], expected: number): Promise<void> {
      for (let i = 0; i < headers.length; i += CONCURRENCY) {
        const answers = await Promise.all(
          headers
            .slice(i, i + CONCURRENCY)
            .map((authorization) =>
              app.inject({ method: 'GET', url: PATH, headers: { host: 'localhost', authorization } }),
            ),
        );
        for (const answer of answers) {
          if (answer.statusCode !== expected) {
            throw new Error(`expected ${expected}, got ${answer.statusCode}: ${answer.body}`);
          }
        }
        // One turn of the event loop per batch, as sockets give a server: inject answers through promises
        // only, and the work Node and Fastify defer to setImmediate (one per request) would otherwise pile
        // up until the whole run ends, holding every request, and be billed to whatever runs next.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async close() {
      await app.close();
      await stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The real `tripod-server` for foreign clients, set up the way an operator does it (test/cli's process
// fixtures: `user add`, `app add --json`, `serve`), on SQLite in a temp directory and with the default
// settings: nothing raised, so what a client gets through here it gets through on any fresh install.
// One person, a PIN-only HMAC app and a PIN-only app with an RSA public key (`app add --rsa-public-key`).

import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addServerApp, runServerCli, type ServerApp, serveTripod, tempDir } from '../cli/tripod-process.ts';
import type { PinFlowTarget } from './pin-client-process.ts';

export interface ServedTripod extends PinFlowTarget {
  user: { id: string; username: string; password: string };
  /** Signs with RSA-SHA1: Tripod holds its public key, the client `rsaPrivateKey` (PKCS#8 PEM). */
  rsaApp: PinFlowTarget['pinApp'];
  rsaPrivateKey: string;
  stop(): Promise<void>;
}

const PERSON = { username: 'alice', password: 'correct horse battery' };

function credentials(app: ServerApp): PinFlowTarget['pinApp'] {
  return { consumerKey: app.consumer_key, consumerSecret: app.consumer_secret };
}

/** Starts `tripod-server serve --port 0 --data DIR` and nothing else. The caller removes temp dirs. */
export async function serveTripodForClients(): Promise<ServedTripod> {
  const data = tempDir('tripod-interop-');
  const store = ['--data', data];
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const publicKeyFile = join(data, 'rsa-public-key.pem');
  writeFileSync(publicKeyFile, keys.publicKey);
  // The first command creates the database; the other two may then run side by side.
  const added = await runServerCli(['user', 'add', PERSON.username, '--password', PERSON.password], store);
  // "Created user alice (user_id 123…)": the id the access token answer and verify_credentials carry.
  const id = /\(user_id (\d+)\)/.exec(added.stdout)?.[1];
  if (added.code !== 0 || id === undefined) throw new Error(`user add failed: ${added.stderr}`);
  const [pinApp, rsaApp] = await Promise.all([
    addServerApp(store, ['--name', 'Foreign PIN client']),
    addServerApp(store, ['--name', 'Foreign RSA client', '--rsa-public-key', publicKeyFile]),
  ]);
  const server = await serveTripod(store);
  return {
    base: server.url,
    pinApp: credentials(pinApp),
    rsaApp: credentials(rsaApp),
    rsaPrivateKey: keys.privateKey,
    user: { id, ...PERSON },
    stop: server.stop,
  };
}

/** The same server as seen by a client of its RSA app: the target, and the options that sign with RSA-SHA1. */
export function asRsaClient(server: ServedTripod) {
  return {
    target: { ...server, pinApp: server.rsaApp },
    options: { signature_method: 'RSA-SHA1', private_key: server.rsaPrivateKey },
  };
}

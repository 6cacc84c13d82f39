// A real Tripod server with the developer portal mounted, for the portal's HTTP tests and the browser
// tests: buildApp over in-memory stores on 127.0.0.1 port 0, one user (alice), one operator (olga).

import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { buildApp } from '../../src/server/app.ts';
import { type RawSettings, serverConfig } from '../../src/server/config.ts';
import { registerUser } from '../../src/server/registration.ts';
import { createMemoryStores } from '../../src/stores/memory.ts';
import type { RejectionLog, TripodStores } from '../../src/stores/types.ts';
import { capturedLogs, MovableClock } from '../server/fixtures/test-server.ts';

export const PASSWORD = 'correct horse battery';

export interface PortalServer {
  base: string;
  app: FastifyInstance;
  stores: TripodStores;
  rejections: RejectionLog;
  clock: MovableClock;
  alice: { id: string; username: string };
  olga: { id: string; username: string };
  logs: string[];
  close(): Promise<void>;
}

export async function startPortalServer(options: { settings?: RawSettings } = {}): Promise<PortalServer> {
  const clock = new MovableClock();
  const random = createRandomSource();
  const stores = createMemoryStores();
  const { logs, logStream } = capturedLogs();
  const config = serverConfig({ port: '0', ...options.settings });
  // The real wiring: buildApp mounts the portal and the rejection recorder itself.
  const app = await buildApp({
    config,
    stores,
    clock,
    random,
    logStream,
  });
  const runtime = { clock, random };
  const alice = await registerUser(stores, { username: 'alice', password: PASSWORD }, runtime);
  const olga = await registerUser(
    stores,
    { username: 'olga', password: PASSWORD, isOperator: true },
    runtime,
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    base,
    app,
    stores,
    rejections: stores.rejections,
    clock,
    alice: { id: alice.id, username: alice.username },
    olga: { id: olga.id, username: olga.username },
    logs,
    async close() {
      await app.close();
      await stores.close();
    },
  };
}

// Probes for load balancers and orchestrators. /healthz: the process answers (restart it if not).
// /readyz: the database and Redis answer, each pinged on its own with a short timeout so a stalled one
// cannot hold the probe, and 503 naming the one that is down (send no traffic here until it is back);
// also 503 once shutdown has begun, so the balancer stops sending new requests while in-flight ones finish.
// Neither says why a service is down (addresses, errors): that goes to the log.

import type { FastifyInstance } from 'fastify';
import type { BackingService } from '../stores/types.ts';
import { withTimeLimit } from './time-limit.ts';

export interface HealthRoutesOptions {
  services: readonly BackingService[];
  /** How long each ping may take before its service counts as down. */
  timeoutMs: number;
  /** Whether shutdown has begun. */
  shuttingDown(): boolean;
}

type Check = 'up' | 'down';

async function check(service: BackingService, timeoutMs: number): Promise<{ state: Check; reason?: string }> {
  try {
    await withTimeLimit(service.ping(), timeoutMs);
    return { state: 'up' };
  } catch (error) {
    return { state: 'down', reason: (error as Error).message };
  }
}

export async function healthRoutes(app: FastifyInstance, options: HealthRoutesOptions): Promise<void> {
  const json = 'application/json; charset=utf-8';

  // Polled every few seconds: only failures are worth a log line.
  app.get('/healthz', { logLevel: 'warn' }, async (_request, reply) =>
    reply.type(json).send({ status: 'ok' }),
  );

  app.get('/readyz', { logLevel: 'warn' }, async (request, reply) => {
    if (options.shuttingDown()) return reply.code(503).type(json).send({ status: 'shutting down' });
    const results = await Promise.all(options.services.map((service) => check(service, options.timeoutMs)));
    const checks: Record<string, Check> = {};
    options.services.forEach((service, i) => {
      checks[service.name] = results[i]!.state;
      if (results[i]!.reason !== undefined) {
        request.log.warn({ service: service.name, reason: results[i]!.reason }, 'not ready');
      }
    });
    const ready = results.every((result) => result.state === 'up');
    return reply
      .code(ready ? 200 : 503)
      .type(json)
      .send({ status: ready ? 'ready' : 'unavailable', checks });
  });
}

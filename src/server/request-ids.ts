// Every request has an id: in each of its log lines (pino's `reqId`, the provider's events included) and
// echoed in the answer's X-Request-Id, so a person who reports a failure can quote it. A trusted proxy's
// X-Request-Id (nginx's $request_id) is kept, so one id follows the request through the proxy's logs and
// ours; from anyone else the header is ignored (it would let a client write into our logs and pose as
// another request). Ids are a random prefix per process and a counter: several instances write to one log
// store without colliding, and making one costs next to nothing.

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { type TrustProxy, trustsPeer } from './proxy-trust.ts';

// UUIDs, nginx's hex ids, AWS's `Root=1-…`, W3C trace ids; nothing that could break a log line or header.
const ACCEPTABLE_REQUEST_ID = /^[\w.:@=+/-]{1,128}$/;

/** Fastify's genReqId: the trusted proxy's id when it sent a sensible one, else a fresh one of ours. */
export function requestIdGenerator(trustProxy: TrustProxy): (request: IncomingMessage) => string {
  const trusted = trustsPeer(trustProxy);
  const prefix = randomBytes(6).toString('base64url');
  let counter = 0;
  return (request) => {
    const incoming = request.headers['x-request-id'];
    if (
      typeof incoming === 'string' &&
      ACCEPTABLE_REQUEST_ID.test(incoming) &&
      trusted(request.socket.remoteAddress)
    ) {
      return incoming;
    }
    counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
    return `${prefix}-${counter.toString(36)}`;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request's access line adds to method, URL and status (a refusal's problem and reasons). */
    accessNotes: Record<string, unknown> | null;
  }
}

// The one request scope of the server (its logger, its access notes, its audit trail): entered once per
// request. Node 24 copies its context on every `run`, a Map per request and scope; the audit trail's
// scope of its own was a second copy on every request (BENCHMARKS.md).
const currentRequests = new AsyncLocalStorage<FastifyRequest>();
/** Marks an app whose requests are scoped already (its own hook or a parent's). */
const SCOPED = 'tripodRequestScope';

/** The request being handled, if any (inside a scoped app's handlers, `scopeRequests`). */
export function currentRequest(): FastifyRequest | undefined {
  return currentRequests.getStore();
}

/**
 * Makes each request of `app` the current one while its handler runs; nothing more where `app` (or the
 * app it belongs to) does so already. preHandler, not onRequest: the body is read from socket events,
 * which would run the handler outside a scope entered before it.
 */
export function scopeRequests(app: FastifyInstance): void {
  if (app.hasDecorator(SCOPED)) return;
  app.decorate(SCOPED, true);
  app.addHook('preHandler', (request, _reply, done) => currentRequests.run(request, done));
}

/** The logger of the request being handled (it carries the request id), if there is one. */
export function currentRequestLog(): FastifyBaseLogger | undefined {
  return currentRequests.getStore()?.log;
}

/**
 * Adds `fields` to the access line of `request` (the one being handled when not given) instead of a line
 * of their own: a refusal is one line, as an acceptance is. False when there is no such request.
 */
export function noteOnAccessLine(
  fields: Record<string, unknown>,
  request: FastifyRequest | undefined = currentRequests.getStore(),
): boolean {
  // Undecorated: Tripod mounted in another app (tripod/server), whose access line is its own.
  if (request === undefined || !('accessNotes' in request)) return false;
  request.accessNotes = request.accessNotes === null ? fields : { ...request.accessNotes, ...fields };
  return true;
}

/** Echoes the id in every answer and makes the request current (its logger, its notes) while its handler runs. */
export function tagRequests(app: FastifyInstance): void {
  app.decorateRequest('accessNotes', null);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  scopeRequests(app);
}

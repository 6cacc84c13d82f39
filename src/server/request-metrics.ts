// Requests and refusals into the metrics: each route gets its own onResponse hook holding its recorder
// (attached as the route is declared, so a request finds its labels without any lookup by path), the
// not-found handler counts the requests no route matched, and every error a route raises is counted by
// the oauth_problem it is answered with.

import type { FastifyInstance, onResponseHookHandler, preHandlerHookHandler } from 'fastify';
import { problemOf } from './error-responses.ts';
import { type TripodMetrics, UNMATCHED_ENDPOINT } from './metrics.ts';

/** Call before any route is declared: routes declared earlier are not counted. */
export function countRequests(app: FastifyInstance, metrics: TripodMetrics): void {
  app.addHook('onRoute', (route) => {
    const record = metrics.endpoint(route.url ?? route.path);
    const counted: onResponseHookHandler = (request, reply, done) => {
      record(request.method, reply.statusCode, reply.elapsedTime);
      done();
    };
    // A new array: Fastify copies a GET route's options for its HEAD route, which gets its own hook.
    route.onResponse = [...[route.onResponse ?? []].flat(), counted];
  });
  app.addHook('onError', (request, _reply, error, done) => {
    const problem = problemOf(error);
    if (problem) metrics.problem(request.routeOptions.url ?? UNMATCHED_ENDPOINT, problem.problem);
    done();
  });
}

/** The not-found handler's preHandler: requests no route matched, under one label (all answered 404; their
 * durations are of no interest). */
export function countUnmatched(metrics: TripodMetrics): preHandlerHookHandler {
  const record = metrics.endpoint(UNMATCHED_ENDPOINT);
  return (request, _reply, done) => {
    record(request.method, 404, null);
    done();
  };
}

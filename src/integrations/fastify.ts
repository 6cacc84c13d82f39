// `tripod/fastify`: a Fastify plugin that verifies Tripod-signed requests on another application's routes,
// packaged with fastify-plugin and configured per route the way @fastify/rate-limit is: a global default
// when registered, `config: { oauth: { access, twoLegged } }` on a route, `config: { oauth: false }` to opt
// out. It takes over none of the host's content-type parsers: a preParsing tee keeps the body's bytes as
// the host's own parser reads them, and verification runs in preValidation, before the host's schema
// validation and handler. A verified request carries `request.oauth` (user id, screen name, consumer key,
// access level — never a secret); a refused one gets Tripod's problem (status, WWW-Authenticate, JSON).

import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  onRouteHookHandler,
  preParsingHookHandler,
} from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { RequiredAccess } from '../provider/types.ts';
import { type AccessRule, type Identity, requiredAccessOf, type Verifier } from '../provider/verifier.ts';
import { keptBody, type RawBody, teeRawBody } from './raw-body-tee.ts';

export type { Identity } from '../provider/verifier.ts';
export { Verifier } from '../provider/verifier.ts';
export { OpenedVerifier, type OpenVerifierOptions, openVerifier } from './open-verifier.ts';

/** A route's needs; `access` defaults to the method's (GET, HEAD, OPTIONS read; others write). */
export interface OAuthRouteOptions {
  access?: RequiredAccess;
  twoLegged?: boolean;
}

export interface TripodFastifyOptions extends OAuthRouteOptions {
  verifier: Verifier;
  /** Verify every route registered after the plugin (default true); false: only routes with config.oauth. */
  global?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs of a signed request, or false to leave it unprotected. */
    oauth?: OAuthRouteOptions | false;
  }
  interface FastifyRequest {
    /** Who signed the request, on a protected route once verified; null elsewhere. */
    oauth: Identity | null;
  }
}

// Per request, the body bytes the tee kept (a WeakMap: nothing is added to the host's request objects).
const rawBodies = new WeakMap<FastifyRequest, RawBody>();

const keepRawBody: preParsingHookHandler = async (request, _reply, payload) => {
  const kept: RawBody = { chunks: [], length: 0, overflowed: false };
  rawBodies.set(request, kept);
  return teeRawBody(payload, kept, request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY);
};

function prepend<T>(existing: T | T[] | undefined, hook: T): T[] {
  if (existing === undefined) return [hook];
  return Array.isArray(existing) ? [hook, ...existing] : [hook, existing];
}

const tripodOAuth: FastifyPluginAsync<TripodFastifyOptions> = async (app, options) => {
  const { verifier } = options;
  if (!verifier || typeof verifier.verify !== 'function') {
    throw new Error('tripod/fastify needs { verifier }: openVerifier(…) or new Verifier({ stores })');
  }
  const global = options.global ?? true;
  app.decorateRequest('oauth', null);

  const protect = (rule: OAuthRouteOptions) =>
    async function verifyOAuth(request: FastifyRequest, reply: FastifyReply) {
      const access: AccessRule = {
        access: rule.access ?? requiredAccessOf(request.method),
        twoLegged: rule.twoLegged === true,
      };
      const verification = await verifier.verify(
        {
          method: request.method,
          url: { scheme: request.protocol, host: request.host, path: request.url },
          headers: request.headers,
          body: keptBody(rawBodies.get(request)),
        },
        access,
      );
      if (!verification.ok) {
        return reply.code(verification.status).headers(verification.headers).send(verification.body);
      }
      reply.headers(verification.headers);
      request.oauth = verification.identity;
    };

  const onRoute: onRouteHookHandler = (route) => {
    const own = route.config?.oauth;
    if (own === false || (own === undefined && !global)) return;
    if (own !== undefined && (typeof own !== 'object' || own === null)) {
      throw new Error(`config.oauth of ${route.method} ${route.url} must be an object or false`);
    }
    const rule: OAuthRouteOptions = {
      access: own?.access ?? options.access,
      twoLegged: own?.twoLegged ?? options.twoLegged,
    };
    if (rule.access !== undefined && rule.access !== 'read' && rule.access !== 'write') {
      throw new Error(`config.oauth.access of ${route.method} ${route.url} must be 'read' or 'write'`);
    }
    // First among the route's own hooks: the bytes as received, and no handler work before verification.
    route.preParsing = prepend(route.preParsing, keepRawBody);
    route.preValidation = prepend(route.preValidation, protect(rule));
  };
  app.addHook('onRoute', onRoute);
};

/** The plugin: `app.register(tripodOAuth, { verifier })`, before the routes it protects. */
export const tripodFastify = fastifyPlugin(tripodOAuth, { fastify: '5.x', name: 'tripod-oauth' });
export default tripodFastify;

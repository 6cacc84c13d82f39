// The Fastify application: the provider's HTTP binding (protocol endpoints, demo API, /oauth/verify and
// the protecting proxy) and the people-facing pages, with security headers, cookies, logging and one error
// vocabulary. `buildApp` makes the whole server (connections, deadlines, logging) and what an operator
// needs around it (request ids, health probes, Prometheus metrics); `tripodServer` is the same endpoints
// and pages as a plugin that another Fastify app mounts under a prefix (`tripod/server`).

import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:http';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { DestinationStream } from 'pino';
import { systemClock } from '../provider/clock.ts';
import { Provider } from '../provider/index.ts';
import { createRandomSource } from '../provider/random-source.ts';
import type { Clock, RandomSource } from '../provider/types.ts';
import { Verifier } from '../provider/verifier.ts';
import type { TripodStores } from '../stores/types.ts';
import { AuditTrail, auditProviderEvent, recordAuditTrail } from './audit-trail.ts';
import { sendAuditWebhooks } from './audit-webhooks.ts';
import { type BrowserSide, createBrowserSide } from './browser-side.ts';
import { isPublicHttps, providerConfigOf, type ServerConfig } from './config.ts';
import { countDaily } from './daily-counter.ts';
import {
  answerClientError,
  answerNodeLevelRequests,
  hostHeaderRequired,
  notFoundProblem,
  protocolErrorHandler,
  sendProblem,
} from './error-responses.ts';
import { closeConnectionsOnShutdown } from './graceful-shutdown.ts';
import { healthRoutes } from './health-routes.ts';
import { AccessLog, loggerOptions } from './logger-options.ts';
import { TripodMetrics } from './metrics.ts';
import { metricsRoute } from './metrics-endpoint.ts';
import { oauthEndpoints } from './oauth-endpoints.ts';
import { toOAuthRequest } from './oauth-request.ts';
import { notFound as notFoundPage } from './page-errors.ts';
import { pages } from './pages.ts';
import { decoyPasswordHash, verifyPassword } from './passwords.ts';
import { recordRejections } from './portal/rejection-recorder.ts';
import { ProtocolLimiter, RateLimits } from './rate-limits.ts';
import { currentRequestLog, noteOnAccessLine, requestIdGenerator, tagRequests } from './request-ids.ts';
import { countRequests, countUnmatched } from './request-metrics.ts';
import { securityHeaders } from './security-headers.ts';
import { timedStores } from './store-metrics.ts';
import { verifyEndpoint } from './verify-endpoint.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Deletes expired nonces, request tokens, sessions, their stashes, reset links and rate-limit windows now (and on a timer). */
    pruneExpired(): Promise<{
      nonces: number;
      requestTokens: number;
      requestTokenTombstones: number;
      sessions: number;
      sessionStashes: number;
      passwordResets: number;
      rateLimits: number;
    }>;
    /** This server's metrics (the CLI serves them on --metrics-port when the operator asks). */
    metrics: TripodMetrics;
  }
}

/** Tripod's endpoints and pages: what they run on. */
export interface TripodServerOptions {
  config: ServerConfig;
  /** Every store, browser sessions and the debugger's entries included (the caller opens and closes it). */
  stores: TripodStores;
  clock?: Clock;
  random?: RandomSource;
  /** Mounted into another app: the path prefix Tripod's endpoints and pages are served under. */
  prefix?: string;
  /** Where provider events are also counted (buildApp's metrics); a mounted Tripod counts none. */
  metrics?: TripodMetrics;
}

export interface BuildAppOptions extends Omit<TripodServerOptions, 'prefix'> {
  /** A pino destination stream for the logs (tests capture them); default stdout. */
  logStream?: DestinationStream;
}

// A readiness probe must answer well within a balancer's own probe timeout (often 1–5 s).
const READINESS_PING_TIMEOUT_MS = 1000;

/**
 * Tripod's answer to what went wrong outside a route that answers for itself (an unknown path, a malformed
 * URL, an error of a root route): Tripod's JSON, or, for a person's browser outside the protocol's and the
 * API's paths, a page in their language.
 */
function errorAnswers(side: BrowserSide, config: ServerConfig) {
  const protocolError = protocolErrorHandler(config);
  return {
    notFound: (request: FastifyRequest, reply: FastifyReply) =>
      side.wantsPage(request)
        ? side.errorPage(notFoundPage(), request, reply)
        : sendProblem(reply, notFoundProblem(), config),
    error: (error: unknown, request: FastifyRequest, reply: FastifyReply) =>
      side.wantsPage(request, error)
        ? // Should the page itself fail, the answer is still one (a framework error never hangs).
          side.errorPage(error, request, reply).catch(() => protocolError(error, request, reply))
        : protocolError(error, request, reply),
  };
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const metrics = new TripodMetrics({ nonceStoreSize: () => options.stores.nonces.size(clock.now()) });
  const stores = timedStores(options.stores, metrics);
  const random = options.random ?? createRandomSource();
  const answers = errorAnswers(createBrowserSide({ stores, clock, random, config }), config);
  // Proxies are named by address (config.ts): Fastify believes their X-Forwarded-* and X-Request-Id.
  const trustProxy =
    config.trustProxy !== null && config.trustProxy.length > 0 ? [...config.trustProxy] : false;

  // Slow clients are cut off (408) rather than left holding connections: the whole request, its headers
  // (also a new connection's silence) and an idle keep-alive connection each have a deadline, checked
  // often enough for the shortest of them to hold within a quarter of itself.
  const headersTimeout = config.headersTimeoutSeconds * 1000;
  const connectionDeadlines = {
    headersTimeout,
    connectionsCheckingInterval: Math.min(1000, headersTimeout / 4),
    // Node would answer a missing Host with a bare 400 of its own; hostHeaderRequired answers in Tripod's.
    requireHostHeader: false,
  };
  const fastifyOptions: FastifyServerOptions & { http?: ServerOptions; https?: HttpsServerOptions } = {
    logger: loggerOptions(config.logLevel, options.logStream),
    // One access line per request, when it is answered, as nginx and gunicorn write theirs.
    logController: new AccessLog(),
    trustProxy,
    genReqId: requestIdGenerator(trustProxy),
    // Requests arriving on an open connection while shutting down are answered (with Connection: close)
    // rather than given Fastify's own 503 body; the balancer already sees /readyz fail.
    return503OnClosing: false,
    bodyLimit: 1024 * 1024,
    requestTimeout: config.requestTimeoutSeconds * 1000,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    http: connectionDeadlines,
    // Malformed HTTP and URLs Fastify cannot route are answered in Tripod's error shape, not Fastify's.
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) => answers.error(error, request, reply),
  };
  if (config.tls) {
    fastifyOptions.https = {
      ...connectionDeadlines,
      cert: readFileSync(config.tls.certFile),
      key: readFileSync(config.tls.keyFile),
    };
  }
  const app = Fastify(fastifyOptions) as unknown as FastifyInstance;
  app.server.maxConnections = config.maxConnections;
  answerNodeLevelRequests(app.server);
  app.addHook('onRequest', hostHeaderRequired);
  app.server.on('drop', () => app.log.debug('connection refused: --max-connections reached'));
  // RFC 5849 §3.5.2 and §3.4.1.3.1 let a form body carry (and sign) OAuth parameters on any method, and
  // PECL OAuth's OAUTH_AUTH_TYPE_FORM sends them that way on GET; Fastify reads no GET or HEAD body unless
  // told to. Bodies are then read by the same parsers, with the same limits, as on POST.
  for (const method of ['GET', 'HEAD']) app.addHttpMethod(method, { hasBody: true, overrideExisting: true });
  app.decorate('metrics', metrics);
  tagRequests(app);
  countRequests(app, metrics);
  const shuttingDown = closeConnectionsOnShutdown(app);

  // Whatever else goes wrong is answered as errorAnswers says, never with a stack trace. Set before any
  // route: a route keeps the error handler in force when it is added; the pages' context sets its own.
  app.setNotFoundHandler({ preHandler: countUnmatched(metrics) }, answers.notFound);
  app.setErrorHandler(answers.error);
  await app.register(tripodServer, { ...options, clock, random, stores, metrics });
  await app.register(healthRoutes, {
    services: stores.backingServices,
    timeoutMs: READINESS_PING_TIMEOUT_MS,
    shuttingDown,
  });
  if (config.metricsPort === null) metricsRoute(app, metrics);
  return app;
}

/**
 * A refusal event as fields of its access line, flat: `refused` names the endpoint, the reasons are one
 * comma-separated string, and what the error handler puts on the line anyway (problem, status, code) is
 * left out. Nested objects and arrays cost pino a JSON serialization of their own on every refusal line.
 */
function refusalFields(event: { event: string } & Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = { refused: event.endpoint ?? true };
  for (const name in event) {
    if (
      name === 'event' ||
      name === 'endpoint' ||
      name === 'problem' ||
      name === 'status' ||
      name === 'code'
    ) {
      continue;
    }
    const value = event[name];
    fields[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return fields;
}

/**
 * Tripod's endpoints and pages as a Fastify plugin (`tripod/server`): `app.register(tripodServer, { config,
 * stores, prefix: '/auth' })` serves them under /auth of another app, in their own encapsulated context
 * (their body parsers, error handler and security headers touch none of the host's routes). The host's
 * trust-proxy setting decides the received scheme and host; `config.publicUrl` (without the prefix)
 * overrides them as in the standalone server. Decorates the host with `pruneExpired`.
 */
export const tripodServer = fastifyPlugin<TripodServerOptions>(
  async (host, options) => {
    const { config, stores } = options;
    const clock = options.clock ?? systemClock;
    const random = options.random ?? createRandomSource();
    // In the request's log when there is one, so the event carries its request id.
    const log = (event: { event: string }) => {
      // A refusal's reasons go on its request's access line (the one line a refusal gets); the same
      // problem's summary, noted there by the error handler, then adds nothing new.
      if (event.event !== 'request.refused' || !noteOnAccessLine(refusalFields(event))) {
        (currentRequestLog() ?? host.log).info(event, event.event);
      }
      options.metrics?.providerEvent(event as Parameters<TripodMetrics['providerEvent']>[0]);
      auditProviderEvent(event);
    };
    // Security events go to the audit trail (and from there to the operator's webhooks, if any).
    const trail = new AuditTrail({
      log: stores.audit,
      consumers: stores.consumers,
      clock,
      warn: (error, dropped) => host.log.warn({ err: error, dropped }, 'could not write to the audit trail'),
    });
    recordAuditTrail(host, trail);
    sendAuditWebhooks(host, { config, stores, clock });
    const provider = new Provider({
      stores,
      clock,
      random,
      config: providerConfigOf(config),
      log,
      // xAuth passwords are checked with the same KDF as the sign-in form.
      verifyPassword: (passwordHash, password) => verifyPassword(passwordHash, password),
      dummyPasswordHash: await decoyPasswordHash(),
    });
    // Every limit of the protocol, counted in the shared store (sign-in ones are the browser side's).
    const limiter = new ProtocolLimiter(
      new RateLimits({ store: stores.rateLimits, clock, enabled: config.rateLimits === 'on' }),
      {
        perMinute: config.tokenRequestsPerMinute,
        signInPerMinute: config.signInAttemptsPerMinute,
        protectedPerWindow: config.rateLimitProtected,
      },
    );
    // Protected resources (the demo API, /oauth/verify, the proxy) are verified by the same verifier an
    // integrator's middleware uses.
    const verifier = new Verifier({
      stores,
      clock,
      config: providerConfigOf(config),
      log,
      limit: limiter.countsProtectedResources ? (signer) => limiter.protectedResource(signer) : undefined,
    });
    const routes = { ...options, clock, random, provider, verifier, limiter };
    await host.register(tripodRoutes, { ...routes, prefix: options.prefix });
    // Every --protect PREFIX=UPSTREAM: verified, then forwarded. A context of its own, beside the pages':
    // the upstream's answers come back without the pages' security headers and no-store.
    if (config.protect && config.protect.length > 0) {
      // Loaded only when an API is protected: the proxy's HTTP client is a good part of an idle server's memory.
      const { protectingProxy } = await import('./protecting-proxy.ts');
      for (const rule of config.protect) {
        await host.register(protectingProxy, { rule, verifier, config, prefix: options.prefix });
      }
    }

    // Expired state is deleted on a timer so the nonce, request token, session and rate-limit tables stay
    // bounded (where Redis keeps nonces and rate limits, it expires them itself).
    host.decorate('pruneExpired', async () => {
      const now = clock.now();
      const [pruned, sessions, sessionStashes, passwordResets, rateLimits] = await Promise.all([
        provider.pruneExpired(),
        stores.sessions.deleteExpired(now),
        // A PIN kept for the PIN page goes when it expires, even if the page is never opened again.
        stores.sessions.deleteExpiredStashes(now),
        stores.passwordResets.deleteExpired(now),
        stores.rateLimits.deleteExpired(now),
      ]);
      return { ...pruned, sessions, sessionStashes, passwordResets, rateLimits };
    });
    let pruneTimer: NodeJS.Timeout | undefined;
    host.addHook('onReady', async () => {
      pruneTimer = setInterval(() => {
        host.pruneExpired().then(
          (counts) => host.log.debug(counts, 'pruned expired state'),
          (error: unknown) => host.log.warn({ err: error }, 'pruning expired state failed'),
        );
      }, config.pruneIntervalSeconds * 1000);
      pruneTimer.unref();
    });
    host.addHook('onClose', async () => clearInterval(pruneTimer));
  },
  { name: 'tripod-server', fastify: '5.x' },
);

interface TripodRoutesOptions extends TripodServerOptions {
  clock: Clock;
  random: RandomSource;
  provider: Provider;
  verifier: Verifier;
  limiter: ProtocolLimiter;
}

async function tripodRoutes(app: FastifyInstance, options: TripodRoutesOptions): Promise<void> {
  const { config, stores, clock, random, provider, verifier, limiter } = options;
  const secureCookies = isPublicHttps(config);
  // Links and cookies carry the public URL's path prefix and, when mounted, the mount prefix.
  const side = createBrowserSide({ stores, clock, random, config, prefix: app.prefix });
  const answers = errorAnswers(side, config);
  app.setErrorHandler(answers.error);
  // Mounted under a prefix, unknown paths below it are Tripod's to answer (the standalone app's root one
  // is set by buildApp).
  if (app.prefix !== '') app.setNotFoundHandler(answers.notFound);
  // Security headers (built once): helmet's set on pages, an API's on everything else. Token endpoints, API
  // answers and pages carrying request tokens or PINs must not be cached anywhere.
  const headers = securityHeaders(secureCookies);
  // Assets, and apps' icons (versioned URLs with an ETag), may be cached; nothing else.
  const cacheable = [`${app.prefix}/static/`, `${app.prefix}/icons/`];
  const favicon = `${app.prefix}/favicon.ico`;
  app.addHook('onSend', (request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    reply.headers(typeof type === 'string' && type.startsWith('text/html') ? headers.page : headers.other);
    if (!cacheable.some((prefix) => request.url.startsWith(prefix)) && request.url !== favicon) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });

  // Browsers ask for it on every page; an empty answer keeps 404s out of the log.
  app.get('/favicon.ico', async (_request, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  );

  // The protocol endpoints, with their refused requests recorded for the app's signature debugger.
  await app.register(async (protocol) => {
    recordRejections(protocol, {
      rejections: stores.rejections,
      consumers: stores.consumers,
      clock,
      toOAuthRequest: (request) => toOAuthRequest(request, config),
    });
    // And counted per day for the operator's charts.
    countDaily(protocol, { counts: stores.dailyCounts, clock });
    await protocol.register(oauthEndpoints, { provider, verifier, limiter, stores, config, clock });
  });
  // A proxy's sub-request names another URL than its own: nothing for the signature debugger to show.
  await app.register(verifyEndpoint, { verifier, config });
  // The people-facing pages: consent, PIN, accounts and the developer portal, on one sign-in session.
  await app.register(pages, { config, side, provider, stores, clock, random });
}

// The Fastify application: the provider's HTTP binding (protocol endpoints, demo API) and the
// people-facing pages, with security headers, cookies, logging and one error vocabulary.

import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:http';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { systemClock } from '../provider/clock.ts';
import { Provider } from '../provider/index.ts';
import { createRandomSource } from '../provider/random-source.ts';
import type { Clock, RandomSource } from '../provider/types.ts';
import type { TripodStores } from '../stores/types.ts';
import { authorizationPages } from './authorization-pages.ts';
import { createBrowserSessions } from './browser-sessions.ts';
import { isPublicHttps, providerConfigOf, type ServerConfig } from './config.ts';
import {
  answerClientError,
  answerNodeLevelRequests,
  hostHeaderRequired,
  notFoundProblem,
  protocolErrorHandler,
  sendProblem,
} from './error-responses.ts';
import { loggerOptions } from './logger-options.ts';
import { oauthEndpoints } from './oauth-endpoints.ts';
import { publicBasePath, toOAuthRequest } from './oauth-request.ts';
import { decoyPasswordHash, verifyPassword } from './passwords.ts';
import { portalRoutes } from './portal/portal-routes.ts';
import { recordRejections } from './portal/rejection-recorder.ts';
import { createPageRenderer } from './views.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Deletes expired nonces, request tokens, sessions and rate-limit windows now (and on a timer). */
    pruneExpired(): Promise<{ nonces: number; requestTokens: number; sessions: number; rateLimits: number }>;
  }
}

export interface BuildAppOptions {
  config: ServerConfig;
  /** Every store, browser sessions and the debugger's entries included (the caller opens and closes it). */
  stores: TripodStores;
  clock?: Clock;
  random?: RandomSource;
  /** A pino destination stream for the logs (tests capture them); default stdout. */
  logStream?: NodeJS.WritableStream;
}

const STYLESHEET = readFileSync(new URL('./static/tripod.css', import.meta.url), 'utf8');

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, stores } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? createRandomSource();
  const basePath = publicBasePath(config);
  const secureCookies = isPublicHttps(config);

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
  const answerError = protocolErrorHandler(config);
  const fastifyOptions: FastifyServerOptions & { http?: ServerOptions; https?: HttpsServerOptions } = {
    logger: loggerOptions(config.logLevel, options.logStream),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestTimeout: config.requestTimeoutSeconds * 1000,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    http: connectionDeadlines,
    // Malformed HTTP and URLs Fastify cannot route are answered in Tripod's error shape, not Fastify's.
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) => answerError(error, request, reply),
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

  // Whatever else goes wrong (an unknown path, a root route such as the stylesheet) is answered like the
  // protocol's errors: Tripod's shape, never a stack trace. Set before any route: a route keeps the error
  // handler in force when it is added; plugins with pages set their own.
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, notFoundProblem(), config));
  app.setErrorHandler(answerError);

  const provider = new Provider({
    stores,
    clock,
    random,
    config: providerConfigOf(config),
    log: (event) => app.log.info(event, event.event),
    // xAuth passwords are checked with the same KDF as the sign-in form.
    verifyPassword: (passwordHash, password) => verifyPassword(passwordHash, password),
    dummyPasswordHash: await decoyPasswordHash(),
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        // One same-origin script file (static/portal.js: copy buttons, the PIN's countdown, the live mode
        // statement); never inline script or eval. No form-action: browsers apply it to the redirect that
        // follows the consent form, which goes to the app's callback.
        scriptSrc: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: secureCookies,
    crossOriginEmbedderPolicy: false,
  });
  // Token endpoints, API answers and pages carrying request tokens or PINs must not be cached anywhere.
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/static/') && request.url !== '/favicon.ico') {
      reply.header('cache-control', 'no-store');
    }
  });

  app.get('/static/tripod.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );

  // Browsers ask for it on every page; an empty answer keeps 404s out of the log.
  app.get('/favicon.ico', async (_request, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  );

  const renderer = createPageRenderer({ basePath });
  // The protocol endpoints, with their refused requests recorded for the app's signature debugger.
  await app.register(async (protocol) => {
    recordRejections(protocol, {
      rejections: stores.rejections,
      consumers: stores.consumers,
      clock,
      toOAuthRequest: (request) => toOAuthRequest(request, config),
    });
    await protocol.register(oauthEndpoints, { provider, stores, config, clock });
  });
  const browserSessions = createBrowserSessions({
    sessions: stores.sessions,
    users: stores.users,
    clock,
    random,
    ttlSeconds: config.sessionTtlSeconds,
    secureCookies,
    cookiePath: basePath === '' ? '/' : basePath,
  });
  await app.register(authorizationPages, {
    provider,
    users: stores.users,
    consumers: stores.consumers,
    clock,
    config,
    renderer,
    basePath,
    secureCookies,
    sessions: browserSessions,
  });
  // The accounts and the developer portal (/, /sign-in, /apps, /connected-apps, /operator), on the same
  // sessions as the authorization pages: signing in on either signs in on both.
  await app.register(portalRoutes, {
    stores,
    rejections: stores.rejections,
    sessions: browserSessions,
    clock,
    random,
    basePath,
    secureCookies,
    signInAttemptsPerMinute: config.signInAttemptsPerMinute,
  });

  // Expired state is deleted on a timer so the nonce, request token, session and rate-limit tables stay
  // bounded (where Redis keeps nonces and rate limits, it expires them itself).
  app.decorate('pruneExpired', async () => {
    const now = clock.now();
    const [pruned, sessions, rateLimits] = await Promise.all([
      provider.pruneExpired(),
      stores.sessions.deleteExpired(now),
      stores.rateLimits.deleteExpired(now),
    ]);
    return { ...pruned, sessions, rateLimits };
  });
  let pruneTimer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    pruneTimer = setInterval(() => {
      app.pruneExpired().then(
        (counts) => app.log.debug(counts, 'pruned expired state'),
        (error: unknown) => app.log.warn({ err: error }, 'pruning expired state failed'),
      );
    }, config.pruneIntervalSeconds * 1000);
    pruneTimer.unref();
  });
  app.addHook('onClose', async () => clearInterval(pruneTimer));
  return app;
}

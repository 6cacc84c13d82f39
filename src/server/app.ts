// The Fastify application: the provider's HTTP binding (protocol endpoints, demo API) and the
// people-facing pages, with security headers, cookies, logging and one error vocabulary.

import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:http';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { systemClock } from '../provider/clock.ts';
import { Provider } from '../provider/index.ts';
import { createRandomSource } from '../provider/random-source.ts';
import type { Clock, RandomSource } from '../provider/types.ts';
import type { TripodStores } from '../stores/types.ts';
import { createBrowserSide } from './browser-side.ts';
import { isPublicHttps, providerConfigOf, type ServerConfig } from './config.ts';
import { answerClientError, notFoundProblem, protocolErrorHandler, sendProblem } from './error-responses.ts';
import { loggerOptions } from './logger-options.ts';
import { oauthEndpoints } from './oauth-endpoints.ts';
import { toOAuthRequest } from './oauth-request.ts';
import { notFound as notFoundPage } from './page-errors.ts';
import { pages } from './pages.ts';
import { decoyPasswordHash, verifyPassword } from './passwords.ts';
import { recordRejections } from './portal/rejection-recorder.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Deletes expired nonces, request tokens, sessions and rate-limit windows now (and on a timer). */
    pruneExpired(): Promise<{
      nonces: number;
      requestTokens: number;
      sessions: number;
      sessionStashes: number;
      rateLimits: number;
    }>;
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

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, stores } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? createRandomSource();
  const secureCookies = isPublicHttps(config);

  // Slow clients are cut off (408) rather than left holding connections: the whole request, its headers
  // (also a new connection's silence) and an idle keep-alive connection each have a deadline, checked
  // often enough for the shortest of them to hold within a quarter of itself.
  const headersTimeout = config.headersTimeoutSeconds * 1000;
  const connectionDeadlines = {
    headersTimeout,
    connectionsCheckingInterval: Math.min(1000, headersTimeout / 4),
  };
  const protocolError = protocolErrorHandler(config);
  // One browser-side layer for every page; outside the pages it also answers a person's browser (a
  // mistyped address, a malformed URL) with a page, while clients keep Tripod's JSON.
  const side = createBrowserSide({ stores, clock, random, config });
  const answerError = (error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    side.wantsPage(request, error)
      ? // Should the page itself fail, the answer is still one (a framework error never hangs).
        side.errorPage(error, request, reply).catch(() => protocolError(error, request, reply))
      : protocolError(error, request, reply);
  const fastifyOptions: FastifyServerOptions & { http?: ServerOptions; https?: HttpsServerOptions } = {
    logger: loggerOptions(config.logLevel, options.logStream),
    trustProxy: config.trustProxy !== null && config.trustProxy.length > 0 ? [...config.trustProxy] : false,
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
  app.server.on('drop', () => app.log.debug('connection refused: --max-connections reached'));
  // RFC 5849 §3.5.2 and §3.4.1.3.1 let a form body carry (and sign) OAuth parameters on any method, and
  // PECL OAuth's OAUTH_AUTH_TYPE_FORM sends them that way on GET; Fastify reads no GET or HEAD body unless
  // told to. Bodies are then read by the same parsers, with the same limits, as on POST.
  for (const method of ['GET', 'HEAD']) app.addHttpMethod(method, { hasBody: true, overrideExisting: true });

  // Whatever else goes wrong (an unknown path, a malformed URL) is answered like the protocol's errors:
  // Tripod's shape, never a stack trace — or, for a person's browser outside the protocol's and the API's
  // paths, a page in their language. Set before any route: a route keeps the error handler in force when
  // it is added; the pages' context sets its own.
  app.setNotFoundHandler((request, reply) =>
    side.wantsPage(request)
      ? side.errorPage(notFoundPage(), request, reply)
      : sendProblem(reply, notFoundProblem(), config),
  );
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
    await protocol.register(oauthEndpoints, { provider, stores, config, clock });
  });
  // The people-facing pages: consent, PIN, accounts and the developer portal, on one sign-in session.
  await app.register(pages, { side, provider, stores, clock, random });

  // Expired state is deleted on a timer so the nonce, request token, session and rate-limit tables stay
  // bounded (where Redis keeps nonces and rate limits, it expires them itself).
  app.decorate('pruneExpired', async () => {
    const now = clock.now();
    const [pruned, sessions, sessionStashes, rateLimits] = await Promise.all([
      provider.pruneExpired(),
      stores.sessions.deleteExpired(now),
      // A PIN kept for the PIN page goes when it expires, even if the page is never opened again.
      stores.sessions.deleteExpiredStashes(now),
      stores.rateLimits.deleteExpired(now),
    ]);
    return { ...pruned, sessions, sessionStashes, rateLimits };
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

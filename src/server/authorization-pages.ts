// The people-facing side of the protocol: GET /oauth/authorize and /oauth/authenticate show the app and
// the access it asks for, sign the person in when needed, and a CSRF-protected POST records the decision.
// Allow in oob mode answers with the PIN page in the POST response itself (never a GET with the PIN in the
// URL, which would end up in history, logs and Referer headers).

import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizationRequest, Provider } from '../provider/index.ts';
import type { User, UserStore } from '../provider/types.ts';
import type { BrowserSessions } from './browser-sessions.ts';
import type { ServerConfig } from './config.ts';
import { PageProblem, pageErrorHandler } from './page-errors.ts';
import { fill, pageText } from './page-text.ts';
import { verifyPassword } from './passwords.ts';
import type { PageRenderer } from './views.ts';

export interface AuthorizationPagesOptions {
  provider: Provider;
  users: UserStore;
  config: ServerConfig;
  sessions: BrowserSessions;
  renderer: PageRenderer;
  basePath: string;
  secureCookies: boolean;
}

type Endpoint = 'authorize' | 'authenticate';

interface AuthorizeQuery {
  oauthToken: string | undefined;
  forceLogin: boolean;
  screenName: string;
  confirmUser: boolean;
}

function first(value: unknown): string | undefined {
  if (Array.isArray(value)) return first(value[0]);
  return typeof value === 'string' ? value : undefined;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['true', '1', 'yes'].includes(value.toLowerCase());
}

function readQuery(request: FastifyRequest): AuthorizeQuery {
  // Extra parameters are ignored on purpose: twurl sends every signed oauth_* parameter along.
  const query = (request.query ?? {}) as Record<string, unknown>;
  return {
    oauthToken: first(query.oauth_token),
    forceLogin: isTrue(first(query.force_login)),
    screenName: (first(query.screen_name) ?? '').replace(/^@/, '').slice(0, 100),
    confirmUser: first(query.interactivity) === 'confirm_user',
  };
}

type FormBody = Record<string, string | undefined>;

function parseFormBody(body: string): FormBody {
  const form: FormBody = {};
  for (const [name, value] of new URLSearchParams(body)) form[name] ??= value;
  return form;
}

export async function authorizationPages(
  app: FastifyInstance,
  options: AuthorizationPagesOptions,
): Promise<void> {
  const { provider, users, config, sessions, renderer, basePath } = options;

  // The decision form is the only body these routes accept; it is parsed here, into plain strings.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_request, body, done) => done(null, parseFormBody(body as string)),
  );
  app.setErrorHandler(pageErrorHandler(renderer));

  await app.register(fastifyCsrf, {
    cookieKey: 'tripod_csrf',
    cookieOpts: { path: `${basePath}/oauth`, sameSite: 'lax', httpOnly: true, secure: options.secureCookies },
  });
  await app.register(fastifyRateLimit, { global: false });

  const page = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).type('text/html; charset=utf-8').send(html);

  async function describe(oauthToken: string | undefined): Promise<AuthorizationRequest> {
    if (!oauthToken) throw new PageProblem(400, 'tokenMissing');
    return provider.describeAuthorization(oauthToken);
  }

  function mustSignIn(
    user: User | null,
    query: Pick<AuthorizeQuery, 'forceLogin' | 'confirmUser' | 'screenName'>,
  ) {
    if (!user || query.forceLogin || query.confirmUser) return true;
    // Asked for a specific account that is not the signed-in one: let the person sign in as that one.
    return query.screenName !== '' && query.screenName.toLowerCase() !== user.username.toLowerCase();
  }

  function consentPage(
    reply: FastifyReply,
    status: number,
    view: {
      endpoint: Endpoint;
      oauthToken: string;
      authorization: AuthorizationRequest;
      user: User | null;
      showSignIn: boolean;
      username: string;
      error?: string;
    },
  ) {
    const { authorization } = view;
    const app = authorization.consumer;
    const readWrite = authorization.accessLevel === 'read-write';
    const action = `${basePath}/oauth/${view.endpoint}`;
    return page(
      reply,
      status,
      renderer.render('authorize', {
        title: fill(pageText.authorizeTitle, { app: app.name }),
        app: { name: app.name, description: app.description, website: app.website },
        accessLabel: readWrite ? pageText.accessLabelReadWrite : pageText.accessLabelRead,
        accessSentence: readWrite ? pageText.accessReadWrite : pageText.accessRead,
        action,
        csrfToken: reply.generateCsrf(),
        oauthToken: view.oauthToken,
        showSignIn: view.showSignIn,
        username: view.username,
        error: view.error ?? '',
        signedInAs: view.user ? fill(pageText.signedInAs, { user: view.user.username }) : '',
        switchUserHref: `${action}?${new URLSearchParams({ oauth_token: view.oauthToken, force_login: 'true' })}`,
      }),
    );
  }

  async function approve(reply: FastifyReply, oauthToken: string, user: User) {
    const result = await provider.approve(oauthToken, user.id);
    if (result.mode === 'callback') return reply.redirect(result.redirectTo, 302);
    const appName = result.consumerName;
    return page(
      reply,
      200,
      renderer.render('pin', {
        title: fill(pageText.pinTitle, { app: appName }),
        pin: result.pin,
        instruction: fill(pageText.pinInstruction, { app: appName }),
      }),
    );
  }

  const show = (endpoint: Endpoint) => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = readQuery(request);
    const authorization = await describe(query.oauthToken);
    const oauthToken = query.oauthToken!;
    const user = await sessions.currentUser(request);
    const showSignIn = mustSignIn(user, query);
    // Sign in with Tripod: a person who already authorized this app is sent straight on (Twitter's
    // oauth/authenticate), unless the app asked for credentials again.
    if (
      endpoint === 'authenticate' &&
      user &&
      !showSignIn &&
      (await provider.hasAuthorized(user.id, authorization.consumer.key))
    ) {
      return approve(reply, oauthToken, user);
    }
    return consentPage(reply, 200, {
      endpoint,
      oauthToken,
      authorization,
      user,
      showSignIn,
      username: query.screenName,
    });
  };

  const decide = (endpoint: Endpoint) => async (request: FastifyRequest, reply: FastifyReply) => {
    const form = (request.body ?? {}) as FormBody;
    const oauthToken = form.oauth_token;
    const authorization = await describe(oauthToken);
    const token = oauthToken!;

    if (form.decision === 'deny') {
      // Cancelling needs no sign-in: it only closes this request.
      const result = await provider.deny(token);
      if (result.mode === 'callback') return reply.redirect(result.redirectTo, 302);
      return page(
        reply,
        200,
        renderer.render('message', {
          title: pageText.deniedTitle,
          body: fill(pageText.deniedBody, { app: authorization.consumer.name }),
        }),
      );
    }
    if (form.decision !== 'allow') throw new PageProblem(400, 'badRequest');

    let user: User | null;
    if (form.sign_in === '1') {
      const username = (form.username ?? '').trim();
      const password = form.password ?? '';
      const again = (error: string) =>
        consentPage(reply, 401, {
          endpoint,
          oauthToken: token,
          authorization,
          user: null,
          showSignIn: true,
          username,
          error,
        });
      if (username === '' || password === '') return again(pageText.signInRequired);
      const found = await users.getByUsername(username);
      if (!(await verifyPassword(found?.passwordHash ?? null, password)) || !found) {
        request.log.info({ event: 'sign_in_failed' }, 'sign-in failed');
        return again(pageText.wrongCredentials);
      }
      await sessions.signIn(request, reply, found);
      user = found;
    } else {
      user = await sessions.currentUser(request);
      if (!user) {
        return consentPage(reply, 401, {
          endpoint,
          oauthToken: token,
          authorization,
          user: null,
          showSignIn: true,
          username: '',
          error: pageText.signInRequired,
        });
      }
    }
    return approve(reply, token, user);
  };

  // Sign-in attempts are limited twice, in one store shared by both endpoints: per address and username
  // (guessing one account's password), and more loosely per address (trying many accounts). Cancel and
  // decisions from a signed-in session are not sign-in attempts and are not counted.
  const usernameOf = (request: FastifyRequest) =>
    ((request.body as FormBody | undefined)?.username ?? '').trim().toLowerCase();
  const perAccount = app.createRateLimit({
    max: config.signInAttemptsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `sign-in|account|${request.ip}|${usernameOf(request)}`,
  });
  const perAddress = app.createRateLimit({
    max: config.signInAttemptsPerMinute * 5,
    timeWindow: 60_000,
    keyGenerator: (request) => `sign-in|address|${request.ip}`,
  });
  const limitSignIn = async (request: FastifyRequest) => {
    const form = request.body as FormBody | undefined;
    if (form?.sign_in !== '1' || form.decision !== 'allow') return;
    const [account, address] = await Promise.all([perAccount(request), perAddress(request)]);
    if ((!account.isAllowed && account.isExceeded) || (!address.isAllowed && address.isExceeded)) {
      request.log.warn({ event: 'sign_in_rate_limited' }, 'sign-in rate limit reached');
      throw new PageProblem(429, 'tooManyAttempts');
    }
  };

  for (const endpoint of ['authorize', 'authenticate'] as const) {
    app.get(`/oauth/${endpoint}`, show(endpoint));
    app.post(`/oauth/${endpoint}`, {
      preHandler: [app.csrfProtection, limitSignIn],
      handler: decide(endpoint),
    });
  }
}

// The people-facing side of the protocol: GET /oauth/authorize and /oauth/authenticate show the app and
// the access it asks for, sign the person in when needed, and a CSRF-protected POST records the decision.
// Allow in oob mode answers with the PIN page in the POST response itself (never a GET with the PIN in the
// URL, which would end up in history, logs and Referer headers).
// Every page speaks the language OKAPI's `langpref` asks for (carried through the sign-in POST in a hidden
// field), else the browser's Accept-Language, else English.

import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizationRequest, Provider } from '../provider/index.ts';
import type { Clock, ConsumerStore, User, UserStore } from '../provider/types.ts';
import type { BrowserSessions } from './browser-sessions.ts';
import type { ServerConfig } from './config.ts';
import { type Language, languageOfRequest, type MessageKey, translator } from './i18n/index.ts';
import { PageProblem, pageErrorHandler } from './page-errors.ts';
import { verifyPassword } from './passwords.ts';
import type { PageRenderer } from './views.ts';

export interface AuthorizationPagesOptions {
  provider: Provider;
  users: UserStore;
  /** To name who registered the app on the consent page. */
  consumers: Pick<ConsumerStore, 'get'>;
  clock: Clock;
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
  /** OKAPI's langpref as given (already chose the language); carried on to the forms and links. */
  langpref: string;
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
    langpref: cleanLangpref(first(query.langpref)),
  };
}

/** A langpref worth carrying on: ISO 639-1-like codes separated by pipes, nothing else. */
function cleanLangpref(value: string | undefined): string {
  return value !== undefined &&
    /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*(\|[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*){0,9}$/.test(value)
    ? value
    : '';
}

/** The app's website as a link target, only when it is an http(s) URL. */
function websiteHref(website: string): string {
  try {
    const url = new URL(website);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
  } catch {
    return '';
  }
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
  const { provider, users, consumers, clock, config, sessions, renderer, basePath } = options;

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

  async function ownerOf(consumerKey: string): Promise<string | null> {
    const consumer = await consumers.get(consumerKey);
    if (!consumer?.ownerUserId) return null;
    return (await users.getById(consumer.ownerUserId))?.username ?? null;
  }

  async function consentPage(
    reply: FastifyReply,
    status: number,
    view: {
      endpoint: Endpoint;
      lang: Language;
      langpref: string;
      confirmUser: boolean;
      oauthToken: string;
      authorization: AuthorizationRequest;
      user: User | null;
      showSignIn: boolean;
      /** The signed-in person authorized this app before (oauth/authorize still asks; it says so). */
      alreadyAuthorized?: boolean;
      username: string;
      error?: MessageKey;
    },
  ) {
    const { authorization, lang } = view;
    const t = translator(lang);
    const app = authorization.consumer;
    const action = `${basePath}/oauth/${view.endpoint}`;
    const switchParams = new URLSearchParams({ oauth_token: view.oauthToken, force_login: 'true' });
    if (view.langpref) switchParams.set('langpref', view.langpref);
    return page(
      reply,
      status,
      renderer.render('authorize', lang, {
        title: t('authorize.pageTitle', { app: app.name }),
        app: {
          name: app.name,
          description: app.description,
          website: app.website,
          websiteHref: websiteHref(app.website),
          owner: await ownerOf(app.key),
        },
        readWrite: authorization.accessLevel === 'read-write',
        action,
        csrfToken: reply.generateCsrf(),
        oauthToken: view.oauthToken,
        langpref: view.langpref,
        confirmUser: view.confirmUser,
        showSignIn: view.showSignIn,
        alreadyAuthorized: view.alreadyAuthorized === true,
        username: view.username,
        error: view.error ? t(view.error) : '',
        user: view.user?.username ?? '',
        switchUserHref: `${action}?${switchParams}`,
      }),
    );
  }

  async function approve(reply: FastifyReply, lang: Language, oauthToken: string, user: User) {
    const result = await provider.approve(oauthToken, user.id);
    if (result.mode === 'callback') return reply.redirect(result.redirectTo, 302);
    const t = translator(lang);
    const secondsLeft = Math.max(0, Math.floor((result.expiresAt - clock.now()) / 1000));
    return page(
      reply,
      200,
      renderer.render('pin', lang, {
        title: t('pin.pageTitle', { app: result.consumerName }),
        appName: result.consumerName,
        pin: result.pin,
        secondsLeft,
        minutesLeft: Math.ceil(secondsLeft / 60),
        // The only page of these with a script (same-origin file): the copy button and the countdown.
        withScript: true,
      }),
    );
  }

  const show = (endpoint: Endpoint) => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = readQuery(request);
    const authorization = await describe(query.oauthToken);
    const oauthToken = query.oauthToken!;
    const user = await sessions.currentUser(request);
    const lang = languageOfRequest(request);
    const showSignIn = mustSignIn(user, query);
    // Sign in with Tripod: a person whose live grant to this app already covers the access this request
    // token asks for is sent straight on (Twitter's oauth/authenticate), unless the app asked for
    // credentials again. A grant for less (read, asked read-write) is never upgraded without asking.
    const key = authorization.consumer.key;
    const signedIn = user !== null && !showSignIn;
    if (
      endpoint === 'authenticate' &&
      signedIn &&
      (await provider.hasAuthorized(user.id, key, authorization.accessLevel))
    ) {
      return approve(reply, lang, oauthToken, user);
    }
    const authorizedBefore = signedIn && (await provider.hasAuthorized(user.id, key));
    return consentPage(reply, 200, {
      endpoint,
      lang,
      langpref: query.langpref,
      confirmUser: query.confirmUser,
      oauthToken,
      authorization,
      user,
      showSignIn,
      alreadyAuthorized: authorizedBefore,
      // confirm_user: the signed-in person's name is offered, to be confirmed with their password.
      username: query.screenName || (query.confirmUser && user ? user.username : ''),
    });
  };

  const decide = (endpoint: Endpoint) => async (request: FastifyRequest, reply: FastifyReply) => {
    const form = (request.body ?? {}) as FormBody;
    const oauthToken = form.oauth_token;
    const authorization = await describe(oauthToken);
    const token = oauthToken!;
    const lang = languageOfRequest(request);
    const langpref = cleanLangpref(form.langpref);
    const confirmUser = form.interactivity === 'confirm_user';

    if (form.decision === 'deny') {
      // Cancelling needs no sign-in: it only closes this request.
      const result = await provider.deny(token);
      if (result.mode === 'callback') return reply.redirect(result.redirectTo, 302);
      const t = translator(lang);
      const app = authorization.consumer.name;
      return page(
        reply,
        200,
        renderer.render('message', lang, {
          title: t('denied.pageTitle'),
          message: t('denied.body', { app }),
          next: t('denied.next', { app }),
        }),
      );
    }
    if (form.decision === 'switch') {
      // interactivity=confirm_user: "not me" signs this browser out and asks again who is authorizing.
      await sessions.signOut(request, reply);
      const params = new URLSearchParams({ oauth_token: token, interactivity: 'confirm_user' });
      if (langpref) params.set('langpref', langpref);
      return reply.redirect(`${basePath}/oauth/${endpoint}?${params}`, 303);
    }
    if (form.decision !== 'allow') throw new PageProblem(400, 'badRequest');

    let user: User | null;
    if (form.sign_in === '1') {
      const username = (form.username ?? '').trim();
      const password = form.password ?? '';
      const again = (error: MessageKey) =>
        consentPage(reply, 401, {
          endpoint,
          lang,
          langpref,
          confirmUser,
          oauthToken: token,
          authorization,
          user: null,
          showSignIn: true,
          username,
          error,
        });
      if (username === '' || password === '') return again('authorize.signInRequired');
      const found = await users.getByUsername(username);
      if (!(await verifyPassword(found?.passwordHash ?? null, password)) || !found) {
        request.log.info({ event: 'sign_in_failed' }, 'sign-in failed');
        return again('authorize.wrongCredentials');
      }
      await sessions.signIn(request, reply, found);
      user = found;
    } else {
      user = await sessions.currentUser(request);
      if (!user) {
        return consentPage(reply, 401, {
          endpoint,
          lang,
          langpref,
          confirmUser,
          oauthToken: token,
          authorization,
          user: null,
          showSignIn: true,
          username: '',
          error: 'authorize.signInRequired',
        });
      }
    }
    return approve(reply, lang, token, user);
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

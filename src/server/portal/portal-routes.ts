// The developer portal and the account pages, as one Fastify plugin: sign up / in / out, My apps (create,
// edit, delete, keys, secret reveal and regeneration, the signature debugger), Connected apps (revoke) and
// the operator's view. Everything it touches comes in through PortalOptions, so the server mounts it with
// one `app.register(portalRoutes, {...})` and tests mount it on memory stores.
//
// Every state change is a POST carrying a CSRF token and answered with a 303 redirect (so a reload never
// repeats it), except revealing or regenerating the secret, whose answer is the page showing the secret
// (never put in a URL, a cookie or a redirect).

import { readFileSync } from 'node:fs';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { generateToken } from '../../provider/random-source.ts';
import type { AccessToken, Clock, Consumer, RandomSource, User } from '../../provider/types.ts';
import { StoreUnavailableError } from '../../stores/errors.ts';
import { LIST_PAGE_MAX } from '../../stores/limits.ts';
import { REJECTIONS_KEPT, type RejectionLog, type TripodStores } from '../../stores/types.ts';
import {
  type Language,
  languageOfRequest,
  type MessageKey,
  type MessageValues,
  type Translate,
  translator,
} from '../i18n/index.ts';
import { verifyPassword } from '../passwords.ts';
import { RegistrationError, registerApp, registerUser } from '../registration.ts';
import {
  APP_DESCRIPTION_MAX,
  APP_NAME_MAX,
  type AppFormValues,
  appMode,
  CALLBACK_URLS_MAX,
  EMPTY_APP_FORM,
  type FormBody,
  type FormError,
  field,
  formValuesOf,
  modeStatementKey,
  parseFormBody,
  readAppForm,
} from './app-form.ts';
import { createPortalRenderer, type PageContext, type PortalView } from './portal-views.ts';

/** The sign-in session, as the server keeps it (a cookie naming a session in a store). */
export interface PortalSessions {
  currentUser(request: FastifyRequest): Promise<User | null>;
  /** Signs `user` in with a fresh session id (never one that existed before: session fixation). */
  signIn(request: FastifyRequest, reply: FastifyReply, user: User): Promise<void>;
  signOut(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** CSRF protection supplied by the host app; without it the portal registers @fastify/csrf-protection. */
export interface PortalCsrf {
  token(reply: FastifyReply): string;
  protect: preHandlerAsyncHookHandler;
}

export interface PortalOptions {
  stores: TripodStores;
  rejections: RejectionLog;
  sessions: PortalSessions;
  clock: Clock;
  random: RandomSource;
  /** Path prefix of every link (the public URL's path), '' at the root. */
  basePath: string;
  /** Cookies get Secure when the public URL is https. */
  secureCookies: boolean;
  /** Sign-in and sign-up attempts per minute per client address and username. */
  signInAttemptsPerMinute: number;
  csrf?: PortalCsrf;
  /** Whether strangers may create accounts (default true). */
  allowSignUp?: boolean;
}

export const MIN_PASSWORD_LENGTH = 8;
// Stricter than the CLI's rule (which allows one character): a name people can read out and recognise.
const USERNAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{2,31}$/;
const NOTICE_COOKIE = 'tripod_notice';

// The portal's stylesheet and script, read once; also used by the authorization pages.
const ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  'portal.css': {
    type: 'text/css; charset=utf-8',
    body: readFileSync(new URL('../static/portal.css', import.meta.url), 'utf8'),
  },
  'portal.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(new URL('../static/portal.js', import.meta.url), 'utf8'),
  },
};

/** A refusal shown as a page: status, title and sentence. */
export class PortalPageError extends Error {
  readonly statusCode: number;
  readonly titleKey: MessageKey;
  readonly bodyKey: MessageKey;
  constructor(statusCode: number, titleKey: MessageKey, bodyKey: MessageKey) {
    super(titleKey);
    this.name = 'PortalPageError';
    this.statusCode = statusCode;
    this.titleKey = titleKey;
    this.bodyKey = bodyKey;
  }
}

const notFound = () => new PortalPageError(404, 'error.notFoundTitle', 'error.notFoundBody');
const forbidden = () => new PortalPageError(403, 'error.forbiddenTitle', 'error.forbiddenBody');
const tooManyAttempts = () =>
  new PortalPageError(429, 'error.tooManyAttemptsTitle', 'error.tooManyAttemptsBody');

// Notices a redirect may carry to the next page: only these keys, each with its {app} value.
const NOTICE_KEYS: ReadonlySet<MessageKey> = new Set<MessageKey>([
  'app.created',
  'app.saved',
  'apps.deleted',
  'connected.revoked',
  'operator.updated',
  'signIn.signedOut',
]);

/** A same-site path to go back to after signing in, or null. Refuses //host and /\host (open redirects). */
export function safeNextPath(next: string, basePath: string): string | null {
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 2000)
    return null;
  if (/[\u0000-\u001f\\]/.test(next)) return null;
  if (basePath !== '' && !(next === basePath || next.startsWith(`${basePath}/`))) return null;
  return next;
}

interface ConnectedApp {
  key: string;
  name: string;
  known: boolean;
  accessLevel: AccessToken['accessLevel'];
  since: number;
}

export async function portalRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { stores, rejections, sessions, clock, random, basePath } = options;
  const renderer = createPortalRenderer();
  const allowSignUp = options.allowSignUp ?? true;
  const cookiePath = basePath === '' ? '/' : basePath;
  const link = (path: string) => `${basePath}${path}`;

  // Form bodies only, parsed here into strings (arrays for repeated fields such as callback_url).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => done(null, parseFormBody(body as string)),
  );

  let csrf: PortalCsrf;
  if (options.csrf) {
    csrf = options.csrf;
  } else {
    await app.register(fastifyCsrf, {
      cookieKey: 'tripod_portal_csrf',
      cookieOpts: { path: cookiePath, sameSite: 'lax', httpOnly: true, secure: options.secureCookies },
      getToken: (request) => field((request.body ?? {}) as FormBody, '_csrf'),
    });
    csrf = {
      token: (reply) => reply.generateCsrf(),
      protect: (request, reply) =>
        new Promise<void>((resolve, reject) => {
          app.csrfProtection(request, reply, ((error?: Error) =>
            error ? reject(error) : resolve()) as () => void);
        }),
    };
  }
  await app.register(fastifyRateLimit, { global: false });
  // Sign-in (and sign-up) attempts are limited per address and username (guessing one account's
  // password) and, more loosely, per address (trying many accounts), as on the authorization pages.
  const usernameOf = (request: FastifyRequest) =>
    field((request.body ?? {}) as FormBody, 'username')
      .trim()
      .toLowerCase();
  const perAccount = app.createRateLimit({
    max: options.signInAttemptsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `portal-sign-in|account|${request.ip}|${usernameOf(request)}`,
  });
  const perAddress = app.createRateLimit({
    max: options.signInAttemptsPerMinute * 5,
    timeWindow: 60_000,
    keyGenerator: (request) => `portal-sign-in|address|${request.ip}`,
  });
  const limitSignIn = async (request: FastifyRequest) => {
    const [account, address] = await Promise.all([perAccount(request), perAddress(request)]);
    if ((!account.isAllowed && account.isExceeded) || (!address.isAllowed && address.isExceeded)) {
      request.log.warn({ event: 'portal.sign_in_rate_limited' }, 'sign-in rate limit reached');
      throw tooManyAttempts();
    }
  };

  for (const [name, asset] of Object.entries(ASSETS)) {
    app.get(`/static/${name}`, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body),
    );
  }

  // ---- rendering -------------------------------------------------------------------------------------

  function words(request: FastifyRequest): { lang: Language; t: Translate } {
    const lang = languageOfRequest(request);
    return { lang, t: translator(lang) };
  }

  function setNotice(reply: FastifyReply, key: MessageKey, values: MessageValues = {}) {
    const value = Buffer.from(JSON.stringify({ key, values })).toString('base64url');
    reply.setCookie(NOTICE_COOKIE, value, {
      path: cookiePath,
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookies,
      maxAge: 60,
    });
  }

  function takeNotice(request: FastifyRequest, reply: FastifyReply, t: Translate): string | null {
    const raw = request.cookies[NOTICE_COOKIE];
    if (!raw) return null;
    reply.clearCookie(NOTICE_COOKIE, { path: cookiePath });
    try {
      const { key, values } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as {
        key: MessageKey;
        values: Record<string, unknown>;
      };
      if (!NOTICE_KEYS.has(key)) return null;
      const clean: Record<string, string> = {};
      for (const [name, value] of Object.entries(values ?? {})) clean[name] = String(value).slice(0, 200);
      return t(key, clean);
    } catch {
      return null;
    }
  }

  function send(
    request: FastifyRequest,
    reply: FastifyReply,
    view: PortalView,
    data: Record<string, unknown> & { title: string },
    extra: { user: User | null; current?: PageContext['current']; status?: number; notice?: string | null },
  ) {
    const { lang, t } = words(request);
    const context: PageContext = {
      lang,
      t,
      basePath,
      user: extra.user ? { username: extra.user.username, isOperator: extra.user.isOperator } : null,
      csrfToken: csrf.token(reply),
      current: extra.current ?? null,
      notice: extra.notice ?? takeNotice(request, reply, t),
    };
    return reply
      .code(extra.status ?? 200)
      .type('text/html; charset=utf-8')
      .send(renderer.render(view, context, data));
  }

  function redirect(reply: FastifyReply, path: string) {
    return reply.redirect(link(path), 303);
  }

  app.setErrorHandler(async (error, request, reply) => {
    const { t } = words(request);
    let problem: PortalPageError;
    const code = (error as { code?: unknown }).code;
    const status = (error as { statusCode?: unknown }).statusCode;
    if (error instanceof PortalPageError) problem = error;
    else if (code === 'FST_CSRF_MISSING_SECRET' || code === 'FST_CSRF_INVALID_TOKEN')
      problem = new PortalPageError(403, 'error.formExpiredTitle', 'error.formExpiredBody');
    else if (status === 429) problem = tooManyAttempts();
    else if (error instanceof StoreUnavailableError) {
      reply.header('retry-after', String(error.retryAfterSeconds));
      problem = new PortalPageError(503, 'error.unavailableTitle', 'error.unavailableBody');
    } else if (typeof status === 'number' && status >= 400 && status < 500)
      problem = new PortalPageError(status, 'error.badRequestTitle', 'error.badRequestBody');
    else {
      request.log.error({ err: error }, 'unhandled error on a portal page');
      problem = new PortalPageError(500, 'error.serverErrorTitle', 'error.serverErrorBody');
    }
    let user: User | null = null;
    try {
      user = await sessions.currentUser(request);
    } catch {
      user = null;
    }
    return send(
      request,
      reply,
      'message',
      { title: t(problem.titleKey), message: t(problem.bodyKey) },
      { user, status: problem.statusCode, notice: null },
    );
  });

  // ---- who is asking ---------------------------------------------------------------------------------

  /** The signed-in user, or null after answering with a redirect to the sign-in page. */
  async function requireUser(request: FastifyRequest, reply: FastifyReply): Promise<User | null> {
    const user = await sessions.currentUser(request);
    if (user) return user;
    const next = request.method === 'GET' ? link(request.url) : link('/apps');
    await reply.redirect(`${link('/sign-in')}?${new URLSearchParams({ next })}`, 303);
    return null;
  }

  /** An app the user may manage: their own, or any for the operator. Others look like they do not exist. */
  async function manageableApp(user: User, key: string): Promise<Consumer> {
    const consumer = key.length <= 200 ? await stores.consumers.get(key) : null;
    if (!consumer || (consumer.ownerUserId !== user.id && !user.isOperator)) throw notFound();
    return consumer;
  }

  const protect = { preHandler: csrf.protect };
  const keyOf = (request: FastifyRequest) => (request.params as { key: string }).key;
  const nextOf = (request: FastifyRequest) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const fromBody = field((request.body ?? {}) as FormBody, 'next');
    const raw = fromBody || (typeof query.next === 'string' ? query.next : '');
    return safeNextPath(raw, basePath) ?? link('/apps');
  };

  // The site's front page: where to sign in, your apps, the apps connected to your account.
  app.get('/', async (request, reply) => {
    const { t } = words(request);
    const user = await sessions.currentUser(request);
    return send(request, reply, 'home', { title: t('home.pageTitle'), allowSignUp }, { user });
  });

  // ---- sign in, sign up, sign out ----------------------------------------------------------------------

  function signInPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { username: string; error: MessageKey | null; next: string },
    status = 200,
  ) {
    const { t } = words(request);
    return send(
      request,
      reply,
      'sign-in',
      {
        title: t('signIn.pageTitle'),
        username: form.username,
        error: form.error ? t(form.error) : '',
        next: form.next,
        allowSignUp,
      },
      { user: null, current: 'sign-in', status },
    );
  }

  app.get('/sign-in', async (request, reply) => {
    const next = nextOf(request);
    if (await sessions.currentUser(request)) return reply.redirect(next, 303);
    return signInPage(request, reply, { username: '', error: null, next });
  });

  app.post('/sign-in', { preHandler: [csrf.protect, limitSignIn] }, async (request, reply) => {
    const body = request.body as FormBody;
    const username = field(body, 'username').trim();
    const password = field(body, 'password');
    const next = nextOf(request);
    const found = username === '' ? null : await stores.users.getByUsername(username);
    // verifyPassword spends the same time for an unknown user, so the answer does not reveal who exists.
    if (!(await verifyPassword(found?.passwordHash ?? null, password)) || !found) {
      request.log.info({ event: 'portal.sign_in_failed' }, 'sign-in failed');
      return signInPage(request, reply, { username, error: 'signIn.wrongCredentials', next }, 401);
    }
    await sessions.signIn(request, reply, found);
    return reply.redirect(next, 303);
  });

  function signUpPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { username: string; errors: FormError[] },
    status = 200,
  ) {
    const { t } = words(request);
    return send(
      request,
      reply,
      'sign-up',
      {
        title: t('signUp.pageTitle'),
        username: form.username,
        errors: form.errors.map((e) => ({ fieldId: e.fieldId, message: t(e.key, e.values) })),
        minPassword: MIN_PASSWORD_LENGTH,
      },
      { user: null, current: 'sign-up', status },
    );
  }

  if (allowSignUp) {
    app.get('/sign-up', async (request, reply) => {
      if (await sessions.currentUser(request)) return redirect(reply, '/apps');
      return signUpPage(request, reply, { username: '', errors: [] });
    });

    app.post('/sign-up', { preHandler: [csrf.protect, limitSignIn] }, async (request, reply) => {
      const body = request.body as FormBody;
      const username = field(body, 'username').trim();
      const password = field(body, 'password');
      const errors: FormError[] = [];
      if (!USERNAME.test(username)) errors.push({ fieldId: 'username', key: 'signUp.usernameInvalid' });
      else if (await stores.users.getByUsername(username))
        errors.push({ fieldId: 'username', key: 'signUp.usernameTaken' });
      if (password.length < MIN_PASSWORD_LENGTH) {
        errors.push({
          fieldId: 'password',
          key: 'signUp.passwordTooShort',
          values: { min: MIN_PASSWORD_LENGTH },
        });
      }
      if (errors.length > 0) return signUpPage(request, reply, { username, errors }, 400);
      let user: User;
      try {
        user = await registerUser(stores, { username, password }, { clock, random });
      } catch (error) {
        // Two sign-ups racing for one name: the second loses here.
        if (!(error instanceof RegistrationError)) throw error;
        return signUpPage(
          request,
          reply,
          { username, errors: [{ fieldId: 'username', key: 'signUp.usernameTaken' }] },
          400,
        );
      }
      await sessions.signIn(request, reply, user);
      return redirect(reply, '/apps');
    });
  }

  app.post('/sign-out', protect, async (request, reply) => {
    await sessions.signOut(request, reply);
    const next = nextOf(request);
    if (next === link('/apps')) {
      setNotice(reply, 'signIn.signedOut');
      return redirect(reply, '/sign-in');
    }
    return reply.redirect(next, 303);
  });

  // ---- My apps ---------------------------------------------------------------------------------------

  app.get('/apps', async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const { t } = words(request);
    const mine = await stores.consumers.listByOwner(user.id);
    return send(
      request,
      reply,
      'apps',
      {
        title: t('apps.pageTitle'),
        apps: mine.map((c) => ({
          key: c.key,
          name: c.name,
          mode: appMode(c.callbackUrls),
          accessLevel: c.accessLevel,
          createdAt: c.createdAt,
          disabled: c.disabled,
        })),
      },
      { user, current: 'apps' },
    );
  });

  function appFormData(
    t: Translate,
    values: AppFormValues,
    errors: FormError[],
    user: User,
  ): Record<string, unknown> {
    return {
      form: values,
      errors: errors.map((e) => ({ fieldId: e.fieldId, message: t(e.key, e.values) })),
      modeKey: modeStatementKey(appMode(values.callbackUrls)),
      canSetXauth: user.isOperator,
      limits: { name: APP_NAME_MAX, description: APP_DESCRIPTION_MAX, callbacks: CALLBACK_URLS_MAX },
    };
  }

  app.get('/apps/new', async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const { t } = words(request);
    return send(
      request,
      reply,
      'app-new',
      { title: t('app.newPageTitle'), ...appFormData(t, EMPTY_APP_FORM, [], user) },
      { user, current: 'apps' },
    );
  });

  app.post('/apps', protect, async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const { t } = words(request);
    const { values, errors } = readAppForm(request.body as FormBody, {
      canSetXauth: user.isOperator,
      previousXauth: false,
    });
    if (errors.length > 0) {
      return send(
        request,
        reply,
        'app-new',
        { title: t('app.newPageTitle'), ...appFormData(t, values, errors, user) },
        { user, current: 'apps', status: 400 },
      );
    }
    const consumer = await registerApp(
      stores,
      {
        name: values.name,
        description: values.description,
        website: values.website,
        callbackUrls: values.callbackUrls,
        accessLevel: values.accessLevel,
        xauth: values.xauth,
        rsaPublicKey: values.rsaPublicKey === '' ? null : values.rsaPublicKey,
        ownerUserId: user.id,
      },
      { clock, random },
    );
    request.log.info({ event: 'portal.app_created', consumerKey: consumer.key }, 'app registered');
    setNotice(reply, 'app.created');
    return redirect(reply, `/apps/${encodeURIComponent(consumer.key)}`);
  });

  function appPage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    consumer: Consumer,
    extra: {
      values?: AppFormValues;
      errors?: FormError[];
      revealedSecret?: boolean;
      notice?: string | null;
      status?: number;
    } = {},
  ) {
    const { t } = words(request);
    if (extra.revealedSecret) reply.header('cache-control', 'no-store');
    return send(
      request,
      reply,
      'app',
      {
        title: t('app.editPageTitle', { app: consumer.name }),
        app: {
          key: consumer.key,
          name: consumer.name,
          disabled: consumer.disabled,
          secret: extra.revealedSecret ? consumer.secret : null,
        },
        ...appFormData(t, extra.values ?? formValuesOf(consumer), extra.errors ?? [], user),
      },
      { user, current: 'apps', status: extra.status, notice: extra.notice },
    );
  }

  app.get('/apps/:key', async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    return appPage(request, reply, user, await manageableApp(user, keyOf(request)));
  });

  app.post('/apps/:key', protect, async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const consumer = await manageableApp(user, keyOf(request));
    const { values, errors } = readAppForm(request.body as FormBody, {
      canSetXauth: user.isOperator,
      previousXauth: consumer.xauth,
    });
    if (errors.length > 0) return appPage(request, reply, user, consumer, { values, errors, status: 400 });
    await stores.consumers.update({
      ...consumer,
      name: values.name,
      description: values.description,
      website: values.website,
      callbackUrls: values.callbackUrls,
      accessLevel: values.accessLevel,
      rsaPublicKey: values.rsaPublicKey === '' ? null : values.rsaPublicKey,
      xauth: values.xauth,
    });
    request.log.info({ event: 'portal.app_updated', consumerKey: consumer.key }, 'app updated');
    setNotice(reply, 'app.saved');
    return redirect(reply, `/apps/${encodeURIComponent(consumer.key)}`);
  });

  app.post('/apps/:key/secret', protect, async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const consumer = await manageableApp(user, keyOf(request));
    request.log.info({ event: 'portal.secret_revealed', consumerKey: consumer.key }, 'secret revealed');
    return appPage(request, reply, user, consumer, { revealedSecret: true, notice: null });
  });

  app.post('/apps/:key/secret/regenerate', protect, async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const consumer = await manageableApp(user, keyOf(request));
    // Same strength as registration's; the provider reads the consumer on every request, so the old
    // secret stops verifying with this write.
    const updated: Consumer = { ...consumer, secret: generateToken(random, 32) };
    await stores.consumers.update(updated);
    request.log.info({ event: 'portal.secret_regenerated', consumerKey: consumer.key }, 'secret regenerated');
    const { t } = words(request);
    return appPage(request, reply, user, updated, {
      revealedSecret: true,
      notice: t('app.secretRegenerated'),
    });
  });

  app.post('/apps/:key/delete', protect, async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const consumer = await manageableApp(user, keyOf(request));
    await stores.consumers.delete(consumer.key);
    await rejections.forget(consumer.key);
    request.log.info({ event: 'portal.app_deleted', consumerKey: consumer.key }, 'app deleted');
    setNotice(reply, 'apps.deleted', { app: consumer.name });
    return redirect(reply, '/apps');
  });

  app.get('/apps/:key/debugger', async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const consumer = await manageableApp(user, keyOf(request));
    const { t } = words(request);
    return send(
      request,
      reply,
      'debugger',
      {
        title: t('debugger.pageTitle', { app: consumer.name }),
        app: { key: consumer.key, name: consumer.name },
        kept: REJECTIONS_KEPT,
        rejections: await rejections.list(consumer.key, REJECTIONS_KEPT),
      },
      { user, current: 'apps' },
    );
  });

  // ---- Connected apps ----------------------------------------------------------------------------------

  async function connectedApps(user: User): Promise<ConnectedApp[]> {
    const byApp = new Map<string, ConnectedApp>();
    for (const token of await stores.accessTokens.listActiveForUser(user.id)) {
      const seen = byApp.get(token.consumerKey);
      if (seen) {
        if (token.accessLevel === 'read-write') seen.accessLevel = 'read-write';
        seen.since = Math.min(seen.since, token.createdAt);
        continue;
      }
      byApp.set(token.consumerKey, {
        key: token.consumerKey,
        name: '',
        known: false,
        accessLevel: token.accessLevel,
        since: token.createdAt,
      });
    }
    for (const entry of byApp.values()) {
      const consumer = await stores.consumers.get(entry.key);
      if (consumer) {
        entry.name = consumer.name;
        entry.known = true;
      }
    }
    return [...byApp.values()].sort((a, b) => b.since - a.since);
  }

  app.get('/connected-apps', async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const { t } = words(request);
    return send(
      request,
      reply,
      'connected-apps',
      { title: t('connected.pageTitle'), apps: await connectedApps(user) },
      { user, current: 'connected-apps' },
    );
  });

  app.post('/connected-apps/:key/revoke', protect, async (request, reply) => {
    const user = await requireUser(request, reply);
    if (!user) return reply;
    const key = keyOf(request);
    const connected = (await connectedApps(user)).find((c) => c.key === key);
    if (!connected) throw notFound();
    const revoked = await stores.accessTokens.revokeAllFor(key, user.id, clock.now());
    request.log.info({ event: 'portal.connection_revoked', consumerKey: key, revoked }, 'access revoked');
    const { t } = words(request);
    setNotice(reply, 'connected.revoked', {
      app: connected.known ? connected.name : t('connected.unknownApp'),
    });
    return redirect(reply, '/connected-apps');
  });

  // ---- Operator ----------------------------------------------------------------------------------------

  async function requireOperator(request: FastifyRequest, reply: FastifyReply): Promise<User | null> {
    const user = await requireUser(request, reply);
    if (user && !user.isOperator) throw forbidden();
    return user;
  }

  app.get('/operator', async (request, reply) => {
    const user = await requireOperator(request, reply);
    if (!user) return reply;
    const { t } = words(request);
    // The first page of each (the operator page has no paging yet).
    const users = await stores.users.list({ offset: 0, limit: LIST_PAGE_MAX });
    const usernames = new Map(users.map((u) => [u.id, u.username]));
    const apps = await stores.consumers.list({ offset: 0, limit: LIST_PAGE_MAX });
    return send(
      request,
      reply,
      'operator',
      {
        title: t('operator.pageTitle'),
        users: users.map((u) => ({ username: u.username, isOperator: u.isOperator, createdAt: u.createdAt })),
        apps: apps.map((c) => ({
          key: c.key,
          name: c.name,
          owner: c.ownerUserId ? (usernames.get(c.ownerUserId) ?? null) : null,
          mode: appMode(c.callbackUrls),
          disabled: c.disabled,
          xauth: c.xauth,
        })),
      },
      { user, current: 'operator' },
    );
  });

  app.post('/operator/apps/:key', protect, async (request, reply) => {
    const user = await requireOperator(request, reply);
    if (!user) return reply;
    const consumer = await manageableApp(user, keyOf(request));
    const action = field(request.body as FormBody, 'action');
    const changes: Record<string, Partial<Consumer>> = {
      disable: { disabled: true },
      enable: { disabled: false },
      'allow-xauth': { xauth: true },
      'remove-xauth': { xauth: false },
    };
    const change = changes[action];
    if (!change) throw new PortalPageError(400, 'error.badRequestTitle', 'error.badRequestBody');
    await stores.consumers.update({ ...consumer, ...change });
    request.log.info(
      { event: 'portal.operator_action', consumerKey: consumer.key, action },
      'operator action',
    );
    setNotice(reply, 'operator.updated', { app: consumer.name });
    return redirect(reply, '/operator');
  });
}

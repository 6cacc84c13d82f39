// The one browser-side layer that every people-facing page stands on, the consent pages and the portal
// alike: the session and `request.user`, the form body, CSRF, the sign-in (with its failure limits),
// rendering in the person's language and frame, notices carried over a redirect, confirmation steps, and
// error pages. Route modules get a BrowserSide and add their routes to a context it has set up (install);
// app.ts also asks it whether a request outside the pages (a 404, a malformed URL) comes from a person's
// browser, which gets a page, or from a client, which keeps Tripod's JSON.

import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthProblem } from '../core/problems.ts';
import type { Clock, RandomSource, User } from '../provider/types.ts';
import type { TripodStores } from '../stores/types.ts';
import { auditEvent } from './audit-trail.ts';
import { type BrowserSession, createBrowserSessions } from './browser-sessions.ts';
import { isPublicHttps, type ServerConfig } from './config.ts';
import { type FormBody, field, parseFormBody } from './form-body.ts';
import {
  languageOfRequest,
  type MessageKey,
  type MessageValues,
  type Translate,
  translator,
} from './i18n/index.ts';
import { publicBasePath, publicRequestUrl } from './oauth-request.ts';
import { asPageProblem, PageProblem } from './page-errors.ts';
import { verifyPassword } from './passwords.ts';
import { RateLimits, SignInLimiter } from './rate-limits.ts';
import { createPageRenderer, type Frame, type NavigationEntry, type PageName } from './views.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** On a page: the signed-in person, or null (set by server/browser-side.ts). */
    user: User | null;
    /** On a page: the session behind `user`, or null. */
    browserSession: BrowserSession | null;
  }
}

export interface BrowserSideOptions {
  stores: Pick<TripodStores, 'users' | 'sessions' | 'rateLimits'>;
  clock: Clock;
  random: RandomSource;
  config: ServerConfig;
  /** Mounted into another app (tripod/server): the path prefix the pages are served under. */
  prefix?: string;
}

export interface PageOptions {
  status?: number;
  frame?: Frame;
  current?: NavigationEntry;
  /** The notice to show; by default the one a redirect left (site frame only). */
  notice?: string | null;
  /** The PIN page's copy button and countdown: the card frame loads the script only then. */
  withScript?: boolean;
}

/** A confirmation step before what cannot be undone: its form posts `confirm=yes` (and `fields`). */
export interface ConfirmationPage {
  title: string;
  message: string;
  warning: string;
  action: string;
  confirmLabel: string;
  cancelHref: string;
  fields?: [string, string][];
  current?: NavigationEntry;
}

export type BrowserSide = ReturnType<typeof createBrowserSide>;

// Notices a redirect may carry to the next page: only these keys, each with its {app} value.
const NOTICE_KEYS = [
  'app.created',
  'app.saved',
  'app.secretRegenerated',
  'app.iconSaved',
  'app.iconRemoved',
  'apps.deleted',
  'connected.revoked',
  'operator.updated',
  'signIn.signedOut',
  'settings.passwordChanged',
  'settings.emailSaved',
  'settings.sessionSignedOut',
  'settings.othersSignedOut',
  'forgot.sent',
  'reset.done',
  'people.updated',
] as const satisfies readonly MessageKey[];
type NoticeKey = (typeof NOTICE_KEYS)[number];
const NOTICE_COOKIE = 'tripod_notice';

// The protocol's endpoints and the API keep Tripod's JSON whatever the Accept header says.
const API_PREFIXES = ['/oauth/', '/1.1/'];

/** Whether an Accept header names HTML (a browser's navigation does; fetch, curl and SDKs send *\/*). */
function acceptsHtml(accept: string | string[] | undefined): boolean {
  const header = Array.isArray(accept) ? accept.join(',') : (accept ?? '');
  return header.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.replace(/\s/g, '').toLowerCase());
    return type === 'text/html' && !params.some((param) => /^q=0(\.0*)?$/.test(param));
  });
}

export function createBrowserSide(options: BrowserSideOptions) {
  const { stores, clock, config } = options;
  // Links and cookies live below the public URL's path; cookies are Secure when it is https.
  const prefix = options.prefix ?? '';
  const basePath = `${publicBasePath(config)}${prefix}`;
  const secure = isPublicHttps(config);
  const cookiePath = basePath === '' ? '/' : basePath;
  const renderer = createPageRenderer();
  const sessions = createBrowserSessions({
    sessions: stores.sessions,
    users: stores.users,
    clock,
    random: options.random,
    ttlSeconds: config.sessionTtlSeconds,
    secureCookies: secure,
    cookiePath,
  });
  const signInLimiter = new SignInLimiter(
    new RateLimits({ store: stores.rateLimits, clock, enabled: config.rateLimits === 'on' }),
    config.signInAttemptsPerMinute,
  );
  const link = (path: string) => `${basePath}${path}`;
  /** The request's path and query below the mount prefix: what links and API paths are made of. */
  const pathOf = (request: FastifyRequest) =>
    request.url.startsWith(prefix) ? request.url.slice(prefix.length) || '/' : request.url;
  const words = (request: FastifyRequest): Translate => translator(languageOfRequest(request));
  const noticeCookie = {
    path: cookiePath,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
  };

  function takeNotice(request: FastifyRequest, reply: FastifyReply, t: Translate): string | null {
    // No cookies where Fastify answers before the cookie plugin ran (a malformed URL).
    const raw = request.cookies?.[NOTICE_COOKIE];
    if (!raw) return null;
    reply.clearCookie(NOTICE_COOKIE, noticeCookie);
    try {
      const { key, values } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      if (!NOTICE_KEYS.includes(key)) return null;
      const clean: Record<string, string> = {};
      for (const [name, value] of Object.entries(values ?? {})) clean[name] = String(value).slice(0, 200);
      return t(key, clean);
    } catch {
      return null;
    }
  }

  function page(
    request: FastifyRequest,
    reply: FastifyReply,
    name: PageName,
    data: Record<string, unknown> & { title: string },
    pageOptions: PageOptions = {},
  ) {
    const lang = languageOfRequest(request);
    const t = translator(lang);
    const frame = pageOptions.frame ?? (name.startsWith('oauth/') ? 'card' : 'site');
    const user = request.user ?? null;
    const notice =
      pageOptions.notice !== undefined
        ? pageOptions.notice
        : frame === 'site'
          ? takeNotice(request, reply, t)
          : null;
    const html = renderer.render(
      name,
      {
        lang,
        t,
        basePath,
        frame,
        user: user ? { username: user.username, isOperator: user.isOperator } : null,
        // Outside the pages' context (a 404 at the root) there is no CSRF plugin, and no form.
        csrfToken: typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : '',
        current: pageOptions.current ?? null,
        notice,
      },
      { withScript: pageOptions.withScript === true, ...data },
    );
    return reply
      .code(pageOptions.status ?? 200)
      .type('text/html; charset=utf-8')
      .send(html);
  }

  function message(
    request: FastifyRequest,
    reply: FastifyReply,
    {
      status,
      frame,
      ...data
    }: { title: string; message: string; next?: string; status?: number; frame?: Frame },
  ) {
    return page(request, reply, 'message', { next: '', back: null, ...data }, { status, frame });
  }

  /** The page for an error (a 404 included); a 500 page for the unexpected, which is logged. */
  async function errorPage(error: unknown, request: FastifyRequest, reply: FastifyReply) {
    let problem = asPageProblem(error, clock.now());
    if (problem?.key === 'unavailable') {
      const reason = (error as Error).message;
      request.log.warn(
        { page_problem: problem.key, status: problem.statusCode, reason },
        'store unavailable',
      );
    } else if (problem) {
      request.log.info({ page_problem: problem.key, status: problem.statusCode }, 'page refused');
    } else {
      request.log.error({ err: error }, 'unhandled error on a page');
      problem = new PageProblem(500, 'serverError');
    }
    if (problem.key === 'tooManyAttempts') {
      request.log.warn({ event: 'sign_in_rate_limited' }, 'sign-in rate limit reached');
    }
    if (problem.retryAfterSeconds !== null) reply.header('retry-after', String(problem.retryAfterSeconds));
    // Outside the pages' context (a 404 at the root), who is signed in is looked up for the header.
    if (request.user === undefined) {
      request.user = await sessions.current(request).then(
        (s) => s?.user ?? null,
        () => null,
      );
    }
    const t = words(request);
    // In the middle of an app's flow the person goes back to the app; elsewhere, to the front page.
    const inFlow = pathOf(request).startsWith('/oauth/');
    return page(
      request,
      reply,
      'message',
      {
        title: t(problem.title, problem.values),
        message: t(problem.body, problem.values),
        next: '',
        back: inFlow ? null : { href: link('/'), label: t('error.backHome') },
      },
      { status: problem.statusCode, frame: inFlow ? 'card' : 'site' },
    );
  }

  return {
    basePath,
    sessions,
    link,
    /** This server's address as clients reach it (the public URL, else the request's scheme and Host). */
    siteUrl(request: FastifyRequest) {
      return `${new URL(publicRequestUrl(request, config)).origin}${basePath}`;
    },
    /** The translator of the request's language. */
    words,
    page,
    message,

    /** Sets up a Fastify context for pages: body, CSRF, `request.user`, error pages. */
    async install(app: FastifyInstance) {
      // Form bodies only, parsed here into strings (arrays for repeated fields such as callback_url).
      app.removeAllContentTypeParsers();
      app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 64 * 1024 },
        (_request, body, done) => done(null, parseFormBody(body as string)),
      );
      // Cookies for the pages only: the protocol's and the API's answers set none and read none, and the
      // plugin's two hooks on every API request cost it about 1 % (BENCHMARKS.md). A host app may have
      // registered the plugin already; its parser serves Tripod's pages as well.
      if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);
      await app.register(fastifyCsrf, {
        cookieKey: 'tripod_csrf',
        cookieOpts: { path: cookiePath, sameSite: 'lax', httpOnly: true, secure },
        getToken: (request) => field((request.body ?? {}) as FormBody, '_csrf'),
      });
      app.decorateRequest('user', null);
      app.decorateRequest('browserSession', null);
      app.addHook('onRequest', async (request) => {
        request.browserSession = await sessions.current(request);
        request.user = request.browserSession?.user ?? null;
      });
      app.setErrorHandler(errorPage);
    },

    /** A preHandler for a POST route: its form must carry this browser's CSRF token. */
    csrf(app: FastifyInstance) {
      return (request: FastifyRequest, reply: FastifyReply) =>
        new Promise<void>((resolve, reject) => {
          app.csrfProtection(request, reply, ((error?: Error) =>
            error ? reject(error) : resolve()) as () => void);
        });
    },

    /** A preHandler for the pages of signed-in people: a stranger is sent to sign in, then back here. */
    async signedInOnly(request: FastifyRequest, reply: FastifyReply) {
      if (request.user) return;
      const next = link(request.method === 'GET' ? pathOf(request) : '/apps');
      return reply.redirect(`${link('/sign-in')}?${new URLSearchParams({ next })}`, 303);
    },

    confirm(request: FastifyRequest, reply: FastifyReply, { current, ...data }: ConfirmationPage) {
      return page(request, reply, 'confirm', { fields: [], ...data }, { current });
    },

    /** 303 to `path` below the public URL's path (after a POST: a reload never repeats it). */
    redirect(reply: FastifyReply, path: string) {
      return reply.redirect(link(path), 303);
    },

    /** A sentence for the next page, after a redirect. */
    notice(reply: FastifyReply, key: NoticeKey, values: MessageValues = {}) {
      const value = Buffer.from(JSON.stringify({ key, values })).toString('base64url');
      reply.setCookie(NOTICE_COOKIE, value, { ...noticeCookie, maxAge: 60 });
    },

    /** Checks what a person typed; a success signs this browser in. RateLimited when it may not be tried. */
    async signIn(
      request: FastifyRequest,
      reply: FastifyReply,
      typed: { username: string; password: string },
    ): Promise<{ user: User } | { refused: 'missing' | 'wrongCredentials' | 'accountDisabled' }> {
      // People type their @handle as often as their name.
      const username = typed.username.trim().replace(/^@/, '');
      // Nothing typed is no guess: asked again, not counted.
      if (username === '' || typed.password === '') return { refused: 'missing' };
      const attempt = await signInLimiter.begin(username, request.ip);
      const found = await stores.users.getByUsername(username);
      // verifyPassword spends the same time for an unknown user, so the answer does not reveal who exists.
      if (!(await verifyPassword(found?.passwordHash ?? null, typed.password)) || !found) {
        request.log.info({ event: 'sign_in_failed' }, 'sign-in failed');
        auditEvent('sign_in.failed', { userId: found?.id ?? null, detail: { reason: 'wrong_credentials' } });
        return { refused: 'wrongCredentials' };
      }
      // Said only to whoever knows the password.
      if (found.disabled)
        auditEvent('sign_in.failed', { userId: found.id, detail: { reason: 'account_disabled' } });
      if (found.disabled) return { refused: 'accountDisabled' };
      await attempt.succeeded();
      auditEvent('sign_in.succeeded', { userId: found.id });
      request.browserSession = await sessions.signIn(request, reply, found);
      request.user = found;
      return { user: found };
    },

    /** Counts a sign-up from this request's address; RateLimited past the limit. */
    limitSignUp(request: FastifyRequest) {
      return signInLimiter.signUp(request.ip);
    },

    /** Whether a request outside the pages comes from a person's browser (which then gets a page). */
    wantsPage(request: FastifyRequest, error?: unknown) {
      // The protocol's refusals stay protocol answers wherever they come from.
      if (error instanceof OAuthProblem) return false;
      const path = pathOf(request).split('?', 1)[0]!;
      return !API_PREFIXES.some((prefix) => path.startsWith(prefix)) && acceptsHtml(request.headers.accept);
    },

    errorPage,
  };
}

// The people-facing side of the protocol: GET /oauth/authorize and /oauth/authenticate show the app and
// the access it asks for, sign the person in when needed, and a CSRF-protected POST records the decision.
// Allow in oob mode keeps the PIN in this browser's session (sealed) and redirects to the PIN page
// (pin-page.ts), so a reload, Back then Forward, or a phone reloading the tab shows the same PIN again;
// the PIN is never in a URL. Every page speaks the language OKAPI's `langpref` asks for (carried through
// the forms in a hidden field), else the browser's Accept-Language, else English.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizationRequest, Provider } from '../provider/index.ts';
import type { ConsumerReader, User, UserReader } from '../provider/types.ts';
import type { AppIconStore } from '../stores/types.ts';
import type { BrowserSide } from './browser-side.ts';
import { type FormBody, field } from './form-body.ts';
import type { MessageKey } from './i18n/index.ts';
import { badRequest, PageProblem } from './page-errors.ts';
import { pinPagePath, stashPin } from './pin-page.ts';
import { iconPath } from './portal/app-icon-routes.ts';

export interface AuthorizationPagesOptions {
  side: BrowserSide;
  provider: Provider;
  users: UserReader;
  /** To name who registered the app on the consent page. */
  consumers: ConsumerReader;
  /** The sign-in form links to sign-up, which comes back to this page (--sign-up open). */
  allowSignUp?: boolean;
  /** The app's icon, shown beside its name. */
  icons: Pick<AppIconStore, 'get'>;
}

type Endpoint = 'authorize' | 'authenticate';

interface AuthorizeQuery {
  oauthToken: string;
  forceLogin: boolean;
  screenName: string;
  confirmUser: boolean;
  /** OKAPI's langpref as given (already chose the language); carried on to the forms and links. */
  langpref: string;
}

function isTrue(value: string): boolean {
  return ['true', '1', 'yes'].includes(value.toLowerCase());
}

function readQuery(request: FastifyRequest): AuthorizeQuery {
  // Extra parameters are ignored on purpose: twurl sends every signed oauth_* parameter along.
  const query = (request.query ?? {}) as FormBody;
  return {
    oauthToken: field(query, 'oauth_token'),
    forceLogin: isTrue(field(query, 'force_login')),
    screenName: field(query, 'screen_name').replace(/^@/, '').slice(0, 100),
    confirmUser: field(query, 'interactivity') === 'confirm_user',
    langpref: cleanLangpref(field(query, 'langpref')),
  };
}

/** A langpref worth carrying on: ISO 639-1-like codes separated by pipes, nothing else. */
export function cleanLangpref(value: string): string {
  return /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*(\|[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*){0,9}$/.test(value)
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

interface ConsentView {
  endpoint: Endpoint;
  langpref: string;
  confirmUser: boolean;
  oauthToken: string;
  authorization: AuthorizationRequest;
  /** Who the page says is signed in (null: nobody, or the sign-in form was just refused). */
  user: User | null;
  showSignIn: boolean;
  /** The signed-in person authorized this app before (oauth/authorize still asks; it says so). */
  alreadyAuthorized?: boolean;
  username: string;
  error?: MessageKey;
}

export async function authorizationPages(
  app: FastifyInstance,
  options: AuthorizationPagesOptions,
): Promise<void> {
  const { side, provider, users, consumers, icons } = options;
  const csrf = side.csrf(app);

  async function describe(oauthToken: string): Promise<AuthorizationRequest> {
    if (oauthToken === '') throw new PageProblem(400, 'tokenMissing');
    return provider.describeAuthorization(oauthToken);
  }

  function mustSignIn(user: User | null, query: Omit<AuthorizeQuery, 'oauthToken' | 'langpref'>) {
    if (!user || query.forceLogin || query.confirmUser) return true;
    // Asked for a specific account that is not the signed-in one: let the person sign in as that one.
    return query.screenName !== '' && query.screenName.toLowerCase() !== user.username.toLowerCase();
  }

  async function ownerOf(consumerKey: string): Promise<string | null> {
    const consumer = await consumers.get(consumerKey);
    if (!consumer?.ownerUserId) return null;
    return (await users.getById(consumer.ownerUserId))?.username ?? null;
  }

  /** The app's icon URL (served from this origin), or null. */
  async function iconOf(consumerKey: string): Promise<string | null> {
    const icon = await icons.get(consumerKey);
    return icon ? side.link(iconPath(consumerKey, icon.updatedAt)) : null;
  }

  async function consentPage(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    view: ConsentView,
  ) {
    const { authorization } = view;
    const t = side.words(request);
    const consumer = authorization.consumer;
    const action = side.link(`/oauth/${view.endpoint}`);
    const switchParams = new URLSearchParams({ oauth_token: view.oauthToken, force_login: 'true' });
    if (view.langpref) switchParams.set('langpref', view.langpref);
    return side.page(
      request,
      reply,
      'oauth/authorize',
      {
        title: t('authorize.pageTitle', { app: consumer.name }),
        app: {
          name: consumer.name,
          description: consumer.description,
          website: consumer.website,
          websiteHref: websiteHref(consumer.website),
          owner: await ownerOf(consumer.key),
          icon: await iconOf(consumer.key),
        },
        readWrite: authorization.accessLevel === 'read-write',
        action,
        oauthToken: view.oauthToken,
        langpref: view.langpref,
        confirmUser: view.confirmUser,
        showSignIn: view.showSignIn,
        alreadyAuthorized: view.alreadyAuthorized === true,
        username: view.username,
        error: view.error ? t(view.error) : '',
        signedIn: view.user?.username ?? '',
        switchUserHref: `${action}?${switchParams}`,
        signUpHref: options.allowSignUp === false ? '' : signUpHref(view),
      },
      { status },
    );
  }

  /** Sign-up that comes back to this very consent page (the request token and language kept). */
  function signUpHref(view: ConsentView) {
    const back = new URLSearchParams({ oauth_token: view.oauthToken });
    if (view.langpref) back.set('langpref', view.langpref);
    const next = side.link(`/oauth/${view.endpoint}?${back}`);
    return `${side.link('/sign-up')}?${new URLSearchParams({ next })}`;
  }

  /** Approves for `user`: callback mode goes back to the app, oob to the PIN page of this browser. */
  async function approve(request: FastifyRequest, reply: FastifyReply, oauthToken: string, langpref: string) {
    const session = request.browserSession;
    if (!session) throw badRequest();
    const result = await provider.approve(oauthToken, session.user.id);
    if (result.mode === 'callback') return reply.redirect(result.redirectTo, 302);
    await stashPin(side, session, oauthToken, result);
    return side.redirect(reply, pinPagePath(oauthToken, langpref));
  }

  const show = (endpoint: Endpoint) => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = readQuery(request);
    const authorization = await describe(query.oauthToken);
    const user = request.user;
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
      return approve(request, reply, query.oauthToken, query.langpref);
    }
    return consentPage(request, reply, 200, {
      endpoint,
      langpref: query.langpref,
      confirmUser: query.confirmUser,
      oauthToken: query.oauthToken,
      authorization,
      user,
      showSignIn,
      alreadyAuthorized: signedIn && (await provider.hasAuthorized(user.id, key)),
      // confirm_user: the signed-in person's name is offered, to be confirmed with their password.
      username: query.screenName || (query.confirmUser && user ? user.username : ''),
    });
  };

  const decide = (endpoint: Endpoint) => async (request: FastifyRequest, reply: FastifyReply) => {
    const form = (request.body ?? {}) as FormBody;
    const token = field(form, 'oauth_token');
    const authorization = await describe(token);
    const langpref = cleanLangpref(field(form, 'langpref'));
    const confirmUser = field(form, 'interactivity') === 'confirm_user';
    const decision = field(form, 'decision');

    if (decision === 'deny') {
      // Cancelling needs no sign-in: it only closes this request.
      const result = await provider.deny(token);
      if (result.mode === 'callback') return reply.redirect(result.redirectTo, 302);
      const t = side.words(request);
      const appName = authorization.consumer.name;
      return side.message(request, reply, {
        frame: 'card',
        title: t('denied.pageTitle'),
        message: t('denied.body', { app: appName }),
        next: t('denied.next', { app: appName }),
      });
    }
    if (decision === 'switch') {
      // interactivity=confirm_user: "not me" signs this browser out and asks again who is authorizing.
      await side.sessions.signOut(request, reply);
      const params = new URLSearchParams({ oauth_token: token, interactivity: 'confirm_user' });
      if (langpref) params.set('langpref', langpref);
      return side.redirect(reply, `/oauth/${endpoint}?${params}`);
    }
    if (decision !== 'allow') throw badRequest();

    const again = (username: string, error: MessageKey) =>
      consentPage(request, reply, 401, {
        endpoint,
        langpref,
        confirmUser,
        oauthToken: token,
        authorization,
        user: null,
        showSignIn: true,
        username,
        error,
      });
    if (field(form, 'sign_in') === '1') {
      const username = field(form, 'username').trim();
      const outcome = await side.signIn(request, reply, { username, password: field(form, 'password') });
      if ('refused' in outcome) {
        return again(username, SIGN_IN_REFUSALS[outcome.refused]);
      }
    } else if (!request.user) {
      return again('', 'authorize.signInRequired');
    }
    return approve(request, reply, token, langpref);
  };

  for (const endpoint of ['authorize', 'authenticate'] as const) {
    app.get(`/oauth/${endpoint}`, show(endpoint));
    app.post(`/oauth/${endpoint}`, { preHandler: csrf, handler: decide(endpoint) });
  }
}

const SIGN_IN_REFUSALS = {
  missing: 'authorize.signInRequired',
  wrongCredentials: 'authorize.wrongCredentials',
  accountDisabled: 'signIn.accountDisabled',
} as const satisfies Record<string, MessageKey>;

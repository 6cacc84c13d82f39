// Accounts: the front page, signing in (through the same sign-in and failure limits as the consent
// page), signing up (unless --sign-up off; from the consent page it returns there), signing out.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../provider/types.ts';
import { isEmailAddress } from '../accounts.ts';
import { type FormBody, field } from '../form-body.ts';
import type { MessageKey } from '../i18n/index.ts';
import { isAllowedUsername, MIN_PASSWORD_LENGTH, RegistrationError, registerUser } from '../registration.ts';
import type { FormError } from './app-form.ts';
import type { PortalOptions } from './portal.ts';

/** A same-site path to go back to after signing in, or null. Refuses //host and /\host (open redirects). */
export function safeNextPath(next: string, basePath: string): string | null {
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 2000)
    return null;
  if (/[\u0000-\u001f\\]/.test(next)) return null;
  if (basePath !== '' && !(next === basePath || next.startsWith(`${basePath}/`))) return null;
  return next;
}

const SIGN_IN_REFUSALS = {
  missing: 'signIn.wrongCredentials',
  wrongCredentials: 'signIn.wrongCredentials',
  accountDisabled: 'signIn.accountDisabled',
} as const satisfies Record<string, MessageKey>;

export async function accountRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores, clock, random } = options;
  const allowSignUp = options.allowSignUp ?? true;
  const csrf = side.csrf(app);
  /** Where to go afterwards: a safe same-site path from the form or the query, else My apps. */
  const nextOf = (request: FastifyRequest) => {
    const query = (request.query ?? {}) as FormBody;
    const raw = field((request.body ?? {}) as FormBody, 'next') || field(query, 'next');
    return safeNextPath(raw, side.basePath) ?? side.link('/apps');
  };
  /** `path?next=…` when the next page is not the default one (links between sign-in and sign-up). */
  const withNext = (path: string, next: string) =>
    next === side.link('/apps') ? side.link(path) : `${side.link(path)}?${new URLSearchParams({ next })}`;

  // The site's front page: where to sign in, your apps, the apps connected to your account.
  app.get('/', async (request, reply) =>
    side.page(request, reply, 'portal/home', { title: side.words(request)('home.pageTitle'), allowSignUp }),
  );

  function signInPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { username: string; error: MessageKey | null; next: string },
    status = 200,
  ) {
    const t = side.words(request);
    return side.page(
      request,
      reply,
      'portal/sign-in',
      {
        title: t('signIn.pageTitle'),
        username: form.username,
        error: form.error ? t(form.error) : '',
        next: form.next,
        allowSignUp,
        signUpHref: withNext('/sign-up', form.next),
      },
      { current: 'sign-in', status },
    );
  }

  app.get('/sign-in', async (request, reply) => {
    const next = nextOf(request);
    if (request.user) return reply.redirect(next, 303);
    return signInPage(request, reply, { username: '', error: null, next });
  });

  app.post('/sign-in', { preHandler: csrf }, async (request, reply) => {
    const body = request.body as FormBody;
    const username = field(body, 'username').trim();
    const next = nextOf(request);
    const outcome = await side.signIn(request, reply, { username, password: field(body, 'password') });
    if ('refused' in outcome) {
      return signInPage(request, reply, { username, error: SIGN_IN_REFUSALS[outcome.refused], next }, 401);
    }
    return reply.redirect(next, 303);
  });

  if (allowSignUp) {
    const signUpPage = (
      request: FastifyRequest,
      reply: FastifyReply,
      form: { username: string; email: string; next: string; errors: FormError[] },
      status = 200,
    ) => {
      const t = side.words(request);
      return side.page(
        request,
        reply,
        'portal/sign-up',
        {
          title: t('signUp.pageTitle'),
          username: form.username,
          email: form.email,
          next: form.next,
          signInHref: withNext('/sign-in', form.next),
          errors: form.errors.map((e) => ({ fieldId: e.fieldId, message: t(e.key, e.values) })),
          minPassword: MIN_PASSWORD_LENGTH,
        },
        { current: 'sign-up', status },
      );
    };

    app.get('/sign-up', async (request, reply) => {
      const next = nextOf(request);
      if (request.user) return reply.redirect(next, 303);
      return signUpPage(request, reply, { username: '', email: '', next, errors: [] });
    });

    app.post('/sign-up', { preHandler: csrf }, async (request, reply) => {
      await side.limitSignUp(request);
      const body = request.body as FormBody;
      const username = field(body, 'username').trim();
      const password = field(body, 'password');
      const email = field(body, 'email').trim();
      const next = nextOf(request);
      const errors: FormError[] = [];
      if (!isAllowedUsername(username)) errors.push({ fieldId: 'username', key: 'signUp.usernameInvalid' });
      else if (await stores.users.getByUsername(username))
        errors.push({ fieldId: 'username', key: 'signUp.usernameTaken' });
      if (password.length < MIN_PASSWORD_LENGTH) {
        errors.push({
          fieldId: 'password',
          key: 'signUp.passwordTooShort',
          values: { min: MIN_PASSWORD_LENGTH },
        });
      }
      if (email !== '' && !isEmailAddress(email))
        errors.push({ fieldId: 'email', key: 'common.emailInvalid' });
      if (errors.length > 0) return signUpPage(request, reply, { username, email, next, errors }, 400);
      let user: User;
      try {
        user = await registerUser(stores, { username, password }, { clock, random });
      } catch (error) {
        // Two sign-ups racing for one name: the second loses here.
        if (!(error instanceof RegistrationError)) throw error;
        const taken: FormError = { fieldId: 'username', key: 'signUp.usernameTaken' };
        return signUpPage(request, reply, { username, email, next, errors: [taken] }, 400);
      }
      if (email !== '') await stores.users.setEmail(user.id, email);
      await side.sessions.signIn(request, reply, user);
      // Back to where the person came from (the consent page of an app), else My apps.
      return reply.redirect(next, 303);
    });
  }

  app.post('/sign-out', { preHandler: csrf }, async (request, reply) => {
    await side.sessions.signOut(request, reply);
    const next = nextOf(request);
    if (next === side.link('/apps')) {
      side.notice(reply, 'signIn.signedOut');
      return side.redirect(reply, '/sign-in');
    }
    return reply.redirect(next, 303);
  });
}

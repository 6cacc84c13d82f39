// Forgotten passwords. "Forgot your password?" asks for a username or e-mail address and answers the same
// whatever was typed (nobody learns who has an account); with a mail server configured, each matching
// account with an address is mailed a one-time link. The link (/reset-password/TOKEN, also issued by the
// operator) shows a form for a new password; using it ends every session of the account.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../provider/types.ts';
import {
  issuePasswordReset,
  RESET_LINK_TTL_SECONDS,
  RESET_PATH,
  resetPassword,
  resetTokenUser,
} from '../accounts.ts';
import { type FormBody, field } from '../form-body.ts';
import { PageProblem } from '../page-errors.ts';
import { MIN_PASSWORD_LENGTH } from '../registration.ts';
import { absoluteLink, type PortalOptions } from './portal.ts';

const MINUTES = RESET_LINK_TTL_SECONDS / 60;

/** The link's token: the last segment of the path. */
const tokenParam = (request: FastifyRequest) => (request.params as { token: string }).token;

export async function passwordResetRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores, clock, random } = options;
  const mailer = options.mailer ?? null;
  const csrf = side.csrf(app);

  app.get('/forgot-password', async (request, reply) => {
    const t = side.words(request);
    return side.page(request, reply, 'portal/forgot-password', {
      title: t('forgot.pageTitle'),
      mails: mailer !== null,
    });
  });

  app.post('/forgot-password', { preHandler: csrf }, async (request, reply) => {
    // Counted like a sign-up: each one may send mail.
    await side.limitSignUp(request);
    const typed = field(request.body as FormBody, 'name')
      .trim()
      .replace(/^@/, '')
      .slice(0, 254);
    if (mailer && typed !== '') {
      const byName = typed.includes('@') ? null : await stores.users.getByUsername(typed);
      const accounts: User[] = byName
        ? [byName]
        : typed.includes('@')
          ? await stores.users.listByEmail(typed)
          : [];
      const t = side.words(request);
      for (const user of accounts) {
        if (!user.email || user.disabled) continue;
        const { token } = await issuePasswordReset(stores, user, { clock, random });
        const link = absoluteLink(options, request, `${RESET_PATH}/${token}`);
        // A mail server that fails must not tell the asker anything either: logged, same answer.
        await mailer
          .send({ to: user.email, username: user.username, link, minutes: MINUTES, t })
          .catch((error: unknown) => request.log.error({ err: error }, 'reset mail not sent'));
      }
    }
    side.notice(reply, 'forgot.sent', { minutes: MINUTES });
    return side.redirect(reply, '/sign-in');
  });

  function resetPage(request: FastifyRequest, reply: FastifyReply, user: User, error: string, status = 200) {
    const t = side.words(request);
    return side.page(
      request,
      reply,
      'portal/reset-password',
      {
        title: t('reset.pageTitle'),
        username: user.username,
        action: side.link(`${RESET_PATH}/${encodeURIComponent(tokenParam(request))}`),
        minPassword: MIN_PASSWORD_LENGTH,
        errors: error ? [{ fieldId: 'new_password', message: error }] : [],
      },
      { status },
    );
  }
  const linkGone = () => new PageProblem(404, 'resetLinkGone');

  app.get(`${RESET_PATH}/:token`, async (request, reply) => {
    // The link's token must not leak to other sites through Referer.
    reply.header('referrer-policy', 'no-referrer');
    const user = await resetTokenUser(stores, tokenParam(request), clock);
    if (!user) throw linkGone();
    return resetPage(request, reply, user, '');
  });

  app.post(`${RESET_PATH}/:token`, { preHandler: csrf }, async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    const token = tokenParam(request);
    const password = field(request.body as FormBody, 'new_password');
    const user = await resetTokenUser(stores, token, clock);
    if (!user) throw linkGone();
    if (password.length < MIN_PASSWORD_LENGTH) {
      const t = side.words(request);
      return resetPage(request, reply, user, t('signUp.passwordTooShort', { min: MIN_PASSWORD_LENGTH }), 400);
    }
    // Taken here, once: a second use (or a race with one) finds nothing.
    if (!(await resetPassword(stores, token, password, clock))) throw linkGone();
    request.log.info({ event: 'account.password_reset' }, 'password reset by link');
    // This browser too: whoever was signed in here signs in again with the new password.
    await side.sessions.signOut(request, reply);
    side.notice(reply, 'reset.done');
    return reply.redirect(`${side.link('/sign-in')}`, 303);
  });
}

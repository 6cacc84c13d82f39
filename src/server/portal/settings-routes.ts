// Account settings (/settings): change the password (the current one is asked first: a borrowed
// browser must not be enough), an e-mail address for reset links, and the sessions of the account — when
// and from where each signed in, when it was last seen — with "sign out" for one and for all the others.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../provider/types.ts';
import type { Session } from '../../stores/types.ts';
import { isEmailAddress, setPassword } from '../accounts.ts';
import { type FormBody, field } from '../form-body.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { notFound } from '../page-errors.ts';
import { verifyPassword } from '../passwords.ts';
import { MIN_PASSWORD_LENGTH } from '../registration.ts';
import type { FormError } from './app-form.ts';
import { signedInUser } from './manageable-app.ts';
import type { PortalOptions } from './portal.ts';

// The few names a person recognises, most specific first (Edge and Opera also say Chrome; Chrome says Safari).
const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bFirefox\//, 'Firefox'],
  [/\bChrom(?:e|ium)\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
  [/\bcurl\//, 'curl'],
];
const SYSTEMS: readonly [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b/, 'Linux'],
];

/** "Firefox on Linux" from a User-Agent header; the page's words for an unknown one. */
export function browserSummary(userAgent: string | null, t: Translate): string {
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent ?? ''))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent ?? ''))?.[1];
  if (!browser) return t('settings.unknownBrowser');
  return system ? t('settings.browserOn', { browser, system }) : browser;
}

export async function settingsRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores, clock } = options;
  app.addHook('preHandler', side.signedInOnly);
  const protect = { preHandler: side.csrf(app) };

  async function settingsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    form: { email?: string; errors: FormError[] } = { errors: [] },
    status = 200,
  ) {
    const t = side.words(request);
    const here = request.browserSession?.idHash;
    const sessions = await stores.sessions.listForUser(user.id, clock.now());
    return side.page(
      request,
      reply,
      'portal/settings',
      {
        title: t('settings.pageTitle'),
        email: form.email ?? user.email ?? '',
        minPassword: MIN_PASSWORD_LENGTH,
        errors: form.errors.map((e) => ({ fieldId: e.fieldId, message: t(e.key, e.values) })),
        sessions: sessions.map((s: Session) => ({
          // The id hash names a session in the sign-out form: it opens nothing (the cookie is its preimage).
          id: s.idHash,
          current: s.idHash === here,
          browser: browserSummary(s.userAgent, t),
          address: s.address ?? '',
          createdAt: s.createdAt,
          lastSeenAt: s.lastSeenAt,
        })),
        othersCount: sessions.filter((s) => s.idHash !== here).length,
      },
      { current: 'settings', status },
    );
  }

  app.get('/settings', async (request, reply) => settingsPage(request, reply, signedInUser(request)));

  app.post('/settings/password', protect, async (request, reply) => {
    const user = signedInUser(request);
    const body = request.body as FormBody;
    const password = field(body, 'new_password');
    const refuse = (fieldId: string, key: MessageKey, values?: FormError['values']) =>
      settingsPage(request, reply, user, { errors: [{ fieldId, key, values }] }, 400);
    if (!(await verifyPassword(user.passwordHash, field(body, 'current_password')))) {
      request.log.info({ event: 'settings.password_refused' }, 'current password wrong');
      return refuse('current_password', 'settings.currentPasswordWrong');
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      return refuse('new_password', 'signUp.passwordTooShort', { min: MIN_PASSWORD_LENGTH });
    }
    await setPassword(stores, user, password, request.browserSession?.idHash);
    request.log.info({ event: 'settings.password_changed' }, 'password changed');
    side.notice(reply, 'settings.passwordChanged');
    return side.redirect(reply, '/settings');
  });

  app.post('/settings/email', protect, async (request, reply) => {
    const user = signedInUser(request);
    const email = field(request.body as FormBody, 'email').trim();
    if (email !== '' && !isEmailAddress(email)) {
      return settingsPage(
        request,
        reply,
        user,
        { email, errors: [{ fieldId: 'email', key: 'common.emailInvalid' }] },
        400,
      );
    }
    await stores.users.setEmail(user.id, email === '' ? null : email);
    side.notice(reply, 'settings.emailSaved');
    return side.redirect(reply, '/settings');
  });

  app.post('/settings/sessions/sign-out', protect, async (request, reply) => {
    const user = signedInUser(request);
    const here = request.browserSession?.idHash;
    const which = field(request.body as FormBody, 'session');
    if (which === 'others') {
      await stores.sessions.deleteForUser(user.id, here);
      side.notice(reply, 'settings.othersSignedOut');
      return side.redirect(reply, '/settings');
    }
    // Only a session of this account, found by its hash among the account's own.
    const own = (await stores.sessions.listForUser(user.id, clock.now())).find((s) => s.idHash === which);
    if (!own) throw notFound();
    if (own.idHash === here) {
      await side.sessions.signOut(request, reply);
      side.notice(reply, 'signIn.signedOut');
      return side.redirect(reply, '/sign-in');
    }
    await stores.sessions.delete(own.idHash);
    side.notice(reply, 'settings.sessionSignedOut');
    return side.redirect(reply, '/settings');
  });
}

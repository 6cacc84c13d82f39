// My apps: list, register, edit, the keys (the secret revealed on request, regenerated after a
// confirmation and then shown once, after the redirect, from the session's sealed stash — never in a URL)
// and deletion after a confirmation.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { generateToken } from '../../provider/random-source.ts';
import type { Consumer, User } from '../../provider/types.ts';
import { auditEvent } from '../audit-trail.ts';
import type { ConfirmationPage } from '../browser-side.ts';
import type { FormBody } from '../form-body.ts';
import type { Translate } from '../i18n/index.ts';
import { registerApp } from '../registration.ts';
import {
  APP_DESCRIPTION_MAX,
  APP_NAME_MAX,
  type AppFormValues,
  appFieldsOf,
  appMode,
  CALLBACK_URLS_MAX,
  EMPTY_APP_FORM,
  type FormError,
  formValuesOf,
  modeStatementKey,
  readAppForm,
} from './app-form.ts';
import { ICON_MAX_BYTES, iconPath } from './app-icon-routes.ts';
import { isConfirmed, keyParam, manageableApp, signedInUser } from './manageable-app.ts';
import type { PortalOptions } from './portal.ts';

// Long enough to read the redirect's answer; the secret is shown once, at the first look.
const REGENERATED_SECRET_SHOWN_FOR_MS = 10 * 60 * 1000;
const regeneratedSecret = (key: string) => `secret:${key}`;

function appFormData(t: Translate, values: AppFormValues, errors: FormError[], user: User) {
  return {
    form: values,
    errors: errors.map((e) => ({ fieldId: e.fieldId, message: t(e.key, e.values) })),
    modeKey: modeStatementKey(appMode(values.callbackUrls)),
    canSetXauth: user.isOperator,
    limits: { name: APP_NAME_MAX, description: APP_DESCRIPTION_MAX, callbacks: CALLBACK_URLS_MAX },
  };
}

export async function appRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores, clock, random } = options;
  app.addHook('preHandler', side.signedInOnly);
  const protect = { preHandler: side.csrf(app) };
  const appPath = (key: string) => `/apps/${encodeURIComponent(key)}`;

  app.get('/apps', async (request, reply) => {
    const user = signedInUser(request);
    const mine = await stores.consumers.listByOwner(user.id);
    const icons = await Promise.all(mine.map((c) => stores.icons.get(c.key)));
    return side.page(
      request,
      reply,
      'portal/apps',
      {
        title: side.words(request)('apps.pageTitle'),
        apps: mine.map((c, i) => ({
          key: c.key,
          name: c.name,
          icon: icons[i] ? side.link(iconPath(c.key, icons[i].updatedAt)) : null,
          mode: appMode(c.callbackUrls),
          accessLevel: c.accessLevel,
          createdAt: c.createdAt,
          disabled: c.disabled,
        })),
      },
      { current: 'apps' },
    );
  });

  const newAppPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    values: AppFormValues,
    errors: FormError[],
  ) => {
    const t = side.words(request);
    return side.page(
      request,
      reply,
      'portal/app-new',
      { title: t('app.newPageTitle'), ...appFormData(t, values, errors, user) },
      { current: 'apps', status: errors.length > 0 ? 400 : 200 },
    );
  };

  app.get('/apps/new', async (request, reply) => {
    const user = signedInUser(request);
    return newAppPage(request, reply, user, EMPTY_APP_FORM, []);
  });

  app.post('/apps', protect, async (request, reply) => {
    const user = signedInUser(request);
    const { values, errors } = readAppForm(request.body as FormBody, {
      canSetXauth: user.isOperator,
      previousXauth: false,
    });
    if (errors.length > 0) return newAppPage(request, reply, user, values, errors);
    const fields = { ...appFieldsOf(values), ownerUserId: user.id };
    const consumer = await registerApp(stores, fields, { clock, random });
    request.log.info({ event: 'portal.app_created', consumerKey: consumer.key }, 'app registered');
    side.notice(reply, 'app.created');
    return side.redirect(reply, appPath(consumer.key));
  });

  async function appPage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    consumer: Consumer,
    extra: { values?: AppFormValues; errors?: FormError[]; secret?: string | null; status?: number } = {},
  ) {
    const t = side.words(request);
    const icon = await stores.icons.get(consumer.key);
    return side.page(
      request,
      reply,
      'portal/app',
      {
        title: t('app.editPageTitle', { app: consumer.name }),
        app: {
          key: consumer.key,
          name: consumer.name,
          disabled: consumer.disabled,
          secret: extra.secret ?? null,
          icon: icon ? side.link(iconPath(consumer.key, icon.updatedAt)) : null,
        },
        iconMaxBytes: ICON_MAX_BYTES,
        ...appFormData(t, extra.values ?? formValuesOf(consumer), extra.errors ?? [], user),
      },
      { current: 'apps', status: extra.status },
    );
  }

  app.get('/apps/:key', async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    // A secret regenerated just before is shown at this first look only (a stale one never).
    const session = request.browserSession;
    const stashed = session ? side.sessions.stashed(session, regeneratedSecret(consumer.key)) : null;
    if (session && stashed) await side.sessions.unstash(session, regeneratedSecret(consumer.key));
    const secret = stashed?.secret === consumer.secret ? consumer.secret : null;
    return appPage(request, reply, user, consumer, { secret });
  });

  app.post('/apps/:key', protect, async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    const { values, errors } = readAppForm(request.body as FormBody, {
      canSetXauth: user.isOperator,
      previousXauth: consumer.xauth,
    });
    if (errors.length > 0) return appPage(request, reply, user, consumer, { values, errors, status: 400 });
    await stores.consumers.update({ ...consumer, ...appFieldsOf(values) });
    request.log.info({ event: 'portal.app_updated', consumerKey: consumer.key }, 'app updated');
    side.notice(reply, 'app.saved');
    return side.redirect(reply, appPath(consumer.key));
  });

  // Showing the secret changes nothing: its answer is the page with the secret (no-store, as every page).
  app.post('/apps/:key/secret', protect, async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    request.log.info({ event: 'portal.secret_revealed', consumerKey: consumer.key }, 'secret revealed');
    return appPage(request, reply, user, consumer, { secret: consumer.secret });
  });

  /** The confirmation step of `/apps/:key<action>`, whose POST (with confirm=yes) does it. */
  const askFirst = (
    action: string,
    texts: (
      t: Translate,
      app: Consumer,
    ) => Pick<ConfirmationPage, 'title' | 'message' | 'warning' | 'confirmLabel'>,
  ) =>
    app.get(`/apps/:key${action}`, async (request, reply) => {
      const user = signedInUser(request);
      const consumer = await manageableApp(stores.consumers, user, keyParam(request));
      return side.confirm(request, reply, {
        ...texts(side.words(request), consumer),
        action: side.link(`${appPath(consumer.key)}${action}`),
        cancelHref: side.link(appPath(consumer.key)),
        current: 'apps',
      });
    });

  askFirst('/secret/regenerate', (t, consumer) => ({
    title: t('confirm.regenerateTitle', { app: consumer.name }),
    message: t('confirm.regenerateBody', { app: consumer.name }),
    warning: t('app.regenerateWarning'),
    confirmLabel: t('app.regenerateSecret'),
  }));

  app.post('/apps/:key/secret/regenerate', protect, async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    const path = appPath(consumer.key);
    if (!isConfirmed(request.body)) return side.redirect(reply, `${path}/secret/regenerate`);
    // Same strength as registration's; the provider reads the consumer on every request, so the old
    // secret stops verifying with this write.
    const secret = generateToken(random, 32);
    await stores.consumers.update({ ...consumer, secret });
    request.log.info({ event: 'portal.secret_regenerated', consumerKey: consumer.key }, 'secret regenerated');
    auditEvent('app.secret_regenerated', { consumerKey: consumer.key });
    const session = request.browserSession!;
    const until = clock.now() + REGENERATED_SECRET_SHOWN_FOR_MS;
    await side.sessions.stash(session, regeneratedSecret(consumer.key), { secret }, until);
    side.notice(reply, 'app.secretRegenerated');
    return side.redirect(reply, path);
  });

  askFirst('/delete', (t, consumer) => ({
    title: t('confirm.deleteTitle', { app: consumer.name }),
    message: t('confirm.deleteBody', { app: consumer.name }),
    warning: t('app.deleteWarning'),
    confirmLabel: t('app.deleteButton', { app: consumer.name }),
  }));

  app.post('/apps/:key/delete', protect, async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    if (!isConfirmed(request.body)) return side.redirect(reply, `${appPath(consumer.key)}/delete`);
    await stores.consumers.delete(consumer.key);
    await stores.rejections.forget(consumer.key);
    await stores.icons.delete(consumer.key);
    request.log.info({ event: 'portal.app_deleted', consumerKey: consumer.key }, 'app deleted');
    auditEvent('app.deleted', { consumerKey: consumer.key });
    side.notice(reply, 'apps.deleted', { app: consumer.name });
    return side.redirect(reply, '/apps');
  });
}

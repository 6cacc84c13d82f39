// The operator's view: charts of the last days (operator-charts.ts), every user and app on this server; the apps searched (name or exact key) and
// paged through with GET links; disabling an app (after a confirmation: its keys and tokens stop at
// once), enabling it again, and flagging it for xAuth.

import type { FastifyInstance } from 'fastify';
import type { Consumer } from '../../provider/types.ts';
import { LIST_PAGE_MAX } from '../../stores/limits.ts';
import { auditEvent } from '../audit-trail.ts';
import { dayOf } from '../daily-counter.ts';
import { type FormBody, field } from '../form-body.ts';
import { badRequest } from '../page-errors.ts';
import { appMode } from './app-form.ts';
import { isConfirmed, keyParam, manageableApp, mustBeOperator, signedInUser } from './manageable-app.ts';
import { CHART_DAYS, operatorCharts } from './operator-charts.ts';
import type { PortalOptions } from './portal.ts';

/** Apps per page of the operator's list. */
export const OPERATOR_APPS_PER_PAGE = 25;
/** Longest search kept (a name is at most a few dozen characters). */
const SEARCH_MAX = 100;

const CHANGES: Readonly<Record<string, Partial<Consumer>>> = {
  disable: { disabled: true },
  enable: { disabled: false },
  'allow-xauth': { xauth: true },
  'remove-xauth': { xauth: false },
};

export async function operatorRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores } = options;
  app.addHook('preHandler', side.signedInOnly);
  const protect = { preHandler: side.csrf(app) };
  const appPath = (key: string) => `/operator/apps/${encodeURIComponent(key)}`;

  app.get('/operator', async (request, reply) => {
    const user = signedInUser(request);
    mustBeOperator(user);
    const t = side.words(request);
    const query = request.query as Record<string, unknown>;
    const search = (typeof query.q === 'string' ? query.q : '').trim().slice(0, SEARCH_MAX);
    const found = await stores.consumers.count(search || undefined);
    const pages = Math.max(1, Math.ceil(found / OPERATOR_APPS_PER_PAGE));
    const asked = Number.parseInt(typeof query.page === 'string' ? query.page : '1', 10);
    const page = Number.isFinite(asked) ? Math.min(Math.max(1, asked), pages) : 1;
    const apps = await stores.consumers.list({
      offset: (page - 1) * OPERATOR_APPS_PER_PAGE,
      limit: OPERATOR_APPS_PER_PAGE,
      ...(search ? { search } : {}),
    });
    const owners = new Map<string, string | null>();
    for (const id of new Set(apps.map((c) => c.ownerUserId).filter((id) => id !== null))) {
      owners.set(id, (await stores.users.getById(id))?.username ?? null);
    }
    const now = options.clock.now();
    const charts = await operatorCharts(
      await stores.dailyCounts.since(dayOf(now - (CHART_DAYS - 1) * 86_400_000)),
      now,
      async (key) => (await stores.consumers.get(key))?.name ?? key,
    );
    // The first page of users (the accounts' own operator view pages through them).
    const users = await stores.users.list({ offset: 0, limit: LIST_PAGE_MAX });
    const pageLink = (n: number) =>
      side.link(`/operator?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String(n) })}`);
    return side.page(
      request,
      reply,
      'portal/operator',
      {
        title: t('operator.pageTitle'),
        users: users.map((u) => ({ username: u.username, isOperator: u.isOperator, createdAt: u.createdAt })),
        search,
        found,
        charts,
        paging: {
          page,
          pages,
          previous: page > 1 ? pageLink(page - 1) : null,
          next: page < pages ? pageLink(page + 1) : null,
        },
        apps: apps.map((c) => ({
          key: c.key,
          name: c.name,
          owner: c.ownerUserId ? (owners.get(c.ownerUserId) ?? null) : null,
          mode: appMode(c.callbackUrls),
          disabled: c.disabled,
          xauth: c.xauth,
        })),
      },
      { current: 'operator' },
    );
  });

  app.get('/operator/apps/:key/disable', async (request, reply) => {
    const user = signedInUser(request);
    mustBeOperator(user);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    const t = side.words(request);
    return side.confirm(request, reply, {
      title: t('operator.disable', { app: consumer.name }),
      message: t('confirm.disableBody', { app: consumer.name }),
      warning: t('confirm.disableWarning'),
      action: side.link(appPath(consumer.key)),
      fields: [['action', 'disable']],
      confirmLabel: t('operator.disable', { app: consumer.name }),
      cancelHref: side.link('/operator'),
      current: 'operator',
    });
  });

  app.post('/operator/apps/:key', protect, async (request, reply) => {
    const user = signedInUser(request);
    mustBeOperator(user);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    const action = field(request.body as FormBody, 'action');
    const change = Object.hasOwn(CHANGES, action) ? CHANGES[action] : undefined;
    if (!change) throw badRequest();
    if (action === 'disable' && !isConfirmed(request.body)) {
      return side.redirect(reply, `${appPath(consumer.key)}/disable`);
    }
    await stores.consumers.update({ ...consumer, ...change });
    request.log.info(
      { event: 'portal.operator_action', consumerKey: consumer.key, action },
      'operator action',
    );
    auditEvent(`operator.${action.replaceAll('-', '_')}`, { consumerKey: consumer.key });
    side.notice(reply, 'operator.updated', { app: consumer.name });
    return side.redirect(reply, '/operator');
  });
}

// Connected apps: the apps a person allowed to use their account, and taking that access back (after a
// confirmation) — every live access token of that app for that person is revoked at once.

import type { FastifyInstance } from 'fastify';
import type { AccessToken, ConsumerReader, User } from '../../provider/types.ts';
import type { TripodStores } from '../../stores/types.ts';
import { auditEvent } from '../audit-trail.ts';
import type { Translate } from '../i18n/index.ts';
import { notFound } from '../page-errors.ts';
import { isConfirmed, keyParam, signedInUser } from './manageable-app.ts';
import type { PortalOptions } from './portal.ts';

interface ConnectedApp {
  key: string;
  name: string;
  known: boolean;
  accessLevel: AccessToken['accessLevel'];
  since: number;
}

/** One row per app, the widest access and the earliest grant of its live tokens; newest first. */
async function connectedApps(
  stores: { accessTokens: TripodStores['accessTokens']; consumers: ConsumerReader },
  user: User,
): Promise<ConnectedApp[]> {
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

export async function connectedAppRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores, clock } = options;
  app.addHook('preHandler', side.signedInOnly);
  const protect = { preHandler: side.csrf(app) };
  const revokePath = (key: string) => `/connected-apps/${encodeURIComponent(key)}/revoke`;

  app.get('/connected-apps', async (request, reply) => {
    const user = signedInUser(request);
    const t = side.words(request);
    return side.page(
      request,
      reply,
      'portal/connected-apps',
      { title: t('connected.pageTitle'), apps: await connectedApps(stores, user) },
      { current: 'connected-apps' },
    );
  });

  /** The connection of the signed-in person to the app of the route, by a name a person can read. */
  async function connection(user: User, key: string, t: Translate) {
    const connected = (await connectedApps(stores, user)).find((c) => c.key === key);
    if (!connected) throw notFound();
    return { ...connected, name: connected.known ? connected.name : t('connected.unknownApp') };
  }

  app.get('/connected-apps/:key/revoke', async (request, reply) => {
    const user = signedInUser(request);
    const t = side.words(request);
    const connected = await connection(user, keyParam(request), t);
    return side.confirm(request, reply, {
      title: t('connected.revoke', { app: connected.name }),
      message: t('confirm.revokeBody', { app: connected.name }),
      warning: t('confirm.revokeWarning', { app: connected.name }),
      action: side.link(revokePath(connected.key)),
      confirmLabel: t('connected.revokeShort'),
      cancelHref: side.link('/connected-apps'),
      current: 'connected-apps',
    });
  });

  app.post('/connected-apps/:key/revoke', protect, async (request, reply) => {
    const user = signedInUser(request);
    const t = side.words(request);
    const connected = await connection(user, keyParam(request), t);
    if (!isConfirmed(request.body)) return side.redirect(reply, revokePath(connected.key));
    const revoked = await stores.accessTokens.revokeAllFor(connected.key, user.id, clock.now());
    request.log.info(
      { event: 'portal.connection_revoked', consumerKey: connected.key, revoked },
      'access revoked',
    );
    auditEvent('connection.revoked', { consumerKey: connected.key, detail: { tokens: revoked } });
    side.notice(reply, 'connected.revoked', { app: connected.name });
    return side.redirect(reply, '/connected-apps');
  });
}

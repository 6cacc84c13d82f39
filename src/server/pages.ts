// Every people-facing page, mounted with one `app.register(pages, …)`: the stylesheet and script, then one
// context set up by the browser-side layer (session, CSRF, forms, error pages) holding the authorization
// pages, the PIN page and the portal's route modules.

import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Provider } from '../provider/index.ts';
import type { Clock, RandomSource } from '../provider/types.ts';
import type { TripodStores } from '../stores/types.ts';
import { authorizationPages } from './authorization-pages.ts';
import type { BrowserSide } from './browser-side.ts';
import type { ServerConfig } from './config.ts';
import { pinPage } from './pin-page.ts';
import { portal } from './portal/portal.ts';
import { createResetMailer } from './reset-mail.ts';

export interface PagesOptions {
  config: ServerConfig;
  side: BrowserSide;
  provider: Provider;
  stores: TripodStores;
  clock: Clock;
  random: RandomSource;
}

// Read once; served from this origin (the Content-Security-Policy allows no other, and no inline code).
const ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  'tripod.css': {
    type: 'text/css; charset=utf-8',
    body: readFileSync(new URL('./static/tripod.css', import.meta.url), 'utf8'),
  },
  'portal.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(new URL('./static/portal.js', import.meta.url), 'utf8'),
  },
};

export async function pages(app: FastifyInstance, options: PagesOptions): Promise<void> {
  const { config, side, provider, stores, clock, random } = options;
  const allowSignUp = config.signUp === 'open';
  const mailer = createResetMailer(config);
  if (mailer) app.addHook('onClose', async () => mailer.close());
  // Outside the pages' context: assets need no session.
  for (const [name, asset] of Object.entries(ASSETS)) {
    app.get(`/static/${name}`, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body),
    );
  }
  await app.register(async (context) => {
    await side.install(context);
    await context.register(authorizationPages, {
      side,
      provider,
      users: stores.users,
      consumers: stores.consumers,
      allowSignUp,
      icons: stores.icons,
    });
    await context.register(pinPage, {
      side,
      requestTokens: stores.requestTokens,
      consumers: stores.consumers,
      clock,
    });
    await context.register(portal, {
      side,
      stores,
      clock,
      random,
      allowSignUp,
      mailer,
      publicOrigin: config.publicUrl?.origin ?? null,
    });
  });
}

// The developer portal and the account pages, on the one browser-side layer (../browser-side.ts): one
// route module per concern — accounts (front page, sign in/up/out), My apps, getting started with an app,
// the signature debugger, Connected apps, account settings, password resets and the operator's views (apps;
// people). Every state change is a POST carrying a CSRF token and answered
// with a 303 redirect, so a reload never repeats it. What cannot be undone (delete, regenerate, revoke,
// disable) asks first: its button's POST changes nothing but redirects to a confirmation page, whose own
// form sends the same POST with confirm=yes.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock, RandomSource } from '../../provider/types.ts';
import type { TripodStores } from '../../stores/types.ts';
import type { BrowserSide } from '../browser-side.ts';
import type { ResetMailer } from '../reset-mail.ts';
import { accountRoutes } from './account-routes.ts';
import { appIconRoutes } from './app-icon-routes.ts';
import { appRoutes } from './app-routes.ts';
import { connectedAppRoutes } from './connected-app-routes.ts';
import { debuggerRoutes } from './debugger-routes.ts';
import { gettingStartedRoutes } from './getting-started-routes.ts';
import { operatorPeopleRoutes } from './operator-people-routes.ts';
import { operatorRoutes } from './operator-routes.ts';
import { passwordResetRoutes } from './password-reset-routes.ts';
import { settingsRoutes } from './settings-routes.ts';

export interface PortalOptions {
  side: BrowserSide;
  stores: TripodStores;
  clock: Clock;
  random: RandomSource;
  /** Whether strangers may create accounts (default true). */
  allowSignUp?: boolean;
  /** Mails reset links to people who forgot their password; null without --smtp-url. */
  mailer?: ResetMailer | null;
  /** The origin of --public-url: what links handed out of the site (reset links) start with. */
  publicOrigin?: string | null;
}

/** An absolute URL of a page (for links mailed or handed over): --public-url's origin, else the request's. */
export function absoluteLink(options: PortalOptions, request: FastifyRequest, path: string): string {
  return `${options.publicOrigin ?? `${request.protocol}://${request.host}`}${options.side.link(path)}`;
}

export async function portal(app: FastifyInstance, options: PortalOptions): Promise<void> {
  for (const routes of [
    accountRoutes,
    passwordResetRoutes,
    settingsRoutes,
    appRoutes,
    appIconRoutes,
    gettingStartedRoutes,
    debuggerRoutes,
    connectedAppRoutes,
    operatorRoutes,
    operatorPeopleRoutes,
  ]) {
    await app.register(routes, options);
  }
}

// Server-rendered pages: Eta templates from src/server/views with auto-escaping on, so every value a
// person or an app supplied (app names, usernames, URLs, base strings) is HTML-escaped unless a template
// says otherwise. Every page is rendered in one language (src/server/i18n) and in one of two frames:
// `card` for the pages a person meets in the middle of an app's flow (consent, PIN: nothing to wander off
// to) and `site` for the rest (portal, errors outside a flow: header, navigation, notices).

import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { formatDate, formatDateTime, type Language, type Translate } from './i18n/index.ts';

export type PageName =
  | 'message'
  | 'confirm'
  | `oauth/${'authorize' | 'pin'}`
  | `portal/${'home' | 'sign-in' | 'sign-up' | 'apps' | 'app-new' | 'app' | 'debugger' | 'connected-apps' | 'operator' | 'getting-started'}`
  | `portal/${'settings' | 'forgot-password' | 'reset-password' | 'people' | 'reset-link'}`;

export type Frame = 'card' | 'site';

/** The site navigation entries, to mark the current one with aria-current. */
export type NavigationEntry =
  | 'apps'
  | 'connected-apps'
  | 'operator'
  | 'people'
  | 'settings'
  | 'sign-in'
  | 'sign-up';

/** What every page gets, whatever its own data. */
export interface PageContext {
  lang: Language;
  t: Translate;
  /** Path prefix of every link (the public URL's path), '' at the root. */
  basePath: string;
  frame: Frame;
  /** The signed-in person, for the header; null for a stranger. */
  user: { username: string; isOperator: boolean } | null;
  /** For every form of the page (the sign-out form in the header included); '' where no form can be sent. */
  csrfToken: string;
  current: NavigationEntry | null;
  /** A sentence confirming what just happened (saved, revoked…), shown in a status region. */
  notice: string | null;
}

export interface PageRenderer {
  render(page: PageName, context: PageContext, data: Record<string, unknown> & { title: string }): string;
}

export function createPageRenderer(): PageRenderer {
  const eta = new Eta({
    views: fileURLToPath(new URL('./views', import.meta.url)),
    autoEscape: true,
    cache: true,
  });
  return {
    render(page, context, data) {
      return eta.render(`./${page}`, {
        ...context,
        date: (ms: number) => formatDate(context.lang, ms),
        dateTime: (ms: number) => formatDateTime(context.lang, ms),
        ...data,
      });
    },
  };
}

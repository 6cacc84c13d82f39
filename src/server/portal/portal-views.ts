// Server-rendered portal pages: Eta templates from ./views with auto-escaping on (app names, usernames,
// URLs and base strings are all someone else's text), each given the reader's language and translator.

import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { formatDate, formatDateTime, type Language, type Translate } from '../i18n/index.ts';

export type PortalView =
  | 'home'
  | 'sign-in'
  | 'sign-up'
  | 'apps'
  | 'app-new'
  | 'app'
  | 'debugger'
  | 'connected-apps'
  | 'operator'
  | 'message';

/** What every portal page gets, whatever its own data. */
export interface PageContext {
  lang: Language;
  t: Translate;
  basePath: string;
  /** The signed-in person, for the header; null on the sign-in and sign-up pages of a stranger. */
  user: { username: string; isOperator: boolean } | null;
  /** For the sign-out form in the header and every form of the page. */
  csrfToken: string;
  /** The navigation entry to mark with aria-current. */
  current: 'apps' | 'connected-apps' | 'operator' | 'sign-in' | 'sign-up' | null;
  /** A sentence confirming what just happened (saved, revoked…), shown in a status region. */
  notice: string | null;
}

export interface PortalRenderer {
  render(view: PortalView, context: PageContext, data: Record<string, unknown> & { title: string }): string;
}

export function createPortalRenderer(): PortalRenderer {
  const eta = new Eta({
    views: fileURLToPath(new URL('./views', import.meta.url)),
    autoEscape: true,
    cache: true,
  });
  return {
    render(view, context, data) {
      return eta.render(`./${view}`, {
        ...context,
        date: (ms: number) => formatDate(context.lang, ms),
        dateTime: (ms: number) => formatDateTime(context.lang, ms),
        ...data,
      });
    },
  };
}

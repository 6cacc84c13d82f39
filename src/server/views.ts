// Server-rendered pages: Eta templates from src/server/views with auto-escaping on, so every value a
// person or an app supplied (app names, usernames) is HTML-escaped unless a template says otherwise.
// Every page is rendered in one language (src/server/i18n): templates get `lang` for <html lang> and
// `t` for their sentences.

import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { type Language, translator } from './i18n/index.ts';

export type PageName = 'authorize' | 'pin' | 'message';

export interface PageRenderer {
  render(page: PageName, lang: Language, data: Record<string, unknown> & { title: string }): string;
}

export function createPageRenderer(options: { basePath: string }): PageRenderer {
  const eta = new Eta({
    views: fileURLToPath(new URL('./views', import.meta.url)),
    autoEscape: true,
    cache: true,
  });
  return {
    render(page, lang, data) {
      return eta.render(`./${page}`, { lang, t: translator(lang), basePath: options.basePath, ...data });
    },
  };
}

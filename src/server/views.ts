// Server-rendered pages: Eta templates from src/server/views with auto-escaping on, so every value a
// person or an app supplied (app names, usernames) is HTML-escaped unless a template says otherwise.

import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { type PageText, pageText } from './page-text.ts';

export type PageName = 'authorize' | 'pin' | 'message';

export interface PageRenderer {
  render(page: PageName, data: Record<string, unknown>): string;
}

export function createPageRenderer(options: { basePath: string }): PageRenderer {
  const eta = new Eta({
    views: fileURLToPath(new URL('./views', import.meta.url)),
    autoEscape: true,
    cache: true,
  });
  const text: PageText = pageText;
  return {
    render(page, data) {
      return eta.render(`./${page}`, { text, basePath: options.basePath, ...data });
    },
  };
}

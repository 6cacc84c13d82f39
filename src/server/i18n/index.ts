// The languages of the people-facing pages, how a request picks one, and the translator templates use.
// Choice order (issue 4): OKAPI's `langpref` (pipe-separated ISO 639-1 codes, first available wins), then
// the browser's Accept-Language (RFC 9110 §12.5.4, by q-value), then English.

import { de } from './de.ts';
import { en, type MessageKey, type Messages } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { ja } from './ja.ts';
import { pl } from './pl.ts';

export type { MessageKey, Messages } from './en.ts';

export const LANGUAGES = ['en', 'pl', 'de', 'es', 'fr', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

export const CATALOGUES: Readonly<Record<Language, Messages>> = { en, pl, de, es, fr, ja };

/** Each language's name in itself, for a language menu. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  pl: 'Polski',
  de: 'Deutsch',
  es: 'Español',
  fr: 'Français',
  ja: '日本語',
};

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** The primary subtag of a language tag, lower-cased: `pt-BR` → `pt`. */
function primarySubtag(tag: string): string {
  return tag.trim().split(/[-_]/, 1)[0]!.toLowerCase();
}

/** OKAPI's langpref: `pl|en` → the first listed language we ship, or null. */
export function languageFromLangpref(langpref: string | null | undefined): Language | null {
  if (!langpref) return null;
  for (const code of langpref.slice(0, 200).split('|')) {
    const primary = primarySubtag(code);
    if (isLanguage(primary)) return primary;
  }
  return null;
}

/**
 * Accept-Language by q-value (ties keep header order); `*` and unknown tags are skipped, q=0 means
 * "not this one". Returns null when nothing listed is shipped.
 */
export function languageFromAcceptLanguage(header: string | null | undefined): Language | null {
  if (!header) return null;
  const ranked: { language: Language; q: number; order: number }[] = [];
  const refused = new Set<Language>();
  header
    .slice(0, 1000)
    .split(',')
    .forEach((item, order) => {
      const [tag = '', ...params] = item.split(';');
      const primary = primarySubtag(tag);
      if (!isLanguage(primary)) return;
      let q = 1;
      for (const param of params) {
        const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
        if (match) q = Number(match[1]);
      }
      if (!Number.isFinite(q) || q <= 0) {
        refused.add(primary);
        return;
      }
      ranked.push({ language: primary, q: Math.min(q, 1), order });
    });
  ranked.sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked.find((r) => !refused.has(r.language))?.language ?? null;
}

export function negotiateLanguage(input: {
  langpref?: string | null | undefined;
  acceptLanguage?: string | null | undefined;
}): Language {
  return (
    languageFromLangpref(input.langpref) ??
    languageFromAcceptLanguage(input.acceptLanguage) ??
    DEFAULT_LANGUAGE
  );
}

/** The parts of an HTTP request that choose its language (any framework's request has them). */
export interface LanguageSources {
  query?: unknown;
  body?: unknown;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

function langprefOf(source: unknown): string | null {
  if (source === null || typeof source !== 'object') return null;
  const value = (source as Record<string, unknown>).langpref;
  if (typeof value === 'string') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
}

/**
 * The language of a page: `langpref` from the query (or from a form that carried it on), then
 * Accept-Language, then English.
 */
export function languageOfRequest(request: LanguageSources): Language {
  const acceptLanguage = request.headers['accept-language'];
  return negotiateLanguage({
    langpref: langprefOf(request.query) ?? langprefOf(request.body),
    acceptLanguage: typeof acceptLanguage === 'string' ? acceptLanguage : null,
  });
}

export type MessageValues = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

export class MissingMessageError extends Error {
  override name = 'MissingMessageError';
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** The {placeholders} a message uses, sorted: the contract every translation of it keeps. */
export function placeholdersOf(message: string): string[] {
  return [...new Set([...message.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/**
 * The translator of one language. A key missing from that catalogue falls back to English; a key missing
 * from English, or a placeholder without a value, throws: a page never shows a raw key or a `{slot}`.
 */
export function translator(language: Language): Translate {
  const catalogue: Partial<Record<string, string>> = CATALOGUES[language];
  const english: Partial<Record<string, string>> = en;
  return (key, values = {}) => {
    const message = catalogue[key] ?? english[key];
    if (message === undefined) throw new MissingMessageError(`no message '${key}' in any catalogue`);
    return message.replace(PLACEHOLDER, (_slot, name: string) => {
      const value = values[name];
      if (value === undefined) throw new MissingMessageError(`message '${key}' needs a value for {${name}}`);
      return String(value);
    });
  };
}

/** Dates for pages, in the reader's language (Intl carries the month names and the order). */
export function formatDate(language: Language, ms: number): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(ms);
}

export function formatDateTime(language: Language, ms: number): string {
  // timeStyle 'long' names the zone (UTC), so no one mistakes the time for their local one.
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'medium',
    timeStyle: 'long',
    timeZone: 'UTC',
  }).format(ms);
}

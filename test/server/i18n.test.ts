import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  CATALOGUES,
  formatDate,
  formatDateTime,
  LANGUAGES,
  languageFromAcceptLanguage,
  languageFromLangpref,
  type MessageKey,
  MissingMessageError,
  negotiateLanguage,
  placeholdersOf,
  translator,
} from '../../src/server/i18n/index.ts';

const englishKeys = Object.keys(CATALOGUES.en).sort();

describe('translation catalogues', () => {
  for (const language of LANGUAGES) {
    it(`${language} has exactly the English keys`, () => {
      const keys = Object.keys(CATALOGUES[language]).sort();
      assert.deepEqual(
        englishKeys.filter((k) => !keys.includes(k)),
        [],
        `missing in ${language}`,
      );
      assert.deepEqual(
        keys.filter((k) => !englishKeys.includes(k)),
        [],
        `extra in ${language}`,
      );
    });

    it(`${language} uses the same {placeholders} as English in every message`, () => {
      for (const key of englishKeys as MessageKey[]) {
        assert.deepEqual(
          placeholdersOf(CATALOGUES[language][key]),
          placeholdersOf(CATALOGUES.en[key]),
          `${language} ${key}`,
        );
      }
    });

    it(`${language} has no empty message and no stray braces`, () => {
      for (const [key, message] of Object.entries(CATALOGUES[language])) {
        assert.ok(message.trim().length > 0, `${language} ${key} is empty`);
        const withoutSlots = message.replace(/\{\w+\}/g, '');
        assert.ok(!/[{}]/.test(withoutSlots), `${language} ${key} has an unbalanced brace`);
      }
    });
  }

  it('every language but English is actually translated (most messages differ from English)', () => {
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      const same = englishKeys.filter(
        (k) => CATALOGUES[language][k as MessageKey] === CATALOGUES.en[k as MessageKey],
      );
      assert.ok(same.length < englishKeys.length * 0.1, `${language}: ${same.length} messages equal English`);
    }
  });

  it('the mode statements are the exact sentences of issue 4 in English', () => {
    assert.equal(CATALOGUES.en['mode.pin'], 'PIN-only: users will see a PIN to type into your app');
    assert.equal(
      CATALOGUES.en['mode.web'],
      'Web: users are sent back to your callback URL; PIN-based authorization also works',
    );
    assert.equal(CATALOGUES.en['authorize.allow'], 'Authorize app');
    assert.equal(CATALOGUES.en['authorize.deny'], 'Cancel');
  });
});

describe('templates', () => {
  it('use only message keys that exist', () => {
    const namespaces = new Set(englishKeys.map((k) => k.split('.')[0]));
    const views = new URL('../../src/server/views/', import.meta.url);
    let checked = 0;
    for (const file of readdirSync(views, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.eta')) continue;
      const text = readFileSync(new URL(file, views), 'utf8');
      for (const [, key] of text.matchAll(/'([a-z]+\.[A-Za-z]+)'/g)) {
        if (!namespaces.has(key!.split('.')[0]!)) continue;
        assert.ok(englishKeys.includes(key!), `views/${file} uses unknown message '${key}'`);
        checked++;
      }
    }
    assert.ok(checked > 100, `only ${checked} keys found in templates`);
  });
});

describe('translator', () => {
  it('fills placeholders', () => {
    const t = translator('en');
    assert.equal(t('pin.instruction', { app: 'Birdie' }), 'Return to Birdie and enter this PIN');
    assert.equal(
      translator('pl')('pin.instruction', { app: 'Birdie' }),
      'Wróć do aplikacji Birdie i wpisz ten PIN',
    );
  });

  it('throws rather than showing a raw key', () => {
    const t = translator('de');
    assert.throws(() => t('no.such.key' as MessageKey), MissingMessageError);
  });

  it('throws rather than showing an unfilled {slot}', () => {
    assert.throws(() => translator('fr')('pin.instruction'), MissingMessageError);
  });

  it('formats dates and times in every language', () => {
    for (const language of LANGUAGES) {
      assert.match(formatDate(language, Date.UTC(2026, 10, 22)), /2026/);
      assert.match(formatDateTime(language, Date.UTC(2026, 10, 22, 13, 5)), /\b(13|1):05/);
    }
  });

  it('does not interpret $ patterns in values', () => {
    assert.equal(translator('en')('pin.heading', { app: "$& $' $1" }), "You authorized $& $' $1");
  });
});

describe('language negotiation', () => {
  it('langpref: the first shipped language of the pipe-separated list wins', () => {
    assert.equal(languageFromLangpref('pl'), 'pl');
    assert.equal(languageFromLangpref('xx|de|pl'), 'de');
    assert.equal(languageFromLangpref('PT|JA'), 'ja');
    assert.equal(languageFromLangpref('xx|yy'), null);
    assert.equal(languageFromLangpref(''), null);
  });

  it('Accept-Language: highest q wins, header order breaks ties, q=0 refuses', () => {
    assert.equal(languageFromAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5'), 'fr');
    assert.equal(languageFromAcceptLanguage('en;q=0.5, ja;q=0.9'), 'ja');
    assert.equal(languageFromAcceptLanguage('it, es;q=0.3'), 'es');
    assert.equal(languageFromAcceptLanguage('de, pl'), 'de');
    assert.equal(languageFromAcceptLanguage('de;q=0, pl;q=0.1'), 'pl');
    assert.equal(languageFromAcceptLanguage('*'), null);
    assert.equal(languageFromAcceptLanguage('garbage;;;,,q=='), null);
  });

  it('langpref beats Accept-Language, which beats English', () => {
    assert.equal(negotiateLanguage({ langpref: 'pl', acceptLanguage: 'de' }), 'pl');
    assert.equal(negotiateLanguage({ langpref: 'xx', acceptLanguage: 'de' }), 'de');
    assert.equal(negotiateLanguage({ langpref: null, acceptLanguage: 'it' }), 'en');
    assert.equal(negotiateLanguage({}), 'en');
  });
});

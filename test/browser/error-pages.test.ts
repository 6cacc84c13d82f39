// A person who mistypes an address gets a page, not JSON: in their language, with a way back to the front
// page, passing axe light and dark (Debian's chromium), screenshotted in English and German.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { screenshotAccessible } from './chromium.ts';
import { portalInChromium } from './portal-in-chromium.ts';

const running = portalInChromium();

describe('the 404 page in chromium', () => {
  for (const [locale, language, heading, back] of [
    ['en-US', 'en', 'Page not found', 'Go to the home page'],
    ['de-DE', 'de', 'Seite nicht gefunden', 'Zur Startseite'],
  ] as const) {
    it(`is a page in ${language} with a way back, light and dark`, async () => {
      const { server, chromium } = running;
      const context = await chromium.context({ locale });
      const page = await context.newPage();
      const answer = await page.goto(`${server.base}/login`);
      assert.equal(answer?.status(), 404);
      assert.equal(await page.getAttribute('html', 'lang'), language);
      assert.equal(await page.textContent('#page_heading'), heading);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await screenshotAccessible(page, `not-found-${language}-${scheme}`);
      }
      await Promise.all([page.waitForURL(`${server.base}/`), page.getByRole('link', { name: back }).click()]);
      assert.ok(await page.$('#home_links'), 'back on the front page');
      await context.close();
    });
  }
});

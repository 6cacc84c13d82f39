// The operator's app list in chromium: a search by name (any letter case) or exact key, and pages of
// OPERATOR_APPS_PER_PAGE apps walked with the Next and Previous links; an out-of-range page shows the last
// one. Screenshots and axe, light and dark, in English and Japanese.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { OPERATOR_APPS_PER_PAGE } from '../../src/server/portal/operator-routes.ts';
import { registerApp } from '../../src/server/registration.ts';
import { assertAccessible, screenshot } from './chromium.ts';
import { portalInChromium, signInOnPortal } from './portal-in-chromium.ts';

const running = portalInChromium();

describe("the operator's app list in chromium", () => {
  it('searches by name or key and pages through the apps', async () => {
    const { server, chromium } = running;
    const runtime = { clock: server.clock, random: createRandomSource() };
    const total = OPERATOR_APPS_PER_PAGE + 5;
    const apps = [];
    for (let i = 1; i <= total; i++) {
      const name = `Bulk ${String(i).padStart(2, '0')}`;
      apps.push(await registerApp(server.stores, { name, ownerUserId: server.alice.id }, runtime));
      server.clock.advance(1); // oldest first: one second apart, so the list is in name order
    }
    const context = await chromium.context();
    const page = await signInOnPortal(context, server.base, 'olga');
    await page.goto(`${server.base}/operator`);
    assert.equal(await page.textContent('#operator_apps_found'), `Apps found: ${total}`);
    assert.equal(await page.locator('#operator_apps tbody tr').count(), OPERATOR_APPS_PER_PAGE);
    assert.equal(await page.textContent('#operator_page'), 'Page 1 of 2');
    await Promise.all([page.waitForURL(/page=2/), page.click('#operator_next')]);
    assert.equal(await page.locator('#operator_apps tbody tr').count(), 5);
    assert.equal(await page.textContent('#operator_apps tbody tr:last-child th'), `Bulk ${total}`);
    await Promise.all([page.waitForURL(/page=1/), page.click('#operator_previous')]);
    assert.equal(await page.textContent('#operator_apps tbody tr:first-child th'), 'Bulk 01');

    await page.fill('#operator_search', 'bulk 1');
    await Promise.all([page.waitForURL(/q=bulk/), page.click('#operator_search_submit')]);
    assert.equal(await page.textContent('#operator_apps_found'), 'Apps found: 10');
    assert.equal(await page.$('#operator_next'), null, 'one page of results');
    await screenshot(page, 'portal-operator-search-en');
    await assertAccessible(page, 'operator search, light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await assertAccessible(page, 'operator search, dark');

    await page.goto(`${server.base}/operator?q=${encodeURIComponent(apps[6]!.key)}`);
    assert.equal(await page.textContent('#operator_apps tbody tr th'), 'Bulk 07');
    await page.goto(`${server.base}/operator?q=no+such+app`);
    assert.equal(await page.textContent('#operator_no_apps'), 'No app matches “no such app”.');
    await page.goto(`${server.base}/operator?page=99`);
    assert.equal(await page.textContent('#operator_page'), 'Page 2 of 2');
    await page.goto(`${server.base}/operator?page=abc`);
    assert.equal(await page.textContent('#operator_page'), 'Page 1 of 2');
    await context.close();

    const japanese = await chromium.context({ locale: 'ja-JP', phone: true });
    const phone = await signInOnPortal(japanese, server.base, 'olga');
    await phone.goto(`${server.base}/operator?page=2`);
    assert.equal(await phone.textContent('#operator_page'), '2 ページ中 2 ページ目');
    await screenshot(phone, 'portal-operator-page-ja');
    await assertAccessible(phone, 'operator ja, light');
    await phone.emulateMedia({ colorScheme: 'dark' });
    await assertAccessible(phone, 'operator ja, dark');
    await japanese.close();
  });
});

// The operator's charts, from real traffic against the real server: a PIN flow done on the pages and
// exchanged (one authorization), a PIN burned by wrong tries, refused requests (a bad signature), and
// accepted API calls of two apps. The counts reach the store off the request path (DailyCounter's batch),
// and the operator page draws them as SVG in chromium; axe light and dark, screenshots in English and
// French (phone).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PROVIDER_CONFIG } from '../../src/provider/defaults.ts';
import { createRandomSource } from '../../src/provider/random-source.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { dayOf } from '../../src/server/daily-counter.ts';
import { registerApp } from '../../src/server/registration.ts';
import { decideOnTripodPages } from '../cli/tripod-process.ts';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { assertAccessible, screenshot } from './chromium.ts';
import { portalInChromium, signInOnPortal } from './portal-in-chromium.ts';
import { PASSWORD } from './portal-server.ts';

const running = portalInChromium();

async function authorizedRequestToken(app: Consumer) {
  const { server } = running;
  const client = new OAuthTestClient(server.base, server.clock.now);
  const credentials = { consumerKey: app.key, consumerSecret: app.secret };
  const issued = await client.requestToken(credentials);
  assert.equal(issued.status, 200, issued.text);
  const { oauth_token: token, oauth_token_secret: tokenSecret } = issued.form();
  const { pin } = await decideOnTripodPages(`${server.base}/oauth/authorize?oauth_token=${token}`, {
    username: 'alice',
    password: PASSWORD,
  });
  return { client, credentials: { ...credentials, token: token!, tokenSecret: tokenSecret! }, pin: pin! };
}

describe("the operator's charts in chromium", () => {
  it('draws authorizations, burned PINs, refusals by oauth_problem and the top apps from real traffic', async () => {
    const { server, chromium } = running;
    const runtime = { clock: server.clock, random: createRandomSource() };
    const busy = await registerApp(
      server.stores,
      { name: 'Busy Bee', ownerUserId: server.alice.id },
      runtime,
    );
    const quiet = await registerApp(server.stores, { name: 'Quiet Mouse', ownerUserId: null }, runtime);

    const granted = await authorizedRequestToken(busy);
    const access = await granted.client.accessToken(granted.credentials, granted.pin);
    assert.equal(access.status, 200, access.text);
    const { oauth_token: token, oauth_token_secret: tokenSecret } = access.form();

    const burned = await authorizedRequestToken(quiet);
    for (let i = 0; i < DEFAULT_PROVIDER_CONFIG.pinMaxAttempts; i++) {
      const wrong = await burned.client.accessToken(burned.credentials, '0000000');
      assert.equal(wrong.status, 401, wrong.text);
    }
    const refused = await granted.client.requestToken({ consumerKey: quiet.key, consumerSecret: 'wrong' });
    assert.equal(refused.status, 401);

    const me = {
      consumerKey: busy.key,
      consumerSecret: busy.secret,
      token: token!,
      tokenSecret: tokenSecret!,
    };
    for (let i = 0; i < 3; i++) {
      const call = await granted.client.call({
        method: 'GET',
        url: `${server.base}/1.1/account/verify_credentials.json`,
        credentials: me,
      });
      assert.equal(call.status, 200, call.text);
    }

    // Written in a batch after the answers: wait for the sums to land.
    const today = dayOf(server.clock.now());
    const sum = async (metric: string) =>
      (await server.stores.dailyCounts.since(today))
        .filter((row) => row.metric === metric)
        .reduce((total, row) => total + row.count, 0);
    for (let i = 0; i < 300 && (await sum('app_requests')) < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(await sum('authorizations'), 1);
    assert.equal(await sum('pins_burned'), 1);
    const rows = await server.stores.dailyCounts.since(today);
    const count = (metric: string, subject: string) =>
      rows.find((row) => row.metric === metric && row.subject === subject)?.count ?? 0;
    assert.equal(count('refused', 'verifier_invalid'), DEFAULT_PROVIDER_CONFIG.pinMaxAttempts);
    assert.equal(count('refused', 'signature_invalid'), 1);
    // Busy Bee: two request tokens' worth of flow is hers (request_token, access_token) plus three calls.
    assert.equal(count('app_requests', busy.key), 5);
    assert.equal(count('app_requests', quiet.key), 1, 'only the accepted request_token of Quiet Mouse');

    const context = await chromium.context();
    const page = await signInOnPortal(context, server.base, 'olga');
    await page.goto(`${server.base}/operator`);
    assert.equal(await page.textContent('#chart_authorizations_total'), '1 in total');
    assert.equal(await page.textContent('#chart_pins_burned_total'), '1 in total');
    assert.equal(
      await page.getAttribute(`#chart_authorizations rect[data-day="${today}"]`, 'data-count'),
      '1',
    );
    assert.equal(
      await page.getAttribute('#chart_refused rect[data-subject="verifier_invalid"]', 'data-count'),
      String(DEFAULT_PROVIDER_CONFIG.pinMaxAttempts),
    );
    const topApps = await page.locator('#chart_top_apps text').allTextContents();
    assert.equal(topApps[0], 'Busy Bee', 'the busiest app first, by name');
    assert.ok(topApps.includes('Quiet Mouse'));
    await screenshot(page, 'portal-operator-charts-en');
    await assertAccessible(page, 'operator charts, light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'portal-operator-charts-en-dark');
    await assertAccessible(page, 'operator charts, dark');
    await context.close();

    const french = await chromium.context({ locale: 'fr-FR', phone: true });
    const phone = await signInOnPortal(french, server.base, 'olga');
    await phone.goto(`${server.base}/operator`);
    assert.equal(await phone.textContent('#chart_authorizations_total'), '1 au total');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the charts fit the phone (${overflow} px over)`);
    await screenshot(phone, 'portal-operator-charts-fr-phone');
    await assertAccessible(phone, 'operator charts fr, light');
    await french.close();
  });
});

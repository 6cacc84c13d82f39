// The signature debugger's comparison in chromium: a real client (the oauth-1.0a package) makes a
// classic mistake — it signs a body value that is already form-encoded ("hello+world"), while the body it
// sends means "hello world" — so the server refuses the request; the developer pastes the base string the
// library computed into the entry's box and the page marks the first difference in the `status` value and
// says why. Also: twenty entries are a short page (collapsed), a long value wraps at phone width without a
// column of six-character lines, and the page passes axe in light and dark, in English and German.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import OAuth from 'oauth-1.0a';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { registerApp } from '../../src/server/registration.ts';
import { REJECTIONS_KEPT } from '../../src/stores/types.ts';
import { assertAccessible, screenshot } from './chromium.ts';
import { portalInChromium, signInOnPortal } from './portal-in-chromium.ts';

const running = portalInChromium();

async function refusedEntries(key: string, count: number) {
  for (let i = 0; i < 200 && (await running.server.rejections.list(key)).length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return running.server.rejections.list(key);
}

describe('the signature debugger compares in chromium', () => {
  it('marks where a real client’s base string differs from the server’s and says why', async () => {
    const { server, chromium } = running;
    const consumer = await registerApp(
      server.stores,
      { name: 'Plus Poster', ownerUserId: server.alice.id },
      { clock: server.clock, random: createRandomSource() },
    );
    const oauth = new OAuth({
      consumer: { key: consumer.key, secret: consumer.secret },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    const url = `${server.base}/oauth/request_token`;
    // The bug: the value handed to the library is the form-encoded text, not the value it stands for.
    const request = { url, method: 'POST', data: { oauth_callback: 'oob', status: 'hello+world' } };
    const signed = oauth.authorize(request);
    const answer = await fetch(url, {
      method: 'POST',
      headers: {
        ...oauth.toHeader(signed),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'status=hello+world', // oauth_callback travels in the header (oauth-1.0a puts it there)
    });
    assert.equal(answer.status, 401, await answer.text());
    const { oauth_signature: _, ...unsigned } = signed;
    const clientBaseString = oauth.getBaseString(request, unsigned);
    assert.equal((await refusedEntries(consumer.key, 1)).length, 1);

    const context = await chromium.context();
    const page = await signInOnPortal(context, server.base);
    await page.goto(`${server.base}/apps/${encodeURIComponent(consumer.key)}/debugger`);
    assert.equal(await page.textContent('#rejection_problem_1'), 'signature_invalid');
    assert.equal(await page.isVisible('#pasted_1'), false, 'the entry starts collapsed');
    await page.click('#rejection_1 summary');
    await page.fill('#pasted_1', clientBaseString);
    await Promise.all([page.waitForNavigation(), page.click('#compare_1')]);

    assert.equal(await page.getAttribute('#rejection_1', 'open'), '', 'the compared entry is open');
    assert.equal(await page.textContent('#your_difference_1'), '%252Bworld');
    assert.equal(await page.textContent('#server_difference_1'), '%2520world');
    const before = (await page.textContent('#your_base_string_1'))!.split('%252Bworld')[0]!;
    assert.ok(before.endsWith('status%3Dhello'), 'the mark starts inside the status value');
    const findings = (await page.textContent('#findings_1'))!;
    assert.match(findings, /status: you signed "hello\+world" with "\+" where the server received a space/);
    assert.ok(!(await page.content()).includes(consumer.secret), 'the secret is never shown');
    await screenshot(page, 'portal-debugger-compare-en');
    await assertAccessible(page, 'debugger compare, light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'portal-debugger-compare-en-dark');
    await assertAccessible(page, 'debugger compare, dark');

    // Something that is no base string gets a sentence, not an error.
    await page.fill('#pasted_1', 'hello there');
    await Promise.all([page.waitForNavigation(), page.click('#compare_1')]);
    assert.match((await page.textContent('#findings_1'))!, /This is not a base string/);
    await context.close();
  });

  it('shows twenty refused requests as a short page that wraps sanely at phone width, in German too', async () => {
    const { server, chromium } = running;
    const consumer = await registerApp(
      server.stores,
      { name: 'Noisy', ownerUserId: server.alice.id },
      { clock: server.clock, random: createRandomSource() },
    );
    const longValue = 'x'.repeat(300);
    for (let i = 0; i < REJECTIONS_KEPT; i++) {
      const answer = await fetch(`${server.base}/oauth/request_token?note=${longValue}${i}`, {
        method: 'POST',
        headers: {
          authorization: `OAuth oauth_consumer_key="${consumer.key}", oauth_signature_method="HMAC-SHA1", oauth_timestamp="${Math.floor(Date.now() / 1000)}", oauth_nonce="n${i}", oauth_signature="bad", oauth_callback="oob"`,
        },
      });
      assert.equal(answer.status, 401);
      await answer.arrayBuffer();
    }
    assert.equal((await refusedEntries(consumer.key, REJECTIONS_KEPT)).length, REJECTIONS_KEPT);
    for (const locale of ['en-US', 'de-DE']) {
      const context = await chromium.context({ phone: true, locale });
      const page = await signInOnPortal(context, server.base);
      await page.goto(`${server.base}/apps/${encodeURIComponent(consumer.key)}/debugger`);
      // The entries themselves (the site's header and navigation above them vary with what else the
      // portal offers): twenty expanded entries made a 7,900 px page on a desktop.
      const height = await page.evaluate(() => document.getElementById('rejections')!.scrollHeight);
      assert.ok(height < 3000, `twenty collapsed entries are short (${height} px on a phone)`);
      await page.click('#rejection_1 summary');
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      }));
      assert.ok(layout.scrollWidth <= layout.viewport, `nothing overflows (${JSON.stringify(layout)})`);
      const longest = await page.evaluate(() => {
        const code = Array.from(document.querySelectorAll('#rejection_1 dl.parameters dd code')).find((c) =>
          c.textContent!.startsWith('xxx'),
        )!;
        return code.getBoundingClientRect().width;
      });
      // A value squeezed into a narrow column wraps every few characters; this one uses the line.
      assert.ok(longest > (layout.viewport * 2) / 3, `the long value uses the line (${longest} px)`);
      const lang = locale.slice(0, 2);
      await screenshot(page, `portal-debugger-phone-${lang}`);
      await assertAccessible(page, `debugger phone ${lang}, light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await assertAccessible(page, `debugger phone ${lang}, dark`);
      await context.close();
    }
  });
});

// One portal server and one chromium for a test file: started before its tests, closed after them, and a
// sign-in through the portal's own page.

import { after, before } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { type Chromium, launchChromium } from './chromium.ts';
import { PASSWORD, type PortalServer, startPortalServer } from './portal-server.ts';

export interface PortalInChromium {
  readonly server: PortalServer;
  readonly chromium: Chromium;
}

/** Registers the before/after hooks; the fields are set once `before` has run. */
export function portalInChromium(): PortalInChromium {
  const running = {} as { server: PortalServer; chromium: Chromium };
  before(async () => {
    running.server = await startPortalServer();
    running.chromium = await launchChromium();
  });
  after(async () => {
    await running.chromium?.close();
    await running.server?.close();
  });
  return running;
}

/** A new page of `context`, signed in as `username` on the portal's sign-in page, on My apps. */
export async function signInOnPortal(
  context: BrowserContext,
  base: string,
  username = 'alice',
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${base}/apps`), page.click('#sign_in_submit')]);
  return page;
}

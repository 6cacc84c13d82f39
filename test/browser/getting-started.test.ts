// The getting-started page of an app, proven by running what it shows: the command line and the
// requests-oauthlib script are read from the page in chromium and run for real against the server — the
// real `tripod` CLI (the page's `npx tripod …` with this checkout's bin/tripod.js) and Debian's
// python3-requests-oauthlib — each doing the PIN flow, with the person's part done on the real pages.
// The consumer secret is never on the page: both take it from CONSUMER_SECRET. Screenshots and axe in
// English and Polish, light and dark.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRandomSource } from '../../src/provider/random-source.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { registerApp } from '../../src/server/registration.ts';
import {
  cleanEnv,
  decideOnTripodPages,
  removeTempDirs,
  runTripod,
  startTripod,
  tempDir,
} from '../cli/tripod-process.ts';
import { assertAccessible, screenshot } from './chromium.ts';
import { portalInChromium, signInOnPortal } from './portal-in-chromium.ts';
import { PASSWORD } from './portal-server.ts';

const running = portalInChromium();
after(removeTempDirs);

/** The words of a shell command line as sh would split them (single quotes, "$VAR"), for these lines. */
function shellWords(line: string, env: Record<string, string>): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    if (match[1] !== undefined) words.push(match[1]);
    else words.push((match[2] ?? match[3]!).replace(/\$([A-Z_]+)/g, (_, name: string) => env[name] ?? ''));
  }
  return words;
}

async function shownOnPage(app: Consumer, locale = 'en-US') {
  const context = await running.chromium.context({ locale });
  const page = await signInOnPortal(context, running.server.base);
  await page.goto(`${running.server.base}/apps/${encodeURIComponent(app.key)}`);
  await Promise.all([page.waitForURL(/\/start$/), page.click('#start_link')]);
  return { context, page };
}

describe('the getting-started page, run for real', () => {
  let app: Consumer;
  const person = { username: 'alice', password: PASSWORD };

  it('shows the endpoints, the mode and no secret; its command line authorizes with the real CLI', async () => {
    const { server } = running;
    app = await registerApp(
      server.stores,
      { name: 'Starter', ownerUserId: server.alice.id },
      { clock: server.clock, random: createRandomSource() },
    );
    const { context, page } = await shownOnPage(app);
    assert.equal(await page.textContent('#endpoint_request_token'), `${server.base}/oauth/request_token`);
    assert.equal(await page.textContent('#endpoint_authorize'), `${server.base}/oauth/authorize`);
    assert.match((await page.textContent('#start_mode'))!, /^PIN-only/);
    assert.ok(!(await page.content()).includes(app.secret), 'the secret is not on the page');
    const command = (await page.textContent('#cli_command'))!;
    const request = (await page.textContent('#cli_request'))!;
    assert.equal(
      command,
      `npx tripod authorize --site ${server.base} --consumer-key ${app.key} --consumer-secret "$CONSUMER_SECRET"`,
    );
    await screenshot(page, 'portal-getting-started-en');
    await assertAccessible(page, 'getting started, light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await assertAccessible(page, 'getting started, dark');
    await context.close();

    const env = { CONSUMER_SECRET: app.secret, TRIPOD_CONFIG_DIR: tempDir() };
    const [npx, tripod, ...args] = shellWords(command, env);
    assert.deepEqual([npx, tripod], ['npx', 'tripod']);
    const run = startTripod(args, env);
    const [, url] = await run.waitForStderr(/^\s+(http\S+\/oauth\/authorize\?oauth_token=\S+)$/m);
    const { pin } = await decideOnTripodPages(url!, person);
    run.child.stdin.end(`${pin}\n`);
    const done = await run.done;
    assert.equal(done.code, 0, done.stderr);

    const [, , ...requestArgs] = shellWords(request, env);
    const me = await runTripod(requestArgs, env);
    assert.equal(me.code, 0, me.stderr);
    assert.equal((JSON.parse(me.stdout) as { screen_name: string }).screen_name, 'alice');
  });

  it('its requests-oauthlib script authorizes with Debian’s python3-requests-oauthlib', async () => {
    const { context, page } = await shownOnPage(app, 'pl-PL');
    const script = (await page.textContent('#python_snippet'))!;
    assert.equal(await page.getAttribute('html', 'lang'), 'pl');
    await screenshot(page, 'portal-getting-started-pl');
    await assertAccessible(page, 'getting started pl, light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'portal-getting-started-pl-dark');
    await assertAccessible(page, 'getting started pl, dark');
    await context.close();

    const file = join(tempDir('tripod-start-py-'), 'start.py');
    writeFileSync(file, script);
    const child = spawn('/usr/bin/python3', [file], { env: cleanEnv({ CONSUMER_SECRET: app.secret }) });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const found = /Open this page and allow the app: (\S+)/.exec(stdout);
        if (found) resolve(found[1]!);
      });
      child.on('close', () => reject(new Error(`python3 ended: ${stdout} ${stderr}`)));
    });
    const { pin } = await decideOnTripodPages(url, person);
    child.stdin.end(`${pin}\n`);
    assert.equal(await exited, 0, stderr);
    assert.match(stdout, /Signed in as alice/);
  });
});

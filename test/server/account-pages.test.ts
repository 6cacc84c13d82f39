// The account pages over HTTP against the real server (issue 12): who may do what. A session of another
// account cannot be signed out from yours; only an operator reaches the people view, and not to disable
// or demote themselves; a too-short new password on a reset link is refused without using the link up;
// mailed reset links start with --public-url's origin whatever Host the request named.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { issuePasswordReset } from '../../src/server/accounts.ts';
import { PASSWORD, type PortalServer, startPortalServer } from '../browser/portal-server.ts';
import { Browser, inputValue } from './fixtures/browser.ts';

let server: PortalServer;
let smtp: SMTPServer;
const mails: string[] = [];

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        text += chunk;
      });
      stream.on('end', () => {
        mails.push(text);
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  server = await startPortalServer({
    settings: {
      smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      publicUrl: 'https://tripod.example',
    },
  });
});
after(async () => {
  await server.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function signedIn(username: string): Promise<Browser> {
  const browser = new Browser();
  const page = await browser.get(`${server.base}/sign-in`);
  const answer = await browser.post(`${server.base}/sign-in`, {
    _csrf: inputValue(page.text, '_csrf')!,
    username,
    password: PASSWORD,
  });
  assert.equal(answer.status, 303, answer.text);
  return browser;
}

async function postFrom(browser: Browser, pagePath: string, action: string, form: Record<string, string>) {
  const page = await browser.get(`${server.base}${pagePath}`);
  return browser.post(`${server.base}${action}`, { _csrf: inputValue(page.text, '_csrf')!, ...form });
}

describe('account pages: who may do what', () => {
  it('a session of another account cannot be signed out from yours (404), your own other ones can', async () => {
    const alice = await signedIn('alice');
    const olga = await signedIn('olga');
    const [olgaSession] = await server.stores.sessions.listForUser(server.olga.id, server.clock.now());
    const refused = await postFrom(alice, '/settings', '/settings/sessions/sign-out', {
      session: olgaSession!.idHash,
    });
    assert.equal(refused.status, 404);
    assert.equal((await olga.get(`${server.base}/settings`)).status, 200, 'olga is still signed in');
  });

  it('only an operator reaches the people view, and cannot disable or demote themselves', async () => {
    const alice = await signedIn('alice');
    assert.equal((await alice.get(`${server.base}/operator/people`)).status, 403);
    const olga = await signedIn('olga');
    const people = await olga.get(`${server.base}/operator/people?search=ALI`);
    assert.equal(people.status, 200);
    assert.match(people.text, /data-username="alice"/);
    assert.doesNotMatch(people.text, /data-username="olga"/);
    for (const action of ['disable', 'demote']) {
      const self = await postFrom(olga, '/operator/people', `/operator/people/${server.olga.id}`, {
        action,
        confirm: 'yes',
      });
      assert.equal(self.status, 403, action);
    }
    const user = await server.stores.users.getById(server.olga.id);
    assert.equal(user?.isOperator, true);
    assert.equal(user?.disabled, false);
    const promoted = await postFrom(olga, '/operator/people', `/operator/people/${server.alice.id}`, {
      action: 'promote',
    });
    assert.equal(promoted.status, 303);
    assert.equal((await server.stores.users.getById(server.alice.id))?.isOperator, true);
    await server.stores.users.setOperator(server.alice.id, false);
  });

  it('a too-short password on a reset link is refused and the link still works', async () => {
    const { token } = await issuePasswordReset(server.stores, server.alice, {
      clock: server.clock,
      random: createRandomSource(),
    });
    const stranger = new Browser();
    const path = `/reset-password/${token}`;
    const page = await stranger.get(`${server.base}${path}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    const short = await stranger.post(`${server.base}${path}`, {
      _csrf: inputValue(page.text, '_csrf')!,
      new_password: 'short',
    });
    assert.equal(short.status, 400);
    assert.equal((await stranger.get(`${server.base}${path}`)).status, 200, 'not used up');
  });

  it("a mailed reset link starts with --public-url's origin", async () => {
    await server.stores.users.setEmail(server.alice.id, 'alice@example.org');
    const stranger = new Browser();
    const before = mails.length;
    const answer = await postFrom(stranger, '/forgot-password', '/forgot-password', { name: 'alice' });
    assert.equal(answer.status, 303);
    assert.equal(mails.length, before + 1);
    const text = mails.at(-1)!.replace(/=\r?\n/g, '');
    assert.match(text, /https:\/\/tripod\.example\/reset-password\/[\w-]{40,}/);
    assert.doesNotMatch(text, /127\.0\.0\.1/);
  });
});

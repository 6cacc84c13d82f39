import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD, type PortalServer, startPortalServer } from '../browser/portal-server.ts';
import { Browser, elementText, hasElement, inputValue } from './fixtures/browser.ts';
import { OAuthTestClient } from './fixtures/oauth-client.ts';

let server: PortalServer;
before(async () => {
  server = await startPortalServer();
});
after(() => server.close());

async function signedIn(username = 'alice', headers: Record<string, string> = {}): Promise<Browser> {
  const browser = new Browser();
  const page = await browser.request(`${server.base}/sign-in`, { headers });
  const answer = await browser.request(`${server.base}/sign-in`, {
    form: { _csrf: inputValue(page.text, '_csrf')!, username, password: PASSWORD, next: '/apps' },
    headers,
  });
  assert.equal(answer.status, 303, answer.text);
  return browser;
}

async function postForm(browser: Browser, pagePath: string, action: string, form: Record<string, string>) {
  const page = await browser.get(`${server.base}${pagePath}`);
  return browser.post(`${server.base}${action}`, { _csrf: inputValue(page.text, '_csrf')!, ...form });
}

/** Registers an app through the portal form; returns its key (from the redirect). */
async function createApp(
  browser: Browser,
  fields: Record<string, string> | URLSearchParams,
): Promise<string> {
  const page = await browser.get(`${server.base}/apps/new`);
  const body = new URLSearchParams(fields);
  body.set('_csrf', inputValue(page.text, '_csrf')!);
  // Browser.post takes a record; repeated fields (callback_url) need a raw body.
  const response = await fetch(`${server.base}/apps`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: body.toString(),
    redirect: 'manual',
  });
  assert.equal(response.status, 303, await response.text());
  const location = response.headers.get('location')!;
  return decodeURIComponent(location.replace(/^\/apps\//, ''));
}

describe('portal: the front page', () => {
  it('links a stranger to sign in, sign up, My apps and Connected apps', async () => {
    const page = await new Browser().get(`${server.base}/`);
    assert.equal(page.status, 200);
    for (const id of ['home_sign_in', 'home_sign_up', 'home_my_apps', 'home_connected_apps']) {
      assert.ok(hasElement(page.text, id), id);
    }
    assert.equal(hasElement(page.text, 'home_operator'), false);
  });

  it('greets a signed-in operator with their pages, in their language', async () => {
    const browser = await signedIn('olga');
    const page = await browser.request(`${server.base}/`, { headers: { 'accept-language': 'de' } });
    assert.match(page.text, /<html lang="de">/);
    assert.equal(hasElement(page.text, 'home_sign_in'), false);
    assert.ok(hasElement(page.text, 'home_operator'));
    assert.match(page.text, /Angemeldet als olga/);
  });
});

describe('portal: accounts', () => {
  it('sends a stranger to the sign-in page, remembering where they were going', async () => {
    const page = await new Browser().get(`${server.base}/apps/new`);
    assert.equal(page.status, 303);
    assert.equal(page.location, `/sign-in?next=${encodeURIComponent('/apps/new')}`);
  });

  it('signs in with the right password and back to the page asked for', async () => {
    const browser = new Browser();
    const page = await browser.get(`${server.base}/sign-in?next=/connected-apps`);
    assert.ok(hasElement(page.text, 'username') && hasElement(page.text, 'password'));
    const answer = await browser.post(`${server.base}/sign-in`, {
      _csrf: inputValue(page.text, '_csrf')!,
      username: 'alice',
      password: PASSWORD,
      next: inputValue(page.text, 'next')!,
    });
    assert.equal(answer.status, 303);
    assert.equal(answer.location, '/connected-apps');
    const apps = await browser.get(`${server.base}/apps`);
    assert.equal(elementText(apps.text, 'signed_in_user'), 'Signed in as alice');
  });

  it('refuses a wrong password with a sentence, the same for an unknown user', async () => {
    for (const username of ['alice', 'nobody-here']) {
      const browser = new Browser();
      const page = await browser.get(`${server.base}/sign-in`);
      const answer = await browser.post(`${server.base}/sign-in`, {
        _csrf: inputValue(page.text, '_csrf')!,
        username,
        password: 'wrong password',
      });
      assert.equal(answer.status, 401);
      assert.equal(elementText(answer.text, 'sign_in_error'), 'The username or password is not correct.');
    }
  });

  it('never redirects off-site after sign-in (next=//evil.example)', async () => {
    const browser = new Browser();
    const page = await browser.get(`${server.base}/sign-in?next=//evil.example/x`);
    assert.equal(inputValue(page.text, 'next'), '/apps');
  });

  it('refuses a form without its CSRF token with a page saying what to do', async () => {
    const answer = await new Browser().post(`${server.base}/sign-in`, {
      username: 'alice',
      password: PASSWORD,
    });
    assert.equal(answer.status, 403);
    assert.match(answer.text, /This form has expired/);
  });

  it('signs up a new person, refusing taken names and short passwords in their language', async () => {
    const browser = new Browser();
    const headers = { 'accept-language': 'pl-PL,pl;q=0.9,en;q=0.5' };
    let page = await browser.request(`${server.base}/sign-up`, { headers });
    assert.match(page.text, /<html lang="pl">/);
    let answer = await browser.request(`${server.base}/sign-up`, {
      form: { _csrf: inputValue(page.text, '_csrf')!, username: 'alice', password: 'short' },
      headers,
    });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /Ta nazwa użytkownika jest zajęta/);
    assert.match(answer.text, /Hasło musi mieć co najmniej 8 znaków/);
    page = await browser.request(`${server.base}/sign-up`, { headers });
    answer = await browser.request(`${server.base}/sign-up`, {
      form: { _csrf: inputValue(page.text, '_csrf')!, username: 'zofia', password: 'długie hasło 123' },
      headers,
    });
    assert.equal(answer.status, 303);
    assert.ok(await server.stores.users.getByUsername('zofia'));
    const apps = await browser.request(`${server.base}/apps`, { headers });
    assert.equal(elementText(apps.text, 'signed_in_user'), 'Zalogowano jako zofia');
  });

  it('refuses a name that differs from a taken one only in letter case (OLGA beside olga)', async () => {
    const browser = new Browser();
    const page = await browser.get(`${server.base}/sign-up`);
    const answer = await browser.request(`${server.base}/sign-up`, {
      form: { _csrf: inputValue(page.text, '_csrf')!, username: 'OLGA', password: 'a long enough password' },
    });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /That username is taken/);
    assert.equal((await server.stores.users.getByUsername('OLGA'))?.username, 'olga');
  });

  it('signs out with a POST, after which pages ask to sign in again', async () => {
    const browser = await signedIn();
    const answer = await postForm(browser, '/apps', '/sign-out', {});
    assert.equal(answer.status, 303);
    assert.equal((await browser.get(`${server.base}/apps`)).status, 303);
  });

  it('rate-limits sign-in attempts per address and username', async () => {
    const limited = await startPortalServer({ settings: { signInAttemptsPerMinute: '3' } });
    // One fixed window for the whole test (windows are aligned to the epoch).
    const frozen = Date.now();
    limited.clock.now = () => frozen;
    try {
      const browser = new Browser();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const page = await browser.get(`${limited.base}/sign-in`);
        const answer = await browser.post(`${limited.base}/sign-in`, {
          _csrf: inputValue(page.text, '_csrf')!,
          username: 'alice',
          password: `guess ${i}`,
        });
        statuses.push(answer.status);
        if (answer.status === 429) assert.match(answer.text, /Too many sign-in attempts/);
      }
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('portal: My apps', () => {
  it('states the mode in plain words: PIN-only without a callback URL, Web with one', async () => {
    const browser = await signedIn();
    const fresh = await browser.get(`${server.base}/apps/new`);
    assert.equal(
      elementText(fresh.text, 'mode_statement'),
      'PIN-only: users will see a PIN to type into your app',
    );
    const pinKey = await createApp(browser, { name: 'Desk Tool', access_level: 'read' });
    const pinPage = await browser.get(`${server.base}/apps/${encodeURIComponent(pinKey)}`);
    assert.equal(
      elementText(pinPage.text, 'mode_statement'),
      'PIN-only: users will see a PIN to type into your app',
    );
    assert.equal(elementText(pinPage.text, 'consumer_key'), pinKey);
    const webKey = await createApp(
      browser,
      new URLSearchParams([
        ['name', 'Web Tool'],
        ['access_level', 'read-write'],
        ['callback_url', 'https://web.example/cb'],
        ['callback_url', ''],
        ['callback_url', 'myapp://callback'],
      ]),
    );
    const web = await server.stores.consumers.get(webKey);
    assert.deepEqual(web!.callbackUrls, ['https://web.example/cb', 'myapp://callback']);
    assert.equal(web!.ownerUserId, server.alice.id);
    const webPage = await browser.get(`${server.base}/apps/${encodeURIComponent(webKey)}`);
    assert.equal(
      elementText(webPage.text, 'mode_statement'),
      'Web: users are sent back to your callback URL; PIN-based authorization also works',
    );
  });

  it('refuses a bad callback URL, keeping what was typed and pointing at the field', async () => {
    const browser = await signedIn();
    const page = await browser.get(`${server.base}/apps/new`);
    const answer = await browser.post(`${server.base}/apps`, {
      _csrf: inputValue(page.text, '_csrf')!,
      name: 'Broken',
      access_level: 'read',
      callback_url: 'javascript:alert(1)',
    });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /href="#callback_url_1">Callback URL 1 is not valid/);
    assert.equal(inputValue(answer.text, 'name'), 'Broken');
  });

  it('keeps the secret hidden until asked for with a POST, and regenerating it stops the old one at once', async () => {
    const browser = await signedIn();
    const key = await createApp(browser, { name: 'Secret Keeper', access_level: 'read' });
    const consumer = (await server.stores.consumers.get(key))!;
    const appPath = `/apps/${encodeURIComponent(key)}`;
    const page = await browser.get(`${server.base}${appPath}`);
    assert.ok(!page.text.includes(consumer.secret));
    const revealed = await postForm(browser, appPath, `${appPath}/secret`, {});
    assert.equal(elementText(revealed.text, 'consumer_secret'), consumer.secret);
    assert.equal(revealed.headers.get('cache-control'), 'no-store');

    const client = new OAuthTestClient(server.base, server.clock.now);
    const old = { consumerKey: key, consumerSecret: consumer.secret };
    assert.equal((await client.requestToken(old)).status, 200);
    const regenerated = await postForm(
      browser,
      `${appPath}/secret/regenerate`,
      `${appPath}/secret/regenerate`,
      {
        confirm: 'yes',
      },
    );
    assert.equal(regenerated.status, 303);
    assert.equal(regenerated.location, appPath);
    const shown = await browser.get(`${server.base}${appPath}`);
    const fresh = elementText(shown.text, 'consumer_secret')!;
    assert.notEqual(fresh, consumer.secret);
    assert.equal((await server.stores.consumers.get(key))!.secret, fresh);
    assert.equal((await client.requestToken(old)).status, 401);
    assert.equal((await client.requestToken({ consumerKey: key, consumerSecret: fresh })).status, 200);
  });

  it("hides other people's apps (404), and a hand-made POST cannot turn xAuth on", async () => {
    const alice = await signedIn();
    const key = await createApp(alice, { name: 'Alice Only', access_level: 'read', xauth: 'on' });
    assert.equal((await server.stores.consumers.get(key))!.xauth, false);
    const page = await alice.get(`${server.base}/apps/${encodeURIComponent(key)}`);
    assert.ok(!hasElement(page.text, 'app_xauth'));

    const signUp = new Browser();
    const form = await signUp.get(`${server.base}/sign-up`);
    await signUp.post(`${server.base}/sign-up`, {
      _csrf: inputValue(form.text, '_csrf')!,
      username: 'mallory',
      password: 'mallory password',
    });
    assert.equal((await signUp.get(`${server.base}/apps/${encodeURIComponent(key)}`)).status, 404);
    const csrf = inputValue((await signUp.get(`${server.base}/apps`)).text, '_csrf')!;
    const attempt = await signUp.post(`${server.base}/apps/${encodeURIComponent(key)}/delete`, {
      _csrf: csrf,
    });
    assert.equal(attempt.status, 404);
    assert.ok(await server.stores.consumers.get(key));
  });

  it('edits and deletes an app', async () => {
    const browser = await signedIn();
    const key = await createApp(browser, { name: 'Draft', access_level: 'read' });
    const appPath = `/apps/${encodeURIComponent(key)}`;
    const saved = await postForm(browser, appPath, appPath, {
      name: 'Final',
      description: 'Does things',
      website: 'https://final.example',
      access_level: 'read-write',
      callback_url: 'https://final.example/cb',
    });
    assert.equal(saved.status, 303);
    const consumer = (await server.stores.consumers.get(key))!;
    assert.equal(consumer.name, 'Final');
    assert.equal(consumer.accessLevel, 'read-write');
    assert.deepEqual(consumer.callbackUrls, ['https://final.example/cb']);
    const after = await browser.get(`${server.base}${appPath}`);
    assert.equal(elementText(after.text, 'notice'), 'Your changes were saved.');
    const deleted = await postForm(browser, `${appPath}/delete`, `${appPath}/delete`, { confirm: 'yes' });
    assert.equal(deleted.status, 303);
    assert.equal(await server.stores.consumers.get(key), null);
    const list = await browser.get(`${server.base}/apps`);
    assert.equal(elementText(list.text, 'notice'), 'Final was deleted. Its keys and tokens no longer work.');
  });

  it('shows the last rejected requests of the app in the signature debugger, escaped', async () => {
    const browser = await signedIn();
    const key = await createApp(browser, { name: 'Debug Me', access_level: 'read' });
    const debuggerPath = `/apps/${encodeURIComponent(key)}/debugger`;
    assert.ok(hasElement((await browser.get(`${server.base}${debuggerPath}`)).text, 'debugger_empty'));
    await server.rejections.record(key, {
      at: Date.now(),
      method: 'POST',
      url: `${server.base}/oauth/request_token`,
      problem: 'signature_invalid',
      status: 401,
      code: 32,
      advice: 'Could not authenticate you.',
      parameters: [['oauth_nonce', '<script>alert(1)</script>']],
      baseString: 'POST&http%3A%2F%2F127.0.0.1&oauth_nonce%3D%253Cscript%253E',
    });
    const page = await browser.get(`${server.base}${debuggerPath}`);
    assert.equal(elementText(page.text, 'rejection_problem_1'), 'signature_invalid');
    assert.equal(
      elementText(page.text, 'base_string_1'),
      'POST&http%3A%2F%2F127.0.0.1&oauth_nonce%3D%253Cscript%253E',
    );
    assert.ok(!page.text.includes('<script>alert(1)'));
    assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  it("records the provider's refusals of the app's requests for the debugger (the server's own wiring)", async () => {
    const browser = await signedIn();
    const key = await createApp(browser, { name: 'Wired', access_level: 'read' });
    const secret = (await server.stores.consumers.get(key))!.secret;
    const client = new OAuthTestClient(server.base);
    const refused = await client.requestToken({ consumerKey: key, consumerSecret: `${secret}x` }, 'oob');
    assert.equal(refused.status, 401, refused.text);
    // Recorded once the answer has gone out.
    for (let i = 0; i < 50 && (await server.rejections.list(key)).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const page = await browser.get(`${server.base}/apps/${encodeURIComponent(key)}/debugger`);
    assert.equal(elementText(page.text, 'rejection_problem_1'), 'signature_invalid');
    assert.match(
      elementText(page.text, 'base_string_1') ?? '',
      /^POST&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Foauth%2Frequest_token&/,
    );
  });
});

describe('portal: connected apps and the operator', () => {
  async function authorizedToken(username: string, consumerKey: string, consumerSecret: string) {
    const client = new OAuthTestClient(server.base, server.clock.now);
    const credentials = { consumerKey, consumerSecret };
    const issued = (await client.requestToken(credentials)).form();
    const user = (await server.stores.users.getByUsername(username))!;
    // Authorize through the real page, as the person would.
    const browser = await signedIn(username);
    const consent = await browser.get(`${server.base}/oauth/authorize?oauth_token=${issued.oauth_token}`);
    const decided = await browser.post(`${server.base}/oauth/authorize`, {
      _csrf: inputValue(consent.text, '_csrf')!,
      oauth_token: issued.oauth_token!,
      decision: 'allow',
    });
    const pin = elementText((await browser.get(`${server.base}${decided.location}`)).text, 'oauth_pin')!;
    const access = (
      await client.accessToken(
        { ...credentials, token: issued.oauth_token!, tokenSecret: issued.oauth_token_secret! },
        pin,
      )
    ).form();
    assert.equal(access.user_id, user.id);
    return {
      client,
      browser,
      credentials: { ...credentials, token: access.oauth_token!, tokenSecret: access.oauth_token_secret! },
    };
  }

  const verify = (
    client: OAuthTestClient,
    credentials: Parameters<OAuthTestClient['call']>[0]['credentials'],
  ) => client.call({ method: 'GET', url: '/1.1/account/verify_credentials.json', credentials });

  it('lists the apps a person authorized and revoking one stops its token at once', async () => {
    const owner = await signedIn();
    const key = await createApp(owner, { name: 'Connected One', access_level: 'read-write' });
    const secret = (await server.stores.consumers.get(key))!.secret;
    const { client, browser, credentials } = await authorizedToken('alice', key, secret);
    assert.equal((await verify(client, credentials)).status, 200);
    const page = await browser.get(`${server.base}/connected-apps`);
    assert.match(page.text, /<th scope="row">Connected One<\/th>\s*<td>Read and write<\/td>/);
    const revokePath = `/connected-apps/${encodeURIComponent(key)}/revoke`;
    const revoked = await postForm(browser, revokePath, revokePath, { confirm: 'yes' });
    assert.equal(revoked.status, 303);
    const refused = await verify(client, credentials);
    assert.equal(refused.status, 401);
    assert.equal((refused.json() as { errors: { code: number }[] }).errors[0]!.code, 89);
    const after = await browser.get(`${server.base}/connected-apps`);
    assert.equal(elementText(after.text, 'notice'), 'Access for Connected One was revoked.');
    assert.ok(hasElement(after.text, 'connected_empty'));
  });

  it('lets the operator disable an app (its tokens stop) and flag xAuth; others get 403', async () => {
    const owner = await signedIn();
    const key = await createApp(owner, { name: 'To Disable', access_level: 'read' });
    const secret = (await server.stores.consumers.get(key))!.secret;
    const { client, credentials } = await authorizedToken('alice', key, secret);
    assert.equal((await verify(client, credentials)).status, 200);

    assert.equal((await owner.get(`${server.base}/operator`)).status, 403);
    const operator = await signedIn('olga');
    const page = await operator.get(`${server.base}/operator`);
    assert.match(page.text, /To Disable/);
    assert.match(page.text, /<th scope="row">alice<\/th>/);
    const disabled = await postForm(operator, '/operator', `/operator/apps/${encodeURIComponent(key)}`, {
      action: 'disable',
      confirm: 'yes',
    });
    assert.equal(disabled.status, 303);
    assert.equal((await verify(client, credentials)).status, 401);
    await postForm(operator, '/operator', `/operator/apps/${encodeURIComponent(key)}`, { action: 'enable' });
    assert.equal((await verify(client, credentials)).status, 200);
    await postForm(operator, '/operator', `/operator/apps/${encodeURIComponent(key)}`, {
      action: 'allow-xauth',
    });
    assert.equal((await server.stores.consumers.get(key))!.xauth, true);
  });
});

describe('portal: what cannot be undone asks first, and a reload repeats nothing', () => {
  it('delete, regenerate, revoke and disable without the confirmation step only lead to it', async () => {
    const owner = await signedIn();
    const key = await createApp(owner, { name: 'Careful', access_level: 'read' });
    const before = (await server.stores.consumers.get(key))!;
    const appPath = `/apps/${encodeURIComponent(key)}`;
    for (const action of [`${appPath}/delete`, `${appPath}/secret/regenerate`]) {
      const oneClick = await postForm(owner, appPath, action, {});
      assert.equal(oneClick.status, 303, action);
      assert.equal(oneClick.location, action, 'to the confirmation step');
      const step = await owner.get(`${server.base}${action}`);
      assert.equal(step.status, 200);
      assert.ok(hasElement(step.text, 'confirm_button') && hasElement(step.text, 'confirm_cancel'));
      assert.equal(inputValue(step.text, 'confirm'), 'yes');
    }
    assert.deepEqual(await server.stores.consumers.get(key), before, 'nothing changed');
    assert.match(
      elementText((await owner.get(`${server.base}${appPath}/delete`)).text, 'page_heading') ?? '',
      /^Delete Careful\?$/,
    );

    const operator = await signedIn('olga');
    const disable = await postForm(operator, '/operator', `/operator/apps/${encodeURIComponent(key)}`, {
      action: 'disable',
    });
    assert.equal(disable.location, `/operator/apps/${encodeURIComponent(key)}/disable`);
    assert.equal((await server.stores.consumers.get(key))!.disabled, false);
    const step = await operator.get(`${server.base}${disable.location}`);
    assert.equal(inputValue(step.text, 'action'), 'disable');
    // Enabling again is not destructive: one click.
    await server.stores.consumers.update({ ...before, disabled: true });
    const enabled = await postForm(operator, '/operator', `/operator/apps/${encodeURIComponent(key)}`, {
      action: 'enable',
    });
    assert.equal(enabled.location, '/operator');
    assert.equal((await server.stores.consumers.get(key))!.disabled, false);
  });

  it('a regenerated secret is shown once after the redirect, never in a URL; reloading shows it hidden and regenerates nothing', async () => {
    const browser = await signedIn();
    const key = await createApp(browser, { name: 'Reloaded', access_level: 'read' });
    const appPath = `/apps/${encodeURIComponent(key)}`;
    const done = await postForm(browser, `${appPath}/secret/regenerate`, `${appPath}/secret/regenerate`, {
      confirm: 'yes',
    });
    const secret = (await server.stores.consumers.get(key))!.secret;
    assert.ok(!done.location!.includes(secret));
    const shown = await browser.get(`${server.base}${done.location}`);
    assert.equal(elementText(shown.text, 'consumer_secret'), secret);
    assert.equal(
      elementText(shown.text, 'notice'),
      'A new secret was generated. The old one no longer works.',
    );
    const reloaded = await browser.get(`${server.base}${done.location}`);
    assert.equal(elementText(reloaded.text, 'consumer_secret'), null);
    assert.ok(hasElement(reloaded.text, 'consumer_secret_hidden'));
    assert.equal((await server.stores.consumers.get(key))!.secret, secret, 'not regenerated again');
  });

  it('revoking needs the confirmation too, and a connection that is not yours is not found', async () => {
    const browser = await signedIn();
    const revokePath = '/connected-apps/not-connected/revoke';
    assert.equal((await browser.get(`${server.base}${revokePath}`)).status, 404);
  });
});

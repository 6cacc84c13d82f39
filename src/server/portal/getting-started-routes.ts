// A page per app for getting started: this server's endpoint URLs (from its public URL), the app's mode,
// and two ready-made first steps filled in with the app's key — the `tripod authorize` command line and a
// requests-oauthlib script. The consumer secret never appears on it: both read it from the environment
// (CONSUMER_SECRET), which the developer sets from the app's Keys section, where revealing it is a POST.

import type { FastifyInstance } from 'fastify';
import type { Consumer } from '../../provider/types.ts';
import { appMode } from './app-form.ts';
import { keyParam, manageableApp, signedInUser } from './manageable-app.ts';
import type { PortalOptions } from './portal.ts';

/** The endpoints a client needs, below the site's URL (DESIGN.md §3 names them). */
export function endpointsOf(site: string) {
  return {
    requestToken: `${site}/oauth/request_token`,
    authorize: `${site}/oauth/authorize`,
    accessToken: `${site}/oauth/access_token`,
    verifyCredentials: `${site}/1.1/account/verify_credentials.json`,
  };
}

/** Single-quoted for a POSIX shell: nothing inside is expanded. */
function shellQuoted(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A Python string literal (JSON's escapes are Python's for these characters). */
const pythonString = (text: string) => JSON.stringify(text);

export function cliCommand(site: string, consumer: Pick<Consumer, 'key'>): string {
  return `npx tripod authorize --site ${shellQuoted(site)} --consumer-key ${shellQuoted(consumer.key)} --consumer-secret "$CONSUMER_SECRET"`;
}

export function requestCommand(site: string): string {
  return `npx tripod request --site ${shellQuoted(site)} /1.1/account/verify_credentials.json`;
}

export function pythonSnippet(site: string, consumer: Pick<Consumer, 'key' | 'callbackUrls'>): string {
  const endpoints = endpointsOf(site);
  const callback = consumer.callbackUrls[0];
  const lines = [
    'import os',
    '',
    'from requests_oauthlib import OAuth1Session',
    '',
    `oauth = OAuth1Session(${pythonString(consumer.key)}, client_secret=os.environ["CONSUMER_SECRET"], callback_uri=${pythonString(callback ?? 'oob')})`,
    `oauth.fetch_request_token(${pythonString(endpoints.requestToken)})`,
    `print("Open this page and allow the app:", oauth.authorization_url(${pythonString(endpoints.authorize)}), flush=True)`,
  ];
  if (callback === undefined) {
    lines.push('verifier = input("PIN: ").strip()');
  } else {
    lines.push(
      'oauth.parse_authorization_response(input("The URL you were sent back to: ").strip())',
      'verifier = None',
    );
  }
  lines.push(
    `tokens = oauth.fetch_access_token(${pythonString(endpoints.accessToken)}, verifier=verifier)`,
    `me = oauth.get(${pythonString(endpoints.verifyCredentials)}).json()`,
    'print("Signed in as", me["screen_name"])',
  );
  return lines.join('\n');
}

export async function gettingStartedRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores } = options;
  app.addHook('preHandler', side.signedInOnly);

  app.get('/apps/:key/start', async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    const t = side.words(request);
    const site = side.siteUrl(request);
    return side.page(
      request,
      reply,
      'portal/getting-started',
      {
        title: t('start.pageTitle', { app: consumer.name }),
        app: { key: consumer.key, name: consumer.name },
        mode: appMode(consumer.callbackUrls),
        site,
        endpoints: endpointsOf(site),
        command: cliCommand(site, consumer),
        requestCommand: requestCommand(site),
        python: pythonSnippet(site, consumer),
      },
      { current: 'apps' },
    );
  });
}

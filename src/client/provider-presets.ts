// Endpoints of well-known OAuth 1.0a providers, each written down from the provider's public
// documentation (cited above each preset). `tripod authorize --provider NAME` fills them in; every URL
// can still be overridden with --request-token-url / --authorize-url / --access-token-url.

import type { SignatureMethodName } from '../core/signature.ts';
import type { OAuthEndpoints } from './pin-flow.ts';

export interface ProviderPreset {
  id: string;
  title: string;
  /** The site (profile key) when --site is not given. Undefined: --site is required. */
  site?: string | undefined;
  /** Endpoints, from the site for self-hosted providers (Tripod, Jira, NetSuite). */
  endpoints(site: string): OAuthEndpoints;
  /** Base URL that `tripod request /path` is resolved against (default: the site). */
  apiBase?: ((site: string) => string) | undefined;
  /** A signed GET that names the user, for `tripod doctor`. */
  verifyCredentialsUrl?: ((site: string) => string) | undefined;
  signatureMethod?: SignatureMethodName | undefined;
  /** Whether the provider shows a PIN for oauth_callback=oob; false: use --loopback. */
  supportsOob: boolean;
  /**
   * The oob PIN is digits (a page may group them with spaces or dashes), so anything else a person
   * types is a typo to catch before it spends one of the provider's tries. Others show letters too.
   */
  pinIsDigits?: boolean | undefined;
  /** The host of the loopback callback URL, when the provider allows only one spelling. */
  loopbackHost?: '127.0.0.1' | 'localhost' | undefined;
  /** authorize-URL options this provider understands. */
  authorizeOptions: readonly ('force_login' | 'screen_name' | 'langpref' | 'interactivity')[];
  /** Extra authorize-URL parameters sent by default (overridable with --auth-param). */
  defaultAuthorizeParams?: readonly [string, string][] | undefined;
  /** Headers the provider requires on every call. */
  headers?: readonly [string, string][] | undefined;
  notes?: string | undefined;
}

const trim = (site: string) => site.replace(/\/+$/, '');

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    // Tripod itself: DESIGN.md §3 (Twitter's paths).
    id: 'tripod',
    title: 'Tripod',
    endpoints: (site) => ({
      requestTokenUrl: `${trim(site)}/oauth/request_token`,
      authorizeUrl: `${trim(site)}/oauth/authorize`,
      accessTokenUrl: `${trim(site)}/oauth/access_token`,
      invalidateTokenUrl: `${trim(site)}/oauth/invalidate_token`,
    }),
    verifyCredentialsUrl: (site) => `${trim(site)}/1.1/account/verify_credentials.json`,
    supportsOob: true,
    pinIsDigits: true,
    authorizeOptions: ['force_login', 'screen_name', 'langpref', 'interactivity'],
  },
  {
    // X/Twitter: docs.x.com/fundamentals/authentication/api-reference (POST oauth/request_token,
    // GET oauth/authorize with force_login and screen_name, POST oauth/access_token,
    // POST 1.1/oauth/invalidate_token) and docs.x.com …/pin-based-oauth ("set oauth_callback to oob").
    id: 'x',
    title: 'X (Twitter)',
    site: 'https://api.x.com',
    endpoints: (site) => ({
      requestTokenUrl: `${trim(site)}/oauth/request_token`,
      authorizeUrl: `${trim(site)}/oauth/authorize`,
      accessTokenUrl: `${trim(site)}/oauth/access_token`,
      invalidateTokenUrl: `${trim(site)}/1.1/oauth/invalidate_token`,
    }),
    verifyCredentialsUrl: (site) => `${trim(site)}/1.1/account/verify_credentials.json`,
    supportsOob: true,
    pinIsDigits: true,
    authorizeOptions: ['force_login', 'screen_name'],
  },
  {
    // Flickr: www.flickr.com/services/api/auth.oauth.html ("User Authentication": request_token,
    // authorize with perms=read|write|delete, access_token; oob shows a verifier code).
    id: 'flickr',
    title: 'Flickr',
    site: 'https://www.flickr.com',
    endpoints: () => ({
      requestTokenUrl: 'https://www.flickr.com/services/oauth/request_token',
      authorizeUrl: 'https://www.flickr.com/services/oauth/authorize',
      accessTokenUrl: 'https://www.flickr.com/services/oauth/access_token',
    }),
    apiBase: () => 'https://api.flickr.com/services/rest',
    verifyCredentialsUrl: () =>
      'https://api.flickr.com/services/rest?method=flickr.test.login&format=json&nojsoncallback=1',
    supportsOob: true,
    pinIsDigits: true,
    authorizeOptions: [],
    defaultAuthorizeParams: [['perms', 'read']],
  },
  {
    // Trello: developer.atlassian.com/cloud/trello/guides/rest-api/authorization/ ("Using Basic OAuth":
    // OAuthGetRequestToken, OAuthAuthorizeToken with name/scope/expiration, OAuthGetAccessToken).
    id: 'trello',
    title: 'Trello',
    site: 'https://trello.com',
    endpoints: () => ({
      requestTokenUrl: 'https://trello.com/1/OAuthGetRequestToken',
      authorizeUrl: 'https://trello.com/1/OAuthAuthorizeToken',
      accessTokenUrl: 'https://trello.com/1/OAuthGetAccessToken',
    }),
    apiBase: () => 'https://api.trello.com',
    verifyCredentialsUrl: () => 'https://api.trello.com/1/members/me',
    supportsOob: false,
    authorizeOptions: [],
    defaultAuthorizeParams: [
      ['name', 'tripod'],
      ['scope', 'read'],
      ['expiration', '30days'],
    ],
  },
  {
    // Garmin Connect Developer Program, "User Authorization (OAuth)" in the Health API docs:
    // POST connectapi.garmin.com/oauth-service/oauth/request_token, connect.garmin.com/oauthConfirm,
    // POST connectapi.garmin.com/oauth-service/oauth/access_token. Callback based (no PIN page).
    id: 'garmin',
    title: 'Garmin Connect',
    site: 'https://connect.garmin.com',
    endpoints: () => ({
      requestTokenUrl: 'https://connectapi.garmin.com/oauth-service/oauth/request_token',
      authorizeUrl: 'https://connect.garmin.com/oauthConfirm',
      accessTokenUrl: 'https://connectapi.garmin.com/oauth-service/oauth/access_token',
    }),
    apiBase: () => 'https://apis.garmin.com',
    supportsOob: false,
    authorizeOptions: [],
  },
  {
    // Tumblr: www.tumblr.com/docs/en/api/v2 ("OAuth1 Authorization": /oauth/request_token,
    // /oauth/authorize, /oauth/access_token on www.tumblr.com).
    id: 'tumblr',
    title: 'Tumblr',
    site: 'https://www.tumblr.com',
    endpoints: () => ({
      requestTokenUrl: 'https://www.tumblr.com/oauth/request_token',
      authorizeUrl: 'https://www.tumblr.com/oauth/authorize',
      accessTokenUrl: 'https://www.tumblr.com/oauth/access_token',
    }),
    apiBase: () => 'https://api.tumblr.com',
    verifyCredentialsUrl: () => 'https://api.tumblr.com/v2/user/info',
    supportsOob: false,
    authorizeOptions: [],
  },
  {
    // Discogs: www.discogs.com/developers ("Authentication → OAuth Flow": api.discogs.com/oauth/request_token,
    // www.discogs.com/oauth/authorize, api.discogs.com/oauth/access_token, /oauth/identity; a
    // User-Agent is required on every request; PLAINTEXT over HTTPS is what the docs show).
    id: 'discogs',
    title: 'Discogs',
    site: 'https://api.discogs.com',
    endpoints: () => ({
      requestTokenUrl: 'https://api.discogs.com/oauth/request_token',
      authorizeUrl: 'https://www.discogs.com/oauth/authorize',
      accessTokenUrl: 'https://api.discogs.com/oauth/access_token',
    }),
    verifyCredentialsUrl: () => 'https://api.discogs.com/oauth/identity',
    signatureMethod: 'PLAINTEXT',
    supportsOob: true,
    authorizeOptions: [],
    headers: [['User-Agent', 'tripod-cli/0.1']],
  },
  {
    // Jira / Confluence Server and Data Center application links: developer.atlassian.com "JIRA REST API
    // Example – OAuth authentication" (/plugins/servlet/oauth/request-token, /authorize, /access-token;
    // RSA-SHA1 with the public key registered in "Incoming Authentication").
    id: 'jira',
    title: 'Jira (Server/Data Center)',
    endpoints: (site) => ({
      requestTokenUrl: `${trim(site)}/plugins/servlet/oauth/request-token`,
      authorizeUrl: `${trim(site)}/plugins/servlet/oauth/authorize`,
      accessTokenUrl: `${trim(site)}/plugins/servlet/oauth/access-token`,
    }),
    verifyCredentialsUrl: (site) => `${trim(site)}/rest/api/2/myself`,
    signatureMethod: 'RSA-SHA1',
    supportsOob: true,
    authorizeOptions: [],
  },
  {
    // NetSuite token-based authentication, Oracle NetSuite help "The Three-Step TBA Authorization Flow"
    // (section_156338994830, _156536698849, _156537025868): POST <account>.restlets.api.netsuite.com/rest/requesttoken,
    // GET <account>.app.netsuite.com/app/login/secure/authorizetoken.nl, POST …/rest/accesstoken; only
    // HMAC-SHA256; realm = account id; callback must be an absolute URL (http://localhost:* allowed).
    // --site is https://<account>.restlets.api.netsuite.com.
    id: 'netsuite',
    title: 'NetSuite (TBA)',
    endpoints: (site) => {
      const restlets = new URL(site);
      const account = restlets.hostname.split('.')[0]!;
      return {
        requestTokenUrl: `${restlets.origin}/rest/requesttoken`,
        authorizeUrl: `https://${account}.app.netsuite.com/app/login/secure/authorizetoken.nl`,
        accessTokenUrl: `${restlets.origin}/rest/accesstoken`,
      };
    },
    signatureMethod: 'HMAC-SHA256',
    supportsOob: false,
    loopbackHost: 'localhost',
    authorizeOptions: [],
    notes: 'realm is the account id (1234567_SB1 for the sandbox host 1234567-sb1): pass --realm.',
  },
];

export function findPreset(id: string): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find((p) => p.id === id.toLowerCase());
}

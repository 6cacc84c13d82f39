// The three-legged flow of RFC 5849 §2 as three calls, shaped like requests-oauthlib's OAuth1Session
// (fetch_request_token → authorization_url → fetch_access_token) with promises:
//   1. requestToken()   POST the temporary-credential request (§2.1) with oauth_callback "oob" (PIN) or a URL;
//   2. authorizeUrl()   the page the person opens (§2.2), with Twitter's force_login/screen_name and OKAPI's langpref;
//   3. accessToken()    exchange the temporary credentials and the verifier (the PIN) for token credentials (§2.3).
// Every value in between is a plain object, so a flow can stop after step 1 and resume in another
// process (tweepy#1952, passport-twitter#45 lost exactly that state).

import { parseFormEncoded } from '../core/encoding.ts';
import type { ConsumerCredentials, SigningCredentials, TokenCredentials } from './credentials.ts';
import { OAuthResponseError, parseProviderError, TokenMissingError } from './errors.ts';
import type { NonceSource } from './nonce-and-timestamp.ts';
import { createOAuthFetch, type FetchFunction } from './oauth-fetch.ts';
import type { SignedHttpRequest } from './sign-request.ts';

export interface OAuthEndpoints {
  requestTokenUrl: string;
  authorizeUrl: string;
  accessTokenUrl: string;
  /** Where `logout` revokes an access token (Tripod: /oauth/invalidate_token; X: /1.1/oauth/invalidate_token). */
  invalidateTokenUrl?: string | undefined;
  /** HTTP method of the token endpoints (POST everywhere we know; Trello accepts GET too). */
  tokenMethod?: 'POST' | 'GET' | undefined;
}

export interface RequestToken extends TokenCredentials {
  /** oauth_callback_confirmed=true, required by OAuth 1.0a (§2.1); false means a pre-1.0a provider. */
  callbackConfirmed: boolean;
  /** Every field of the response, extra ones included. */
  response: Record<string, string>;
}

export interface AccessToken extends TokenCredentials {
  /** X and Tripod return these with the token; Flickr returns user_nsid/username instead. */
  userId: string | undefined;
  screenName: string | undefined;
  response: Record<string, string>;
}

export interface AuthorizeUrlOptions {
  /** Twitter: make the person log in again even with a session. */
  forceLogin?: boolean | undefined;
  /** Twitter: prefill the login form. */
  screenName?: string | undefined;
  /** OKAPI/Tripod: pipe-separated ISO 639-1 codes, or a list of them. */
  langpref?: string | readonly string[] | undefined;
  /** OKAPI/Tripod: minimal | confirm_user. */
  interactivity?: 'minimal' | 'confirm_user' | undefined;
  /** Provider-specific extras: Trello's name/scope/expiration, Flickr's perms, … */
  params?: readonly (readonly [string, string])[] | undefined;
}

export interface OAuthConsumerOptions extends ConsumerCredentials {
  endpoints: OAuthEndpoints;
  fetch?: FetchFunction | undefined;
  nonceSource?: NonceSource | undefined;
  /** Called with every signed request (for --debug). */
  onSigned?: ((request: SignedHttpRequest, credentials: SigningCredentials) => void) | undefined;
  /** Headers sent with every token request (Discogs requires a User-Agent). */
  headers?: readonly (readonly [string, string])[] | undefined;
}

function toRecord(pairs: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) out[k] ??= v;
  return out;
}

/** Token responses are form-encoded (§2.1, §2.3); a few providers answer JSON, which is accepted too. */
export function parseTokenResponse(body: string): Record<string, string> {
  const text = body.trim();
  if (text.startsWith('{')) {
    const json = JSON.parse(text) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(json))
      if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    return out;
  }
  return toRecord(parseFormEncoded(text));
}

/** Reads oauth_token/oauth_verifier (or a denial) from the URL the provider redirected to. */
export function parseAuthorizationResponse(
  redirectUrl: string | URL,
): { oauthToken: string; oauthVerifier: string } | { denied: true; oauthToken: string | undefined } {
  const query = new URL(String(redirectUrl)).searchParams;
  const token = query.get('oauth_token') ?? undefined;
  const verifier = query.get('oauth_verifier');
  // Twitter sends ?denied=TOKEN, OKAPI ?error=access_denied; Tripod sends both.
  if (query.has('denied') || query.get('error') === 'access_denied' || verifier === null) {
    return { denied: true, oauthToken: token ?? query.get('denied') ?? undefined };
  }
  return { oauthToken: token ?? '', oauthVerifier: verifier };
}

export class OAuthConsumer {
  readonly options: OAuthConsumerOptions;

  constructor(options: OAuthConsumerOptions) {
    this.options = options;
  }

  private async tokenCall(
    url: string,
    token: TokenCredentials | undefined,
    extraOAuthParams: [string, string][],
  ): Promise<Record<string, string>> {
    const method = this.options.endpoints.tokenMethod ?? 'POST';
    const signedFetch = createOAuthFetch(
      { ...this.options, token: token?.token, tokenSecret: token?.tokenSecret },
      {
        fetch: this.options.fetch,
        nonceSource: this.options.nonceSource,
        onSigned: this.options.onSigned,
        extraOAuthParams,
      },
    );
    const headers = new Headers(this.options.headers as [string, string][] | undefined);
    const response = await signedFetch(url, { method, headers });
    const text = await readOrThrow(response, method, url);
    let fields: Record<string, string>;
    try {
      fields = parseTokenResponse(text);
    } catch {
      throw new TokenMissingError(url, text);
    }
    if (!fields.oauth_token || fields.oauth_token_secret === undefined)
      throw new TokenMissingError(url, text);
    return fields;
  }

  /**
   * Step 1 (§2.1): temporary credentials. `callback` is "oob" for the PIN flow (X requires an explicit
   * oauth_callback on every request, "oob" included). Extra protocol parameters such as
   * x_auth_access_type go in `extraOAuthParams`.
   */
  async requestToken(
    options: {
      callback?: string;
      /** X/Tripod x_auth_access_type: ask for less than the app's level. Sent in the query, as X documents it. */
      accessType?: 'read' | 'write' | undefined;
      extraOAuthParams?: readonly [string, string][];
    } = {},
  ): Promise<RequestToken> {
    const extra: [string, string][] = [['oauth_callback', options.callback ?? 'oob']];
    for (const [k, v] of options.extraOAuthParams ?? []) extra.push([k, v]);
    const url = new URL(this.options.endpoints.requestTokenUrl);
    if (options.accessType !== undefined) url.searchParams.set('x_auth_access_type', options.accessType);
    const fields = await this.tokenCall(url.href, undefined, extra);
    return {
      token: fields.oauth_token!,
      tokenSecret: fields.oauth_token_secret!,
      callbackConfirmed: fields.oauth_callback_confirmed === 'true',
      response: fields,
    };
  }

  /** Step 2 (§2.2): the URL the person opens. Only oauth_token is needed; nothing secret goes in it. */
  authorizeUrl(
    requestToken: Pick<RequestToken, 'token'> | string,
    options: AuthorizeUrlOptions = {},
  ): string {
    return buildAuthorizeUrl(this.options.endpoints.authorizeUrl, requestToken, options);
  }

  /** Step 3 (§2.3): exchanges the request token and the verifier (the PIN) for an access token. */
  async accessToken(requestToken: TokenCredentials, verifier: string): Promise<AccessToken> {
    const fields = await this.tokenCall(this.options.endpoints.accessTokenUrl, requestToken, [
      ['oauth_verifier', verifier.trim()],
    ]);
    return {
      token: fields.oauth_token!,
      tokenSecret: fields.oauth_token_secret!,
      userId: fields.user_id ?? fields.user_nsid ?? fields.userid,
      screenName: fields.screen_name ?? fields.username,
      response: fields,
    };
  }

  /** Revokes an access token where the provider has an endpoint for it. Returns false when it has none. */
  async invalidate(accessToken: TokenCredentials): Promise<boolean> {
    const url = this.options.endpoints.invalidateTokenUrl;
    if (url === undefined) return false;
    const response = await this.fetch(accessToken)(url, { method: 'POST' });
    await readOrThrow(response, 'POST', url);
    return true;
  }

  /** A fetch signed with the consumer credentials and `token` (or consumer-only, "two-legged", without). */
  fetch(token?: TokenCredentials): FetchFunction {
    return createOAuthFetch(
      { ...this.options, token: token?.token, tokenSecret: token?.tokenSecret },
      { fetch: this.options.fetch, nonceSource: this.options.nonceSource, onSigned: this.options.onSigned },
    );
  }
}

export function buildAuthorizeUrl(
  authorizeEndpoint: string,
  requestToken: Pick<RequestToken, 'token'> | string,
  options: AuthorizeUrlOptions = {},
): string {
  const url = new URL(authorizeEndpoint);
  url.searchParams.set('oauth_token', typeof requestToken === 'string' ? requestToken : requestToken.token);
  if (options.forceLogin) url.searchParams.set('force_login', 'true');
  if (options.screenName !== undefined) url.searchParams.set('screen_name', options.screenName);
  if (options.langpref !== undefined) {
    url.searchParams.set(
      'langpref',
      typeof options.langpref === 'string' ? options.langpref : options.langpref.join('|'),
    );
  }
  if (options.interactivity !== undefined) url.searchParams.set('interactivity', options.interactivity);
  for (const [k, v] of options.params ?? []) url.searchParams.append(k, v);
  return url.href;
}

/** The response body, or the provider's error as a typed OAuthResponseError when the status is not 2xx. */
async function readOrThrow(response: Response, method: string, url: string): Promise<string> {
  const text = await response.text();
  if (!response.ok) {
    throw new OAuthResponseError(
      parseProviderError({
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: text,
        method,
        url,
      }),
    );
  }
  return text;
}

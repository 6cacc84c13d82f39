// Typed errors for what a provider answers. requests-oauthlib keeps the provider's body only inside a
// message string (clients.md §2.3); here the status, the provider's message, Twitter's error code and
// the Problem Reporting fields (oauth_problem, oauth_problem_advice, …) are parsed into fields, from
// whichever shape the provider used: Twitter's JSON `{"errors":[{code,message}]}` (plus Tripod's
// `oauth_problem`/`advice`), a form-encoded `oauth_problem=…` body, oauthlib's `error=…&error_description=…`,
// or the `WWW-Authenticate: OAuth …, oauth_problem="…"` header.

import { parseFormEncoded } from '../core/encoding.ts';
import { parseAuthorizationHeader } from '../core/parameters.ts';

export interface ProviderErrorDetails {
  status: number;
  statusText: string;
  /** The provider's own message, when it gave one. */
  providerMessage: string | undefined;
  /** Twitter/X's numeric error code (32, 89, 135, 215, 415, …), when present. */
  twitterCode: number | undefined;
  /** The Problem Reporting name (signature_invalid, timestamp_refused, …), when present. */
  oauthProblem: string | undefined;
  /** The provider's advice, or ours for a known oauth_problem / Twitter code. */
  advice: string | undefined;
  /** Other Problem Reporting parameters (oauth_acceptable_timestamps, oauth_parameters_absent, …). */
  problemParameters: Record<string, string>;
  /** The response body as text. */
  body: string;
  headers: Record<string, string>;
  method: string;
  url: string;
}

/** The provider answered a signed request with an HTTP error. */
export class OAuthResponseError extends Error implements ProviderErrorDetails {
  readonly status: number;
  readonly statusText: string;
  readonly providerMessage: string | undefined;
  readonly twitterCode: number | undefined;
  readonly oauthProblem: string | undefined;
  readonly advice: string | undefined;
  readonly problemParameters: Record<string, string>;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly method: string;
  readonly url: string;

  constructor(details: ProviderErrorDetails) {
    super(explainProviderError(details));
    this.name = 'OAuthResponseError';
    this.status = details.status;
    this.statusText = details.statusText;
    this.providerMessage = details.providerMessage;
    this.twitterCode = details.twitterCode;
    this.oauthProblem = details.oauthProblem;
    this.advice = details.advice;
    this.problemParameters = details.problemParameters;
    this.body = details.body;
    this.headers = details.headers;
    this.method = details.method;
    this.url = details.url;
  }
}

/** A token endpoint answered 2xx but without oauth_token / oauth_token_secret. */
export class TokenMissingError extends Error {
  readonly body: string;
  constructor(endpoint: string, body: string) {
    super(`${endpoint} answered without oauth_token and oauth_token_secret: ${body.slice(0, 200)}`);
    this.name = 'TokenMissingError';
    this.body = body;
  }
}

/** The user refused on the provider's consent page (seen by the loopback callback). */
export class AuthorizationDeniedError extends Error {
  readonly oauthToken: string | undefined;
  constructor(oauthToken: string | undefined) {
    super('The authorization was denied on the provider’s page.');
    this.name = 'AuthorizationDeniedError';
    this.oauthToken = oauthToken;
  }
}

/** Nobody came back to the loopback callback in time. */
export class CallbackTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`No authorization came back to the loopback callback within ${Math.round(timeoutMs / 1000)} s.`);
    this.name = 'CallbackTimeoutError';
  }
}

// Our advice for the problems a person can fix from the client side, used when the provider sent none.
const PROBLEM_ADVICE: Record<string, string> = {
  signature_invalid:
    'check the consumer secret and token secret, and compare the base string (--debug) with what the provider expects',
  timestamp_refused: 'your clock differs from the provider’s: run `tripod doctor` or pass --timestamp-offset',
  nonce_used: 'a nonce was reused: do not replay signed requests',
  consumer_key_unknown: 'the consumer key is not known to this provider (typo, or the wrong site?)',
  consumer_key_rejected: 'the consumer key was rejected (app suspended or deleted?)',
  consumer_key_refused: 'the consumer key was refused for this request',
  token_rejected: 'the token is not valid here: re-run `tripod authorize`',
  token_expired: 'the token expired: re-run `tripod authorize`',
  token_revoked: 'the token was revoked: re-run `tripod authorize`',
  token_used: 'the request token was already exchanged: start the flow again',
  verifier_invalid: 'the PIN/verifier is wrong or used: start the flow again and type the new PIN',
  parameter_absent: 'a required OAuth parameter is missing',
  parameter_rejected: 'a parameter was rejected (malformed or given twice)',
  signature_method_rejected: 'this provider does not accept that signature method: try --signature-method',
  version_rejected: 'the provider rejects oauth_version: try --no-oauth-version',
  permission_denied: 'the token lacks permission for this call (read-only app or token?)',
  user_refused: 'the user refused the authorization',
  callback_rejected: 'the callback URL is not approved for this app (use oob/PIN, or register the callback)',
};

const TWITTER_CODE_ADVICE: Record<number, string> = {
  32: PROBLEM_ADVICE.signature_invalid!,
  89: PROBLEM_ADVICE.token_rejected!,
  135: PROBLEM_ADVICE.timestamp_refused!,
  215: 'the OAuth parameters are missing or malformed',
  261: 'this app or token cannot write: authorize with write access',
  415: PROBLEM_ADVICE.callback_rejected!,
  417: 'this app is PIN-only: use oauth_callback=oob (the default of `tripod authorize`)',
};

/** Parses an error response into its fields. `body` is the response text. */
export function parseProviderError(input: {
  status: number;
  statusText?: string | undefined;
  headers: Headers | Record<string, string>;
  body: string;
  method: string;
  url: string;
}): ProviderErrorDetails {
  const headers: Record<string, string> = {};
  if (input.headers instanceof Headers) {
    input.headers.forEach((v, k) => {
      headers[k] = v;
    });
  } else for (const [k, v] of Object.entries(input.headers)) headers[k.toLowerCase()] = v;

  let providerMessage: string | undefined;
  let twitterCode: number | undefined;
  let oauthProblem: string | undefined;
  let advice: string | undefined;
  const problemParameters: Record<string, string> = {};
  const text = input.body.trim();

  const take = (name: string, value: unknown) => {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const v = String(value);
    if (name === 'oauth_problem') oauthProblem ??= v;
    else if (name === 'oauth_problem_advice' || name === 'advice') advice ??= v;
    else if (name.startsWith('oauth_')) problemParameters[name] = v;
  };

  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const first = Array.isArray(json.errors)
        ? (json.errors[0] as Record<string, unknown> | undefined)
        : undefined;
      if (first !== undefined) {
        if (typeof first.code === 'number') twitterCode = first.code;
        if (typeof first.message === 'string') providerMessage = first.message;
      }
      for (const [k, v] of Object.entries(json)) take(k, v);
      // OKAPI's {"error":{"developer_message":…}} and OAuth 2 style {"error":…,"error_description":…}.
      const error = json.error;
      if (providerMessage === undefined && typeof error === 'object' && error !== null) {
        const dev = (error as Record<string, unknown>).developer_message;
        if (typeof dev === 'string') providerMessage = dev;
      }
      if (providerMessage === undefined && typeof json.error_description === 'string')
        providerMessage = json.error_description;
      if (providerMessage === undefined && typeof json.message === 'string') providerMessage = json.message;
    } catch {
      // not JSON after all
    }
  } else if (/^[\w.-]+=[^\s]*(&[\w.-]+=[^\s]*)*$/.test(text)) {
    try {
      const pairs = parseFormEncoded(text);
      for (const [k, v] of pairs) {
        take(k, v);
        if (k === 'error_description') providerMessage ??= v;
      }
      const error = pairs.find(([k]) => k === 'error');
      if (error !== undefined && providerMessage === undefined) providerMessage = error[1];
    } catch {
      // malformed form: keep the raw body only
    }
  } else if (text.length > 0 && text.length <= 200 && !text.startsWith('<')) {
    providerMessage = text;
  }

  const wwwAuthenticate = headers['www-authenticate'];
  if (wwwAuthenticate !== undefined) {
    try {
      const parsed = parseAuthorizationHeader(wwwAuthenticate);
      for (const [k, v] of parsed?.params ?? []) take(k, v);
    } catch {
      // a malformed challenge tells us nothing more
    }
  }

  advice ??=
    (oauthProblem !== undefined ? PROBLEM_ADVICE[oauthProblem] : undefined) ??
    (twitterCode !== undefined ? TWITTER_CODE_ADVICE[twitterCode] : undefined);
  if (oauthProblem === 'timestamp_refused' && problemParameters.oauth_acceptable_timestamps !== undefined) {
    advice = `${advice} (the provider accepts ${problemParameters.oauth_acceptable_timestamps})`;
  }
  return {
    status: input.status,
    statusText: input.statusText ?? '',
    providerMessage,
    twitterCode,
    oauthProblem,
    advice,
    problemParameters,
    body: input.body,
    headers,
    method: input.method,
    url: input.url,
  };
}

/** One line: status, code, problem, message, advice — what `tripod request` prints on an HTTP error. */
export function explainProviderError(d: ProviderErrorDetails): string {
  const parts = [`HTTP ${d.status}${d.statusText ? ` ${d.statusText}` : ''}`];
  if (d.twitterCode !== undefined) parts.push(`code ${d.twitterCode}`);
  if (d.oauthProblem !== undefined) parts.push(`oauth_problem=${d.oauthProblem}`);
  let line = parts.join(', ');
  if (d.providerMessage !== undefined) line += `: ${d.providerMessage}`;
  if (d.advice !== undefined) line += ` — ${d.advice}`;
  return line;
}

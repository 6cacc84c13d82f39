// The oauth_problem vocabulary of the OAuth Problem Reporting extension
// (wiki.oauth.net/w/page/12238543/ProblemReporting), each problem carrying the HTTP status and,
// where Twitter/X defined one, its error code, so one serializer can answer in Twitter's JSON shape
// ({"errors":[{"code":32,"message":"…"}]}) and in a WWW-Authenticate header at once.

import { percentEncode } from './encoding.ts';

export type ProblemName =
  | 'version_rejected'
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'timestamp_refused'
  | 'nonce_used'
  | 'signature_method_rejected'
  | 'signature_invalid'
  | 'consumer_key_unknown'
  | 'consumer_key_rejected'
  | 'consumer_key_refused'
  | 'token_used'
  | 'token_expired'
  | 'token_revoked'
  | 'token_rejected'
  | 'verifier_invalid'
  | 'additional_authorization_required'
  | 'permission_unknown'
  | 'permission_denied'
  | 'user_refused'
  | 'callback_rejected'
  | 'rate_limited'
  // Not in the extension's list: the server cannot answer now (OAuth 2.0's word for it, RFC 6749 §4.1.2.1).
  | 'temporarily_unavailable';

/** Twitter/X error codes used by Tripod (developer.twitter.com response-codes table). */
export const TwitterCode = {
  couldNotAuthenticate: 32,
  invalidOrExpiredToken: 89,
  rateLimitExceeded: 88,
  overCapacity: 130,
  timestampOutOfBounds: 135,
  badAuthenticationData: 215,
  cannotPerformWriteActions: 261,
  callbackNotApproved: 415,
  desktopAppsOnlyOob: 417,
} as const;

/** Twitter's own wording for its codes; the advice sentence is Tripod's addition. */
export const TwitterMessage: Record<number, string> = {
  32: 'Could not authenticate you.',
  88: 'Rate limit exceeded.',
  89: 'Invalid or expired token.',
  130: 'Over capacity.',
  135: 'Timestamp out of bounds.',
  215: 'Bad authentication data.',
  261: 'Your App cannot perform write actions.',
  415: 'Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings.',
  417: "Desktop applications only support the oauth_callback value 'oob'.",
};

export interface OAuthProblemInit {
  /** The Problem Reporting name sent as `oauth_problem`. */
  problem: ProblemName;
  /** HTTP status: 400 malformed, 401 authentication, 403 permission, 429 rate limit, 503 unavailable. */
  status: 400 | 401 | 403 | 404 | 405 | 413 | 415 | 429 | 503;
  /** Twitter's error code, or 215/32 style fallbacks. */
  code: number;
  /** A sentence a person can act on. Never contains a secret. */
  advice: string;
  /** Message shown in Twitter's `message` field; defaults to Twitter's wording for `code`. */
  message?: string;
  /** Extra Problem Reporting parameters, e.g. oauth_parameters_absent, oauth_acceptable_timestamps. */
  extra?: Record<string, string>;
  /** Detail for the server log only (never sent to the client). */
  logDetail?: Record<string, unknown>;
  /** Sent as Retry-After (429, 503): when trying again may succeed. */
  retryAfterSeconds?: number;
  /** More headers for the answer (a rate limit's x-rate-limit-*). */
  headers?: Record<string, string>;
}

/** An error the protocol answers with; rendered by `problemResponse`. */
export class OAuthProblem extends Error {
  readonly problem: ProblemName;
  readonly status: OAuthProblemInit['status'];
  readonly code: number;
  readonly advice: string;
  readonly extra: Readonly<Record<string, string>>;
  readonly logDetail: Readonly<Record<string, unknown>>;
  readonly retryAfterSeconds: number | null;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: OAuthProblemInit) {
    // A refusal is an answer, not a bug: a stack trace would tell nobody anything, and capturing one
    // costs several times the verification itself — anyone can send refused requests, and they must
    // cost no more than accepted ones (issue 7).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(init.message ?? TwitterMessage[init.code] ?? init.advice);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'OAuthProblem';
    this.problem = init.problem;
    this.status = init.status;
    this.code = init.code;
    this.advice = init.advice;
    this.extra = init.extra ?? {};
    this.logDetail = init.logDetail ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.headers = init.headers ?? {};
  }
}

// Constructors for the problems the core itself raises. The provider adds its own with the same class.

export function parameterAbsent(names: string[], advice?: string): OAuthProblem {
  return new OAuthProblem({
    problem: 'parameter_absent',
    status: 400,
    code: TwitterCode.badAuthenticationData,
    advice: advice ?? `The request is missing the required OAuth parameter(s): ${names.join(', ')}.`,
    extra: { oauth_parameters_absent: names.join('&') },
  });
}

export function parameterRejected(names: string[], advice: string): OAuthProblem {
  return new OAuthProblem({
    problem: 'parameter_rejected',
    status: 400,
    code: TwitterCode.badAuthenticationData,
    advice,
    extra: names.length > 0 ? { oauth_parameters_rejected: names.join('&') } : {},
  });
}

/** 413: a body over the receiver's limit (it cannot be verified without reading it whole). */
export function bodyTooLarge(): OAuthProblem {
  return new OAuthProblem({
    problem: 'parameter_rejected',
    status: 413,
    code: TwitterCode.badAuthenticationData,
    message: 'Request body too large.',
    advice: 'Send a smaller request body.',
  });
}

/** The single answer for every authentication failure that must not reveal which check failed. */
export function couldNotAuthenticate(logDetail: Record<string, unknown> = {}): OAuthProblem {
  return new OAuthProblem({
    problem: 'signature_invalid',
    status: 401,
    code: TwitterCode.couldNotAuthenticate,
    advice:
      'Check the consumer key and secret, the token and its secret, and that the signature base string uses the exact URL, method and parameters sent.',
    logDetail,
  });
}

/** The JSON body of an error response, in Twitter's shape plus Problem Reporting fields. */
export function problemBody(p: OAuthProblem): {
  errors: { code: number; message: string }[];
  oauth_problem: ProblemName;
  advice: string;
} & Record<string, unknown> {
  return {
    errors: [{ code: p.code, message: p.message }],
    oauth_problem: p.problem,
    advice: p.advice,
    ...p.extra,
  };
}

/** `WWW-Authenticate: OAuth realm="…", oauth_problem="…"` for 401 responses. */
export function wwwAuthenticate(realm: string, p: OAuthProblem): string {
  // realm is an RFC 7235 quoted-string (Twitter sends the URL as is): only '"' and '\\' need escaping.
  const parts = [`realm="${realm.replace(/["\\]/g, '\\$&')}"`, `oauth_problem="${p.problem}"`];
  for (const [name, value] of Object.entries(p.extra)) parts.push(`${name}="${percentEncode(value)}"`);
  return `OAuth ${parts.join(', ')}`;
}

/** A problem as an HTTP answer: status, headers and the JSON body, ready for any framework to send. */
export interface ProblemAnswer {
  status: OAuthProblem['status'];
  headers: Record<string, string>;
  /** JSON text of `problemBody`. */
  body: string;
}

interface Rendered {
  realm: string;
  status: number;
  code: number;
  problem: ProblemName;
  message: string;
  wwwAuthenticate: string | null;
  body: string;
}

/**
 * Renderings of the problems that carry nothing of their own (no extra parameters), by advice: the text
 * is the same every time, and a flood of refused requests is mostly one such problem. Keyed by the advice
 * (a literal almost always, whose hash V8 keeps), checked field by field; bounded, as some advice is built.
 */
const renderings = new Map<string, Rendered>();
const RENDERINGS_KEPT = 256;

function hasExtra(p: OAuthProblem): boolean {
  for (const _ in p.extra) return true;
  return false;
}

function render(realm: string, p: OAuthProblem): Rendered {
  return {
    realm,
    status: p.status,
    code: p.code,
    problem: p.problem,
    message: p.message,
    wwwAuthenticate: p.status === 401 ? wwwAuthenticate(realm, p) : null,
    body: JSON.stringify(problemBody(p)),
  };
}

function renderingOf(realm: string, p: OAuthProblem): Rendered {
  if (hasExtra(p)) return render(realm, p);
  const kept = renderings.get(p.advice);
  if (
    kept !== undefined &&
    kept.realm === realm &&
    kept.status === p.status &&
    kept.code === p.code &&
    kept.problem === p.problem &&
    kept.message === p.message
  ) {
    return kept;
  }
  const fresh = render(realm, p);
  if (kept !== undefined || renderings.size < RENDERINGS_KEPT) renderings.set(p.advice, fresh);
  return fresh;
}

/** The one rendering of a problem: Twitter's JSON shape, and `WWW-Authenticate` on 401. */
export function problemAnswer(realm: string, p: OAuthProblem): ProblemAnswer {
  const rendered = renderingOf(realm, p);
  const headers: Record<string, string> = {
    ...p.headers,
    'content-type': 'application/json; charset=utf-8',
  };
  if (rendered.wwwAuthenticate !== null) headers['www-authenticate'] = rendered.wwwAuthenticate;
  if (p.retryAfterSeconds !== null) headers['retry-after'] = String(p.retryAfterSeconds);
  return { status: p.status, headers, body: rendered.body };
}

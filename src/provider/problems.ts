// The provider's answers beyond the core's: each a small constructor over `OAuthProblem` carrying the
// HTTP status, Twitter's code and the Problem Reporting name, plus a sentence a developer can act on.
// Only `couldNotAuthenticate` (core) may answer a request whose signature did not verify; the
// constructors here that reveal state (89, 135, nonce_used, 261, 415, 417, verifier) are used only
// after it did.

import { OAuthProblem, TwitterCode } from '../core/problems.ts';

/** 400 for a request_token call without oauth_callback (and whatever else `absent` lists). */
export function callbackAbsent(absent: readonly string[] = ['oauth_callback']): OAuthProblem {
  const others = absent.filter((name) => name !== 'oauth_callback');
  return new OAuthProblem({
    problem: 'parameter_absent',
    status: 400,
    code: TwitterCode.badAuthenticationData,
    message: 'oauth_callback is required.',
    advice: `Send oauth_callback on every request_token call: the value oob for PIN-based authorization, or a callback URL registered for your app.${others.length > 0 ? ` Also missing: ${others.join(', ')}.` : ''}`,
    extra: { oauth_parameters_absent: absent.join('&') },
  });
}

export function versionRejected(): OAuthProblem {
  return new OAuthProblem({
    problem: 'version_rejected',
    status: 400,
    code: TwitterCode.badAuthenticationData,
    message: 'Unsupported oauth_version.',
    advice: 'oauth_version, when sent, must be 1.0 (or leave it out).',
    extra: { oauth_acceptable_versions: '1.0-1.0' },
  });
}

export function signatureMethodRejected(advice: string): OAuthProblem {
  return new OAuthProblem({
    problem: 'signature_method_rejected',
    status: 400,
    code: TwitterCode.badAuthenticationData,
    message: 'Unsupported oauth_signature_method.',
    advice,
  });
}

/** 401 code 135: the signature verified but the timestamp is outside the window. */
export function timestampRefused(
  now: number,
  windowSeconds: number,
  logDetail: Record<string, unknown>,
): OAuthProblem {
  const nowSeconds = Math.floor(now / 1000);
  return new OAuthProblem({
    problem: 'timestamp_refused',
    status: 401,
    code: TwitterCode.timestampOutOfBounds,
    advice: `oauth_timestamp must be the current time in seconds since the epoch, within ${windowSeconds} seconds of the server's clock (now ${nowSeconds}). Check the client's clock and time zone.`,
    extra: { oauth_acceptable_timestamps: `${nowSeconds - windowSeconds}-${nowSeconds + windowSeconds}` },
    logDetail,
  });
}

/** 401 code 32: the same signed request (consumer, token, timestamp, nonce) was seen before. */
export function nonceUsed(logDetail: Record<string, unknown>): OAuthProblem {
  return new OAuthProblem({
    problem: 'nonce_used',
    status: 401,
    code: TwitterCode.couldNotAuthenticate,
    advice:
      'This oauth_nonce was already used with this timestamp: generate a fresh random nonce for every request.',
    logDetail,
  });
}

/** 401 code 89 for a token that exists and signed correctly but can no longer be used. */
export function tokenUnusable(
  problem: 'token_revoked' | 'token_expired' | 'token_used' | 'token_rejected',
  advice: string,
  logDetail: Record<string, unknown>,
): OAuthProblem {
  return new OAuthProblem({
    problem,
    status: 401,
    code: TwitterCode.invalidOrExpiredToken,
    advice,
    logDetail,
  });
}

/** 403 code 261: a read-only token (or app) on a route that writes. */
export function cannotWrite(logDetail: Record<string, unknown>): OAuthProblem {
  return new OAuthProblem({
    problem: 'permission_denied',
    status: 403,
    code: TwitterCode.cannotPerformWriteActions,
    advice:
      'This token has read-only access. Ask the user to authorize the app again with read and write access (the app must be registered for read-write, and request_token must not send x_auth_access_type=read).',
    logDetail,
  });
}

/** 403 code 415: a callback URL that matches none of the app's registered ones. */
export function callbackNotApproved(
  logDetail: Record<string, unknown>,
  query: 'any' | 'exact' = 'any',
): OAuthProblem {
  const same =
    query === 'exact' ? 'same scheme, host, port, path and query' : 'same scheme, host, port and path';
  return new OAuthProblem({
    problem: 'callback_rejected',
    status: 403,
    code: TwitterCode.callbackNotApproved,
    advice: `oauth_callback must match a registered callback URL (${same}; a registered http://127.0.0.1 or http://[::1] URL matches any port), or be oob.`,
    logDetail,
  });
}

/** 401 code 417: an app with no registered callback URL is PIN-only. */
export function desktopAppOnlyOob(logDetail: Record<string, unknown>): OAuthProblem {
  return new OAuthProblem({
    problem: 'callback_rejected',
    status: 401,
    code: TwitterCode.desktopAppsOnlyOob,
    advice:
      'This app has no registered callback URL, so it can only use PIN-based authorization: send oauth_callback=oob, or register a callback URL for the app.',
    logDetail,
  });
}

/** 401: the request token is valid but the user has not approved it (yet). */
export function notYetAuthorized(logDetail: Record<string, unknown>): OAuthProblem {
  return new OAuthProblem({
    problem: 'permission_unknown',
    status: 401,
    code: TwitterCode.couldNotAuthenticate,
    advice:
      'The user has not authorized this request token yet: send them to /oauth/authorize?oauth_token=… and wait for the PIN or the callback.',
    logDetail,
  });
}

/** 401: wrong PIN or verifier. */
export function verifierInvalid(attemptsLeft: number, logDetail: Record<string, unknown>): OAuthProblem {
  return new OAuthProblem({
    problem: 'verifier_invalid',
    status: 401,
    code: TwitterCode.couldNotAuthenticate,
    advice:
      attemptsLeft > 0
        ? `The PIN (oauth_verifier) is wrong. ${attemptsLeft} attempt${attemptsLeft === 1 ? '' : 's'} left before this request token is locked.`
        : 'The PIN (oauth_verifier) is wrong, and this request token is now locked: start the authorization again.',
    extra: { oauth_verifier_attempts_left: String(attemptsLeft) },
    logDetail,
  });
}

/** 401: xAuth asked by an app the operator did not flag for it. */
export function xauthNotAllowed(logDetail: Record<string, unknown>): OAuthProblem {
  return new OAuthProblem({
    problem: 'consumer_key_refused',
    status: 401,
    code: TwitterCode.couldNotAuthenticate,
    message: 'Client application is not permitted to use xAuth.',
    advice:
      'This app may not exchange a username and password for a token (xAuth). Use PIN-based authorization: request_token with oauth_callback=oob.',
    logDetail,
  });
}

/** 401: xAuth with a username or password that does not match. */
export function xauthCredentialsInvalid(logDetail: Record<string, unknown>): OAuthProblem {
  return new OAuthProblem({
    problem: 'permission_denied',
    status: 401,
    code: TwitterCode.couldNotAuthenticate,
    message: 'Invalid user name or password.',
    advice: 'x_auth_username and x_auth_password do not match a user.',
    logDetail,
  });
}

/** request_token while the app already holds as many unanswered request tokens as it may (issue 11). */
export function tooManyRequestTokens(max: number, logDetail: Record<string, unknown>): OAuthProblem {
  return new OAuthProblem({
    problem: 'rate_limited',
    status: 429,
    code: TwitterCode.rateLimitExceeded,
    advice: `This app already has ${max} request tokens waiting for an answer, the most it may have: exchange or abandon them (each expires by itself) before asking for more.`,
    retryAfterSeconds: 60,
    logDetail: { ...logDetail, reasons: ['outstanding_request_tokens'] },
  });
}

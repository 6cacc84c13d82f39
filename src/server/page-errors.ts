// Errors on the people-facing pages become a page with a title and a sentence, never a stack trace or a
// JSON body: unknown/expired/used request tokens, a missing or stale CSRF token, too many sign-ins, a page
// that does not exist or is not yours, the database or Redis out of reach (503 with Retry-After). Each
// says what happened and what to do, in the language the request asked for (langpref, Accept-Language);
// server/browser-side.ts renders them.

import { OAuthProblem } from '../core/problems.ts';
import { RequestTokenUnusable } from '../provider/request-token-state.ts';
import { StoreUnavailableError } from '../stores/errors.ts';
import { isClientError } from './error-responses.ts';
import type { MessageKey } from './i18n/index.ts';
import { RateLimited } from './rate-limits.ts';

const MESSAGES = {
  tokenMissing: { title: 'token.missingTitle', body: 'token.missingBody' },
  tokenUnknown: { title: 'token.unknownTitle', body: 'token.unknownBody' },
  tokenExpired: { title: 'token.expiredTitle', body: 'token.expiredBody' },
  tokenExpiredApp: { title: 'token.expiredTitle', body: 'token.expiredBodyApp' },
  tokenUsed: { title: 'token.usedTitle', body: 'token.usedBody' },
  tokenDenied: { title: 'token.deniedTitle', body: 'token.deniedBody' },
  tokenBurned: { title: 'token.burnedTitle', body: 'token.burnedBody' },
  resetLinkGone: { title: 'reset.invalidTitle', body: 'reset.invalidBody' },
  formExpired: { title: 'error.formExpiredTitle', body: 'error.formExpiredBody' },
  tooManyAttempts: { title: 'error.tooManyAttemptsTitle', body: 'error.tooManyAttemptsBody' },
  notFound: { title: 'error.notFoundTitle', body: 'error.notFoundBody' },
  forbidden: { title: 'error.forbiddenTitle', body: 'error.forbiddenBody' },
  badRequest: { title: 'error.badRequestTitle', body: 'error.badRequestBody' },
  unavailable: { title: 'error.unavailableTitle', body: 'error.unavailableBody' },
  serverError: { title: 'error.serverErrorTitle', body: 'error.serverErrorBody' },
} as const satisfies Record<string, { title: MessageKey; body: MessageKey }>;

export type ProblemKey = keyof typeof MESSAGES;

/** A page-level refusal: the status and which message to show. */
export class PageProblem extends Error {
  readonly statusCode: number;
  readonly key: ProblemKey;
  /** Seconds to wait before trying again (429, 503): sent as Retry-After. */
  readonly retryAfterSeconds: number | null;
  /** Values of the message's placeholders, e.g. the app's name. */
  readonly values: Readonly<Record<string, string>>;
  constructor(
    statusCode: number,
    key: ProblemKey,
    retryAfterSeconds: number | null = null,
    values: Readonly<Record<string, string>> = {},
  ) {
    super(key);
    this.name = 'PageProblem';
    this.statusCode = statusCode;
    this.key = key;
    this.retryAfterSeconds = retryAfterSeconds;
    this.values = values;
  }
  get title(): MessageKey {
    return MESSAGES[this.key].title;
  }
  get body(): MessageKey {
    return MESSAGES[this.key].body;
  }
}

export const notFound = () => new PageProblem(404, 'notFound');
export const forbidden = () => new PageProblem(403, 'forbidden');
export const badRequest = () => new PageProblem(400, 'badRequest');

const UNUSABLE: Record<string, (app: string | null) => PageProblem> = {
  unknown: () => new PageProblem(404, 'tokenUnknown'),
  expired: (app) =>
    app === null
      ? new PageProblem(400, 'tokenExpired')
      : new PageProblem(400, 'tokenExpiredApp', null, { app }),
  used: () => new PageProblem(400, 'tokenUsed'),
  denied: () => new PageProblem(400, 'tokenDenied'),
  burned: () => new PageProblem(400, 'tokenBurned'),
};

/** The page to show for `error`, or null for an error nobody expected (a 500 page, logged). */
export function asPageProblem(error: unknown, now: number): PageProblem | null {
  if (error instanceof PageProblem) return error;
  if (error instanceof StoreUnavailableError) {
    return new PageProblem(503, 'unavailable', error.retryAfterSeconds);
  }
  // The provider says why the request token cannot be authorized any more.
  if (error instanceof RequestTokenUnusable) {
    return (UNUSABLE[error.reason] ?? UNUSABLE.unknown!)(error.consumerName);
  }
  if (error instanceof RateLimited)
    return new PageProblem(429, 'tooManyAttempts', error.retryAfterSeconds(now));
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_CSRF_MISSING_SECRET' || code === 'FST_CSRF_INVALID_TOKEN')
    return new PageProblem(403, 'formExpired');
  if (error instanceof OAuthProblem) return new PageProblem(error.status === 404 ? 404 : 400, 'badRequest');
  if (isClientError(error)) {
    const status = error.statusCode ?? 400;
    if (status === 429) return new PageProblem(429, 'tooManyAttempts');
    if (status === 404) return notFound();
    return new PageProblem(status, 'badRequest');
  }
  return null;
}

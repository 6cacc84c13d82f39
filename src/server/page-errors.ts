// Errors on the people-facing pages become a page with a title and a sentence, never a stack trace or a
// JSON body: unknown/expired/used request tokens, a missing or stale CSRF token, too many sign-ins, the
// database or Redis out of reach (503 with Retry-After). Each says what happened and what to do, in the
// language the request asked for (langpref, Accept-Language).

import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthProblem } from '../core/problems.ts';
import { RequestTokenUnusable } from '../provider/request-token-state.ts';
import { StoreUnavailableError } from '../stores/errors.ts';
import { isClientError } from './error-responses.ts';
import { languageOfRequest, type MessageKey, translator } from './i18n/index.ts';
import type { PageRenderer } from './views.ts';

type ProblemKey =
  | 'tokenMissing'
  | 'tokenUnknown'
  | 'tokenExpired'
  | 'tokenUsed'
  | 'tokenDenied'
  | 'tokenBurned'
  | 'formExpired'
  | 'tooManyAttempts'
  | 'notFound'
  | 'badRequest'
  | 'unavailable'
  | 'serverError';

/** A page-level refusal: the status and which message to show. */
export class PageProblem extends Error {
  readonly statusCode: number;
  readonly key: ProblemKey;
  /** Sent as Retry-After. */
  readonly retryAfterSeconds: number | null;
  constructor(statusCode: number, key: ProblemKey, retryAfterSeconds: number | null = null) {
    super(key);
    this.name = 'PageProblem';
    this.statusCode = statusCode;
    this.key = key;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const UNUSABLE: Record<string, PageProblem> = {
  unknown: new PageProblem(404, 'tokenUnknown'),
  expired: new PageProblem(400, 'tokenExpired'),
  used: new PageProblem(400, 'tokenUsed'),
  denied: new PageProblem(400, 'tokenDenied'),
  burned: new PageProblem(400, 'tokenBurned'),
};

function asPageProblem(error: unknown): PageProblem | null {
  if (error instanceof PageProblem) return error;
  if (error instanceof StoreUnavailableError) {
    return new PageProblem(503, 'unavailable', error.retryAfterSeconds);
  }
  // The provider says why the request token cannot be authorized any more.
  if (error instanceof RequestTokenUnusable) return UNUSABLE[error.reason] ?? UNUSABLE.unknown!;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_CSRF_MISSING_SECRET' || code === 'FST_CSRF_INVALID_TOKEN')
    return new PageProblem(403, 'formExpired');
  if (error instanceof OAuthProblem) return new PageProblem(error.status === 404 ? 404 : 400, 'badRequest');
  if (isClientError(error)) {
    const status = (error as { statusCode: number }).statusCode;
    if (status === 429) return new PageProblem(429, 'tooManyAttempts');
    if (status === 404) return new PageProblem(404, 'notFound');
    return new PageProblem(status, 'badRequest');
  }
  return null;
}

const MESSAGES: Readonly<Record<PageProblem['key'], { title: MessageKey; body: MessageKey }>> = {
  tokenMissing: { title: 'token.missingTitle', body: 'token.missingBody' },
  tokenUnknown: { title: 'token.unknownTitle', body: 'token.unknownBody' },
  tokenExpired: { title: 'token.expiredTitle', body: 'token.expiredBody' },
  tokenUsed: { title: 'token.usedTitle', body: 'token.usedBody' },
  tokenDenied: { title: 'token.deniedTitle', body: 'token.deniedBody' },
  tokenBurned: { title: 'token.burnedTitle', body: 'token.burnedBody' },
  formExpired: { title: 'error.formExpiredTitle', body: 'error.formExpiredBody' },
  tooManyAttempts: { title: 'error.tooManyAttemptsTitle', body: 'error.tooManyAttemptsBody' },
  notFound: { title: 'error.notFoundTitle', body: 'error.notFoundBody' },
  badRequest: { title: 'error.badRequestTitle', body: 'error.badRequestBody' },
  unavailable: { title: 'error.unavailableTitle', body: 'error.unavailableBody' },
  serverError: { title: 'error.serverErrorTitle', body: 'error.serverErrorBody' },
};

export function renderPageProblem(
  renderer: PageRenderer,
  request: FastifyRequest,
  reply: FastifyReply,
  problem: PageProblem,
) {
  const lang = languageOfRequest(request);
  const t = translator(lang);
  const { title, body } = MESSAGES[problem.key];
  if (problem.retryAfterSeconds !== null) reply.header('retry-after', String(problem.retryAfterSeconds));
  return reply
    .code(problem.statusCode)
    .type('text/html; charset=utf-8')
    .send(renderer.render('message', lang, { title: t(title), message: t(body), problemKey: problem.key }));
}

export function pageErrorHandler(renderer: PageRenderer) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const problem = asPageProblem(error);
    if (problem?.key === 'unavailable') {
      const reason = (error as Error).message;
      request.log.warn(
        { page_problem: problem.key, status: problem.statusCode, reason },
        'store unavailable',
      );
      return renderPageProblem(renderer, request, reply, problem);
    }
    if (problem) {
      request.log.info({ page_problem: problem.key, status: problem.statusCode }, 'page refused');
      return renderPageProblem(renderer, request, reply, problem);
    }
    request.log.error({ err: error }, 'unhandled error on a page');
    return renderPageProblem(renderer, request, reply, new PageProblem(500, 'serverError'));
  };
}

// One way to answer errors on the protocol endpoints and the API: OAuthProblem rendered by problemBody()
// (Twitter's JSON shape plus Problem Reporting fields) with WWW-Authenticate on 401. Errors Fastify raises
// for bad input (body too large, unsupported media type, malformed JSON…) become problems too, so garbage
// never turns into a 500; anything else is logged and answered with a generic 500.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthProblem, problemBody, wwwAuthenticate } from '../core/problems.ts';
import { realmOf, type ServerConfig } from './config.ts';

export function sendProblem(reply: FastifyReply, problem: OAuthProblem, config: ServerConfig) {
  if (problem.status === 401) reply.header('www-authenticate', wwwAuthenticate(realmOf(config), problem));
  return reply.code(problem.status).type('application/json; charset=utf-8').send(problemBody(problem));
}

/** A client error Fastify or a plugin raised (status 4xx), in the protocol's vocabulary. */
export function problemFromClientError(error: FastifyError): OAuthProblem {
  const status = error.statusCode ?? 400;
  if (status === 413) {
    return new OAuthProblem({
      problem: 'parameter_rejected',
      status: 413,
      code: 215,
      message: 'Request body too large.',
      advice: 'Send a smaller request body.',
    });
  }
  if (status === 415) {
    return new OAuthProblem({
      problem: 'parameter_rejected',
      status: 415,
      code: 215,
      message: 'Unsupported media type.',
      advice: 'Send the body as application/x-www-form-urlencoded, or sign it with oauth_body_hash.',
    });
  }
  if (status === 429) {
    return new OAuthProblem({
      problem: 'rate_limited',
      status: 429,
      code: 88,
      advice: 'Wait, then try again.',
    });
  }
  return new OAuthProblem({
    problem: 'parameter_rejected',
    status: 400,
    code: 215,
    message: 'Bad request.',
    advice: 'The request could not be parsed; check its headers and body.',
    logDetail: { reason: error.message },
  });
}

export function isClientError(error: unknown): error is FastifyError {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export const GENERIC_SERVER_ERROR = {
  errors: [{ code: 131, message: 'Internal error.' }],
  advice: 'The server could not complete the request. Try again later.',
} as const;

export function protocolErrorHandler(config: ServerConfig) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof OAuthProblem) {
      request.log.info(
        { oauth_problem: error.problem, code: error.code, status: error.status, detail: error.logDetail },
        'oauth problem',
      );
      return sendProblem(reply, error, config);
    }
    if (isClientError(error)) {
      const problem = problemFromClientError(error);
      request.log.info(
        { oauth_problem: problem.problem, status: problem.status, reason: error.message },
        'bad request',
      );
      return sendProblem(reply, problem, config);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).type('application/json; charset=utf-8').send(GENERIC_SERVER_ERROR);
  };
}

// One way to answer errors outside the pages: OAuthProblem rendered by problemBody() (Twitter's JSON shape
// plus Problem Reporting fields) with WWW-Authenticate on 401. Errors Fastify raises for bad input (body too
// large, unsupported media type, a URL that does not decode…) and Node's HTTP parser raises for malformed
// HTTP (bad header, request timeout, headers too large) become problems too, so no client ever sees
// Fastify's or Node's own error JSON, and garbage never turns into a 500. A store that cannot reach its
// database or Redis is answered with 503 and Retry-After (the stores reconnect by themselves, so trying
// again soon works); anything else is logged and answered with a generic 500.

import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  bodyTooLarge,
  OAuthProblem,
  parameterRejected,
  problemAnswer,
  problemBody,
  TwitterCode,
} from '../core/problems.ts';
import { StoreUnavailableError } from '../stores/errors.ts';
import { realmOf, type ServerConfig } from './config.ts';
import { validateHeaderName, validateHeaderValue } from './node-http.ts';
import { RateLimited, rateLimitedProblem } from './rate-limits.ts';
import { noteOnAccessLine } from './request-ids.ts';
import { redactSecretParameters } from './secret-parameters.ts';

export function sendProblem(reply: FastifyReply, problem: OAuthProblem, config: ServerConfig) {
  const answer = problemAnswer(realmOf(config), problem);
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

/** A client error Fastify or a plugin raised (status 4xx), in the protocol's vocabulary. */
export function problemFromClientError(error: FastifyError): OAuthProblem {
  const status = error.statusCode ?? 400;
  if (status === 413) return bodyTooLarge();
  if (status === 415) {
    return new OAuthProblem({
      problem: 'parameter_rejected',
      status: 415,
      code: 215,
      message: 'Unsupported media type.',
      advice: 'Send the body as application/x-www-form-urlencoded, or sign it with oauth_body_hash.',
    });
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return new OAuthProblem({
      problem: 'parameter_rejected',
      status: 400,
      code: 215,
      message: 'Bad request.',
      advice:
        'The request URL is not valid: check its percent-encoding (% must be followed by two hex digits).',
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
    logDetail: { reason: redactSecretParameters(error.message) },
  });
}

/** 404 for a path nothing is served at, in Twitter's words (code 34). */
export function notFoundProblem(): OAuthProblem {
  return new OAuthProblem({
    problem: 'parameter_rejected',
    status: 404,
    code: 34,
    message: 'Sorry, that page does not exist.',
    advice: 'Check the URL: the protocol endpoints are under /oauth/ and the API under /1.1/.',
  });
}

/** 503 while the database or Redis cannot be reached: nothing the client did, so it may simply retry. */
export function unavailableProblem(error: StoreUnavailableError): OAuthProblem {
  return new OAuthProblem({
    problem: 'temporarily_unavailable',
    status: 503,
    code: TwitterCode.overCapacity,
    advice: `The service cannot reach its storage right now. Try again in ${error.retryAfterSeconds} seconds.`,
    retryAfterSeconds: error.retryAfterSeconds,
    logDetail: { service: error.service, reason: error.message },
  });
}

/** The problem an error is answered with, or null for an error that is a bug (answered with 500). */
export function problemOf(error: unknown): OAuthProblem | null {
  if (error instanceof OAuthProblem) return error;
  if (error instanceof StoreUnavailableError) return unavailableProblem(error);
  if (error instanceof RateLimited) return rateLimitedProblem(error);
  if (isClientError(error)) return problemFromClientError(error);
  return null;
}

export function isClientError(error: unknown): error is FastifyError {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export const GENERIC_SERVER_ERROR = {
  errors: [{ code: 131, message: 'Internal error.' }],
  advice: 'The server could not complete the request. Try again later.',
} as const;

/**
 * Removes headers Node would refuse to send (a value with a control or non-Latin-1 character), so that
 * the error answer itself can go out instead of failing again with ERR_INVALID_CHAR.
 */
function dropUnsendableHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    try {
      validateHeaderName(name);
      for (const one of Array.isArray(value) ? value : [value]) validateHeaderValue(name, String(one));
    } catch {
      reply.removeHeader(name);
    }
  }
}

function logProblem(request: FastifyRequest, error: unknown, problem: OAuthProblem): void {
  const fields = { oauth_problem: problem.problem, status: problem.status };
  if (error instanceof StoreUnavailableError) {
    request.log.warn({ ...fields, detail: problem.logDetail }, 'store unavailable');
  } else if (error instanceof OAuthProblem) {
    // On the request's access line (one line per refusal); its own line only outside a route's handling.
    // The provider's refusal event, noted there already, carries the same detail.
    const noted = request.accessNotes?.refused
      ? { ...fields, code: problem.code }
      : { ...fields, code: problem.code, detail: problem.logDetail };
    if (!noteOnAccessLine(noted, request)) request.log.info(noted, 'oauth problem');
  } else {
    // The request itself too: a malformed URL never reaches the access line (no route answers it).
    request.log.info(
      { ...fields, req: request, reason: redactSecretParameters((error as Error).message) },
      'bad request',
    );
  }
}

export function protocolErrorHandler(config: ServerConfig) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    // A refusal's headers so far are Tripod's own; an answer that failed to go out is another error.
    // (Checking every header cost each refused request half a microsecond: BENCHMARKS.md.)
    if (!(error instanceof OAuthProblem)) dropUnsendableHeaders(reply);
    const problem = problemOf(error);
    if (problem) {
      logProblem(request, error, problem);
      return sendProblem(reply, problem, config);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).type('application/json; charset=utf-8').send(GENERIC_SERVER_ERROR);
  };
}

// Node's HTTP parser errors, answered before any request object exists. OAuthProblem's statuses are the
// protocol's; 408 and 431 happen below it, so the status line is chosen here.
const CLIENT_ERRORS: Readonly<
  Record<string, { status: number; reason: string; message: string; advice: string }>
> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    message: 'Request timeout.',
    advice: 'The request was not sent in time: send the headers and the whole body promptly.',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    message: 'Request headers too large.',
    advice: 'Send smaller request headers (fewer or shorter cookies and parameters).',
  },
};
const MALFORMED = {
  status: 400,
  reason: 'Bad Request',
  message: 'Bad request.',
  advice: 'The request is not valid HTTP/1.1: check its request line, headers and body framing.',
};

// Requests Node answers itself, before Fastify sees them, unless the server listens for them.
const NODE_ANSWERED = {
  // An Expect other than 100-continue (RFC 9110 §10.1.1).
  EXPECTATION_FAILED: {
    status: 417,
    reason: 'Expectation Failed',
    message: 'Expectation failed.',
    advice: 'Send the request without the Expect header (only Expect: 100-continue is understood).',
  },
  // CONNECT or an Upgrade: Tripod is neither a proxy nor anything but HTTP/1.1.
  PROTOCOL_SWITCH: {
    status: 400,
    reason: 'Bad Request',
    message: 'Bad request.',
    advice: 'Tripod does not tunnel (CONNECT) or switch protocols (Upgrade): send a plain HTTP/1.1 request.',
  },
} as const;

/** Status, reason phrase and JSON body of the answer to a request Node could not parse or will not serve. */
function clientErrorParts(code: string | undefined): { status: number; reason: string; body: string } {
  const known: Record<string, (typeof CLIENT_ERRORS)[string]> = { ...CLIENT_ERRORS, ...NODE_ANSWERED };
  const { status, reason, message, advice } = known[code ?? ''] ?? MALFORMED;
  const problem = new OAuthProblem({
    problem: 'parameter_rejected',
    status: 400,
    code: 215,
    message,
    advice,
  });
  return { status, reason, body: JSON.stringify(problemBody(problem)) };
}

const CLIENT_ERROR_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  Connection: 'close',
};

/** The whole raw HTTP answer to a request Node could not parse, in Tripod's error shape. */
export function clientErrorAnswer(code: string | undefined): string {
  const { status, reason, body } = clientErrorParts(code);
  return [
    `HTTP/1.1 ${status} ${reason}`,
    ...Object.entries(CLIENT_ERROR_HEADERS).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/**
 * Answers in Tripod's shape what Node's HTTP server would otherwise answer bare or not at all: an Expect
 * it cannot meet (a 417 with no body), CONNECT and Upgrade requests (the connection dropped silently).
 */
export function answerNodeLevelRequests(server: HttpServer): void {
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const { status, body } = clientErrorParts('EXPECTATION_FAILED');
    response.writeHead(status, { ...CLIENT_ERROR_HEADERS, 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  });
  const refuseSwitch = (_request: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    socket.end(clientErrorAnswer('PROTOCOL_SWITCH'));
  };
  server.on('connect', refuseSwitch);
  server.on('upgrade', refuseSwitch);
}

const HOST_MISSING = parameterRejected(
  [],
  'The request has no Host header, which HTTP/1.1 requires: send one.',
);

/**
 * RFC 9112 §3.2: an HTTP/1.1 request without Host is refused (400) — by Tripod, in its own shape, and
 * answered here so that no route's error handler (the pages' read cookies and CSRF state) is involved.
 */
export function hostHeaderRequired(request: FastifyRequest, reply: FastifyReply, done: () => void) {
  if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
    reply.code(400).type('application/json; charset=utf-8').send(problemBody(HOST_MISSING));
    return;
  }
  done();
}

/**
 * Fastify's clientErrorHandler (`this` is the Fastify instance): answers malformed or slow HTTP in Tripod's
 * shape, when it still can, and closes the connection.
 */
export function answerClientError(
  this: { log: FastifyBaseLogger },
  error: NodeJS.ErrnoException,
  socket: Socket,
) {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  this.log.debug(
    { code: error.code, reason: redactSecretParameters(error.message) },
    'malformed or slow request',
  );
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // As Node itself does: answer only if no answer has started on this connection.
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (response?.headersSent !== true) socket.write(clientErrorAnswer(error.code));
  socket.destroySoon();
}

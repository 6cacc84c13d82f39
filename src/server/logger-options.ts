// What the server's pino logger may write: no secret, from wherever it came. Paths of known fields are
// blanked by pino's redaction; URLs and error messages (which quote URLs, e.g. Fastify's bad-URL error) go
// through serializers that blank every secret parameter (secret-parameters.ts). Headers and bodies are
// never logged at all. Request and access tokens in the provider's events keep a short prefix, enough to
// follow one token through the log, never enough to use it.

import type { FastifyRequest } from 'fastify';
import pino from 'pino';
import { REDACTED, redactSecretParameters } from './secret-parameters.ts';

const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'oauth_token_secret',
  '*.oauth_token_secret',
  'verifier',
  '*.verifier',
];
// The provider's events name the token they are about (top level, or in a refusal's `detail`).
const TOKEN_PATHS = ['requestToken', '*.requestToken', 'accessToken', '*.accessToken'];
const TOKEN_FIELDS = new Set(['requestToken', 'accessToken']);
const TOKEN_PREFIX_LENGTH = 6;

function censor(value: unknown, path: string[]): string {
  if (typeof value === 'string' && TOKEN_FIELDS.has(path.at(-1) ?? '')) {
    return `${value.slice(0, TOKEN_PREFIX_LENGTH)}…`;
  }
  return REDACTED;
}

function loggedRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactSecretParameters(request.url),
    host: request.host,
    remoteAddress: request.ip,
  };
}

function loggedError(error: Error) {
  const serialized = pino.stdSerializers.err(error);
  // Node's HTTP parser errors carry the raw request bytes (URL, headers, body).
  delete serialized.rawPacket;
  serialized.message = redactSecretParameters(String(serialized.message ?? ''));
  serialized.stack = redactSecretParameters(String(serialized.stack ?? ''));
  return serialized;
}

export function loggerOptions(level: string, stream?: NodeJS.WritableStream) {
  return {
    level,
    redact: { paths: [...SECRET_PATHS, ...TOKEN_PATHS], censor },
    serializers: { req: loggedRequest, err: loggedError },
    ...(stream ? { stream } : {}),
  };
}

// The protecting reverse proxy (`--protect PREFIX=UPSTREAM`, DESIGN.md §3) for APIs in any language: a
// request under PREFIX is verified as a three-legged signed request (GET, HEAD and OPTIONS need read
// access, other methods read-write); a refused one gets Tripod's problem and never reaches the upstream;
// an accepted one is forwarded by @fastify/reply-from (undici) with the same method, path, query and body
// bytes, without any X-Tripod-* header the client sent and with the four identity headers, and the
// upstream's answer is streamed back as it came (no retries, no headers of Tripod's added).
//
// The body is read whole before anything is forwarded (up to the server's body limit): its form
// parameters are signed and oauth_body_hash covers the rest, so it must be checked before it is passed on.

import replyFrom, { type FastifyReplyFromHooks } from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parameterRejected } from '../core/problems.ts';
import { requiredAccessOf, type Verifier } from '../provider/verifier.ts';
import type { ProtectRule, ServerConfig } from './config.ts';
import { GENERIC_SERVER_ERROR, protocolErrorHandler } from './error-responses.ts';
import { identityHeaders, removeTripodHeaders } from './identity-headers.ts';
import { acceptRawBodies, toOAuthRequest } from './oauth-request.ts';

export interface ProtectingProxyOptions {
  /** Not spread into the options: Fastify would take a `prefix` of them as the plugin's route prefix. */
  rule: ProtectRule;
  verifier: Verifier;
  config: ServerConfig;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to the client's connection, not to the upstream's; the body
// goes on with a Content-Length of its own. undici refuses most of them anyway.
const HOP_BY_HOP = [
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
];

/** The upstream did not answer: 504 for a timeout, else 502 (refused, reset, garbled), in Tripod's shape. */
const upstreamFailed: NonNullable<FastifyReplyFromHooks['onError']> = (reply, { error }) => {
  const status = (error as { statusCode?: number }).statusCode === 504 ? 504 : 502;
  reply.log.warn({ err: error }, 'the protected upstream did not answer');
  reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({
      errors: [{ code: 131, message: 'The protected API did not answer.' }],
      advice: GENERIC_SERVER_ERROR.advice,
    });
};

export async function protectingProxy(app: FastifyInstance, options: ProtectingProxyOptions): Promise<void> {
  const { verifier, config } = options;
  const { prefix, upstream } = options.rule;
  acceptRawBodies(app);
  app.setErrorHandler(protocolErrorHandler(config));
  await app.register(replyFrom, { base: upstream.origin, disableRequestLogging: true });

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body instanceof Uint8Array && request.body.length > 0 ? request.body : null;
    if (body !== null && (request.method === 'GET' || request.method === 'HEAD')) {
      // Nothing on the way forwards a GET or HEAD body; refused before its nonce is spent.
      const refused = verifier.refusal(
        parameterRejected(
          [],
          `The protecting proxy does not forward a body on ${request.method}: send the OAuth parameters in the Authorization header.`,
        ),
      );
      return reply.code(refused.status).headers(refused.headers).send(refused.body);
    }
    const verification = await verifier.verify(toOAuthRequest(request, config), {
      access: requiredAccessOf(request.method),
    });
    if (!verification.ok) {
      return reply.code(verification.status).headers(verification.headers).send(verification.body);
    }
    // A limit per access token (--rate-limit-protected) is told to the client, as on Tripod's own API.
    for (const [name, value] of Object.entries(verification.headers)) {
      if (name.startsWith('x-rate-limit-')) reply.header(name, value);
    }
    // The bytes as received, given explicitly: reply-from would re-encode a parsed JSON body. An empty
    // body is no body (reply-from refuses any on GET and HEAD).
    request.body = undefined;
    const contentType = request.headers['content-type'];
    return reply.from(undefined, {
      ...(body === null ? {} : { body, contentType: contentType ?? 'application/octet-stream' }),
      retryDelay: () => null,
      onError: upstreamFailed,
      rewriteRequestHeaders: (_request, headers) => {
        removeTripodHeaders(headers);
        for (const name of HOP_BY_HOP) delete headers[name];
        if (contentType === undefined) delete headers['content-type'];
        return { ...headers, ...identityHeaders(verification.identity) };
      },
    });
  };

  // PREFIX itself and everything below it (segment-wise: /api protects /api/x, not /apix). `/` protects
  // every path Tripod does not serve itself: its own routes are more specific than the wildcard.
  if (prefix !== '') app.all(prefix, forward);
  app.all(`${prefix}/*`, forward);
}

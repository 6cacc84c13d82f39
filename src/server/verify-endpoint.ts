// GET /oauth/verify: verification for a reverse proxy's sub-request (nginx auth_request, Traefik
// forwardAuth, Envoy ext_authz; DESIGN.md §3). The proxy describes the original request — X-Original-Method
// and X-Original-URI (Traefik's X-Forwarded-Method and X-Forwarded-Uri where those are absent), its
// Authorization and Content-Type headers, its body when the proxy can send one — and gets 204 with the
// X-Tripod-* identity headers, or the problem: 400, 401 (with WWW-Authenticate) or 403, with the JSON body
// also in X-Tripod-Problem so that a proxy that only relays headers (nginx) can answer the client with it.
//
// nginx cannot send the body to an auth sub-request. A form-encoded body's parameters are signed, so a
// request with one is refused (400, with advice) rather than verified without them: verifying half a
// request would accept a body nobody checked. The same goes for an oauth_body_hash with no body to hash.
// Other bodies are not covered by an OAuth 1.0a signature at all, so their absence changes nothing.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectRequestParameters, isFormContentType } from '../core/parameters.ts';
import { OAuthProblem, parameterAbsent, parameterRejected } from '../core/problems.ts';
import { publicRequestUrl } from '../provider/public-url.ts';
import { requiredAccessOf, type Verifier } from '../provider/verifier.ts';
import type { ServerConfig } from './config.ts';
import { identityHeaders } from './identity-headers.ts';
import { acceptRawBodies, rawBodyOf } from './oauth-request.ts';

export interface VerifyEndpointOptions {
  verifier: Verifier;
  config: ServerConfig;
}

// A method is an HTTP token; the URI an origin-form request target (path and query).
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;
const ORIGIN_FORM = /^\/[\x21-\x7e]*$/;

function single(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? undefined : value;
}

/** The problem's JSON as a header value: non-ASCII escaped (JSON keeps its meaning), nothing else changed. */
function asHeaderValue(json: string): string {
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The original request's body, or a refusal when its signed parts did not come with the sub-request. */
function originalBody(request: FastifyRequest, url: string): string | Uint8Array | null {
  const body = rawBodyOf(request);
  if (body !== null && body.length > 0) return body;
  const contentType = single(request, 'content-type');
  if (isFormContentType(contentType)) {
    throw parameterRejected(
      [],
      'The original request has a form-encoded body, whose parameters are signed, but the sub-request did not carry it (nginx auth_request never does). Put this API behind Tripod with --protect PREFIX=UPSTREAM, or have the client send the parameters in the query or the Authorization header, or send a non-form body signed with oauth_body_hash through a proxy that forwards bodies.',
    );
  }
  const authorization = single(request, 'authorization');
  const { protocol } = collectRequestParameters({ url, authorization, contentType, body: null });
  if (protocol.has('oauth_body_hash')) {
    throw parameterRejected(
      ['oauth_body_hash'],
      'The original request signs its body with oauth_body_hash, but the sub-request did not carry the body. Put this API behind Tripod with --protect PREFIX=UPSTREAM, or configure the proxy to send the body to /oauth/verify.',
    );
  }
  return null;
}

export async function verifyEndpoint(app: FastifyInstance, options: VerifyEndpointOptions): Promise<void> {
  const { verifier, config } = options;
  acceptRawBodies(app);

  const refuse = (reply: FastifyReply, problem: OAuthProblem) => {
    const answer = verifier.refusal(problem);
    return reply
      .code(answer.status)
      .headers(answer.headers)
      .header('x-tripod-problem', asHeaderValue(answer.body))
      .send(answer.body);
  };

  app.get('/oauth/verify', async (request, reply) => {
    const method = single(request, 'x-original-method') ?? single(request, 'x-forwarded-method');
    const uri = single(request, 'x-original-uri') ?? single(request, 'x-forwarded-uri');
    let url: string;
    let body: string | Uint8Array | null;
    try {
      if (method === undefined || uri === undefined) {
        throw parameterAbsent(
          ['X-Original-Method', 'X-Original-URI'].filter((_, i) => [method, uri][i] === undefined),
          'The sub-request must describe the original request: set X-Original-Method (nginx: $request_method) and X-Original-URI (nginx: $request_uri).',
        );
      }
      if (!METHOD.test(method) || !ORIGIN_FORM.test(uri)) {
        throw parameterRejected(
          [],
          'X-Original-Method must be an HTTP method and X-Original-URI the original path and query, starting with /.',
        );
      }
      // Only scheme and host come from --public-url: the original request is the proxy's, not under
      // the path prefix Tripod's own pages may have.
      const origin = config.publicUrl ? new URL(config.publicUrl.origin) : null;
      url = publicRequestUrl(origin, { scheme: request.protocol, host: request.host, path: uri });
      body = originalBody(request, url);
    } catch (error) {
      if (error instanceof OAuthProblem) return refuse(reply, error);
      throw error;
    }
    // RFC 5849 §3.4.1.1: the base string has the method in uppercase; so has the access rule.
    const originalMethod = method.toUpperCase();
    const verification = await verifier.verify(
      { method: originalMethod, url, headers: request.headers, body },
      { access: requiredAccessOf(originalMethod) },
    );
    if (!verification.ok) return refuse(reply, verification.problem);
    return reply
      .code(204)
      .headers(verification.headers)
      .headers(identityHeaders(verification.identity))
      .send();
  });
}

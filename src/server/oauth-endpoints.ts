// The protocol endpoints (Twitter's paths, DESIGN.md §3) and the demo API, bound to the provider. Bodies
// reach the provider exactly as received: form bodies as text (their parameters are signed), every other
// content type as raw bytes (covered by oauth_body_hash). Nothing here parses JSON.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatFormEncoded, type Parameter, parseFormEncoded } from '../core/encoding.ts';
import { isFormContentType } from '../core/parameters.ts';
import type { Provider } from '../provider/index.ts';
import type { ProviderStores, User } from '../provider/types.ts';
import type { AccessRule, Identity, Verification, Verifier } from '../provider/verifier.ts';
import type { ServerConfig } from './config.ts';
import { protocolErrorHandler } from './error-responses.ts';
import { toOAuthRequest } from './oauth-request.ts';
import type { ProtocolLimiter, RequestGuard, TokenEndpoint } from './rate-limits.ts';

export interface OAuthEndpointsOptions {
  provider: Provider;
  verifier: Verifier;
  limiter: ProtocolLimiter;
  stores: ProviderStores;
  config: ServerConfig;
  clock: { now(): number };
}

function sendForm(reply: FastifyReply, params: Parameter[]) {
  // Token endpoints answer in application/x-www-form-urlencoded, as Twitter does (RFC 5849 §2.1, §2.3).
  return reply.type('application/x-www-form-urlencoded').send(formatFormEncoded(params));
}

/** Parameters of a request that are not oauth_*: query first, then a form body. */
function requestParameters(request: FastifyRequest): Parameter[] {
  const question = request.url.indexOf('?');
  const params = question === -1 ? [] : parseFormEncoded(request.url.slice(question + 1));
  if (typeof request.body === 'string' && isFormContentType(request.headers['content-type'])) {
    params.push(...parseFormEncoded(request.body));
  }
  return params;
}

/** The demo API's two rules, built once. */
const READS: AccessRule = { access: 'read' };
const WRITES: AccessRule = { access: 'write' };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Twitter's created_at format, "Wed Oct 10 20:19:24 +0000 2018" (formatted on every verify_credentials). */
export function twitterDate(ms: number): string {
  const d = new Date(ms);
  const time = `${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())}:${twoDigits(d.getUTCSeconds())}`;
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${twoDigits(d.getUTCDate())} ${time} +0000 ${d.getUTCFullYear()}`;
}

export async function oauthEndpoints(app: FastifyInstance, options: OAuthEndpointsOptions): Promise<void> {
  const { provider, verifier, limiter, stores, config, clock } = options;
  // Counted from this request's address before any other work; the guard counts the rest (rate-limits.ts)
  // and, once the request is authentic, notes its app for the daily counts (daily-counter.ts).
  const limited = async (
    endpoint: TokenEndpoint,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<RequestGuard> => {
    const guard = await limiter.tokenRequest(endpoint, request.ip, (headers) => reply.headers(headers));
    return {
      ...guard,
      authentic: (consumerKey) => {
        request.signedBy = consumerKey;
        return guard.authentic(consumerKey);
      },
    };
  };

  // Raw bodies only: form bodies as text, anything else (JSON included) as bytes for oauth_body_hash.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler(protocolErrorHandler(config));

  app.post('/oauth/request_token', async (request, reply) => {
    const guard = await limited('request_token', request, reply);
    const result = await provider.issueRequestToken(toOAuthRequest(request, config), guard);
    return sendForm(reply, [
      ['oauth_token', result.token],
      ['oauth_token_secret', result.secret],
      ['oauth_callback_confirmed', 'true'],
    ]);
  });

  app.post('/oauth/access_token', async (request, reply) => {
    const guard = await limited('access_token', request, reply);
    const result = await provider.exchangeAccessToken(toOAuthRequest(request, config), guard);
    return sendForm(reply, [
      ['oauth_token', result.token],
      ['oauth_token_secret', result.secret],
      ['user_id', result.userId],
      ['screen_name', result.screenName],
    ]);
  });

  const invalidateToken = async (request: FastifyRequest, reply: FastifyReply) => {
    const guard = await limited('invalidate_token', request, reply);
    const result = await provider.invalidateToken(toOAuthRequest(request, config), guard);
    return reply.type('application/json; charset=utf-8').send({ access_token: result.token });
  };
  app.post('/oauth/invalidate_token', invalidateToken);
  // Twitter's own path for the same call.
  app.post('/1.1/oauth/invalidate_token', invalidateToken);

  // The demo API is verified as an integrator's routes are (provider/verifier.ts): a refusal is thrown so
  // that it is answered, logged and recorded for the signature debugger like every other problem. Each
  // route awaits the verifier itself (no async helper in between: one suspended frame fewer per request).
  const admit = (request: FastifyRequest, reply: FastifyReply, verification: Verification): Identity => {
    if (!verification.ok) throw verification.problem;
    request.signedBy = verification.identity.consumerKey;
    // Twitter's header: the access level of the token that signed the call.
    reply.headers(verification.headers);
    return verification.identity;
  };

  app.get('/1.1/account/verify_credentials.json', async (request, reply) => {
    // The user is read once, by the verifier (the hot path the benchmark measures): kept for created_at.
    // (Set in the verifier's callback, which TypeScript's narrowing does not follow: hence the cast.)
    let userLookup = null as Promise<User | null> | null;
    admit(
      request,
      reply,
      await verifier.verify(toOAuthRequest(request, config), READS, {
        getById: (id) => {
          userLookup = stores.users.getById(id);
          return userLookup;
        },
      }),
    );
    const user = await userLookup;
    if (!user) throw new Error('a verified three-legged request without its user');
    return reply.type('application/json; charset=utf-8').send({
      id_str: user.id,
      screen_name: user.username,
      name: user.username,
      created_at: twitterDate(user.createdAt),
    });
  });

  app.post('/1.1/statuses/update.json', async (request, reply) => {
    const identity = admit(request, reply, await verifier.verify(toOAuthRequest(request, config), WRITES));
    const status = requestParameters(request).find(([name]) => name === 'status')?.[1];
    if (status === undefined) {
      return reply
        .code(400)
        .type('application/json; charset=utf-8')
        .send({ errors: [{ code: 38, message: 'status parameter is missing.' }] });
    }
    const now = clock.now();
    // A demo: nothing is stored. The text comes back exactly as received (JSON-escaped, never HTML-escaped).
    return reply.type('application/json; charset=utf-8').send({
      id_str: String(now),
      text: status,
      created_at: twitterDate(now),
      user: { id_str: identity.userId, screen_name: identity.screenName },
    });
  });
}

// Feeds the signature debugger: when a signed request to /oauth/* or the API is refused, the server's
// view of it (parameters received, the base string it computed) is recorded for the app it names.
//
// Recorded after the response is sent (onResponse), and only for apps that exist, so neither the answer
// nor its timing changes: an attacker learns nothing about which consumer keys are real.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { signatureBaseString } from '../../core/base-string.ts';
import { collectRequestParameters, type Parameter } from '../../core/parameters.ts';
import { OAuthProblem } from '../../core/problems.ts';
import type { ConsumerStore, OAuthRequest } from '../../provider/types.ts';
import type { RejectedRequest, RejectionLog } from '../../stores/types.ts';
import { redactRejectedRequest } from './rejection-log.ts';

/** The consumer key a refused request names and what the debugger shows of it; null if it names none. */
export function describeRejectedRequest(
  request: OAuthRequest,
  problem: Pick<OAuthProblem, 'problem' | 'status' | 'code' | 'advice'>,
  at: number,
): { consumerKey: string; entry: RejectedRequest } | null {
  const header = request.headers.authorization;
  const contentType = request.headers['content-type'];
  let collected: ReturnType<typeof collectRequestParameters>;
  try {
    collected = collectRequestParameters({
      url: request.url,
      authorization: typeof header === 'string' ? header : undefined,
      contentType: typeof contentType === 'string' ? contentType : undefined,
      body: request.body ?? null,
    });
  } catch {
    // Malformed beyond reading (bad quoting, a parameter twice): the 400 answer already says what.
    return null;
  }
  const consumerKey = collected.protocol.get('oauth_consumer_key');
  if (!consumerKey) return null;
  const parameters: Parameter[] = [...collected.params];
  if (collected.signature !== null) parameters.push(['oauth_signature', collected.signature]);
  let baseString: string | null;
  try {
    baseString = signatureBaseString(request.method, request.url, collected.params);
  } catch {
    baseString = null;
  }
  return {
    consumerKey,
    entry: {
      at,
      method: request.method,
      url: request.url,
      problem: problem.problem,
      status: problem.status,
      code: problem.code,
      advice: problem.advice,
      parameters,
      baseString,
    },
  };
}

export interface RejectionRecorderOptions {
  rejections: RejectionLog;
  consumers: Pick<ConsumerStore, 'get'>;
  clock: { now(): number };
  /** The provider's view of a Fastify request (public URL, raw body). */
  toOAuthRequest: (request: FastifyRequest) => OAuthRequest;
}

/**
 * Adds the hook to `app`. Call it on the instance that registers the protocol endpoints, before they
 * are registered, so that their errors pass through it. Only refused requests pay for it: the hook runs
 * on errors, and the recording waits until the answer has gone out.
 */
export function recordRejections(app: FastifyInstance, options: RejectionRecorderOptions): void {
  app.addHook('onError', async (request, reply, error) => {
    if (!(error instanceof OAuthProblem)) return;
    let oauthRequest: OAuthRequest;
    try {
      oauthRequest = options.toOAuthRequest(request);
    } catch {
      return; // no usable URL (a bad Host header): nothing a developer could compare against
    }
    const at = options.clock.now();
    reply.raw.once('finish', () => {
      void record(request, oauthRequest, error, at);
    });
  });

  async function record(
    request: FastifyRequest,
    oauthRequest: OAuthRequest,
    problem: OAuthProblem,
    at: number,
  ) {
    try {
      const described = describeRejectedRequest(oauthRequest, problem, at);
      if (!described) return;
      if (!(await options.consumers.get(described.consumerKey))) return;
      await options.rejections.record(described.consumerKey, redactRejectedRequest(described.entry));
    } catch (error) {
      request.log.warn({ err: error }, 'could not record a rejected request for the signature debugger');
    }
  }
}

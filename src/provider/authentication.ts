// The decision every signed endpoint shares. Each endpoint first evaluates every check — consumer and
// token looked up once each, the signature verified with dummy secrets standing in for unknown ones —
// and then decides here, once: a request that is not authentic gets the generic 401 code 32 whatever the
// reason, so neither the answer nor its timing tells an unknown key from a bad signature (oauthlib's
// way). Only an authentic request goes on to learn more (135, nonce_used, then the endpoint's own 89,
// 261, 415, 417 or verifier answers). The reasons always reach the log.

import { couldNotAuthenticate, type OAuthProblem } from '../core/problems.ts';
import type { VerificationContext } from './context.ts';
import { nonceUsed, timestampRefused, tokenUnusable } from './problems.ts';
import {
  checkSignature,
  nonceExpiresAt,
  nonceKey,
  readSignedRequest,
  type SignedRequest,
  type TokenRule,
  timestampInWindow,
} from './signed-request.ts';
import type { AccessToken, Consumer, OAuthRequest } from './types.ts';

/** Logs a refusal with its detail and returns it, for `throw refuse(ctx, …)`. */
export function refuse(ctx: VerificationContext, problem: OAuthProblem): OAuthProblem {
  ctx.log({
    event: 'request.refused',
    status: problem.status,
    code: problem.code,
    problem: problem.problem,
    ...problem.logDetail,
  });
  return problem;
}

/** The consumer, or null (with the reason) when unknown or disabled: both fail as unknown. */
export async function lookUpConsumer(
  ctx: VerificationContext,
  key: string,
): Promise<{ consumer: Consumer | null; reasons: string[] }> {
  return usableConsumer(await ctx.stores.consumers.get(key));
}

/** What the store answered for a consumer key, with a disabled app as unknown. */
function usableConsumer(consumer: Consumer | null): { consumer: Consumer | null; reasons: string[] } {
  if (consumer === null) return { consumer: null, reasons: [] };
  if (consumer.disabled) return { consumer: null, reasons: ['consumer_disabled'] };
  return { consumer, reasons: [] };
}

/**
 * Decides, in this order: not authentic → 401 code 32; timestamp outside the window → 135; nonce already
 * used → nonce_used. The nonce is claimed only for authentic, timely requests, so forged traffic cannot
 * fill the nonce store. The first two are thrown at once, and so is a replay the nonce store knows at once
 * (`knownClaimed`); any other replay rejects: call it as `await decideAuthentic(…)` in an async function,
 * where both reject it. (Not an async function itself: every signed request passes here, and a `then`
 * costs it less than one more suspended frame.)
 */
export function decideAuthentic(
  ctx: VerificationContext,
  request: SignedRequest,
  now: number,
  authentic: boolean,
  reasons: string[],
  detail: Record<string, unknown>,
): Promise<void> {
  if (!authentic) throw refuse(ctx, couldNotAuthenticate({ ...detail, reasons }));
  const window = ctx.config.timestampWindowSeconds;
  if (!timestampInWindow(request, now, window)) {
    throw refuse(ctx, timestampRefused(now, window, { ...detail, timestamp: request.timestamp }));
  }
  const key = nonceKey(request);
  const nonces = ctx.stores.nonces;
  // A replay the nonce store knows at once (the recent nonces held in memory) is refused here, thrown as
  // the two refusals above are: no claim, no promise and no continuation for it (BENCHMARKS.md).
  if (nonces.knownClaimed?.(key) === true) throw replayRefused(ctx, request, detail);
  return nonces.claim(key, nonceExpiresAt(request, window), now).then((claimed) => {
    if (!claimed) throw replayRefused(ctx, request, detail);
  });
}

function replayRefused(
  ctx: VerificationContext,
  request: SignedRequest,
  detail: Record<string, unknown>,
): OAuthProblem {
  return refuse(ctx, nonceUsed({ ...detail, timestamp: request.timestamp }));
}

/**
 * Authenticates a request signed with consumer credentials and (if present) an access token: the path
 * shared by protected resources and invalidate_token. One consumer lookup and one token lookup, in
 * parallel; a revoked token's secret is kept (the tombstone) so its owner's correctly signed call learns
 * 89 rather than 32.
 */
export async function authenticateAccess(
  ctx: VerificationContext,
  endpoint: string,
  req: OAuthRequest,
  tokenRule: Extract<TokenRule, 'required' | 'optional'>,
): Promise<{ request: SignedRequest; consumer: Consumer; accessToken: AccessToken | null }> {
  const request = readSignedRequest(req, ctx.config, tokenRule);
  // Both lookups start before either is awaited, so they run together where they reach the store. Awaited
  // one after the other rather than through Promise.all and an async lookUpConsumer: on the path every
  // protected request takes, those cost a request an array, two promises and a closure per lookup, for
  // answers the verification cache has ready (BENCHMARKS.md). A token lookup left behind by a failed
  // consumer lookup gets a handler, so that its failure too is not an unhandled rejection.
  const consumerLookup = ctx.stores.consumers.get(request.consumerKey);
  const tokenLookup = request.token === null ? null : ctx.stores.accessTokens.get(request.token);
  let found: Consumer | null;
  try {
    found = await consumerLookup;
  } catch (error) {
    tokenLookup?.catch(() => {});
    throw error;
  }
  const { consumer, reasons } = usableConsumer(found);
  const stored = tokenLookup === null ? null : await tokenLookup;
  const accessToken = stored !== null && stored.consumerKey === request.consumerKey ? stored : null;
  if (stored !== null && accessToken === null) reasons.push('token_of_another_consumer');
  const signature = checkSignature(request, consumer, accessToken?.secret ?? null, request.token !== null);
  const now = ctx.clock.now();
  const detail = { endpoint, consumerKey: request.consumerKey, accessToken: request.token };
  await decideAuthentic(ctx, request, now, signature.valid, [...reasons, ...signature.reasons], detail);
  if (accessToken !== null && accessToken.revokedAt !== null) {
    throw refuse(
      ctx,
      tokenUnusable(
        'token_revoked',
        'This access token was invalidated (by the user or the app): authorize the app again.',
        detail,
      ),
    );
  }
  return { request, consumer: consumer as Consumer, accessToken };
}

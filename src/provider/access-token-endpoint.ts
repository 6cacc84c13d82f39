// POST /oauth/access_token (RFC 5849 §2.3): the authorized request token and its verifier (the PIN in
// the oob flow) for an access token. Signed with the consumer and the *request* token's secrets. The
// verifier is compared in constant time; the token is single-use; every wrong verifier costs one of
// `pinMaxAttempts` tries and the last one burns the token — counted through compare-and-set transitions,
// so parallel guesses cannot share a try. xAuth requests (x_auth_mode) go to xauth.ts.

import { couldNotAuthenticate, parameterAbsent } from '../core/problems.ts';
import { capAccessLevel } from './access-level.ts';
import { grantAccessToken, type IssuedAccessToken } from './access-token-grant.ts';
import { decideAuthentic, lookUpConsumer, refuse } from './authentication.ts';
import { OOB } from './callback-policy.ts';
import type { EndpointGuard, ProviderContext } from './context.ts';
import { notYetAuthorized, tokenUnusable, verifierInvalid } from './problems.ts';
import { exchange, rejectVerifier, requestTokenStatus } from './request-token-state.ts';
import { checkSignature, readSignedRequest } from './signed-request.ts';
import type { Consumer, OAuthRequest, RequestToken } from './types.ts';
import { verifierDigest, verifierDigestMatches } from './verifier-digest.ts';
import { exchangeCredentials } from './xauth.ts';

// Same shape as a stored verifier digest, so comparing against it costs the same when there is none.
const DUMMY_DIGEST = verifierDigest(new Uint8Array(32), '', 'dummy');
// Bound on compare-and-set retries when transitions race; each retry re-reads the token.
const MAX_TRANSITION_ATTEMPTS = 8;

export async function exchangeAccessToken(
  ctx: ProviderContext,
  req: OAuthRequest,
  guard: EndpointGuard = {},
): Promise<IssuedAccessToken> {
  const request = readSignedRequest(req, ctx.config, 'optional');
  if (request.collected.protocol.has('x_auth_mode')) return exchangeCredentials(ctx, request, guard);
  const endpoint = 'access_token';
  const verifier = request.collected.protocol.get('oauth_verifier');
  const absent = [
    ...(request.token === null ? ['oauth_token'] : []),
    ...(verifier ? [] : ['oauth_verifier']),
  ];
  if (absent.length > 0) {
    throw parameterAbsent(
      absent,
      'Exchange the authorized request token: send oauth_token (the request token) and oauth_verifier (the PIN shown to the user, or the verifier from the callback).',
    );
  }

  // Every check…
  // The tombstone is looked up every time, so an unknown token costs what a known one does.
  const [{ consumer, reasons }, stored, tombstone] = await Promise.all([
    lookUpConsumer(ctx, request.consumerKey),
    ctx.stores.requestTokens.get(request.token as string),
    ctx.stores.requestTokens.getTombstone(request.token as string),
  ]);
  const requestToken = stored !== null && stored.consumerKey === request.consumerKey ? stored : null;
  if (stored !== null && requestToken === null) reasons.push('token_of_another_consumer');
  const detail = { endpoint, consumerKey: request.consumerKey, requestToken: request.token };
  if (stored === null && consumer !== null && tombstone?.consumerKey === consumer.key) {
    const [problem, advice] = PURGED_ANSWERS[tombstone.status];
    throw refuse(ctx, tokenUnusable(problem, advice, detail));
  }
  const signature = checkSignature(request, consumer, requestToken?.secret ?? null, true);
  const now = ctx.clock.now();
  const matches = verifierMatches(ctx, requestToken, verifier as string);

  // …then one decision.
  await decideAuthentic(ctx, request, now, signature.valid, [...reasons, ...signature.reasons], detail);
  await guard.authentic?.(request.consumerKey);
  return redeem(ctx, requestToken as RequestToken, consumer as Consumer, verifier as string, matches, detail);
}

// A token purged after it expired (its tombstone, issue 11) is answered as an expired or used one was
// before the purge. Its secret is gone, so the request cannot be authenticated; the answer tells nothing
// the authorize page does not tell anyone holding the token, and only the app that held it learns it.
const PURGED_ANSWERS = {
  expired: ['token_expired', 'This request token has expired: start the authorization again.'],
  exchanged: [
    'token_used',
    'This request token was already exchanged (a PIN works once): start the authorization again.',
  ],
  denied: ['token_rejected', 'The user denied access to this request token.'],
  burned: [
    'token_rejected',
    'This request token was locked after too many wrong PINs: start the authorization again.',
  ],
} as const;

/** The presented verifier against the stored digest (verifier-digest.ts), in constant time. */
function verifierMatches(ctx: ProviderContext, requestToken: RequestToken | null, verifier: string): boolean {
  const state = requestToken?.state;
  const expected = state?.status === 'authorized' ? state.verifier : DUMMY_DIGEST;
  // A PIN is typed by a person, from a page that may group its digits: spaces and dashes are not part of it.
  const presented = requestToken?.callback === OOB ? verifier.replace(/[\s-]/g, '') : verifier;
  const token = requestToken?.token ?? '';
  return verifierDigestMatches(ctx.verifierKey, token, expected, presented) && state?.status === 'authorized';
}

/** The authentic exchange: spend the token on the right verifier, count the wrong ones. */
async function redeem(
  ctx: ProviderContext,
  first: RequestToken,
  consumer: Consumer,
  verifier: string,
  firstMatch: boolean,
  detail: Record<string, unknown>,
): Promise<IssuedAccessToken> {
  let current: RequestToken | null = first;
  let matches = firstMatch;
  for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS && current !== null; attempt++) {
    const now = ctx.clock.now();
    const status = requestTokenStatus(current, now);
    switch (status) {
      case 'expired':
        throw refuse(
          ctx,
          tokenUnusable(
            'token_expired',
            'This request token has expired: start the authorization again.',
            detail,
          ),
        );
      case 'exchanged':
        throw refuse(
          ctx,
          tokenUnusable(
            'token_used',
            'This request token was already exchanged (a PIN works once): start the authorization again.',
            detail,
          ),
        );
      case 'denied':
        throw refuse(
          ctx,
          tokenUnusable('token_rejected', 'The user denied access to this request token.', detail),
        );
      case 'burned':
        throw refuse(
          ctx,
          tokenUnusable(
            'token_rejected',
            'This request token was locked after too many wrong PINs: start the authorization again.',
            detail,
          ),
        );
      case 'issued':
        throw refuse(ctx, notYetAuthorized(detail));
      case 'authorized':
        break;
    }
    if (!matches) {
      const next = rejectVerifier(current, now);
      if (await ctx.stores.requestTokens.transition(next, current.version)) {
        const attemptsLeft = next.state.status === 'authorized' ? next.state.attemptsLeft : 0;
        ctx.log({ event: 'verifier.rejected', ...detail, attemptsLeft, burned: attemptsLeft === 0 });
        throw refuse(ctx, verifierInvalid(attemptsLeft, detail));
      }
    } else {
      const state = current.state as Extract<RequestToken['state'], { status: 'authorized' }>;
      const user = await ctx.stores.users.getById(state.userId);
      if (user === null) {
        throw refuse(
          ctx,
          tokenUnusable(
            'token_rejected',
            'The user who authorized this request token no longer exists.',
            detail,
          ),
        );
      }
      const accessLevel = capAccessLevel(current.accessLevel, consumer.accessLevel);
      // The grant exists before the request token is spent, so the spent token names a real access token.
      // Should the spend lose a race, the grant stays: it is the one live token for this app and user,
      // which the winning exchange (and any later re-authorization) returns as well.
      const { accessToken, reused } = await grantAccessToken(ctx, consumer.key, user.id, accessLevel, now);
      if (
        await ctx.stores.requestTokens.transition(exchange(current, accessToken.token, now), current.version)
      ) {
        ctx.log({
          event: 'access_token.issued',
          ...detail,
          userId: user.id,
          accessLevel,
          reused,
          via: 'verifier',
          // For the flow-duration metric: how long the person took, from request_token to here.
          callbackMode: current.callback === OOB ? 'oob' : 'callback',
          flowMs: now - current.createdAt,
        });
        return {
          token: accessToken.token,
          secret: accessToken.secret,
          userId: user.id,
          screenName: user.username,
        };
      }
    }
    // Another request transitioned the token since we read it: read it again and decide afresh.
    current = await ctx.stores.requestTokens.get(current.token);
    matches = verifierMatches(ctx, current, verifier);
  }
  throw refuse(ctx, couldNotAuthenticate({ ...detail, reasons: ['transition_contention'] }));
}

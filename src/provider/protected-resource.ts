// Signed requests to protected resources (RFC 5849 §3.2), and POST /oauth/invalidate_token, which is one:
// three-legged (consumer + access token) or, where a route allows it, two-legged (consumer only). This is
// the hot path the benchmark measures: one consumer lookup and one token lookup (in parallel), one
// signature check, one nonce claim — nothing else touches a store.

import { capAccessLevel } from './access-level.ts';
import { authenticateAccess, refuse } from './authentication.ts';
import type { EndpointGuard, ProviderContext, VerificationContext } from './context.ts';
import { cannotWrite, tokenUnusable } from './problems.ts';
import type { AccessLevel, AccessToken, Consumer, OAuthRequest, RequiredAccess } from './types.ts';

/** The endpoint's name in the log and on refusals. */
export const PROTECTED_RESOURCE = 'protected_resource';

export interface VerifiedRequest {
  consumer: Consumer;
  /** null for a two-legged request (consumer only). */
  accessToken: AccessToken | null;
  userId: string | null;
  /** The access the request carries: the token's level, capped by the app's current level. */
  accessLevel: AccessLevel;
}

export interface VerifyOptions {
  access: RequiredAccess;
  /** Accept requests signed by the consumer alone (no oauth_token). */
  allowTwoLegged?: boolean;
}

export async function verifyProtectedRequest(
  ctx: VerificationContext,
  req: OAuthRequest,
  opts: VerifyOptions,
): Promise<VerifiedRequest> {
  const { consumer, accessToken } = await authenticateAccess(
    ctx,
    PROTECTED_RESOURCE,
    req,
    opts.allowTwoLegged ? 'optional' : 'required',
  );
  return admitAccess(ctx, consumer, accessToken, opts.access);
}

/**
 * The second half of verifyProtectedRequest, for a caller that awaits authenticateAccess itself (the
 * Verifier: one suspended frame fewer on every protected request): the level the request carries, or 403
 * code 261 when the route writes and the level only reads.
 */
export function admitAccess(
  ctx: VerificationContext,
  consumer: Consumer,
  accessToken: AccessToken | null,
  access: RequiredAccess,
): VerifiedRequest {
  // An app lowered to read since the token was issued writes no more with it.
  const accessLevel =
    accessToken === null
      ? consumer.accessLevel
      : capAccessLevel(accessToken.accessLevel, consumer.accessLevel);
  if (access === 'write' && accessLevel !== 'read-write') {
    throw refuse(
      ctx,
      cannotWrite({
        endpoint: PROTECTED_RESOURCE,
        consumerKey: consumer.key,
        userId: accessToken?.userId ?? null,
        accessLevel,
      }),
    );
  }
  return { consumer, accessToken, userId: accessToken?.userId ?? null, accessLevel };
}

/** Revokes the access token that signed the call; it is kept as a tombstone so later use gets 89. */
export async function invalidateToken(
  ctx: ProviderContext,
  req: OAuthRequest,
  guard: EndpointGuard = {},
): Promise<{ token: string }> {
  const endpoint = 'invalidate_token';
  const { consumer, accessToken } = await authenticateAccess(ctx, endpoint, req, 'required');
  await guard.authentic?.(consumer.key);
  const token = accessToken as AccessToken;
  const detail = { endpoint, consumerKey: consumer.key, accessToken: token.token, userId: token.userId };
  if (!(await ctx.stores.accessTokens.revoke(token.token, ctx.clock.now()))) {
    throw refuse(ctx, tokenUnusable('token_revoked', 'This access token was already invalidated.', detail));
  }
  ctx.log({ event: 'access_token.revoked', ...detail });
  return { token: token.token };
}

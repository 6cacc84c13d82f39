// The access token a successful exchange hands out. Twitter's rule: re-authorizing the same app by the
// same user at the same access level returns the same token, unless it was invalidated.

import type { ProviderContext } from './context.ts';
import { generateToken, SECRET_BYTES, TOKEN_BYTES } from './random-source.ts';
import type { AccessLevel, AccessToken } from './types.ts';

export interface IssuedAccessToken {
  token: string;
  secret: string;
  userId: string;
  screenName: string;
}

/**
 * The user's live token for this app at this level, or a new one, saved. The stores allow one live token
 * per (app, user, level); if a concurrent exchange saved one first, that one is returned.
 */
export async function grantAccessToken(
  ctx: ProviderContext,
  consumerKey: string,
  userId: string,
  accessLevel: AccessLevel,
  now: number,
): Promise<{ accessToken: AccessToken; reused: boolean }> {
  const existing = await ctx.stores.accessTokens.findActive(consumerKey, userId, accessLevel);
  if (existing !== null) return { accessToken: existing, reused: true };
  const accessToken: AccessToken = {
    token: generateToken(ctx.random, TOKEN_BYTES),
    secret: generateToken(ctx.random, SECRET_BYTES),
    consumerKey,
    userId,
    accessLevel,
    createdAt: now,
    revokedAt: null,
  };
  try {
    await ctx.stores.accessTokens.create(accessToken);
  } catch (error) {
    const winner = await ctx.stores.accessTokens.findActive(consumerKey, userId, accessLevel);
    if (winner === null) throw error;
    return { accessToken: winner, reused: true };
  }
  return { accessToken, reused: false };
}

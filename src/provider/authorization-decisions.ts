// GET/POST /oauth/authorize and /oauth/authenticate (RFC 5849 §2.2): what the consent page shows, and
// the user's answer. Not signed requests — the browser carries only oauth_token — so these speak in
// `RequestTokenUnusable` reasons the server renders as pages, not in OAuth problems.

import { capAccessLevel, coversAccessLevel } from './access-level.ts';
import { callbackRedirect, OOB } from './callback-policy.ts';
import type { ProviderContext } from './context.ts';
import { generatePin, generateToken, TOKEN_BYTES } from './random-source.ts';
import {
  authorize,
  deny,
  type RequestTokenStatus,
  RequestTokenUnusable,
  requestTokenStatus,
  unusableForDecision,
} from './request-token-state.ts';
import type { AccessLevel, Consumer, RequestToken } from './types.ts';
import { verifierDigest } from './verifier-digest.ts';

/** What the authorize page shows about a pending request. No secret in it. */
export interface AuthorizationRequest {
  requestToken: string;
  consumer: { key: string; name: string; description: string; website: string };
  /** 'oob': the user will be shown a PIN; 'callback': the browser returns to the app. */
  callbackMode: 'oob' | 'callback';
  /** The access this token asks for (after any x_auth_access_type lowering). */
  accessLevel: AccessLevel;
  expiresAt: number;
  state: RequestTokenStatus;
}

export type ApproveResult =
  | { mode: 'oob'; pin: string; consumerName: string; expiresAt: number }
  | { mode: 'callback'; redirectTo: string };

export type DenyResult = { mode: 'oob' } | { mode: 'callback'; redirectTo: string };

/** A request token the user may still approve or deny, with its app; else `RequestTokenUnusable`. */
async function pendingDecision(
  ctx: ProviderContext,
  token: string,
): Promise<{ requestToken: RequestToken; consumer: Consumer }> {
  const requestToken = await ctx.stores.requestTokens.get(token);
  if (requestToken === null) throw await purgedOrUnknown(ctx, token);
  const reason = unusableForDecision(requestTokenStatus(requestToken, ctx.clock.now()));
  const consumer = await ctx.stores.consumers.get(requestToken.consumerKey);
  if (consumer === null || consumer.disabled) throw new RequestTokenUnusable('unknown');
  // The person followed a link from this app: the page that says it no longer works names the app.
  if (reason !== null) throw new RequestTokenUnusable(reason, consumer.name);
  return { requestToken, consumer };
}

/** What became of a token that is not stored: its tombstone's story, naming the app, or "unknown". */
async function purgedOrUnknown(ctx: ProviderContext, token: string): Promise<RequestTokenUnusable> {
  const tombstone = await ctx.stores.requestTokens.getTombstone(token);
  if (tombstone === null) return new RequestTokenUnusable('unknown');
  const consumer = await ctx.stores.consumers.get(tombstone.consumerKey);
  if (consumer === null || consumer.disabled) return new RequestTokenUnusable('unknown');
  const reason = tombstone.status === 'exchanged' ? 'used' : tombstone.status;
  return new RequestTokenUnusable(reason, consumer.name);
}

/** Persists an approve/deny; if another decision won the race, says what the token became. */
async function persistDecision(
  ctx: ProviderContext,
  current: RequestToken,
  next: RequestToken,
): Promise<void> {
  if (await ctx.stores.requestTokens.transition(next, current.version)) return;
  const now = await ctx.stores.requestTokens.get(current.token);
  const reason = now === null ? 'unknown' : unusableForDecision(requestTokenStatus(now, ctx.clock.now()));
  throw new RequestTokenUnusable(reason ?? 'used');
}

export async function describeAuthorization(
  ctx: ProviderContext,
  token: string,
): Promise<AuthorizationRequest> {
  const { requestToken, consumer } = await pendingDecision(ctx, token);
  return {
    requestToken: requestToken.token,
    consumer: {
      key: consumer.key,
      name: consumer.name,
      description: consumer.description,
      website: consumer.website,
    },
    callbackMode: requestToken.callback === OOB ? 'oob' : 'callback',
    accessLevel: requestToken.accessLevel,
    expiresAt: requestToken.expiresAt,
    state: requestTokenStatus(requestToken, ctx.clock.now()),
  };
}

export async function approve(ctx: ProviderContext, token: string, userId: string): Promise<ApproveResult> {
  const { requestToken, consumer } = await pendingDecision(ctx, token);
  const oob = requestToken.callback === OOB;
  // The verifier is made at approval (as Twitter, oauthlib and authlib do), bound to this token only.
  const verifier = oob
    ? generatePin(ctx.random, ctx.config.pinLength)
    : generateToken(ctx.random, TOKEN_BYTES);
  // The answer is built before the token is spent: a callback that cannot be redirected to throws here,
  // leaving the request token as it was.
  const redirectTo = oob
    ? null
    : callbackRedirect(requestToken.callback, [
        ['oauth_token', token],
        ['oauth_verifier', verifier],
      ]);
  const now = ctx.clock.now();
  // Only its keyed digest is stored; the PIN itself goes to the page once (verifier-digest.ts).
  const digest = verifierDigest(ctx.verifierKey, token, verifier);
  const next = authorize(
    requestToken,
    { userId, verifier: digest, attempts: ctx.config.pinMaxAttempts },
    now,
  );
  await persistDecision(ctx, requestToken, next);
  ctx.log({
    event: 'authorization.approved',
    consumerKey: consumer.key,
    requestToken: token,
    userId,
    mode: oob ? 'oob' : 'callback',
  });
  if (redirectTo === null) {
    return { mode: 'oob', pin: verifier, consumerName: consumer.name, expiresAt: requestToken.expiresAt };
  }
  return { mode: 'callback', redirectTo };
}

export async function denyAuthorization(ctx: ProviderContext, token: string): Promise<DenyResult> {
  const { requestToken, consumer } = await pendingDecision(ctx, token);
  // Twitter's `denied=<request token>` and OKAPI's `error=access_denied`, at once; built before the
  // token is spent, as for approve.
  const redirectTo =
    requestToken.callback === OOB
      ? null
      : callbackRedirect(requestToken.callback, [
          ['oauth_token', token],
          ['denied', token],
          ['error', 'access_denied'],
        ]);
  await persistDecision(ctx, requestToken, deny(requestToken, ctx.clock.now()));
  ctx.log({ event: 'authorization.denied', consumerKey: consumer.key, requestToken: token });
  return redirectTo === null ? { mode: 'oob' } : { mode: 'callback', redirectTo };
}

/**
 * Whether the user holds a live access token for this app. With `accessLevel`: only a grant that covers
 * that level counts, both sides capped by the app's current level — a grant made while the app was
 * read-only never covers a read-write request after the app was raised to read-write.
 */
export async function hasAuthorized(
  ctx: ProviderContext,
  userId: string,
  consumerKey: string,
  accessLevel?: AccessLevel,
): Promise<boolean> {
  const grants = (await ctx.stores.accessTokens.listActiveForUser(userId)).filter(
    (t) => t.consumerKey === consumerKey,
  );
  if (accessLevel === undefined || grants.length === 0) return grants.length > 0;
  const consumer = await ctx.stores.consumers.get(consumerKey);
  if (consumer === null || consumer.disabled) return false;
  const asked = capAccessLevel(accessLevel, consumer.accessLevel);
  return grants.some((t) => coversAccessLevel(capAccessLevel(t.accessLevel, consumer.accessLevel), asked));
}

// POST /oauth/request_token (RFC 5849 §2.1, Twitter's rules): signed by the consumer alone, with a
// required oauth_callback that is `oob` (the PIN flow) or a URL matching one the app registered.

import { grantedAccessLevel, requestedAccessLevel } from './access-level.ts';
import { decideAuthentic, lookUpConsumer, refuse } from './authentication.ts';
import { callbackMatches, OOB, parseCallback } from './callback-policy.ts';
import type { EndpointGuard, ProviderContext } from './context.ts';
import { callbackNotApproved, desktopAppOnlyOob, tooManyRequestTokens } from './problems.ts';
import { generateToken, SECRET_BYTES, TOKEN_BYTES } from './random-source.ts';
import { checkSignature, readSignedRequest } from './signed-request.ts';
import type { Consumer, OAuthRequest, RequestToken } from './types.ts';

export interface IssuedRequestToken {
  token: string;
  secret: string;
  callbackConfirmed: true;
}

export async function issueRequestToken(
  ctx: ProviderContext,
  req: OAuthRequest,
  guard: EndpointGuard = {},
): Promise<IssuedRequestToken> {
  const endpoint = 'request_token';
  // Malformed input first (400, saying what is wrong): oauth_callback is required on every call.
  const request = readSignedRequest(req, ctx.config, 'ignored', ['oauth_callback']);
  const callbackValue = request.collected.protocol.get('oauth_callback') as string;
  const callback = parseCallback(callbackValue);
  const asked = requestedAccessLevel(request);

  // Every check…
  const { consumer, reasons } = await lookUpConsumer(ctx, request.consumerKey);
  const signature = checkSignature(request, consumer, null, false);
  const now = ctx.clock.now();
  let callbackRefusal: 'no_registered_callback' | 'callback_not_registered' | null = null;
  if (consumer !== null && callback !== OOB) {
    // Twitter: an app without a registered callback URL is a "desktop application", oob only (417).
    if (consumer.callbackUrls.length === 0) callbackRefusal = 'no_registered_callback';
    else if (!callbackMatches(callback, consumer.callbackUrls, ctx.config.callbackQuery))
      callbackRefusal = 'callback_not_registered';
  }

  // …then one decision.
  const detail = { endpoint, consumerKey: request.consumerKey };
  await decideAuthentic(ctx, request, now, signature.valid, [...reasons, ...signature.reasons], detail);
  await guard.authentic?.(request.consumerKey);
  if (callbackRefusal === 'no_registered_callback') throw refuse(ctx, desktopAppOnlyOob(detail));
  if (callbackRefusal === 'callback_not_registered') {
    throw refuse(ctx, callbackNotApproved({ ...detail, callback: callbackValue }, ctx.config.callbackQuery));
  }

  const app = consumer as Consumer;
  // A cap per app on tokens nobody has answered yet, so that one app's keys cannot fill the database. Two
  // requests at the same moment may both pass at the cap: it bounds, it does not count exactly.
  const max = ctx.config.maxOutstandingRequestTokens;
  if (max > 0 && (await ctx.stores.requestTokens.countOutstanding(app.key, now, max)) >= max) {
    throw refuse(ctx, tooManyRequestTokens(max, detail));
  }
  const requestToken: RequestToken = {
    token: generateToken(ctx.random, TOKEN_BYTES),
    secret: generateToken(ctx.random, SECRET_BYTES),
    consumerKey: app.key,
    // Stored as the URL that was matched (its canonical serialisation), so the browser is sent exactly
    // where the check said it may go (callback-policy.ts).
    callback: callback === OOB ? OOB : callback.href,
    accessLevel: grantedAccessLevel(app.accessLevel, asked),
    createdAt: now,
    expiresAt: now + ctx.config.requestTokenTtlSeconds * 1000,
    state: { status: 'issued' },
    version: 0,
  };
  await ctx.stores.requestTokens.create(requestToken);
  ctx.log({
    event: 'request_token.issued',
    consumerKey: app.key,
    requestToken: requestToken.token,
    callbackMode: callback === OOB ? 'oob' : 'callback',
    accessLevel: requestToken.accessLevel,
  });
  return { token: requestToken.token, secret: requestToken.secret, callbackConfirmed: true };
}

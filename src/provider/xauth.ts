// xAuth (x_auth_mode=client_auth at POST /oauth/access_token): a username and password for an access
// token, skipping request_token and authorize. Only for apps the operator flagged (Twitter: "approved
// apps only"); the password check is injected so the server chooses the KDF.

import { parameterAbsent, parameterRejected } from '../core/problems.ts';
import { grantedAccessLevel, requestedAccessLevel } from './access-level.ts';
import { grantAccessToken, type IssuedAccessToken } from './access-token-grant.ts';
import { decideAuthentic, lookUpConsumer, refuse } from './authentication.ts';
import type { EndpointGuard, ProviderContext } from './context.ts';
import { xauthCredentialsInvalid, xauthNotAllowed } from './problems.ts';
import { checkSignature, type SignedRequest } from './signed-request.ts';
import type { Consumer } from './types.ts';

const USERNAME_MAX_LENGTH = 256;
const PASSWORD_MAX_LENGTH = 1024;

export async function exchangeCredentials(
  ctx: ProviderContext,
  request: SignedRequest,
  guard: EndpointGuard = {},
): Promise<IssuedAccessToken> {
  const endpoint = 'access_token(xauth)';
  const p = request.collected.protocol;
  const absent = ['x_auth_username', 'x_auth_password'].filter((name) => !p.get(name));
  if (absent.length > 0) throw parameterAbsent(absent);
  if (p.get('x_auth_mode') !== 'client_auth') {
    throw parameterRejected(['x_auth_mode'], 'x_auth_mode must be client_auth.');
  }
  const asked = requestedAccessLevel(request);
  const username = p.get('x_auth_username') as string;
  const password = p.get('x_auth_password') as string;
  // Bounded so a password check (a deliberately slow KDF) cannot be fed megabytes.
  if (username.length > USERNAME_MAX_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw parameterRejected(
      username.length > USERNAME_MAX_LENGTH ? ['x_auth_username'] : ['x_auth_password'],
      `x_auth_username may have at most ${USERNAME_MAX_LENGTH} characters and x_auth_password at most ${PASSWORD_MAX_LENGTH}.`,
    );
  }

  // Every check…
  const [{ consumer, reasons }, found] = await Promise.all([
    lookUpConsumer(ctx, request.consumerKey),
    ctx.stores.users.getByUsername(username),
  ]);
  // A disabled account is refused exactly as an unknown one.
  const user = found?.disabled ? null : found;
  // xAuth is signed by the consumer alone; an oauth_token, if sent, plays no part.
  const signature = checkSignature(request, consumer, null, false);
  const now = ctx.clock.now();

  // …then the decision. The password is checked only for an authentic request from an xAuth app, so
  // forged requests cannot make the server run its slow KDF.
  const detail = { endpoint, consumerKey: request.consumerKey };
  await decideAuthentic(ctx, request, now, signature.valid, [...reasons, ...signature.reasons], detail);
  await guard.authentic?.(request.consumerKey);
  const app = consumer as Consumer;
  if (!app.xauth || ctx.verifyPassword === undefined) {
    throw refuse(
      ctx,
      xauthNotAllowed({ ...detail, reasons: [app.xauth ? 'xauth_not_configured' : 'xauth_not_enabled'] }),
    );
  }
  // Failures per username (the sign-in limits): sixty guesses at one password are refused after a few,
  // and known and unknown usernames are counted alike.
  const attempt = await guard.passwordAttempt?.(username);
  // An unknown user is checked against a dummy hash, so the answer takes as long as a wrong password.
  const hash = user?.passwordHash ?? ctx.dummyPasswordHash;
  let passwordOk = false;
  if (hash !== undefined) {
    try {
      passwordOk = (await ctx.verifyPassword(hash, password)) && user !== null;
    } catch {
      passwordOk = false;
    }
  }
  if (!passwordOk || user === null) {
    throw refuse(
      ctx,
      xauthCredentialsInvalid({ ...detail, reasons: [user === null ? 'user_unknown' : 'password_mismatch'] }),
    );
  }

  await attempt?.succeeded();
  const accessLevel = grantedAccessLevel(app.accessLevel, asked);
  const { accessToken, reused } = await grantAccessToken(ctx, app.key, user.id, accessLevel, now);
  ctx.log({ event: 'access_token.issued', ...detail, userId: user.id, accessLevel, reused, via: 'xauth' });
  return { token: accessToken.token, secret: accessToken.secret, userId: user.id, screenName: user.username };
}

// The protocol, framework-free: the four OAuth endpoints of RFC 5849 §2 as Twitter shaped them, the
// authorize decisions, and verification of signed requests for protected resources. Input is an
// `OAuthRequest` (with the PUBLIC URL the client signed); output is a value or a thrown `OAuthProblem`
// (authorize decisions throw `RequestTokenUnusable`).
//
// Every signed endpoint follows one discipline (oauthlib's, authentication.ts): reject malformed input
// with a 400 that says what is wrong; look up the consumer and the token once each; verify the signature
// with dummy secrets standing in for unknown ones; then decide, once. A request whose signature did not
// verify gets the generic 401 code 32 whatever the reason; only an authentic one learns more (135,
// nonce_used, 89, 261, 415, 417, a wrong PIN). The reason always goes to `logDetail` and the log.
//
// One module per endpoint; this class holds the injected context and is the API the server codes against.

import { exchangeAccessToken } from './access-token-endpoint.ts';
import type { IssuedAccessToken } from './access-token-grant.ts';
import {
  type ApproveResult,
  type AuthorizationRequest,
  approve,
  type DenyResult,
  denyAuthorization,
  describeAuthorization,
  hasAuthorized,
} from './authorization-decisions.ts';
import type { EndpointGuard, ProviderContext, ProviderEvent } from './context.ts';
import { buildProviderConfig, type ProviderConfig } from './defaults.ts';
import {
  invalidateToken,
  type VerifiedRequest,
  type VerifyOptions,
  verifyProtectedRequest,
} from './protected-resource.ts';
import { type IssuedRequestToken, issueRequestToken } from './request-token-endpoint.ts';
import type { AccessLevel, Clock, OAuthRequest, ProviderStores, RandomSource } from './types.ts';

export type { IssuedAccessToken } from './access-token-grant.ts';
export type { ApproveResult, AuthorizationRequest, DenyResult } from './authorization-decisions.ts';
export type { EndpointGuard, ProviderEvent } from './context.ts';
export type { VerifiedRequest, VerifyOptions } from './protected-resource.ts';
export type { IssuedRequestToken } from './request-token-endpoint.ts';

/**
 * Where events go: a function, or a pino-style logger (Fastify's `app.log`), which gets each event as
 * the object of an `info` line with the event name as the message.
 */
export type ProviderLog =
  | ((event: ProviderEvent) => void)
  | { info(details: object, message?: string): void };

/** The log as a function of events (nothing is logged without one). */
export function eventLog(log: ProviderLog | undefined): (event: ProviderEvent) => void {
  if (log === undefined) return () => {};
  if (typeof log === 'function') return log;
  return (event) => log.info(event, event.event);
}

export interface ProviderOptions {
  stores: ProviderStores;
  clock: Clock;
  random: RandomSource;
  /** Settings over the defaults of defaults.ts; validated (throws `ProviderConfigError`). */
  config?: Partial<ProviderConfig>;
  log?: ProviderLog;
  /**
   * Checks an xAuth password against a user's stored hash; the server picks the KDF. Without it xAuth
   * is refused for every app.
   */
  verifyPassword?: (hash: string, password: string) => Promise<boolean>;
  /**
   * A hash in the same KDF's format, checked when the xAuth username is unknown so that the answer takes
   * as long as for a known user with a wrong password.
   */
  dummyPasswordHash?: string;
}

// Expired request tokens are purged at once, leaving a tombstone that stays this long so that a late
// exchange or an old link learns "expired" or "already used" rather than "unknown".
const REQUEST_TOKEN_TOMBSTONE_KEPT_MS = 24 * 60 * 60 * 1000;

export class Provider {
  readonly config: ProviderConfig;
  readonly #ctx: ProviderContext;

  constructor(options: ProviderOptions) {
    this.config = buildProviderConfig(options.config);
    this.#ctx = {
      stores: options.stores,
      clock: options.clock,
      random: options.random,
      config: this.config,
      log: eventLog(options.log),
      verifyPassword: options.verifyPassword,
      dummyPasswordHash: options.dummyPasswordHash,
      verifierKey: options.stores.verifierKey ?? options.random.bytes(32),
    };
  }

  /** POST /oauth/request_token: `oob` or a registered callback; x_auth_access_type may lower the level. */
  issueRequestToken(req: OAuthRequest, guard: EndpointGuard = {}): Promise<IssuedRequestToken> {
    return issueRequestToken(this.#ctx, req, guard);
  }

  /** What the consent page shows. Throws `RequestTokenUnusable` for unknown, expired or answered tokens. */
  describeAuthorization(token: string): Promise<AuthorizationRequest> {
    return describeAuthorization(this.#ctx, token);
  }

  /**
   * The user allowed access. oob: a PIN of `pinLength` uniformly random digits, for the page to show.
   * Callback: a long random verifier, and the URL to send the browser to.
   */
  approve(token: string, userId: string): Promise<ApproveResult> {
    return approve(this.#ctx, token, userId);
  }

  /** The user refused. Callback mode redirects with Twitter's `denied` and OKAPI's `error=access_denied`. */
  deny(token: string): Promise<DenyResult> {
    return denyAuthorization(this.#ctx, token);
  }

  /**
   * Whether the user holds a live access token for this app; with `accessLevel`, one that covers that
   * level at the app's current level (what lets /oauth/authenticate skip consent).
   */
  hasAuthorized(userId: string, consumerKey: string, accessLevel?: AccessLevel): Promise<boolean> {
    return hasAuthorized(this.#ctx, userId, consumerKey, accessLevel);
  }

  /** POST /oauth/access_token: the PIN or verifier (single use, attempt-limited), or xAuth credentials. */
  exchangeAccessToken(req: OAuthRequest, guard: EndpointGuard = {}): Promise<IssuedAccessToken> {
    return exchangeAccessToken(this.#ctx, req, guard);
  }

  /** POST /oauth/invalidate_token: revokes the access token that signed the call (later use: 89). */
  invalidateToken(req: OAuthRequest, guard: EndpointGuard = {}): Promise<{ token: string }> {
    return invalidateToken(this.#ctx, req, guard);
  }

  /** A signed request to a protected resource, three-legged or (where allowed) two-legged. */
  verifyProtectedRequest(req: OAuthRequest, opts: VerifyOptions): Promise<VerifiedRequest> {
    return verifyProtectedRequest(this.#ctx, req, opts);
  }

  /**
   * Deletes nonces past their window, replaces expired request tokens by tombstones and deletes
   * tombstones a day old. Call it periodically.
   */
  async pruneExpired(): Promise<{ nonces: number; requestTokens: number; requestTokenTombstones: number }> {
    const now = this.#ctx.clock.now();
    const [nonces, requestTokens, requestTokenTombstones] = await Promise.all([
      this.#ctx.stores.nonces.deleteExpired(now),
      this.#ctx.stores.requestTokens.deleteExpired(now),
      this.#ctx.stores.requestTokens.deleteTombstones(now - REQUEST_TOKEN_TOMBSTONE_KEPT_MS),
    ]);
    return { nonces, requestTokens, requestTokenTombstones };
  }
}

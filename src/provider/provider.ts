// The protocol, framework-free: the four OAuth endpoints of RFC 5849 §2 as Twitter shaped them, the
// authorize decisions, and verification of signed requests for protected resources. Input is an
// `OAuthRequest` (with the PUBLIC URL the client signed); output is a value or a thrown `OAuthProblem`.
//
// Every signed endpoint follows one discipline (oauthlib's): read and reject malformed input (400, saying
// what is wrong); look up the consumer and the token once each; verify the signature with dummy secrets
// standing in for unknown ones; then decide, once. A request whose signature did not verify gets the
// generic 401 code 32 whatever the reason; only an authentic request learns more (135, nonce_used, 89,
// 261, 415, 417, a wrong PIN). The reason always goes to `logDetail` and the log.

import {
  couldNotAuthenticate,
  type OAuthProblem,
  parameterAbsent,
  parameterRejected,
} from '../core/problems.ts';
import { constantTimeEqual } from '../core/signature.ts';
import { appendToCallback, callbackMatches, OOB, parseCallback } from './callback-policy.ts';
import { buildProviderConfig, type ProviderConfig } from './defaults.ts';
import {
  callbackNotApproved,
  cannotWrite,
  desktopAppOnlyOob,
  nonceUsed,
  notYetAuthorized,
  timestampRefused,
  tokenUnusable,
  verifierInvalid,
  xauthCredentialsInvalid,
  xauthNotAllowed,
} from './problems.ts';
import { generatePin, generateToken, SECRET_BYTES, TOKEN_BYTES } from './random-source.ts';
import {
  authorize,
  deny,
  exchange,
  type RequestTokenStatus,
  RequestTokenUnusable,
  rejectVerifier,
  requestTokenStatus,
  unusableForDecision,
} from './request-token-state.ts';
import {
  checkSignature,
  nonceExpiresAt,
  nonceKey,
  readSignedRequest,
  type SignedRequest,
  timestampInWindow,
} from './signed-request.ts';
import type {
  AccessLevel,
  AccessToken,
  Clock,
  Consumer,
  OAuthRequest,
  RandomSource,
  RequestToken,
  RequiredAccess,
  Stores,
} from './types.ts';

/** A structured event for the server log. Never carries a secret, signature, verifier, PIN or password. */
export interface ProviderEvent {
  event: string;
  [detail: string]: unknown;
}

/**
 * Where events go: a function, or a pino-style logger (Fastify's `app.log`), which gets each event as
 * the object of an `info` line with the event name as the message.
 */
export type ProviderLog =
  | ((event: ProviderEvent) => void)
  | { info(details: object, message?: string): void };

export interface ProviderOptions {
  stores: Stores;
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

/** What the authorize page shows about a pending request (GET /oauth/authorize). */
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

export interface IssuedRequestToken {
  token: string;
  secret: string;
  callbackConfirmed: true;
}

export interface IssuedAccessToken {
  token: string;
  secret: string;
  userId: string;
  screenName: string;
}

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

// Same shape as a real verifier, so comparing against it costs the same when there is none to compare.
const DUMMY_VERIFIER = 'dummy-verifier-000000000000000000';
// Bound on compare-and-set retries when transitions race; each retry re-reads the token.
const MAX_TRANSITION_ATTEMPTS = 8;
// Expired request tokens stay this long so a late exchange learns "expired" (89) rather than "unknown".
const EXPIRED_REQUEST_TOKEN_GRACE_MS = 24 * 60 * 60 * 1000;

function capAccessLevel(a: AccessLevel, b: AccessLevel): AccessLevel {
  return a === 'read-write' && b === 'read-write' ? 'read-write' : 'read';
}

/** x_auth_access_type may lower the app's level for this token, never raise it. */
function requestedAccessLevel(request: SignedRequest): 'read' | 'write' | undefined {
  const value = request.collected.protocol.get('x_auth_access_type');
  if (value === undefined) return undefined;
  if (value === 'read' || value === 'write') return value;
  throw parameterRejected(['x_auth_access_type'], 'x_auth_access_type must be read or write.');
}

function grantedAccessLevel(app: AccessLevel, asked: 'read' | 'write' | undefined): AccessLevel {
  return asked === 'read' ? 'read' : app;
}

export class Provider {
  readonly config: ProviderConfig;
  readonly #stores: Stores;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #log: (event: ProviderEvent) => void;
  readonly #verifyPassword: ((hash: string, password: string) => Promise<boolean>) | undefined;
  readonly #dummyPasswordHash: string | undefined;

  constructor(options: ProviderOptions) {
    this.config = buildProviderConfig(options.config);
    this.#stores = options.stores;
    this.#clock = options.clock;
    this.#random = options.random;
    const log = options.log;
    this.#log =
      log === undefined
        ? () => {}
        : typeof log === 'function'
          ? log
          : (event) => log.info(event, event.event);
    this.#verifyPassword = options.verifyPassword;
    this.#dummyPasswordHash = options.dummyPasswordHash;
  }

  // ---- POST /oauth/request_token (RFC 5849 §2.1) ----

  async issueRequestToken(req: OAuthRequest): Promise<IssuedRequestToken> {
    const endpoint = 'request_token';
    const request = readSignedRequest(req, this.config, 'ignored', ['oauth_callback']);
    const callbackValue = request.collected.protocol.get('oauth_callback') as string;
    const callback = parseCallback(callbackValue);
    const asked = requestedAccessLevel(request);

    const { consumer, reasons } = await this.#consumer(request.consumerKey);
    const signature = checkSignature(request, consumer, null, false);
    const now = this.#clock.now();
    let callbackRefusal: 'no_registered_callback' | 'callback_not_registered' | null = null;
    if (consumer !== null && callback !== OOB) {
      if (consumer.callbackUrls.length === 0) callbackRefusal = 'no_registered_callback';
      else if (!callbackMatches(callback, consumer.callbackUrls)) callbackRefusal = 'callback_not_registered';
    }

    const detail = { endpoint, consumerKey: request.consumerKey };
    await this.#decideAuthentic(request, now, signature.valid, [...reasons, ...signature.reasons], detail);
    if (callbackRefusal === 'no_registered_callback') throw this.#refuse(desktopAppOnlyOob(detail));
    if (callbackRefusal === 'callback_not_registered') {
      throw this.#refuse(callbackNotApproved({ ...detail, callback: callbackValue }));
    }

    const app = consumer as Consumer;
    const requestToken: RequestToken = {
      token: generateToken(this.#random, TOKEN_BYTES),
      secret: generateToken(this.#random, SECRET_BYTES),
      consumerKey: app.key,
      callback: callback === OOB ? OOB : callbackValue,
      accessLevel: grantedAccessLevel(app.accessLevel, asked),
      createdAt: now,
      expiresAt: now + this.config.requestTokenTtlSeconds * 1000,
      state: { status: 'issued' },
      version: 0,
    };
    await this.#stores.requestTokens.create(requestToken);
    this.#log({
      event: 'request_token.issued',
      consumerKey: app.key,
      requestToken: requestToken.token,
      callbackMode: callback === OOB ? 'oob' : 'callback',
      accessLevel: requestToken.accessLevel,
    });
    return { token: requestToken.token, secret: requestToken.secret, callbackConfirmed: true };
  }

  // ---- GET /oauth/authorize, /oauth/authenticate (RFC 5849 §2.2): the user's decision ----

  /** What the consent page shows. Throws `RequestTokenUnusable` for unknown, expired or answered tokens. */
  async describeAuthorization(token: string): Promise<AuthorizationRequest> {
    const { requestToken, consumer } = await this.#pendingDecision(token);
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
      state: requestTokenStatus(requestToken, this.#clock.now()),
    };
  }

  /**
   * The user allowed access. oob: a PIN of `pinLength` uniformly random digits, for the page to show.
   * Callback: a long random verifier, and the URL to send the browser to.
   */
  async approve(token: string, userId: string): Promise<ApproveResult> {
    const { requestToken, consumer } = await this.#pendingDecision(token);
    const oob = requestToken.callback === OOB;
    const verifier = oob
      ? generatePin(this.#random, this.config.pinLength)
      : generateToken(this.#random, TOKEN_BYTES);
    const now = this.#clock.now();
    const next = authorize(requestToken, { userId, verifier, attempts: this.config.pinMaxAttempts }, now);
    await this.#persistDecision(requestToken, next);
    this.#log({
      event: 'authorization.approved',
      consumerKey: consumer.key,
      requestToken: token,
      userId,
      mode: oob ? 'oob' : 'callback',
    });
    if (oob)
      return { mode: 'oob', pin: verifier, consumerName: consumer.name, expiresAt: requestToken.expiresAt };
    return {
      mode: 'callback',
      redirectTo: appendToCallback(requestToken.callback, [
        ['oauth_token', token],
        ['oauth_verifier', verifier],
      ]),
    };
  }

  /** The user refused. Callback mode redirects with Twitter's `denied` and OKAPI's `error=access_denied`. */
  async deny(token: string): Promise<DenyResult> {
    const { requestToken, consumer } = await this.#pendingDecision(token);
    await this.#persistDecision(requestToken, deny(requestToken, this.#clock.now()));
    this.#log({ event: 'authorization.denied', consumerKey: consumer.key, requestToken: token });
    if (requestToken.callback === OOB) return { mode: 'oob' };
    return {
      mode: 'callback',
      redirectTo: appendToCallback(requestToken.callback, [
        ['oauth_token', token],
        ['denied', token],
        ['error', 'access_denied'],
      ]),
    };
  }

  /** Whether the user holds a live access token for this app (lets /oauth/authenticate skip consent). */
  async hasAuthorized(userId: string, consumerKey: string): Promise<boolean> {
    const tokens = await this.#stores.accessTokens.listActiveForUser(userId);
    return tokens.some((t) => t.consumerKey === consumerKey);
  }

  // ---- POST /oauth/access_token (RFC 5849 §2.3, and xAuth) ----

  async exchangeAccessToken(req: OAuthRequest): Promise<IssuedAccessToken> {
    const request = readSignedRequest(req, this.config, 'optional');
    if (request.collected.protocol.has('x_auth_mode')) return this.#exchangeXAuth(request);
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

    const [{ consumer, reasons }, stored] = await Promise.all([
      this.#consumer(request.consumerKey),
      this.#stores.requestTokens.get(request.token as string),
    ]);
    const requestToken = stored !== null && stored.consumerKey === request.consumerKey ? stored : null;
    if (stored !== null && requestToken === null) reasons.push('token_of_another_consumer');
    const signature = checkSignature(request, consumer, requestToken?.secret ?? null, true);
    const now = this.#clock.now();
    const verifierMatches = this.#verifierMatches(requestToken, verifier as string);

    const detail = { endpoint, consumerKey: request.consumerKey, requestToken: request.token };
    await this.#decideAuthentic(request, now, signature.valid, [...reasons, ...signature.reasons], detail);
    return this.#redeem(
      requestToken as RequestToken,
      consumer as Consumer,
      verifier as string,
      verifierMatches,
      detail,
    );
  }

  #verifierMatches(requestToken: RequestToken | null, verifier: string): boolean {
    const state = requestToken?.state;
    const expected = state?.status === 'authorized' ? state.verifier : DUMMY_VERIFIER;
    return constantTimeEqual(expected, verifier) && state?.status === 'authorized';
  }

  /** The authentic exchange: spend the token on the right verifier, count the wrong ones. */
  async #redeem(
    first: RequestToken,
    consumer: Consumer,
    verifier: string,
    firstMatch: boolean,
    detail: Record<string, unknown>,
  ): Promise<IssuedAccessToken> {
    let current: RequestToken | null = first;
    let matches = firstMatch;
    for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS && current !== null; attempt++) {
      const now = this.#clock.now();
      const status = requestTokenStatus(current, now);
      switch (status) {
        case 'expired':
          throw this.#refuse(
            tokenUnusable(
              'token_expired',
              'This request token has expired: start the authorization again.',
              detail,
            ),
          );
        case 'exchanged':
          throw this.#refuse(
            tokenUnusable(
              'token_used',
              'This request token was already exchanged (a PIN works once): start the authorization again.',
              detail,
            ),
          );
        case 'denied':
          throw this.#refuse(
            tokenUnusable('token_rejected', 'The user denied access to this request token.', detail),
          );
        case 'burned':
          throw this.#refuse(
            tokenUnusable(
              'token_rejected',
              'This request token was locked after too many wrong PINs: start the authorization again.',
              detail,
            ),
          );
        case 'issued':
          throw this.#refuse(notYetAuthorized(detail));
        case 'authorized':
          break;
      }
      const state = current.state as Extract<RequestToken['state'], { status: 'authorized' }>;
      if (!matches) {
        const next = rejectVerifier(current, now);
        if (await this.#stores.requestTokens.transition(next, current.version)) {
          const attemptsLeft = next.state.status === 'authorized' ? next.state.attemptsLeft : 0;
          this.#log({ event: 'verifier.rejected', ...detail, attemptsLeft, burned: attemptsLeft === 0 });
          throw this.#refuse(verifierInvalid(attemptsLeft, detail));
        }
      } else {
        const user = await this.#stores.users.getById(state.userId);
        if (user === null) {
          throw this.#refuse(
            tokenUnusable(
              'token_rejected',
              'The user who authorized this request token no longer exists.',
              detail,
            ),
          );
        }
        const accessLevel = capAccessLevel(current.accessLevel, consumer.accessLevel);
        const existing = await this.#stores.accessTokens.findActive(consumer.key, user.id, accessLevel);
        const accessToken: AccessToken = existing ?? {
          token: generateToken(this.#random, TOKEN_BYTES),
          secret: generateToken(this.#random, SECRET_BYTES),
          consumerKey: consumer.key,
          userId: user.id,
          accessLevel,
          createdAt: now,
          revokedAt: null,
        };
        // Spend the request token first: if this loses a race, no access token was created for it.
        if (
          await this.#stores.requestTokens.transition(
            exchange(current, accessToken.token, now),
            current.version,
          )
        ) {
          if (existing === null) await this.#stores.accessTokens.create(accessToken);
          this.#log({
            event: 'access_token.issued',
            ...detail,
            userId: user.id,
            accessLevel,
            reused: existing !== null,
            via: 'verifier',
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
      current = await this.#stores.requestTokens.get(current.token);
      matches = this.#verifierMatches(current, verifier);
    }
    throw this.#refuse(couldNotAuthenticate({ ...detail, reasons: ['transition_contention'] }));
  }

  async #exchangeXAuth(request: SignedRequest): Promise<IssuedAccessToken> {
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
    if (username.length > 256 || password.length > 1024) {
      throw parameterRejected(
        username.length > 256 ? ['x_auth_username'] : ['x_auth_password'],
        'x_auth_username may have at most 256 characters and x_auth_password at most 1024.',
      );
    }

    const [{ consumer, reasons }, user] = await Promise.all([
      this.#consumer(request.consumerKey),
      this.#stores.users.getByUsername(username),
    ]);
    // xAuth is signed by the consumer alone; an oauth_token, if sent, plays no part.
    const signature = checkSignature(request, consumer, null, false);
    const now = this.#clock.now();
    const detail = { endpoint, consumerKey: request.consumerKey };
    await this.#decideAuthentic(request, now, signature.valid, [...reasons, ...signature.reasons], detail);

    const app = consumer as Consumer;
    if (!app.xauth || this.#verifyPassword === undefined) {
      throw this.#refuse(
        xauthNotAllowed({ ...detail, reasons: [app.xauth ? 'xauth_not_configured' : 'xauth_not_enabled'] }),
      );
    }
    const hash = user?.passwordHash ?? this.#dummyPasswordHash;
    let passwordOk = false;
    if (hash !== undefined) {
      try {
        passwordOk = (await this.#verifyPassword(hash, password)) && user !== null;
      } catch {
        passwordOk = false;
      }
    }
    if (!passwordOk || user === null) {
      throw this.#refuse(
        xauthCredentialsInvalid({
          ...detail,
          reasons: [user === null ? 'user_unknown' : 'password_mismatch'],
        }),
      );
    }

    const accessLevel = grantedAccessLevel(app.accessLevel, asked);
    const existing = await this.#stores.accessTokens.findActive(app.key, user.id, accessLevel);
    const accessToken: AccessToken = existing ?? {
      token: generateToken(this.#random, TOKEN_BYTES),
      secret: generateToken(this.#random, SECRET_BYTES),
      consumerKey: app.key,
      userId: user.id,
      accessLevel,
      createdAt: now,
      revokedAt: null,
    };
    if (existing === null) await this.#stores.accessTokens.create(accessToken);
    this.#log({
      event: 'access_token.issued',
      ...detail,
      userId: user.id,
      accessLevel,
      reused: existing !== null,
      via: 'xauth',
    });
    return {
      token: accessToken.token,
      secret: accessToken.secret,
      userId: user.id,
      screenName: user.username,
    };
  }

  // ---- POST /oauth/invalidate_token ----

  /** Revokes the access token that signed the call; it is kept as a tombstone so later use gets 89. */
  async invalidateToken(req: OAuthRequest): Promise<{ token: string }> {
    const endpoint = 'invalidate_token';
    const { request, consumer, accessToken } = await this.#authenticateAccess(endpoint, req, 'required');
    const token = accessToken as AccessToken;
    const detail = { endpoint, consumerKey: consumer.key, userId: token.userId };
    if (!(await this.#stores.accessTokens.revoke(token.token, this.#clock.now()))) {
      throw this.#refuse(
        tokenUnusable('token_revoked', 'This access token was already invalidated.', detail),
      );
    }
    this.#log({ event: 'access_token.revoked', ...detail, accessToken: request.token });
    return { token: token.token };
  }

  // ---- Protected resources (RFC 5849 §3.2) ----

  /**
   * Verifies a signed request to a protected resource: three-legged (consumer + access token) or, where
   * the route allows it, two-legged (consumer only). The hot path: one consumer lookup, one token lookup
   * (in parallel), one signature check, one nonce claim.
   */
  async verifyProtectedRequest(req: OAuthRequest, opts: VerifyOptions): Promise<VerifiedRequest> {
    const endpoint = 'protected_resource';
    const { consumer, accessToken } = await this.#authenticateAccess(
      endpoint,
      req,
      opts.allowTwoLegged ? 'optional' : 'required',
    );
    const accessLevel =
      accessToken === null
        ? consumer.accessLevel
        : capAccessLevel(accessToken.accessLevel, consumer.accessLevel);
    if (opts.access === 'write' && accessLevel !== 'read-write') {
      throw this.#refuse(
        cannotWrite({
          endpoint,
          consumerKey: consumer.key,
          userId: accessToken?.userId ?? null,
          accessLevel,
        }),
      );
    }
    return { consumer, accessToken, userId: accessToken?.userId ?? null, accessLevel };
  }

  /** Deletes nonces past their window and request tokens long expired. Call it periodically. */
  async pruneExpired(): Promise<{ nonces: number; requestTokens: number }> {
    const now = this.#clock.now();
    const [nonces, requestTokens] = await Promise.all([
      this.#stores.nonces.deleteExpired(now),
      this.#stores.requestTokens.deleteExpired(now - EXPIRED_REQUEST_TOKEN_GRACE_MS),
    ]);
    return { nonces, requestTokens };
  }

  // ---- shared steps ----

  /** Consumer + access token authentication, shared by protected resources and invalidate_token. */
  async #authenticateAccess(
    endpoint: string,
    req: OAuthRequest,
    tokenRule: 'required' | 'optional',
  ): Promise<{ request: SignedRequest; consumer: Consumer; accessToken: AccessToken | null }> {
    const request = readSignedRequest(req, this.config, tokenRule);
    const [{ consumer, reasons }, stored] = await Promise.all([
      this.#consumer(request.consumerKey),
      request.token === null ? null : this.#stores.accessTokens.get(request.token),
    ]);
    const accessToken = stored !== null && stored.consumerKey === request.consumerKey ? stored : null;
    if (stored !== null && accessToken === null) reasons.push('token_of_another_consumer');
    // A revoked token's secret is kept (the tombstone) so its owner's correctly signed call learns 89.
    const signature = checkSignature(request, consumer, accessToken?.secret ?? null, request.token !== null);
    const now = this.#clock.now();
    const detail = { endpoint, consumerKey: request.consumerKey, accessToken: request.token };
    await this.#decideAuthentic(request, now, signature.valid, [...reasons, ...signature.reasons], detail);
    if (accessToken?.revokedAt != null) {
      throw this.#refuse(
        tokenUnusable(
          'token_revoked',
          'This access token was invalidated (by the user or the app): authorize the app again.',
          detail,
        ),
      );
    }
    return { request, consumer: consumer as Consumer, accessToken };
  }

  /**
   * The decision every signed endpoint shares, in this order: not authentic → 401 code 32 (whatever the
   * reason); timestamp outside the window → 135; nonce already used → nonce_used. The nonce is claimed
   * only for authentic, timely requests, so forged traffic cannot fill the nonce store.
   */
  async #decideAuthentic(
    request: SignedRequest,
    now: number,
    authentic: boolean,
    reasons: string[],
    detail: Record<string, unknown>,
  ): Promise<void> {
    if (!authentic) throw this.#refuse(couldNotAuthenticate({ ...detail, reasons }));
    const window = this.config.timestampWindowSeconds;
    if (!timestampInWindow(request, now, window)) {
      throw this.#refuse(timestampRefused(now, window, { ...detail, timestamp: request.timestamp }));
    }
    if (!(await this.#stores.nonces.claim(nonceKey(request), nonceExpiresAt(request, window)))) {
      throw this.#refuse(nonceUsed({ ...detail, timestamp: request.timestamp }));
    }
  }

  /** The consumer, or null (with the reason) when unknown or disabled: both fail as unknown. */
  async #consumer(key: string): Promise<{ consumer: Consumer | null; reasons: string[] }> {
    const consumer = await this.#stores.consumers.get(key);
    if (consumer === null) return { consumer: null, reasons: [] };
    if (consumer.disabled) return { consumer: null, reasons: ['consumer_disabled'] };
    return { consumer, reasons: [] };
  }

  /** A request token the user may still approve or deny, with its app; else `RequestTokenUnusable`. */
  async #pendingDecision(token: string): Promise<{ requestToken: RequestToken; consumer: Consumer }> {
    const requestToken = await this.#stores.requestTokens.get(token);
    if (requestToken === null) throw new RequestTokenUnusable('unknown');
    const reason = unusableForDecision(requestTokenStatus(requestToken, this.#clock.now()));
    if (reason !== null) throw new RequestTokenUnusable(reason);
    const consumer = await this.#stores.consumers.get(requestToken.consumerKey);
    if (consumer === null || consumer.disabled) throw new RequestTokenUnusable('unknown');
    return { requestToken, consumer };
  }

  /** Persists an approve/deny; if another decision won the race, says what the token became. */
  async #persistDecision(current: RequestToken, next: RequestToken): Promise<void> {
    if (await this.#stores.requestTokens.transition(next, current.version)) return;
    const now = await this.#stores.requestTokens.get(current.token);
    const reason = now === null ? 'unknown' : unusableForDecision(requestTokenStatus(now, this.#clock.now()));
    throw new RequestTokenUnusable(reason ?? 'used');
  }

  #refuse(problem: OAuthProblem): OAuthProblem {
    this.#log({
      event: 'request.refused',
      status: problem.status,
      code: problem.code,
      problem: problem.problem,
      ...problem.logDetail,
    });
    return problem;
  }
}

// Verification for resource servers (DESIGN.md §7): a function of (request, verification stores, clock)
// with no HTTP framework in it. It answers either the identity of the caller — user id, screen name,
// consumer key, access level, never a secret — or the problem to send, already rendered (status,
// headers with WWW-Authenticate, Tripod's JSON body), so that every adapter (Fastify, Express, fetch,
// the protecting proxy, /oauth/verify, Tripod's own demo API) answers alike. A store that fails throws:
// that is the host's outage to report, not the client's mistake.

import { OAuthProblem, type ProblemAnswer, problemAnswer, TwitterCode } from '../core/problems.ts';
import { authenticateAccess, refuse } from './authentication.ts';
import { systemClock } from './clock.ts';
import type { VerificationContext } from './context.ts';
import { buildProviderConfig, type ProviderConfig } from './defaults.ts';
import { tokenUnusable } from './problems.ts';
import { admitAccess, PROTECTED_RESOURCE } from './protected-resource.ts';
import { eventLog, type ProviderLog } from './provider.ts';
import { publicRequestUrl, type ReceivedUrl } from './public-url.ts';
import { atTurnEnd } from './turn-end.ts';
import type {
  AccessLevel,
  Clock,
  OAuthRequest,
  RequiredAccess,
  ScreenNameReader,
  VerificationStores,
} from './types.ts';

/** Who signed a request. Never holds a secret. */
export interface Identity {
  /** The user who authorized the token; null only for a two-legged request (where a route allows one). */
  userId: string | null;
  screenName: string | null;
  consumerKey: string;
  /** The token's level capped by the app's current one. */
  accessLevel: AccessLevel;
}

/** What a route needs. */
export interface AccessRule {
  /** `read` for routes that only read, `write` for routes that change something. */
  access: RequiredAccess;
  /** Also accept requests signed by the consumer alone (no oauth_token). Default false. */
  twoLegged?: boolean;
}

/** A request to verify: the URL is the public one the client signed, or the received one to build it from. */
export interface VerifiableRequest {
  method: string;
  url: string | ReceivedUrl;
  headers: OAuthRequest['headers'];
  /** The raw body exactly as received (its form parameters are signed; oauth_body_hash covers others). */
  body?: string | Uint8Array | null;
}

export type Verification =
  | {
      ok: true;
      identity: Identity;
      /** Headers for the answer: Twitter's `x-access-level`. */
      headers: Record<string, string>;
    }
  | ({ ok: false; problem: OAuthProblem } & ProblemAnswer);

export interface VerifierOptions {
  /** Tripod's stores (`openStores`), or anything implementing the four verification readers. */
  stores: VerificationStores;
  clock?: Clock;
  /** The provider's settings that verification uses (timestamp window, signature methods, realm…). */
  config?: Partial<ProviderConfig>;
  log?: ProviderLog;
  /**
   * The URL clients use, when this server sits behind a proxy that changes scheme, host or path prefix:
   * the signed URL is this plus the request's path. Unset: the received scheme and Host.
   */
  publicUrl?: URL | string | null;
  /**
   * Counts a verified request (a rate limit per access token, or per consumer when two-legged): returns
   * headers for the answer (x-rate-limit-*), or throws an OAuthProblem (429 code 88) to refuse it.
   */
  limit?: (signer: { consumerKey: string; accessToken: string | null }) => Promise<Record<string, string>>;
}

/** A refusal, never cached; a read-only token refused on a write route (403, 261) says its level. */
function answerOf(
  realm: string,
  problem: OAuthProblem,
): { ok: false; problem: OAuthProblem } & ProblemAnswer {
  const answer = problemAnswer(realm, problem);
  answer.headers['cache-control'] = 'no-store';
  // Twitter's header on 261: the only level that cannot write is read.
  if (problem.code === TwitterCode.cannotPerformWriteActions) answer.headers['x-access-level'] = 'read';
  return { ok: false, problem, ...answer };
}

export class Verifier {
  readonly config: ProviderConfig;
  readonly publicUrl: URL | null;
  readonly #ctx: VerificationContext;
  readonly #limit: VerifierOptions['limit'];

  constructor(options: VerifierOptions) {
    this.#limit = options.limit;
    this.publicUrl = options.publicUrl ? new URL(options.publicUrl) : null;
    // The realm is the public origin when known, as the server's is.
    this.config = buildProviderConfig({
      ...(this.publicUrl ? { realm: this.publicUrl.origin } : {}),
      ...options.config,
    });
    this.#ctx = {
      stores: options.stores,
      clock: options.clock ?? systemClock,
      config: this.config,
      log: eventLog(options.log),
    };
  }

  /**
   * The identity of the signer, or the problem to answer with. Rejects only when a store fails. `users`
   * replaces the screen-name reader for this call: a caller that needs more of the user than the name
   * (Tripod's verify_credentials) reads it in the same lookup instead of a second one.
   */
  async verify(
    request: VerifiableRequest,
    rule: AccessRule,
    users: ScreenNameReader = this.#ctx.stores.users,
  ): Promise<Verification> {
    try {
      const url =
        typeof request.url === 'string' ? request.url : publicRequestUrl(this.publicUrl, request.url);
      // verifyProtectedRequest's two halves, awaited here: one suspended frame fewer per request.
      const { consumer, accessToken } = await authenticateAccess(
        this.#ctx,
        PROTECTED_RESOURCE,
        { method: request.method, url, headers: request.headers, body: request.body ?? null },
        rule.twoLegged === true ? 'optional' : 'required',
      );
      const verified = admitAccess(this.#ctx, consumer, accessToken, rule.access);
      const limitHeaders = this.#limit
        ? await this.#limit({
            consumerKey: verified.consumer.key,
            accessToken: verified.accessToken?.token ?? null,
          })
        : {};
      let screenName: string | null = null;
      if (verified.userId !== null) {
        const user = await users.getById(verified.userId);
        if (user === null) {
          throw refuse(
            this.#ctx,
            tokenUnusable('token_rejected', 'The user who authorized this access token no longer exists.', {
              endpoint: PROTECTED_RESOURCE,
              consumerKey: verified.consumer.key,
              userId: verified.userId,
            }),
          );
        }
        screenName = user.username;
      }
      return {
        ok: true,
        identity: {
          userId: verified.userId,
          screenName,
          consumerKey: verified.consumer.key,
          accessLevel: verified.accessLevel,
        },
        headers: { ...limitHeaders, 'x-access-level': verified.accessLevel },
      };
    } catch (error) {
      if (error instanceof OAuthProblem) {
        // Settled with the turn's other answers (turn-end.ts), as accepted requests settle with their
        // group commit: sent at once, each refusal cost a third more than an acceptance over real sockets,
        // and a flood of forged requests must cost no more than real traffic (BENCHMARKS.md).
        await atTurnEnd();
        return this.refusal(error);
      }
      throw error;
    }
  }

  /** A problem rendered as this verifier answers it (for refusals an adapter decides itself). */
  refusal(problem: OAuthProblem): { ok: false; problem: OAuthProblem } & ProblemAnswer {
    return answerOf(this.config.realm, problem);
  }
}

/** The protecting proxy's and /oauth/verify's rule (DESIGN.md §3): GET, HEAD and OPTIONS read, others write. */
export function requiredAccessOf(method: string): RequiredAccess {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write';
}

// What every endpoint of the provider works with: the stores, time, randomness, the validated settings
// and the log. Built once by `Provider`; the endpoint modules are functions of it.

import type { ProviderConfig } from './defaults.ts';
import type { Clock, ProviderStores, RandomSource, VerificationStores } from './types.ts';

/** A structured event for the server log. Never carries a secret, signature, verifier, PIN or password. */
export interface ProviderEvent {
  event: string;
  [detail: string]: unknown;
}

/** What verifying a signed request needs: a resource server has only the verification stores. */
export interface VerificationContext {
  readonly stores: VerificationStores;
  readonly clock: Clock;
  readonly config: ProviderConfig;
  readonly log: (event: ProviderEvent) => void;
}

export interface ProviderContext extends VerificationContext {
  readonly stores: ProviderStores;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly config: ProviderConfig;
  readonly log: (event: ProviderEvent) => void;
  readonly verifyPassword: ((hash: string, password: string) => Promise<boolean>) | undefined;
  readonly dummyPasswordHash: string | undefined;
  /** The key of the verifiers' keyed hash (verifier-digest.ts). */
  readonly verifierKey: Uint8Array;
}

/**
 * What the server adds to one call of a token endpoint: its limits, applied where the provider says.
 * Each may throw (an OAuthProblem, 429 code 88) to refuse the request.
 */
export interface EndpointGuard {
  /** Once the request is authentic, before anything is written: counts it against its consumer. */
  authentic?(consumerKey: string): Promise<void>;
  /** Before an xAuth password is checked; the attempt is settled once its outcome is known. */
  passwordAttempt?(username: string): Promise<{ succeeded(): Promise<void> }>;
}

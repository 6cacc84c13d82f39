// The request token's life (DESIGN.md §2) as one type and one pure function per arrow:
//
//   issued(app, callback | oob, access level, expires)
//      |-- user approves --> authorized(user, verifier, attempts left)
//      |                        |-- correct verifier --> exchanged (single use; access token issued)
//      |                        |-- wrong verifier x N --> burned
//      |-- user denies ----> denied
//      '-- time passes ----> expired   (derived from expiresAt, never stored)
//
// Each arrow returns the next value with `version + 1`; the caller persists it with
// `RequestTokenStore.transition(next, current.version)`, a compare-and-set, so of two racing arrows
// from the same state exactly one wins.

import type { RequestToken, RequestTokenState } from './types.ts';

/** The stored status, or `expired` when a live token's time has passed. */
export type RequestTokenStatus = RequestTokenState['status'] | 'expired';

export function requestTokenStatus(requestToken: RequestToken, now: number): RequestTokenStatus {
  const { status } = requestToken.state;
  // Terminal states keep their own name: "already used" says more than "expired".
  if ((status === 'issued' || status === 'authorized') && now >= requestToken.expiresAt) return 'expired';
  return status;
}

/** Why a request token cannot be used for the step asked; the server renders each as a clear page. */
export type RequestTokenUnusableReason = 'unknown' | 'expired' | 'used' | 'denied' | 'burned';

export class RequestTokenUnusable extends Error {
  readonly reason: RequestTokenUnusableReason;
  /** The app that asked, when known: a page can then name it ("Return to My CLI and start again"). */
  readonly consumerName: string | null;
  constructor(reason: RequestTokenUnusableReason, consumerName: string | null = null) {
    super(REQUEST_TOKEN_UNUSABLE_MESSAGES[reason]);
    this.name = 'RequestTokenUnusable';
    this.reason = reason;
    this.consumerName = consumerName;
  }
}

export const REQUEST_TOKEN_UNUSABLE_MESSAGES: Readonly<Record<RequestTokenUnusableReason, string>> = {
  unknown: 'This authorization request does not exist. Start again from the application.',
  expired: 'This authorization request has expired. Start again from the application.',
  used: 'This authorization request has already been answered. Start again from the application if needed.',
  denied: 'Access was denied for this authorization request. Start again from the application if needed.',
  burned:
    'This authorization request was locked after too many wrong PINs. Start again from the application.',
};

/** The reason a token in this status cannot be approved or denied any more, or null if it still can. */
export function unusableForDecision(status: RequestTokenStatus): RequestTokenUnusableReason | null {
  switch (status) {
    case 'issued':
      return null;
    case 'authorized':
    case 'exchanged':
      return 'used';
    case 'expired':
    case 'denied':
    case 'burned':
      return status;
  }
}

/** An arrow taken from a state it does not leave: a bug in the caller or a lost race. */
export class IllegalTransition extends Error {
  readonly from: RequestTokenStatus;
  readonly arrow: string;
  constructor(arrow: string, from: RequestTokenStatus) {
    super(`cannot ${arrow} a request token that is ${from}`);
    this.name = 'IllegalTransition';
    this.arrow = arrow;
    this.from = from;
  }
}

function step(requestToken: RequestToken, state: RequestTokenState): RequestToken {
  return { ...requestToken, state, version: requestToken.version + 1 };
}

function expect(requestToken: RequestToken, now: number, arrow: string, from: RequestTokenStatus): void {
  const status = requestTokenStatus(requestToken, now);
  if (status !== from) throw new IllegalTransition(arrow, status);
}

/** issued → authorized: the user approved; the verifier (PIN or long random string) is bound to the token. */
export function authorize(
  requestToken: RequestToken,
  grant: { userId: string; verifier: string; attempts: number },
  now: number,
): RequestToken {
  expect(requestToken, now, 'authorize', 'issued');
  return step(requestToken, {
    status: 'authorized',
    userId: grant.userId,
    verifier: grant.verifier,
    attemptsLeft: grant.attempts,
  });
}

/** issued → denied: the user refused. */
export function deny(requestToken: RequestToken, now: number): RequestToken {
  expect(requestToken, now, 'deny', 'issued');
  return step(requestToken, { status: 'denied' });
}

/** authorized → exchanged: the right verifier was presented; the token is spent. */
export function exchange(requestToken: RequestToken, accessToken: string, now: number): RequestToken {
  expect(requestToken, now, 'exchange', 'authorized');
  const state = requestToken.state as Extract<RequestTokenState, { status: 'authorized' }>;
  return step(requestToken, { status: 'exchanged', userId: state.userId, accessToken });
}

/** authorized → authorized with one attempt fewer, or → burned when none is left. */
export function rejectVerifier(requestToken: RequestToken, now: number): RequestToken {
  expect(requestToken, now, 'reject a verifier of', 'authorized');
  const state = requestToken.state as Extract<RequestTokenState, { status: 'authorized' }>;
  const attemptsLeft = state.attemptsLeft - 1;
  return step(requestToken, attemptsLeft <= 0 ? { status: 'burned' } : { ...state, attemptsLeft });
}

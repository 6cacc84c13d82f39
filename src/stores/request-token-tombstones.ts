// A purged request token leaves a tombstone (issue 11): expired tokens go at the next prune instead of a
// day later, so a flood of request tokens does not stay in the database, while a person who opens an old
// link, or a client that exchanges late, is still told "expired" or "already used" rather than "unknown".
// The tombstone is keyed by the token's SHA-256, so it holds nothing that could be presented again, and it
// keeps no secret or verifier.

import { createHash } from 'node:crypto';
import type { RequestToken, RequestTokenTombstone } from '../provider/types.ts';

/** The key a token's tombstone is kept under. */
export function tombstoneKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Whether a token in this state waits for an answer or an exchange (SQL: migration 0013's condition). */
export function isWaiting(status: RequestToken['state']['status']): status is 'issued' | 'authorized' {
  return status === 'issued' || status === 'authorized';
}

/** What a token purged in this state says it became. */
export function tombstoneStatus(status: RequestToken['state']['status']): RequestTokenTombstone['status'] {
  return isWaiting(status) ? 'expired' : status;
}

/** Whether a token in this state is still outstanding (waiting for an answer or an exchange). */
export function isOutstanding(requestToken: RequestToken, now: number): boolean {
  return isWaiting(requestToken.state.status) && requestToken.expiresAt > now;
}

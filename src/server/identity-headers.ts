// The identity a verified request carries to an API behind Tripod (DESIGN.md §3): four X-Tripod-* headers
// set by the protecting proxy and by /oauth/verify's answer. A client must never be able to set them
// itself, so every X-Tripod-* header a client sends is removed before they are added.

import type { Identity } from '../provider/verifier.ts';

export const IDENTITY_HEADERS = {
  userId: 'x-tripod-user-id',
  screenName: 'x-tripod-screen-name',
  consumerKey: 'x-tripod-consumer-key',
  accessLevel: 'x-tripod-access-level',
} as const;

/** The four headers of a three-legged identity (user ids and screen names are ASCII by construction). */
export function identityHeaders(identity: Identity): Record<string, string> {
  return {
    [IDENTITY_HEADERS.userId]: identity.userId ?? '',
    [IDENTITY_HEADERS.screenName]: identity.screenName ?? '',
    [IDENTITY_HEADERS.consumerKey]: identity.consumerKey,
    [IDENTITY_HEADERS.accessLevel]: identity.accessLevel,
  };
}

/** Deletes every X-Tripod-* header (any letter case) from a header object, in place. */
export function removeTripodHeaders(headers: Record<string, unknown>): void {
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase().startsWith('x-tripod-')) delete headers[name];
  }
}

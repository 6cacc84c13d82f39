// Access levels: Twitter's read and read-write. A token never carries more than its app may have.

import { parameterRejected } from '../core/problems.ts';
import type { SignedRequest } from './signed-request.ts';
import type { AccessLevel } from './types.ts';

/** The lower of two levels: a token's level capped by its app's current level. */
export function capAccessLevel(a: AccessLevel, b: AccessLevel): AccessLevel {
  return a === 'read-write' && b === 'read-write' ? 'read-write' : 'read';
}

/** Whether a grant at `granted` already gives everything `asked` would (read-write covers read). */
export function coversAccessLevel(granted: AccessLevel, asked: AccessLevel): boolean {
  return granted === 'read-write' || asked === 'read';
}

/** The signed `x_auth_access_type` (read | write), if sent; anything else is 400. */
export function requestedAccessLevel(request: SignedRequest): 'read' | 'write' | undefined {
  const value = request.collected.protocol.get('x_auth_access_type');
  if (value === undefined) return undefined;
  if (value === 'read' || value === 'write') return value;
  throw parameterRejected(['x_auth_access_type'], 'x_auth_access_type must be read or write.');
}

/** x_auth_access_type may lower the app's level for this token, never raise it. */
export function grantedAccessLevel(app: AccessLevel, asked: 'read' | 'write' | undefined): AccessLevel {
  return asked === 'read' ? 'read' : app;
}

// What can happen to an account after it was created, one implementation for the CLI, the settings page,
// the password-reset pages and the operator's people view (issue 12): changing or resetting a password,
// one-time reset links, disabling, enabling and deleting. A new password signs out the account's other
// sessions and voids its reset links; a disabled or deleted account loses its sessions at once and every
// access token it granted is revoked (and announced on the revocation bus, so no cache keeps one alive).

import { createHash } from 'node:crypto';
import type { Clock, RandomSource, User } from '../provider/types.ts';
import type { TripodStores } from '../stores/types.ts';
import { hashPassword } from './passwords.ts';
import { MIN_PASSWORD_LENGTH, RegistrationError } from './registration.ts';

type AccountStores = Pick<
  TripodStores,
  'users' | 'sessions' | 'passwordResets' | 'accessTokens' | 'revocations'
>;

/** How long a reset link works: long enough to find the mail, short enough that an old one is useless. */
export const RESET_LINK_TTL_SECONDS = 3600;

/** The path of a reset link below the site (the token is its last segment). */
export const RESET_PATH = '/reset-password';

export function hashResetToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Throws RegistrationError (a sentence a person can act on) when the password is too short. */
export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new RegistrationError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

/**
 * Sets a new password. Every other session of the account ends (`keepSession`: the id hash of the one
 * that made the change) and every reset link still out is voided.
 */
export async function setPassword(
  stores: AccountStores,
  user: Pick<User, 'id'>,
  password: string,
  keepSession?: string,
): Promise<void> {
  checkNewPassword(password);
  if (!(await stores.users.updatePassword(user.id, await hashPassword(password)))) {
    throw new RegistrationError('no such user');
  }
  await stores.sessions.deleteForUser(user.id, keepSession);
  await stores.passwordResets.deleteForUser(user.id);
}

/** A new one-time reset link's token for the user (only its hash is stored). */
export async function issuePasswordReset(
  stores: Pick<TripodStores, 'passwordResets'>,
  user: Pick<User, 'id'>,
  runtime: { clock: Clock; random: RandomSource },
): Promise<{ token: string; expiresAt: number }> {
  const token = Buffer.from(runtime.random.bytes(32)).toString('base64url');
  const now = runtime.clock.now();
  const expiresAt = now + RESET_LINK_TTL_SECONDS * 1000;
  await stores.passwordResets.create({
    tokenHash: hashResetToken(token),
    userId: user.id,
    createdAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

/** The account a live reset token is for, without using it up (the link's form); null when it is not live. */
export async function resetTokenUser(
  stores: Pick<AccountStores, 'passwordResets' | 'users'>,
  token: string,
  clock: Clock,
): Promise<User | null> {
  if (token.length === 0 || token.length > 200) return null;
  const reset = await stores.passwordResets.get(hashResetToken(token), clock.now());
  if (!reset) return null;
  const user = await stores.users.getById(reset.userId);
  return user && !user.disabled ? user : null;
}

/** Uses the link once: the password changes and every session of the account ends. Null when not live. */
export async function resetPassword(
  stores: AccountStores,
  token: string,
  password: string,
  clock: Clock,
): Promise<User | null> {
  checkNewPassword(password);
  if (token.length === 0 || token.length > 200) return null;
  const reset = await stores.passwordResets.take(hashResetToken(token), clock.now());
  if (!reset) return null;
  const user = await stores.users.getById(reset.userId);
  if (!user || user.disabled) return null;
  await setPassword(stores, user, password);
  return user;
}

/** Revokes every live access token the user granted and announces each; returns how many. */
async function revokeGrants(stores: AccountStores, userId: string, clock: Clock): Promise<number> {
  const tokens = await stores.accessTokens.listActiveForUser(userId);
  const now = clock.now();
  let revoked = 0;
  for (const consumerKey of new Set(tokens.map((t) => t.consumerKey))) {
    revoked += await stores.accessTokens.revokeAllFor(consumerKey, userId, now);
  }
  for (const token of tokens)
    await stores.revocations.publish({ kind: 'access-token-revoked', token: token.token });
  return revoked;
}

/**
 * Disables (or enables) an account. Disabling ends its sessions and revokes the access tokens it
 * granted: apps must ask again once it is enabled. Returns false when there is no such user.
 */
export async function setUserDisabled(
  stores: AccountStores,
  user: Pick<User, 'id'>,
  disabled: boolean,
  clock: Clock,
): Promise<boolean> {
  if (!(await stores.users.setDisabled(user.id, disabled))) return false;
  if (disabled) {
    await stores.sessions.deleteForUser(user.id);
    await stores.passwordResets.deleteForUser(user.id);
    await revokeGrants(stores, user.id, clock);
  }
  return true;
}

/** Deletes an account with its sessions, reset links and grants. False when there is no such user. */
export async function deleteUser(
  stores: AccountStores,
  user: Pick<User, 'id'>,
  clock: Clock,
): Promise<boolean> {
  await revokeGrants(stores, user.id, clock);
  await stores.sessions.deleteForUser(user.id);
  await stores.passwordResets.deleteForUser(user.id);
  return stores.users.delete(user.id);
}

/** Whether the text is shaped like an e-mail address (one @, something each side, no spaces). */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
}

// Registering the people and the apps that use this server (the operator CLI today, the developer portal
// later). Identifiers and secrets come from the injected random source; passwords are hashed here.

import { createPublicKey } from 'node:crypto';
import { OOB, parseCallback } from '../provider/callback-policy.ts';
import { generateToken } from '../provider/random-source.ts';
import type { AccessLevel, Clock, Consumer, RandomSource, User } from '../provider/types.ts';
import type { TripodStores } from '../stores/types.ts';
import { hashPassword } from './passwords.ts';

/** A refusal a person can act on (bad username, duplicate, bad callback URL…). */
export class RegistrationError extends Error {
  override name = 'RegistrationError';
}

// Twitter-like screen names, a little longer, at least 3 characters (a name people can read out and
// recognise); no characters that need escaping in URLs or pages. One rule for the CLI and the sign-up page.
const USERNAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{2,31}$/;
export const MIN_PASSWORD_LENGTH = 8;

/** Whether a new account may have this name (existing accounts sign in whatever their name). */
export function isAllowedUsername(username: string): boolean {
  return USERNAME.test(username);
}

/** Throws RegistrationError, with the rule, when a new account may not have this name. */
export function checkNewUsername(username: string): void {
  if (!isAllowedUsername(username)) {
    throw new RegistrationError(
      `username '${username}' is not allowed: use 3-32 letters, digits, '_', '.' or '-', starting with a letter, digit or '_'`,
    );
  }
}

export interface NewUser {
  username: string;
  password: string;
  isOperator?: boolean;
}

/** A numeric id, as Twitter's user_id is: 15 decimal digits, not starting with 0. */
function numericId(random: RandomSource): string {
  let id = String(1 + random.int(9));
  for (let i = 0; i < 14; i++) id += String(random.int(10));
  return id;
}

export async function registerUser(
  stores: Pick<TripodStores, 'users'>,
  input: NewUser,
  runtime: { clock: Clock; random: RandomSource },
): Promise<User> {
  checkNewUsername(input.username);
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new RegistrationError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  // Case-insensitive (issue 7): `OLGA` is refused beside `olga`, and the message names the one that exists.
  const existing = await stores.users.getByUsername(input.username);
  if (existing) {
    throw new RegistrationError(
      existing.username === input.username
        ? `a user named '${input.username}' already exists`
        : `a user named '${existing.username}' already exists (usernames are the same whatever their letter case)`,
    );
  }
  const user: User = {
    id: numericId(runtime.random),
    username: input.username,
    passwordHash: await hashPassword(input.password),
    isOperator: input.isOperator ?? false,
    disabled: false,
    createdAt: runtime.clock.now(),
  };
  await stores.users.create(user);
  return user;
}

export interface NewApp {
  name: string;
  description?: string;
  website?: string;
  /** Registered callback URLs; none makes a PIN-only app. */
  callbackUrls?: readonly string[];
  accessLevel?: AccessLevel;
  xauth?: boolean;
  /** PEM public key, for RSA-SHA1/RSA-SHA256 apps. */
  rsaPublicKey?: string | null;
  ownerUserId?: string | null;
}

export async function registerApp(
  stores: Pick<TripodStores, 'consumers'>,
  input: NewApp,
  runtime: { clock: Clock; random: RandomSource },
): Promise<Consumer> {
  const name = input.name.trim();
  if (name === '' || name.length > 100)
    throw new RegistrationError('the app name must have 1-100 characters');
  const callbackUrls: string[] = [];
  for (const raw of input.callbackUrls ?? []) {
    let parsed: ReturnType<typeof parseCallback>;
    try {
      parsed = parseCallback(raw);
    } catch {
      throw new RegistrationError(
        `callback URL '${raw}' is not an absolute URL (or uses a forbidden scheme)`,
      );
    }
    if (parsed === OOB)
      throw new RegistrationError("'oob' is not a callback URL: leave --callback out for a PIN-only app");
    callbackUrls.push(raw);
  }
  if (input.rsaPublicKey) {
    try {
      createPublicKey(input.rsaPublicKey);
    } catch {
      throw new RegistrationError('the RSA public key is not a PEM public key');
    }
  }
  const consumer: Consumer = {
    key: generateToken(runtime.random, 18),
    secret: generateToken(runtime.random, 32),
    name,
    description: input.description ?? '',
    website: input.website ?? '',
    ownerUserId: input.ownerUserId ?? null,
    callbackUrls,
    accessLevel: input.accessLevel ?? 'read-write',
    xauth: input.xauth ?? false,
    rsaPublicKey: input.rsaPublicKey ?? null,
    disabled: false,
    createdAt: runtime.clock.now(),
  };
  await stores.consumers.create(consumer);
  return consumer;
}

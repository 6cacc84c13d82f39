// Password hashing for people who sign in on the authorization pages (and for xAuth, through the provider's
// verifyPassword hook). Argon2id with the library's defaults (OWASP's minimum: m=19 MiB, t=2, p=1).

import { hash, verify } from '@node-rs/argon2';

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying against a real hash when the username is unknown keeps the answer's timing the same for
// "no such user" and "wrong password", so sign-in cannot be used to discover usernames.
let decoyHash: Promise<string> | null = null;
/** A real Argon2id hash of a password nobody has, to verify against when the username is unknown. */
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash('tripod-decoy-password');
  return decoyHash;
}

/** True if `password` matches `passwordHash`; with a null hash, spends the same time and answers false. */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  const target = passwordHash ?? (await decoyPasswordHash());
  let ok = false;
  try {
    ok = await verify(target, password);
  } catch {
    ok = false;
  }
  return ok && passwordHash !== null;
}

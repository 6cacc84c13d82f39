// What a browser session keeps between two requests — the PIN the PIN page shows again after a reload, a
// regenerated secret shown once after its redirect — sealed so that the database never holds it readable.
// The key is derived (HKDF-SHA256) from the session id in the cookie, which the database never holds
// (only its SHA-256): a copy of the database, a backup or a log of its rows cannot open a stash; only the
// browser holding the cookie can have it opened. AES-256-GCM with a fresh random IV per seal; the
// session's id hash is the associated data, so a stash moved to another session's row does not open.

import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { RandomSource } from '../provider/types.ts';

/** One named thing in a stash (`pin:<request token>`, `secret:<consumer key>`), with its own end. */
export interface StashEntry {
  value: Record<string, string | number>;
  expiresAt: number;
}

export type StashEntries = Record<string, StashEntry>;

const IV_BYTES = 12;
const TAG_BYTES = 16;
// Bound what one browser can make the server keep (each PIN page adds an entry until it is used).
export const STASH_ENTRIES_MAX = 8;

function keyOf(sessionId: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(sessionId, 'utf8'), 'tripod session stash', 'aes-256-gcm v1', 32),
  );
}

/** The entries, sealed for the session whose cookie holds `sessionId`. */
export function sealStash(
  entries: StashEntries,
  session: { id: string; idHash: string },
  random: RandomSource,
): string {
  const iv = Buffer.from(random.bytes(IV_BYTES));
  const cipher = createCipheriv('aes-256-gcm', keyOf(session.id), iv);
  cipher.setAAD(Buffer.from(session.idHash, 'utf8'));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(entries), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The entries of a sealed stash; an empty set when it does not open (another session's, or damaged). */
export function openStash(sealed: string, session: { id: string; idHash: string }): StashEntries {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(session.id), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(session.idHash, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const text = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
    const entries = JSON.parse(text) as unknown;
    return entries !== null && typeof entries === 'object' ? (entries as StashEntries) : {};
  } catch {
    return {};
  }
}

/** The entries still live at `now`, the newest STASH_ENTRIES_MAX of them (by end). */
export function liveEntries(entries: StashEntries, now: number): StashEntries {
  const live = Object.entries(entries)
    .filter(([, entry]) => typeof entry?.expiresAt === 'number' && entry.expiresAt > now)
    .sort(([, a], [, b]) => b.expiresAt - a.expiresAt)
    .slice(0, STASH_ENTRIES_MAX);
  return Object.fromEntries(live);
}

// The sign-in session of a person, shared by the authorization pages and the portal: a random id in an
// HttpOnly, SameSite=Lax cookie (Secure when the public URL is https), and the session itself in a
// SessionStore. Only the SHA-256 of the id is stored, so a copy of the database does not let anyone ride a
// live session; the store (not process memory) keeps sessions across restarts and instances (DESIGN.md
// §7). A session may keep a few things between two requests (session-stash.ts), sealed with its id.

import { createHash } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock, RandomSource, User, UserReader } from '../provider/types.ts';
import type { SessionStash, SessionStore } from '../stores/types.ts';
import { liveEntries, openStash, type StashEntry, sealStash } from './session-stash.ts';

export const SESSION_COOKIE = 'tripod_session';
// Longer is not an id this server made: not worth a store lookup.
const SESSION_ID_MAX = 200;
// "Last seen" on the settings page need not be exact: one write per browser every few minutes at most.
const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;
const USER_AGENT_MAX = 300;

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export interface BrowserSessionsOptions {
  sessions: SessionStore;
  users: UserReader;
  clock: Clock;
  random: RandomSource;
  ttlSeconds: number;
  secureCookies: boolean;
  cookiePath: string;
}

/** A live session of a signed-in, enabled user. */
export interface BrowserSession {
  /** The cookie's value: what opens the stash. Never stored, logged or shown. */
  readonly id: string;
  readonly idHash: string;
  readonly user: User;
  /** As last read or written by this request. */
  stash: SessionStash | null;
}

export interface BrowserSessions {
  /** This browser's session, or null (none, expired, or its account disabled). */
  current(request: FastifyRequest): Promise<BrowserSession | null>;
  /** Signs `user` in: a fresh session id (never reuse one that existed before sign-in: session fixation). */
  signIn(request: FastifyRequest, reply: FastifyReply, user: User): Promise<BrowserSession>;
  /** Ends this browser's session (deleted from the store, so the cookie is worthless even if kept). */
  signOut(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Keeps `value` under `name` for this browser until `expiresAt`, sealed. */
  stash(session: BrowserSession, name: string, value: StashEntry['value'], expiresAt: number): Promise<void>;
  /** What the session keeps under `name`, or null. */
  stashed(session: BrowserSession, name: string): StashEntry['value'] | null;
  /** Forgets `name` and whatever expired (deleting the stash when nothing else is in it). */
  unstash(session: BrowserSession, name: string): Promise<void>;
}

export function createBrowserSessions(options: BrowserSessionsOptions): BrowserSessions {
  const { sessions, users, clock, random } = options;
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: options.secureCookies,
    path: options.cookiePath,
  };
  const cookieOf = (request: FastifyRequest) => {
    // Outside the pages' context (a 404 at the root, a malformed URL) the cookie plugin has not run.
    const id = (request.cookies ?? fastifyCookie.parse(request.headers.cookie ?? ''))[SESSION_COOKIE];
    return id && id.length <= SESSION_ID_MAX ? id : null;
  };
  const entriesOf = (session: BrowserSession) =>
    session.stash === null ? {} : liveEntries(openStash(session.stash.sealed, session), clock.now());

  async function writeStash(session: BrowserSession, entries: Record<string, StashEntry>) {
    const live = liveEntries(entries, clock.now());
    const ends = Object.values(live).map((entry) => entry.expiresAt);
    session.stash =
      ends.length === 0 ? null : { sealed: sealStash(live, session, random), expiresAt: Math.max(...ends) };
    await sessions.setStash(session.idHash, session.stash);
  }

  async function current(request: FastifyRequest): Promise<BrowserSession | null> {
    const id = cookieOf(request);
    if (!id) return null;
    const idHash = hashSessionId(id);
    const session = await sessions.get(idHash, clock.now());
    if (!session) return null;
    const user = await users.getById(session.userId);
    // A disabled account is signed out everywhere at once, whatever sessions it still holds.
    if (!user || user.disabled) return null;
    const now = clock.now();
    if (now - session.lastSeenAt >= LAST_SEEN_EVERY_MS) await sessions.touch(idHash, now);
    return { id, idHash, user, stash: session.stash };
  }

  return {
    current,
    async signIn(request, reply, user) {
      const now = clock.now();
      const previous = await current(request);
      const oldCookie = cookieOf(request);
      if (oldCookie) await sessions.delete(hashSessionId(oldCookie));
      const id = Buffer.from(random.bytes(32)).toString('base64url');
      const idHash = hashSessionId(id);
      await sessions.create({
        idHash,
        userId: user.id,
        createdAt: now,
        expiresAt: now + options.ttlSeconds * 1000,
        stash: null,
        lastSeenAt: now,
        userAgent: request.headers['user-agent']?.slice(0, USER_AGENT_MAX) ?? null,
        address: request.ip ?? null,
      });
      reply.setCookie(SESSION_COOKIE, id, { ...cookieOptions, maxAge: options.ttlSeconds });
      const session: BrowserSession = { id, idHash, user, stash: null };
      // Signing in again as the same person (force_login, confirm_user) keeps the PINs of other tabs.
      if (previous?.user.id === user.id && previous.stash !== null)
        await writeStash(session, entriesOf(previous));
      return session;
    },
    async signOut(request, reply) {
      const id = cookieOf(request);
      if (id) await sessions.delete(hashSessionId(id));
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
    },
    async stash(session, name, value, expiresAt) {
      await writeStash(session, { ...entriesOf(session), [name]: { value, expiresAt } });
    },
    stashed(session, name) {
      return entriesOf(session)[name]?.value ?? null;
    },
    async unstash(session, name) {
      if (session.stash === null) return;
      // Rewritten even when `name` already expired: what expired goes with it.
      const entries = entriesOf(session);
      delete entries[name];
      await writeStash(session, entries);
    },
  };
}

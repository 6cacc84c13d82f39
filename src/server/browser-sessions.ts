// The sign-in session of a person on the authorization pages: a random id in an HttpOnly, SameSite=Lax
// cookie (Secure when the public URL is https), and the session itself in a SessionStore. Only the
// SHA-256 of the id is stored, so a copy of the database does not let anyone ride a live session; the
// store (not process memory) keeps sessions across restarts and instances (DESIGN.md §7).

import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock, RandomSource, User, UserReader } from '../provider/types.ts';
import type { SessionStore } from '../stores/types.ts';

export const SESSION_COOKIE = 'tripod_session';

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

export interface BrowserSessions {
  /** The signed-in user of this browser, or null. */
  currentUser(request: FastifyRequest): Promise<User | null>;
  /** Signs `user` in: a fresh session id (never reuse one that existed before sign-in: session fixation). */
  signIn(request: FastifyRequest, reply: FastifyReply, user: User): Promise<void>;
  /** Ends this browser's session (deleted from the store, so the cookie is worthless even if kept). */
  signOut(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function createBrowserSessions(options: BrowserSessionsOptions): BrowserSessions {
  const { sessions, users, clock, random } = options;
  return {
    async currentUser(request) {
      const id = request.cookies[SESSION_COOKIE];
      if (!id || id.length > 200) return null;
      const session = await sessions.get(hashSessionId(id), clock.now());
      if (!session) return null;
      const user = await users.getById(session.userId);
      // A disabled account is signed out everywhere at once, whatever sessions it still holds.
      return user && !user.disabled ? user : null;
    },
    async signIn(request, reply, user) {
      const previous = request.cookies[SESSION_COOKIE];
      if (previous && previous.length <= 200) await sessions.delete(hashSessionId(previous));
      const id = Buffer.from(random.bytes(32)).toString('base64url');
      const now = clock.now();
      await sessions.create({
        idHash: hashSessionId(id),
        userId: user.id,
        createdAt: now,
        expiresAt: now + options.ttlSeconds * 1000,
      });
      reply.setCookie(SESSION_COOKIE, id, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        path: options.cookiePath,
        maxAge: options.ttlSeconds,
      });
    },
    async signOut(request, reply) {
      const id = request.cookies[SESSION_COOKIE];
      if (id && id.length <= 200) await sessions.delete(hashSessionId(id));
      reply.clearCookie(SESSION_COOKIE, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        path: options.cookiePath,
      });
    },
  };
}

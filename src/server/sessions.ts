// Browser sign-in sessions for the authorization pages. Only the SHA-256 of the session id is stored, so a
// copy of the database does not let anyone ride a live session. Sessions live in a store (not in process
// memory) so they survive a restart and can later be shared by several instances (DESIGN.md §7).

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

export interface Session {
  /** SHA-256 (hex) of the id held in the cookie. */
  idHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  get(idHash: string, now: number): Promise<Session | null>;
  delete(idHash: string): Promise<void>;
  deleteExpired(before: number): Promise<number>;
  close(): Promise<void>;
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export function createMemorySessionStore(): SessionStore {
  const sessions = new Map<string, Session>();
  return {
    async create(session) {
      sessions.set(session.idHash, { ...session });
    },
    async get(idHash, now) {
      const session = sessions.get(idHash);
      return session && session.expiresAt > now ? { ...session } : null;
    },
    async delete(idHash) {
      sessions.delete(idHash);
    },
    async deleteExpired(before) {
      let count = 0;
      for (const [key, session] of sessions) {
        if (session.expiresAt < before) {
          sessions.delete(key);
          count++;
        }
      }
      return count;
    },
    async close() {},
  };
}

interface SessionTables {
  server_sessions: { id_hash: string; user_id: string; created_at: number; expires_at: number };
}

/**
 * Sessions in the server's SQLite file (its own connection and its own table, created if absent, so the
 * provider's migrations stay the provider's).
 */
export async function openSqliteSessionStore(file: string): Promise<SessionStore> {
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<SessionTables>({ dialect: new SqliteDialect({ database }) });
  await db.schema
    .createTable('server_sessions')
    .ifNotExists()
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();
  return {
    async create(session) {
      await db
        .insertInto('server_sessions')
        .values({
          id_hash: session.idHash,
          user_id: session.userId,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute();
    },
    async get(idHash, now) {
      const row = await db
        .selectFrom('server_sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row
        ? { idHash: row.id_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at }
        : null;
    },
    async delete(idHash) {
      await db.deleteFrom('server_sessions').where('id_hash', '=', idHash).execute();
    },
    async deleteExpired(before) {
      const result = await db
        .deleteFrom('server_sessions')
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async close() {
      await db.destroy();
    },
  };
}

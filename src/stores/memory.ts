// In-memory implementation of every store, for unit tests and throw-away demos. Every value is copied on
// the way in and out, so callers cannot mutate stored state behind the store's back (a real database
// would not let them either), and the compare-and-set semantics match the SQL stores exactly.

import { InProcessRevocationBus } from './in-process-revocation-bus.ts';
import { MemoryConsumerStore } from './memory/consumers.ts';
import { MemoryNonceStore } from './memory/nonces.ts';
import {
  MemoryAppIconStore,
  MemoryAuditLog,
  MemoryDailyCountStore,
  MemoryRateLimitStore,
  MemoryRejectionLog,
  MemorySessionStore,
} from './memory/server-state.ts';
import { MemoryAccessTokenStore, MemoryRequestTokenStore } from './memory/tokens.ts';
import { MemoryUserStore } from './memory/users.ts';
import type { TripodStores } from './types.ts';

export function createMemoryStores(): TripodStores {
  return {
    users: new MemoryUserStore(),
    consumers: new MemoryConsumerStore(),
    requestTokens: new MemoryRequestTokenStore(),
    accessTokens: new MemoryAccessTokenStore(),
    nonces: new MemoryNonceStore(),
    sessions: new MemorySessionStore(),
    rejections: new MemoryRejectionLog(),
    dailyCounts: new MemoryDailyCountStore(),
    icons: new MemoryAppIconStore(),
    rateLimits: new MemoryRateLimitStore(),
    audit: new MemoryAuditLog(),
    revocations: new InProcessRevocationBus(),
    ping: async () => {},
    backingServices: [{ name: 'database', ping: async () => {} }],
    close: async () => {},
  };
}

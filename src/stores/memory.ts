// In-memory implementation of every store, for unit tests and throw-away demos. Every value is copied on
// the way in and out, so callers cannot mutate stored state behind the store's back (a real database
// would not let them either), and the compare-and-set semantics match the SQL stores exactly.

import { randomBytes } from 'node:crypto';
import { InProcessRevocationBus } from './in-process-revocation-bus.ts';
import { MemoryConsumerStore } from './memory/consumers.ts';
import { MemoryNonceStore } from './memory/nonces.ts';
import {
  MemoryAppIconStore,
  MemoryAuditDeliveryLog,
  MemoryAuditLog,
  MemoryDailyCountStore,
  MemoryPasswordResetStore,
  MemoryRateLimitStore,
  MemoryRejectionLog,
  MemorySessionStore,
} from './memory/server-state.ts';
import { MemoryAccessTokenStore, MemoryRequestTokenStore } from './memory/tokens.ts';
import { MemoryUserStore } from './memory/users.ts';
import type { TripodStores } from './types.ts';

export function createMemoryStores(): TripodStores {
  const audit = new MemoryAuditLog();
  return {
    users: new MemoryUserStore(),
    consumers: new MemoryConsumerStore(),
    requestTokens: new MemoryRequestTokenStore(),
    accessTokens: new MemoryAccessTokenStore(),
    nonces: new MemoryNonceStore(),
    sessions: new MemorySessionStore(),
    passwordResets: new MemoryPasswordResetStore(),
    rejections: new MemoryRejectionLog(),
    dailyCounts: new MemoryDailyCountStore(),
    icons: new MemoryAppIconStore(),
    rateLimits: new MemoryRateLimitStore(),
    audit,
    auditDeliveries: new MemoryAuditDeliveryLog(audit),
    revocations: new InProcessRevocationBus(),
    // Nothing outlives the process here, so neither need the verifiers' hash key.
    verifierKey: new Uint8Array(randomBytes(32)),
    ping: async () => {},
    backingServices: [{ name: 'database', ping: async () => {} }],
    close: async () => {},
  };
}

// Connects to Redis for the ephemeral stores. The client fails fast while Redis is away (no offline queue,
// a command timeout, commands in flight rejected when the connection drops) and keeps reconnecting in the
// background, so calls succeed again by themselves once Redis is back.

import { Redis } from 'ioredis';
import type { ExpiringNonceStore } from '../../provider/types.ts';
import { StoreUnavailableError } from '../errors.ts';
import type { RateLimitStore, RevocationBus } from '../types.ts';
import {
  compactLegacyNonceKeys,
  RedisNonceStore,
  RedisRateLimitStore,
  RedisRevocationBus,
} from './stores.ts';
import { redisCall } from './unavailable.ts';

export interface RedisStoreOptions {
  /** Prepended to every key and channel (default `tripod:`); tests use a unique one. */
  keyPrefix?: string;
  /** Giving up on connecting (default 2000 ms). */
  connectTimeoutMs?: number;
  /** Giving up on one command (default 2000 ms). */
  commandTimeoutMs?: number;
}

export interface RedisStores {
  nonces: ExpiringNonceStore;
  rateLimits: RateLimitStore;
  revocations: RevocationBus;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A client as the stores use it (exported for tests that need the client itself). */
export function connectRedis(url: string, options: RedisStoreOptions): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    // Reconnect for ever, backing off to one attempt every two seconds.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // The commands issued in one turn go out in one write, not one syscall each (a third of a verified
    // request's CPU on PostgreSQL + Redis was once writing to sockets). Not the nonce claims: the store
    // batches a turn's claims itself and sends each batch with sendCommand, which auto-pipelining does not
    // hold (stores.ts, RedisNonceStore).
    enableAutoPipelining: true,
  });
  // Errors reach the callers of commands; the event itself only says the connection is trying again.
  client.on('error', () => {});
  return client;
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}

export async function openRedisStores(url: string, options: RedisStoreOptions = {}): Promise<RedisStores> {
  const prefix = options.keyPrefix ?? 'tripod:';
  const client = connectRedis(url, options);
  const subscriber = connectRedis(url, options);
  try {
    await client.connect();
    await subscriber.connect();
  } catch (error) {
    client.disconnect();
    subscriber.disconnect();
    throw new StoreUnavailableError('redis', error);
  }
  const revocations = new RedisRevocationBus(client, subscriber, prefix);
  try {
    await compactLegacyNonceKeys(client, prefix);
    await revocations.listen();
  } catch (error) {
    client.disconnect();
    subscriber.disconnect();
    throw error;
  }
  return {
    nonces: new RedisNonceStore(client, prefix),
    rateLimits: new RedisRateLimitStore(client, prefix),
    revocations,
    async ping() {
      await redisCall(() => client.ping());
    },
    async close() {
      await Promise.all([quit(client), quit(subscriber)]);
    },
  };
}

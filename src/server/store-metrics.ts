// Store latency by operation: the bundle handed to the provider, pages and portal is the opened one with
// every method of every store timed (`consumers.get`, `nonces.claim`, …), failures included, and outages
// counted by service. The timing goes below the verification cache: what is timed is the store's own
// work, and a lookup the cache answers is not a store operation (nor worth a timer: 1.005-1.018x the
// verified requests per CPU-second without timing the hits, BENCHMARKS.md). The wrappers inherit from the
// stores they wrap, so everything else (fields, the revocation bus, ping, close) is the original.

import type { TripodStores } from '../stores/types.ts';
import { belowVerificationCache } from '../stores/verification-cache.ts';
import type { TripodMetrics } from './metrics.ts';

const TIMED_STORES = [
  'users',
  'consumers',
  'requestTokens',
  'accessTokens',
  'nonces',
  'sessions',
  'passwordResets',
  'rejections',
  'rateLimits',
  'audit',
  'auditDeliveries',
] as const satisfies readonly (keyof TripodStores)[];

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * Synchronous methods, answered from memory: not a store operation (and not a promise to time). Each is
 * still called on the original store, whose private fields hold its state.
 */
const UNTIMED_METHODS: ReadonlySet<string> = new Set(['knownClaimed']);

/** Every method a store has, its class's included. */
function methodNames(store: object): string[] {
  const names = new Set<string>();
  for (
    let level = store;
    level !== Object.prototype && level !== null;
    level = Object.getPrototypeOf(level)
  ) {
    for (const name of Object.getOwnPropertyNames(level)) {
      if (name !== 'constructor' && typeof (store as Record<string, unknown>)[name] === 'function') {
        names.add(name);
      }
    }
  }
  return [...names];
}

function timedStore<S extends object>(storeName: string, store: S, metrics: TripodMetrics): S {
  const timed = Object.create(store) as Record<string, AsyncMethod>;
  for (const name of methodNames(store)) {
    const method = (store as Record<string, AsyncMethod>)[name]!;
    if (UNTIMED_METHODS.has(name)) {
      timed[name] = method.bind(store);
      continue;
    }
    const record = metrics.storeOperation(`${storeName}.${name}`);
    // Called on the original: class stores keep their state in private fields.
    timed[name] = (...args) => {
      const started = performance.now();
      return method.apply(store, args).then(
        (result) => {
          record(started);
          return result;
        },
        (error: unknown) => {
          record(started, error);
          throw error;
        },
      );
    };
  }
  return timed as unknown as S;
}

export function timedStores(stores: TripodStores, metrics: TripodMetrics): TripodStores {
  return belowVerificationCache(stores, (below) => {
    const timed: Record<string, unknown> = Object.create(below);
    for (const name of TIMED_STORES) timed[name] = timedStore(name, below[name], metrics);
    return timed as unknown as TripodStores;
  });
}

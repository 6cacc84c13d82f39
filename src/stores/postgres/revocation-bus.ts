// Revocation events across instances through PostgreSQL's LISTEN/NOTIFY, for deployments without Redis.
// One dedicated connection listens (and reconnects by itself when it drops); events are published with
// pg_notify through the pool. Each instance delivers its own events at once and ignores their echo.
// Events published while an instance's listener is down are lost to it: a cache that relies on them
// keeps a short safety TTL as well.

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { InProcessRevocationBus } from '../in-process-revocation-bus.ts';
import type { RevocationBus, RevocationEvent } from '../types.ts';
import { unavailableOr } from './unavailable.ts';

const RECONNECT_MS = 1000;

export class PostgresRevocationBus implements RevocationBus {
  readonly #local = new InProcessRevocationBus();
  readonly #origin = randomUUID();
  readonly #pool: pg.Pool;
  readonly #listenerConfig: pg.ClientConfig;
  readonly #channel: string;
  #listener: pg.Client | null = null;
  #reconnect: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(pool: pg.Pool, listenerConfig: pg.ClientConfig, channel: string) {
    this.#pool = pool;
    this.#listenerConfig = listenerConfig;
    this.#channel = channel;
  }

  /** Starts listening; rejects if the first connection fails (later ones are retried). */
  async listen(): Promise<void> {
    const client = new pg.Client(this.#listenerConfig);
    const lost = () => {
      if (this.#listener === client) this.#listener = null;
      client.end().catch(() => {});
      this.#scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel !== this.#channel || message.payload === undefined) return;
      try {
        const { origin, event } = JSON.parse(message.payload) as { origin: string; event: RevocationEvent };
        if (origin !== this.#origin) this.#local.deliver(event);
      } catch {
        // Not ours: ignore.
      }
    });
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(this.#channel)}`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
      throw unavailableOr(error);
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#listener = client;
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnect !== null) return;
    this.#reconnect = setTimeout(() => {
      this.#reconnect = null;
      this.listen().catch(() => this.#scheduleReconnect());
    }, RECONNECT_MS);
    this.#reconnect.unref();
  }

  async publish(event: RevocationEvent): Promise<void> {
    this.#local.deliver(event);
    try {
      await this.#pool.query('select pg_notify($1, $2)', [
        this.#channel,
        JSON.stringify({ origin: this.#origin, event }),
      ]);
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  subscribe(listener: (event: RevocationEvent) => void): () => void {
    return this.#local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnect !== null) clearTimeout(this.#reconnect);
    const listener = this.#listener;
    this.#listener = null;
    if (listener) {
      listener.removeAllListeners('end');
      await listener.end().catch(() => {});
    }
  }
}

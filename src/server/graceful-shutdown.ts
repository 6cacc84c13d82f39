// Stopping without dropping work (SIGTERM from an orchestrator, Ctrl-C): the listener stops accepting,
// /readyz turns 503 so the load balancer looks elsewhere, requests in flight finish (a request arriving
// on an open keep-alive connection meanwhile is still answered, with `Connection: close`), and only
// after the time limit are the connections still open closed. The caller then closes the stores.

import type { FastifyInstance } from 'fastify';

/**
 * Call while building the app: once shutdown has begun, every answer closes its connection (an idle
 * keep-alive connection would otherwise hold the shutdown until its timeout). Returns whether it has begun.
 */
export function closeConnectionsOnShutdown(app: FastifyInstance): () => boolean {
  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });
  return () => shuttingDown;
}

export class GracefulShutdown {
  readonly #app: FastifyInstance;
  readonly #timeoutMs: number;
  #closing: Promise<{ cutShort: boolean }> | null = null;
  #cutShort = false;

  constructor(app: FastifyInstance, timeoutMs: number) {
    this.#app = app;
    this.#timeoutMs = timeoutMs;
  }

  get started(): boolean {
    return this.#closing !== null;
  }

  /** Starts the shutdown (once); resolves when every connection is closed and the app's hooks have run. */
  begin(): Promise<{ cutShort: boolean }> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Closes the connections still open now, requests in flight included (a second signal, or the limit). */
  cutShort(): void {
    this.#cutShort = true;
    this.#app.server.closeAllConnections();
  }

  async #close(): Promise<{ cutShort: boolean }> {
    const timer = setTimeout(() => this.cutShort(), this.#timeoutMs);
    try {
      await this.#app.close();
    } finally {
      clearTimeout(timer);
    }
    return { cutShort: this.#cutShort };
  }
}

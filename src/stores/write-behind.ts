// Write-behind: what the request path hands over (the signature debugger's refusals, the audit trail, the
// operator's daily counts, nonces decided in memory with --nonce-writes behind) is kept in memory and
// written by a timer, one batch at a time, so an answer never waits on the database for it and a flood
// costs one write per interval, not one per request.
// WriteBehind is the timer, the hand-over of the owner's buffer and the chaining of writes (a batch starts
// after the previous one ended, so writes keep their order); WriteBehindQueue is that with the bounded list
// most owners buffer in (the debugger's refusals, the audit trail), an owner with another buffer (the daily
// counts' sums, the nonce window's claims) keeps its own.

export class WriteBehind<Batch> {
  readonly #take: () => Batch;
  readonly #write: (batch: Batch) => Promise<void>;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();

  /** `take` empties the owner's buffer and returns what was in it; `write` must not throw. */
  constructor(options: { take: () => Batch; write: (batch: Batch) => Promise<void>; intervalMs: number }) {
    this.#take = options.take;
    this.#write = options.write;
    this.#intervalMs = options.intervalMs;
  }

  /** Something was buffered: write it within the interval (one timer however much comes). */
  schedule(): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => void this.flush(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Writes everything buffered so far (called by the timer, and before the server closes). */
  flush(): Promise<void> {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const batch = this.#take();
    this.#writing = this.#writing.then(() => this.#write(batch));
    return this.#writing;
  }
}

/**
 * The bounded buffer most owners keep in front of a WriteBehind: a list the request path appends to, taken
 * whole by each write. Past `kept` items, new ones are dropped and counted (a flood costs memory up to the
 * bound, never more); the item is built only when there is room for it.
 */
export class WriteBehindQueue<Item> {
  #pending: Item[] = [];
  #dropped = 0;
  readonly #kept: number;
  readonly #writeBehind: WriteBehind<Item[]>;

  /** `write` is given each batch and the count dropped so far; it must not throw. */
  constructor(options: {
    kept: number;
    intervalMs: number;
    write: (batch: Item[], dropped: number) => Promise<void>;
  }) {
    this.#kept = options.kept;
    const write = options.write;
    this.#writeBehind = new WriteBehind({
      take: () => this.#pending.splice(0),
      write: (batch) => write(batch, this.#dropped),
      intervalMs: options.intervalMs,
    });
  }

  /** Items dropped because the queue was full since it was made. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues what `build` returns, or, when the queue is full, counts one more dropped without calling it. */
  push(build: () => Item): void {
    if (this.#pending.length >= this.#kept) {
      this.#dropped++;
      return;
    }
    this.#pending.push(build());
    this.#writeBehind.schedule();
  }

  /** Writes everything queued so far (called by the timer, and before the owner closes). */
  flush(): Promise<void> {
    return this.#writeBehind.flush();
  }
}

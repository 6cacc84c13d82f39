// Write-behind: what the request path hands over (the signature debugger's refusals, the audit trail, the
// operator's daily counts, nonces decided in memory with --nonce-writes behind) is kept in memory and
// written by a timer, one batch at a time, so an answer never waits on the database for it and a flood
// costs one write per interval, not one per request.
// The owner keeps its own bounded buffer; this is the timer, the hand-over of the buffer and the chaining
// of writes (a batch starts after the previous one ended, so writes keep their order).

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

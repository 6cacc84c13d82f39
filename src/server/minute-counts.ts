// Counts of the current minute by key: how many refused signatures named an app (the audit trail reports
// them at 10, 100, 1000… a minute), how many debugger entries an app was given (at most a few a minute).
// Each count starts again at the minute's boundary, and a minute counts a bounded number of keys, so a
// flood of made-up keys costs a bounded map, not one entry per key.

const MINUTE = 60_000;

export class MinuteCounts {
  readonly #keysKept: number;
  readonly #counts = new Map<string, number>();
  #minute = -1;

  /** `keysKept`: the keys one minute counts; past it, other keys are not counted until the next minute. */
  constructor(keysKept: number) {
    this.#keysKept = keysKept;
  }

  /** `key`'s count in the minute of `at` (epoch ms): 0 in a minute not counted yet. */
  get(key: string, at: number): number {
    return Math.floor(at / MINUTE) === this.#minute ? (this.#counts.get(key) ?? 0) : 0;
  }

  /** Counts one more for `key` in the minute of `at` and returns its count; null for a key past the bound. */
  add(key: string, at: number): number | null {
    const minute = Math.floor(at / MINUTE);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#counts.clear();
    }
    const known = this.#counts.get(key);
    if (known === undefined && this.#counts.size >= this.#keysKept) return null;
    const count = (known ?? 0) + 1;
    this.#counts.set(key, count);
    return count;
  }
}

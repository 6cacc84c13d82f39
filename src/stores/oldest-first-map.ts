// A map that gives up its oldest entries cheaply, for the in-memory layers in front of the stores that are
// bounded oldest-first out (the nonce window, the verification cache). A plain Map looks like it does this
// already — its first key is its oldest — but V8 keeps a deleted entry's slot until the table is rebuilt,
// and `map.keys().next()` walks every deleted slot before the first live one: on a full 10,000-entry Map
// that drops its oldest for each new entry, 5.0 µs a call against 0.5 µs here, and 140 µs against 1.0 at
// 300,000 entries (bench/micro/oldest-first.ts): a verification's HMAC twice over, paid by every verified
// request once the window is full.
// Here lookups are the Map's and the arrival order is a queue of its own, O(1) at both ends.

interface Arrival<V> {
  key: string;
  value: V;
}

/**
 * Entries in arrival order. `set` of a key already present moves it to the end. The map holds each key's
 * place in the queue: a place is current while the map holds that very place for its key; places left by
 * `delete` or a later `set` are skipped when reached, and dropped in one pass when they outnumber the live
 * ones.
 */
export class OldestFirstMap<V> {
  readonly #map = new Map<string, Arrival<V>>();
  #queue: (Arrival<V> | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#map.size;
  }

  /** Places in the queue, current and left behind (what it holds beyond the map; tests check the bound). */
  get places(): number {
    return this.#queue.length - this.#head;
  }

  get(key: string): V | undefined {
    return this.#map.get(key)?.value;
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  set(key: string, value: V): void {
    const arrival = { key, value };
    this.#map.set(key, arrival);
    this.#queue.push(arrival);
    if (this.#queue.length - this.#head > 2 * this.#map.size + 1024) this.#compact();
  }

  delete(key: string): boolean {
    return this.#map.delete(key);
  }

  /** The oldest entry's key and value, or undefined when empty. */
  oldest(): Readonly<Arrival<V>> | undefined {
    for (;;) {
      const arrival = this.#queue[this.#head];
      if (arrival === undefined) return undefined;
      if (this.#map.get(arrival.key) === arrival) return arrival;
      this.#shift();
    }
  }

  /** Forgets the oldest entry; whether there was one. */
  deleteOldest(): boolean {
    const arrival = this.oldest();
    if (arrival === undefined) return false;
    this.#map.delete(arrival.key);
    this.#shift();
    return true;
  }

  /** Forgets entries oldest first while `matches` holds for the oldest; how many went. */
  deleteOldestWhile(matches: (value: V) => boolean): number {
    let deleted = 0;
    for (
      let arrival = this.oldest();
      arrival !== undefined && matches(arrival.value);
      arrival = this.oldest()
    ) {
      this.#map.delete(arrival.key);
      this.#shift();
      deleted++;
    }
    return deleted;
  }

  /** Forgets every entry whose value matches, wherever it is (a scan of the whole map: for rare events). */
  deleteWhere(matches: (value: V) => boolean): void {
    for (const [key, arrival] of this.#map) if (matches(arrival.value)) this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
    this.#queue = [];
    this.#head = 0;
  }

  #shift(): void {
    this.#queue[this.#head++] = undefined;
    if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Keeps only the places that are current. */
  #compact(): void {
    const current: Arrival<V>[] = [];
    for (let i = this.#head; i < this.#queue.length; i++) {
      const arrival = this.#queue[i] as Arrival<V>;
      if (this.#map.get(arrival.key) === arrival) current.push(arrival);
    }
    this.#queue = current;
    this.#head = 0;
  }
}

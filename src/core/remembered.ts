// A bounded memory of a function's answers, for what a server sees over and over — parameter names,
// request methods, base string URIs, RSA public keys — so that each is worked out once rather than on
// every request. It is cleared when full, so that a client sending made-up values costs a bounded amount
// of memory and a bounded amount of work, and it keeps only keys of up to `maxLength` characters (a longer
// one is worked out every time, and hashing it for the lookup would cost as much).

export interface RememberedOptions {
  /** How many answers are kept before the memory is cleared. */
  limit: number;
  /** The longest key kept (characters); default: any. */
  maxLength?: number;
}

/**
 * `work`, remembering its answers. `work` must be a pure function of its key; what it throws is not
 * remembered (each call with that key throws again).
 */
export function remembered<T>(
  work: (key: string) => T,
  { limit, maxLength = Number.POSITIVE_INFINITY }: RememberedOptions,
): (key: string) => T {
  const answers = new Map<string, T>();
  return (key) => {
    if (key.length > maxLength) return work(key);
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = work(key);
      if (answers.size >= limit) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
}

// A bound on how long an operator's probe waits for a store: /readyz and the nonce count of a metrics
// scrape must answer even when PostgreSQL or Redis has stopped answering. (The work itself goes on; the
// stores' own timeouts end it.)

export function withTimeLimit<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

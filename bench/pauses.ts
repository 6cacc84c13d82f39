// What a piece of work costs the requests around it: how long it took, and the longest the event loop went
// without a turn meanwhile (a 1-ms timer's longest gap), which is how long every request waited. The
// micro-benchmarks of the stores' purges and counts use it (bench/micro/nonce-table.ts, request-tokens.ts).

/** How long `run` took, and the longest the event loop went without a turn meanwhile. */
export async function timedWithPauses<T>(
  run: () => Promise<T>,
): Promise<{ result: T; ms: number; longestPauseMs: number }> {
  let last = performance.now();
  let longestPauseMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestPauseMs = Math.max(longestPauseMs, now - last);
    last = now;
  }, 1);
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(timer);
  return { result, ms, longestPauseMs };
}

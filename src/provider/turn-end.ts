// Answers decided in one event-loop turn go out together, at its end. A verified request's nonce claim
// settles after the turn's group commit (stores/sqlite/group-commit.ts), for every request of the turn in
// one callback: their continuations then run side by side through the adapters' hooks, and the turn's
// answers are written one right after another. An answer decided without waiting for anything (a refusal,
// a claim decided in memory) must wait the same way, or each goes out alone, in the middle of the turn's
// work: over loopback sockets the client then sleeps between answers, and waking it again cost the
// server's write more than the refusal itself (0.9 cross-CPU interrupts per refused request against 0.1
// per accepted one). A setImmediate of its own for each (node:timers/promises) was not enough: each
// continuation then ran to its write before the next one started. One callback for all of them gave
// replays 1.27x the requests per server CPU-second, wrong signatures 1.10x (BENCHMARKS.md, 2026-12-01).

let waiting: (() => void)[] | null = null;

function releaseTurn(): void {
  const released = waiting ?? [];
  waiting = null;
  for (let i = 0; i < released.length; i++) released[i]!();
}

/**
 * Settles after this turn's I/O (in its setImmediate phase), in the same callback as every other call made
 * during the turn, so that what awaits them carries on side by side.
 */
export function atTurnEnd(): Promise<void> {
  return new Promise((resolve) => {
    if (waiting === null) {
      waiting = [];
      setImmediate(releaseTurn);
    }
    waiting.push(resolve);
  });
}

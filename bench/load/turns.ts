// Loads taken in turns on servers that keep running, for the comparisons a fresh server per run cannot
// make on this VM: its own speed drifts by a third between runs minutes apart (BENCHMARKS.md), more than
// the differences being measured. Each turn is one of `npm run bench`'s scenarios (bench/load/targets.ts),
// signed before its clock starts and checked as `npm run bench` checks it. Used by refusals-side-by-side.ts
// (refusals against acceptances on one server), checkouts-side-by-side.ts (two checkouts' servers) and
// peers-side-by-side.ts (bare Fastify, Tripod and the peers).

import type { ServerProcess } from './processes.ts';
import type { Credentials } from './signing.ts';
import { writeSignedHeaders } from './signing.ts';
import { primeWithFirstRequest, type Scenario } from './targets.ts';
import { type RunResult, runWrk } from './wrk.ts';

/** Where a turn's load goes: a running server's address, the credentials it accepts, its process. */
export interface TurnTarget {
  base: string;
  credentials: Credentials;
  server: ServerProcess;
}

/** What every turn of a comparison shares. */
export interface TurnSettings {
  seconds: number;
  connections: number;
  /** Where each turn's pre-signed headers are written. */
  headersFile: string;
}

/** One measured load; throws when an answer is not what the scenario expects or a nonce repeated. */
export async function takeTurn(
  scenario: Scenario,
  target: TurnTarget,
  settings: TurnSettings,
): Promise<RunResult> {
  const { base } = target;
  const plan = await scenario.plan({
    base,
    credentials: target.credentials,
    signatureMethod: 'HMAC-SHA1',
    requestTokens: () => Promise.reject(new Error('no scenario taken in turns uses request tokens')),
  });
  const count = 'rate' in scenario.supply ? scenario.supply.rate * settings.seconds : scenario.supply.count;
  await writeSignedHeaders(settings.headersFile, plan, count);
  if (scenario.primeOnce) await primeWithFirstRequest(scenario, base, settings.headersFile);
  const result = await runWrk({
    base,
    method: scenario.method,
    path: scenario.path,
    headersFile: settings.headersFile,
    seconds: settings.seconds,
    connections: settings.connections,
    serverPid: target.server.child.pid as number,
  });
  const answeredAsExpected =
    result.socketErrors === 0 &&
    (scenario.expect === 'accepted' ? result.non2xx === 0 : result.non2xx === result.requests);
  // A scenario with a rate must never repeat a nonce; the replay one repeats its one request on purpose.
  if (!answeredAsExpected || ('rate' in scenario.supply && result.wraps > 0)) {
    throw new Error(`${scenario.id}: ${result.non2xx} of ${result.requests} refused, ${result.wraps} wraps`);
  }
  return result;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
    : (sorted[Math.floor(middle)] as number);
}

/** The median of the runs' generator wake-ups per request, two decimals, or "–" where unknown. */
export function medianWakeups(runs: readonly RunResult[]): string {
  const known = runs.flatMap((r) => (r.generatorWakeups === null ? [] : [r.generatorWakeups]));
  return known.length === 0 ? '–' : median(known).toFixed(2);
}

// The table of what the load benchmark measures. A server is how to start it and which credentials it
// accepts; a scenario is a server plus the requests sent to it. Adding a target is one entry in SERVERS
// and one line in SCENARIOS.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SignatureMethodName } from '../../src/core/signature.ts';
import type { BenchCode } from './as-shipped.ts';
import { type ServerProcess, startPinned, waitUntilAnswering } from './processes.ts';
import { VERIFY_CREDENTIALS_PATH } from './servers/answer.ts';
import { type Credentials, randomCredentials, type SigningPlan } from './signing.ts';
import {
  type AuthorizedRequestToken,
  postgresRedisPlace,
  serveArguments,
  serverNodeFlags,
  sqlitePlace,
  type TripodSetup,
  type TripodStoresPlace,
  tripodWithAccessToken,
} from './tripod.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export interface Tool {
  /** What is looked for: a command on PATH, or a Python module for /usr/bin/python3. */
  command?: string;
  pythonModule?: string;
  /** The one line that says what to install. */
  install: string;
}

/** True when the tool is not on this machine. */
export function isMissing(tool: Tool): boolean {
  if (tool.command !== undefined) return spawnSync('sh', ['-c', `command -v ${tool.command}`]).status !== 0;
  return spawnSync('/usr/bin/python3', ['-c', `import ${tool.pythonModule}`]).status !== 0;
}

const WRK: Tool = { command: 'wrk', install: 'apt-get install wrk' };
const GUNICORN: Tool = { command: 'gunicorn', install: 'apt-get install gunicorn' };
const FLASK: Tool = { pythonModule: 'flask', install: 'apt-get install python3-flask' };
const OAUTHLIB: Tool = { pythonModule: 'oauthlib', install: 'apt-get install python3-oauthlib' };

export type TripodKind = 'sqlite' | 'postgres-redis';

export interface PreparedTripod {
  setup: TripodSetup;
  /** Credentials of the access token made through this Tripod's PIN flow. */
  credentials: Credentials;
}

/** Where a Tripod of either kind is prepared. */
export interface TripodPreparation {
  /** The SQLite kind's data directory. */
  dataDir: string;
  /** Where each kind's set-up server writes its output (setup-KIND.log). */
  logsDir: string;
  postgresUrl: string;
  redisUrl: string;
  /** Every place made is added here, for the caller to remove, whether or not the rest succeeds. */
  places: TripodStoresPlace[];
}

/** A Tripod of `kind` ready for loads: its stores, an app, a user, an access token through the PIN flow. */
async function prepareTripod(kind: TripodKind, where: TripodPreparation): Promise<PreparedTripod> {
  const place =
    kind === 'sqlite'
      ? sqlitePlace(where.dataDir)
      : await postgresRedisPlace(where.postgresUrl, where.redisUrl);
  where.places.push(place);
  return tripodWithAccessToken(place, join(where.logsDir, `setup-${kind}.log`));
}

/**
 * Every kind of Tripod the scenarios run on, prepared once each. A kind that cannot be (PostgreSQL or Redis
 * not running) is not thrown: it is in `unprepared` with the reason, a line, and its scenarios are for the
 * caller to leave out.
 */
export async function prepareTripods(
  scenarios: readonly Scenario[],
  where: TripodPreparation,
): Promise<{ tripods: Map<TripodKind, PreparedTripod>; unprepared: Map<TripodKind, string> }> {
  const tripods = new Map<TripodKind, PreparedTripod>();
  const unprepared = new Map<TripodKind, string>();
  for (const scenario of scenarios) {
    const kind = serverOf(scenario).tripod;
    if (kind === undefined || tripods.has(kind) || unprepared.has(kind)) continue;
    try {
      tripods.set(kind, await prepareTripod(kind, where));
    } catch (error) {
      unprepared.set(kind, unpreparedTripod(kind, error));
    }
  }
  return { tripods, unprepared };
}

/**
 * Why a Tripod of `kind` could not be prepared, in a line: a failed `tripod-server` command says why on its
 * stderr's last line (its message is the command line), anything else in its message's first.
 */
function unpreparedTripod(kind: TripodKind, error: unknown): string {
  const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
  const why = stderr === '' ? String((error as Error).message).split('\n')[0] : stderr.split('\n').at(-1);
  return `Tripod on ${kind}: ${why} (PostgreSQL: pg_ctlcluster … main start; Redis: redis-server)`;
}

export interface StartContext {
  port: number;
  logFile: string;
  /** The prepared Tripod of the server's kind (for Tripod servers). */
  tripod?: PreparedTripod | undefined;
  /** Credentials the peers are started with (they keep them in memory). */
  peerCredentials: Required<Credentials>;
  /** What the servers run: Tripod's build and the bench's servers as JavaScript, or the sources (as-shipped.ts). */
  code: BenchCode;
  /** Set for the profiled run: where Node writes the server's --cpu-prof profile. */
  profileDir?: string | undefined;
}

export interface ServerTarget {
  label: string;
  requires: readonly Tool[];
  /** A Tripod server: which stores it runs on (the runner prepares them, an app and a token once). */
  tripod?: TripodKind;
  /** `tripod-server serve` itself (not a host app): what Tripod's floor scenario measures the base of. */
  tripodServer?: true;
  start(ctx: StartContext): Promise<{ process: ServerProcess; credentials: Credentials }>;
}

function nodeServer(file: string): ServerTarget['start'] {
  return async (ctx) => {
    const script = ctx.code.server(here(file));
    const process = startPinned(globalThis.process.execPath, [...profiling(ctx), script], ctx.logFile, {
      env: { PORT: String(ctx.port), BENCH_CREDENTIALS: JSON.stringify(ctx.peerCredentials) },
    });
    await waitUntilAnswering(process, `http://127.0.0.1:${ctx.port}/`);
    return { process, credentials: ctx.peerCredentials };
  };
}

/** Node's arguments for the profiled run: where it writes the server's --cpu-prof profile. */
function profiling(ctx: { profileDir?: string | undefined }): string[] {
  return ctx.profileDir ? ['--cpu-prof', '--cpu-prof-dir', ctx.profileDir] : [];
}

function tripodServer(extra: readonly string[] = []): ServerTarget['start'] {
  return async (ctx) => {
    if (ctx.tripod === undefined) throw new Error('a Tripod server needs a prepared Tripod');
    const process = startPinned(
      globalThis.process.execPath,
      // As `npm start` runs it (docs/operations.md, "Memory"): V8's young generation capped at 8 MB a semi-space.
      [
        ...profiling(ctx),
        ...serverNodeFlags(),
        ...serveArguments(ctx.tripod.setup, ctx.port, extra, ctx.code.tripodCli),
      ],
      ctx.logFile,
    );
    await waitUntilAnswering(process, `http://127.0.0.1:${ctx.port}/`);
    return { process, credentials: ctx.tripod.credentials };
  };
}

/** `tripod-server serve` on stores of `kind`, with `extra` flags: marked as Tripod's own server. */
function servedTripod(label: string, kind: TripodKind, extra: readonly string[] = []): ServerTarget {
  return { label, requires: [], tripod: kind, tripodServer: true, start: tripodServer(extra) };
}

export const SERVERS = {
  'bare-node': {
    label: 'bare node:http, no verification',
    requires: [],
    start: nodeServer('./servers/bare-node.ts'),
  },
  'bare-fastify': {
    label: 'bare Fastify, no verification (the reference)',
    requires: [],
    start: nodeServer('./servers/bare-fastify.ts'),
  },
  'tripod-sqlite': servedTripod('Tripod on SQLite', 'sqlite'),
  'tripod-sqlite-quiet': servedTripod('Tripod on SQLite, --log-level warn', 'sqlite', [
    '--log-level',
    'warn',
  ]),
  'tripod-sqlite-behind': servedTripod('Tripod on SQLite, --nonce-writes behind', 'sqlite', [
    '--nonce-writes',
    'behind',
  ]),
  'tripod-sqlite-checkpoints': servedTripod('Tripod on SQLite, --sqlite-checkpoints background', 'sqlite', [
    '--sqlite-checkpoints',
    'background',
  ]),
  'tripod-postgres-redis': servedTripod('Tripod on PostgreSQL + Redis', 'postgres-redis'),
  'tripod-fastify-sqlite': {
    label: "Tripod's tripod/fastify plugin in a host app, on SQLite",
    requires: [],
    tripod: 'sqlite',
    start: async (ctx) => {
      if (ctx.tripod === undefined) throw new Error('the host app needs a prepared Tripod');
      const process = startPinned(
        globalThis.process.execPath,
        [...profiling(ctx), ctx.code.server(here('./servers/tripod-fastify-host.ts'))],
        ctx.logFile,
        {
          env: { PORT: String(ctx.port), ...ctx.tripod.setup.place.env },
        },
      );
      await waitUntilAnswering(process, `http://127.0.0.1:${ctx.port}/`);
      return { process, credentials: ctx.tripod.credentials };
    },
  },
  'express-passport': {
    label: 'Express + passport-http-oauth',
    requires: [],
    start: nodeServer('./servers/express-passport.ts'),
  },
  'flask-oauthlib': {
    label: 'Flask + oauthlib (gunicorn, 1 sync worker)',
    requires: [GUNICORN, FLASK, OAUTHLIB],
    start: async (ctx) => {
      const process = startPinned(
        'gunicorn',
        [
          '-w',
          '1',
          '-k',
          'sync',
          '-b',
          `127.0.0.1:${ctx.port}`,
          '--chdir',
          here('./servers'),
          'flask_oauthlib:app',
        ],
        ctx.logFile,
        { env: { BENCH_CREDENTIALS: JSON.stringify(ctx.peerCredentials) } },
      );
      await waitUntilAnswering(process, `http://127.0.0.1:${ctx.port}/`);
      return { process, credentials: ctx.peerCredentials };
    },
  },
} satisfies Record<string, ServerTarget>;

export type ServerId = keyof typeof SERVERS;

export function serverOf(scenario: Scenario): ServerTarget {
  return SERVERS[scenario.server];
}
export const GROUPS = ['ceilings', 'tripod', 'peers', 'refused', 'pin-flow'] as const;
export type Group = (typeof GROUPS)[number];

export interface PlanContext {
  base: string;
  credentials: Credentials;
  signatureMethod: SignatureMethodName;
  /** Authorized request tokens, made before the clock starts, for the access_token scenario. */
  requestTokens: () => Promise<AuthorizedRequestToken[]>;
}

export interface Scenario {
  id: string;
  group: Group;
  label: string;
  server: ServerId;
  method: 'GET' | 'POST';
  path: string;
  /** What every answer should be: 2xx, or 401 (a refusal). */
  expect: 'accepted' | 'refused';
  /**
   * How many distinct pre-signed requests to make: `rate` per second of the run (a verifying server must
   * never see a nonce twice, so this is the most it can be asked to take), or a fixed `count` sent over
   * and over (servers that do not verify, and the replay scenario, where repeating is the point).
   */
  supply: { rate: number } | { count: number };
  plan(ctx: PlanContext): Promise<SigningPlan>;
  /** Sent once before the clock starts (the replay scenario's first, accepted use of its nonce). */
  primeOnce?: boolean;
  /** false: no warm-up before the run (its requests use up something the run needs). */
  warmup?: false;
}

const verify = (ctx: PlanContext, credentials = ctx.credentials): Promise<SigningPlan> =>
  Promise.resolve({
    method: 'GET',
    url: `${ctx.base}${VERIFY_CREDENTIALS_PATH}`,
    signatureMethod: ctx.signatureMethod,
    request: () => ({ credentials }),
  });

/** A scenario of GET verify_credentials requests. */
function verifyCredentials(
  fields: Pick<Scenario, 'id' | 'group' | 'label' | 'server' | 'supply'> &
    Partial<Pick<Scenario, 'expect' | 'plan' | 'primeOnce'>>,
): Scenario {
  return {
    method: 'GET',
    path: VERIFY_CREDENTIALS_PATH,
    expect: 'accepted',
    plan: (ctx) => verify(ctx),
    ...fields,
  };
}

/** A signed POST to one of Tripod's token endpoints. */
function tokenEndpoint(
  ctx: PlanContext,
  path: string,
  request: SigningPlan['request'],
): Promise<SigningPlan> {
  return Promise.resolve({
    method: 'POST',
    url: `${ctx.base}${path}`,
    signatureMethod: ctx.signatureMethod,
    request,
  });
}

/** GET verify_credentials, accepted, against one server: the scenario takes the server's id and label. */
function accepted(server: ServerId, group: Group, supply: Scenario['supply'], label?: string): Scenario {
  return verifyCredentials({ id: server, group, label: label ?? SERVERS[server].label, server, supply });
}

/**
 * Distinct requests signed per second of a run for the verifying servers: above the fastest of them, with
 * room (the plugin in a host app reached 20,500 req/s on 2026-12-01, and ran out of 20,000 a second).
 */
const VERIFYING_RATE = 40_000;

export const SCENARIOS: readonly Scenario[] = [
  accepted('bare-node', 'ceilings', { count: 1000 }),
  accepted('bare-fastify', 'ceilings', { count: 1000 }),
  // Tripod's own floor: its server as `tripod-server serve` runs it (its hooks, request ids, security
  // headers, metrics), answering a route that verifies nothing and writes no access line (/healthz logs
  // only failures). What a verified request costs in Tripod is what it costs over this; the headers sent
  // are ignored. Issue 10's 0.8x bare Fastify cannot be reached by a verified request if this is below it.
  {
    id: 'tripod-floor',
    group: 'ceilings',
    label: "Tripod's server answering GET /healthz: no verification, no access line",
    server: 'tripod-sqlite',
    method: 'GET',
    path: '/healthz',
    expect: 'accepted',
    supply: { count: 1000 },
    plan: (ctx) => verify(ctx),
  },
  accepted(
    'tripod-sqlite',
    'tripod',
    { rate: VERIFYING_RATE },
    'Tripod on SQLite (defaults: log level info)',
  ),
  accepted('tripod-sqlite-quiet', 'tripod', { rate: VERIFYING_RATE }),
  accepted('tripod-sqlite-behind', 'tripod', { rate: VERIFYING_RATE }),
  accepted('tripod-sqlite-checkpoints', 'tripod', { rate: VERIFYING_RATE }),
  accepted(
    'tripod-postgres-redis',
    'tripod',
    { rate: VERIFYING_RATE },
    'Tripod on PostgreSQL + Redis (defaults: log level info)',
  ),
  accepted('tripod-fastify-sqlite', 'tripod', { rate: VERIFYING_RATE }),
  accepted('express-passport', 'peers', { rate: VERIFYING_RATE }),
  accepted('flask-oauthlib', 'peers', { rate: 5_000 }),
  verifyCredentials({
    id: 'refused-signature',
    group: 'refused',
    label: 'Tripod on SQLite, every signature wrong',
    server: 'tripod-sqlite',
    supply: { rate: VERIFYING_RATE },
    expect: 'refused',
    plan: (ctx) => verify(ctx, { ...ctx.credentials, consumerSecret: `${ctx.credentials.consumerSecret}x` }),
  }),
  verifyCredentials({
    id: 'refused-consumer',
    group: 'refused',
    label: 'Tripod on SQLite, unknown consumer key',
    server: 'tripod-sqlite',
    supply: { rate: VERIFYING_RATE },
    expect: 'refused',
    plan: (ctx) => {
      const { consumerKey, consumerSecret } = randomCredentials();
      return verify(ctx, { ...ctx.credentials, consumerKey, consumerSecret });
    },
  }),
  verifyCredentials({
    id: 'refused-replay',
    group: 'refused',
    label: 'Tripod on SQLite, one nonce replayed',
    server: 'tripod-sqlite',
    supply: { count: 1 },
    expect: 'refused',
    primeOnce: true,
  }),
  {
    id: 'request-token',
    group: 'pin-flow',
    label: 'Tripod on SQLite, POST /oauth/request_token',
    server: 'tripod-sqlite',
    method: 'POST',
    path: '/oauth/request_token',
    expect: 'accepted',
    supply: { rate: 15_000 },
    plan: (ctx) => {
      const { consumerKey, consumerSecret } = ctx.credentials;
      return tokenEndpoint(ctx, '/oauth/request_token', () => ({
        credentials: { consumerKey, consumerSecret },
        extraOAuthParams: [['oauth_callback', 'oob']],
      }));
    },
  },
  {
    id: 'access-token',
    group: 'pin-flow',
    label: 'Tripod on SQLite, POST /oauth/access_token',
    server: 'tripod-sqlite',
    method: 'POST',
    path: '/oauth/access_token',
    expect: 'accepted',
    // Twice what one core exchanges since the group commit (about 5,000 a second): at 4,000, three runs of
    // four ran out and exchanged used tokens again, refusals counted among the answers (BENCHMARKS.md).
    // Making 10,000 authorized request tokens a second of the run takes about 3 s per second of it.
    supply: { rate: 10_000 },
    // Each request exchanges a request token of its own, made before the run: a warm-up would use them up.
    warmup: false,
    plan: async (ctx) => {
      const tokens = await ctx.requestTokens();
      const { consumerKey, consumerSecret } = ctx.credentials;
      return tokenEndpoint(ctx, '/oauth/access_token', (i) => {
        const t = tokens[i] as AuthorizedRequestToken;
        return {
          credentials: { consumerKey, consumerSecret, token: t.token, tokenSecret: t.secret },
          extraOAuthParams: [['oauth_verifier', t.verifier]],
        };
      });
    },
  },
];

export const ALWAYS_REQUIRED: readonly Tool[] = [
  WRK,
  { command: 'taskset', install: 'apt-get install util-linux' },
];

/**
 * A primeOnce scenario's first request, sent once before the clock starts (the replay scenario's first,
 * accepted use of the nonce its run then replays). Throws unless it is accepted.
 */
export async function primeWithFirstRequest(scenario: Scenario, base: string, headersFile: string) {
  const [first] = readFileSync(headersFile, 'utf8').split('\n');
  const primed = await fetch(`${base}${scenario.path}`, {
    method: scenario.method,
    headers: { authorization: first as string },
  });
  if (!primed.ok) throw new Error(`priming ${scenario.id} answered ${primed.status}: ${await primed.text()}`);
}

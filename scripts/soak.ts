// `npm run soak -- --minutes N`: mixed traffic against a real `tripod-server` for N minutes — PIN flows
// through the real pages (SDK + sign-in + Allow + PIN), verified API calls with the tokens they yield,
// and bad requests of every kind (each kind's expected refusal, plus the fuzz suite's broken requests
// judged by its oracle) — then a summary: requests by kind, every answer that was not the one asked for,
// the server's RSS at start, peak and end, and error lines in its log. Exits 1 on any unasked-for error.

import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { type AccessToken, randomNonce, signHttpRequest } from '../src/client/index.ts';
import { decideOnTripodPages, removeTempDirs, type ServerApp } from '../test/cli/tripod-process.ts';
import { runFuzzCase } from '../test/fuzz/fixtures/campaign.ts';
import { startFuzzTarget } from '../test/fuzz/fixtures/fuzz-target.ts';
import { type FuzzCase, fuzzCase } from '../test/fuzz/fixtures/mutations.ts';
import { megabytes, sampleMemory } from '../test/fuzz/fixtures/process-memory.ts';
import { consumerFor, pinFlow, verifyCredentials } from '../test/fuzz/fixtures/real-credentials.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '1' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});
const minutes = Number(values.minutes);
if (!(minutes > 0)) {
  process.stderr.write('usage: npm run soak -- --minutes N [--seed S]\n');
  process.exit(2);
}

const target = await startFuzzTarget();
const { url, world } = target;
const counts: Record<string, number> = {};
const unexpected: Record<string, string[]> = {};
const done = (kind: string, problem: string | null) => {
  counts[kind] = (counts[kind] ?? 0) + 1;
  if (problem === null) return;
  unexpected[kind] ??= [];
  unexpected[kind].push(problem);
};

/** A signed call with the SDK; `tweak` may break it before it is sent. */
async function signedCall(
  app: ServerApp,
  token: Pick<AccessToken, 'token' | 'tokenSecret'> | undefined,
  request: {
    method: string;
    path: string;
    form?: [string, string][];
    oauth?: [string, string][];
    timestamp?: number;
  },
  tweak: (signed: { url: string; headers: [string, string][] }) => void = () => {},
) {
  const signed = signHttpRequest(
    { consumerKey: app.consumer_key, consumerSecret: app.consumer_secret, ...token },
    {
      method: request.method,
      url: `${url}${request.path}`,
      body: request.form ? { form: request.form } : undefined,
    },
    {
      extraOAuthParams: request.oauth,
      ...(request.timestamp
        ? { nonceSource: { nonce: () => randomNonce(), timestamp: () => request.timestamp! } }
        : {}),
    },
  );
  const sendable = { url: signed.url, headers: signed.headers };
  tweak(sendable);
  const response = await fetch(sendable.url, {
    method: signed.method,
    headers: sendable.headers,
    body: signed.body as BodyInit | undefined,
  });
  return { ...(await answerOf(response)), sendable, method: signed.method };
}

/** Status, oauth_problem (when the body is Tripod's JSON) and text of an answer. */
async function answerOf(response: Response) {
  const text = await response.text();
  let problem: string | undefined;
  try {
    problem = (JSON.parse(text) as { oauth_problem?: string }).oauth_problem;
  } catch {
    problem = undefined;
  }
  return { status: response.status, problem, text };
}

const expect = (
  got: { status: number; problem?: string | undefined; text: string },
  status: number,
  problems: string[],
) =>
  got.status === status && (problems.length === 0 || problems.includes(got.problem ?? ''))
    ? null
    : `${got.status} ${got.problem ?? ''} (expected ${status} ${problems.join('|')}): ${got.text.slice(0, 200)}`;

const tokens: { app: ServerApp; token: AccessToken }[] = [{ app: world.pinApp, token: target.pinToken }];
const verify = '/1.1/account/verify_credentials.json';
const replaceHeader = (signed: { headers: [string, string][] }, edit: (value: string) => string) => {
  for (const h of signed.headers) if (h[0] === 'Authorization') h[1] = edit(h[1]);
};

/** The refusals a client can run into, each with the answer it must get. */
const BAD_KINDS: Record<string, () => Promise<string | null>> = {
  'wrong signature': async () =>
    expect(
      await signedCall(world.pinApp, target.pinToken, { method: 'GET', path: verify }, (s) =>
        replaceHeader(s, (v) => v.replace(/oauth_signature="[^"]*"/, 'oauth_signature="AAAA"')),
      ),
      401,
      ['signature_invalid'],
    ),
  'unknown consumer key': async () =>
    expect(
      await signedCall({ consumer_key: 'no-such-app', consumer_secret: 'x' }, undefined, {
        method: 'POST',
        path: '/oauth/request_token',
        oauth: [['oauth_callback', 'oob']],
      }),
      401,
      ['signature_invalid'],
    ),
  'stale timestamp': async () =>
    expect(
      await signedCall(world.pinApp, target.pinToken, {
        method: 'GET',
        path: verify,
        timestamp: 1_000_000_000,
      }),
      401,
      ['timestamp_refused'],
    ),
  'replayed nonce': async () => {
    const first = await signedCall(world.pinApp, target.pinToken, { method: 'GET', path: verify });
    if (first.status !== 200) return `the original answered ${first.status}`;
    const again = await fetch(first.sendable.url, { method: first.method, headers: first.sendable.headers });
    return expect(await answerOf(again), 401, ['nonce_used']);
  },
  'no OAuth parameters': async () => {
    const response = await fetch(`${url}${verify}`);
    return expect(await answerOf(response), 400, ['parameter_absent']);
  },
  'read token writing': async () => {
    const read = await pinFlow(url, world.readApp, world.alice);
    return expect(
      await signedCall(world.readApp, read, {
        method: 'POST',
        path: '/1.1/statuses/update.json',
        form: [['status', 'x']],
      }),
      403,
      [],
    );
  },
  'wrong PIN, then the right one': async () => {
    const consumer = consumerFor(url, world.pinApp);
    const requestToken = await consumer.requestToken({ callback: 'oob' });
    const { pin } = await decideOnTripodPages(consumer.authorizeUrl(requestToken), world.alice);
    if (pin === undefined) return 'no PIN on the page';
    const wrong = await signedCall(world.pinApp, requestToken, {
      method: 'POST',
      path: '/oauth/access_token',
      oauth: [['oauth_verifier', pin === '0000000' ? '1111111' : '0000000']],
    });
    const refused = expect(wrong, 401, ['verifier_invalid']);
    if (refused !== null) return refused;
    await consumer.accessToken(requestToken, pin);
    return null;
  },
  'revoked token': async () => {
    const token = await pinFlow(url, world.spareApp, world.alice);
    const revoked = await signedCall(world.spareApp, token, {
      method: 'POST',
      path: '/oauth/invalidate_token',
    });
    if (revoked.status !== 200) return `invalidate_token answered ${revoked.status}`;
    const after = await verifyCredentials(url, world.spareApp, token);
    return after.status === 401 ? null : `a revoked token answered ${after.status}`;
  },
};

let fuzzBatch = Number(values.seed);
let fuzzCases: FuzzCase[] = [];
async function brokenRequest(): Promise<string | null> {
  if (fuzzCases.length === 0) fuzzCases = fc.sample(fuzzCase, { seed: fuzzBatch++, numRuns: 200 });
  const { failure } = await runFuzzCase(target, fuzzCases.pop()!);
  return (
    failure && `${failure.reason} (${failure.seed}; ${failure.mutations.join(' + ')}; sent ${failure.sent})`
  );
}

const stopAt = Date.now() + minutes * 60_000;
const memory = sampleMemory(target.pid, 1000);
const running = () => Date.now() < stopAt;
const guarded = async (kind: string, run: () => Promise<string | null>) => {
  try {
    done(kind, await run());
  } catch (error) {
    done(kind, `threw ${(error as Error).message}`);
  }
};

const workers = [
  async () => {
    // PIN flows through the real pages; every token is used at once.
    for (let flow = 0; running(); flow++)
      await guarded('PIN flow (request token, sign-in, Allow, PIN, access token)', async () => {
        const app = [world.pinApp, world.readApp, world.xauthApp][flow % 3]!;
        const token = await pinFlow(url, app, world.alice);
        if (tokens.length < 50) tokens.push({ app, token });
        const me = await verifyCredentials(url, app, token);
        return me.status === 200 ? null : `its token answered ${me.status}`;
      });
  },
  ...[0, 1, 2].map(() => async () => {
    while (running())
      await guarded('verified request', async () => {
        const { app, token } = tokens[Math.floor(Math.random() * tokens.length)]!;
        const write = app === world.pinApp && Math.random() < 0.3;
        const got = await signedCall(
          app,
          token,
          write
            ? { method: 'POST', path: '/1.1/statuses/update.json', form: [['status', 'soak ✓']] }
            : { method: 'GET', path: verify },
        );
        return got.status === 200 ? null : `${got.status}: ${got.text.slice(0, 200)}`;
      });
  }),
  async () => {
    const kinds = Object.keys(BAD_KINDS);
    for (let i = 0; running(); i++)
      await guarded(`bad: ${kinds[i % kinds.length]}`, BAD_KINDS[kinds[i % kinds.length]!]!);
  },
  ...[0, 1].map(() => async () => {
    while (running()) await guarded('bad: broken by the fuzz mutations', brokenRequest);
  }),
  async () => {
    // Progress, and fresh sessions and request tokens for the page seeds.
    while (running()) {
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      await target.refresh();
      const total = Object.values(counts).reduce((n, v) => n + v, 0);
      process.stderr.write(
        `${((minutes * 60_000 - (stopAt - Date.now())) / 1000).toFixed(0)} s: ${total} requests, RSS ${megabytes(memory.last)}\n`,
      );
    }
  },
];
const started = Date.now();
let exit = 0;
try {
  await Promise.all(workers.map((w) => w()));
  await target.healthCheck({ fullFlow: true });
} finally {
  const rss = memory.stop();
  await target.close();
  removeTempDirs();
  const serverErrors = target.server
    .stderr()
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line));
  const seconds = (Date.now() - started) / 1000;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const lines = [
    `Soak: ${minutes} min against tripod-server on SQLite (fast-check seed ${values.seed})`,
    `${total} operations in ${seconds.toFixed(0)} s (${(total / seconds).toFixed(0)}/s)`,
    'By kind (operations; unexpected answers):',
    ...Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `  ${kind}: ${n}; ${unexpected[kind]?.length ?? 0}`),
    `Server RSS: start ${megabytes(rss.start)}, peak ${megabytes(rss.peak)}, end ${megabytes(rss.last)} (${rss.samples} samples)`,
    `Server error log lines: ${serverErrors.length}`,
    ...Object.entries(unexpected).flatMap(([kind, problems]) =>
      problems.slice(0, 5).map((p) => `  ${kind}: ${p}`),
    ),
    ...serverErrors.slice(0, 5).map((line) => `  log: ${line.slice(0, 500)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  exit = Object.keys(unexpected).length > 0 || serverErrors.length > 0 ? 1 : 0;
}
process.exitCode = exit;

// Drives a foreign PIN-flow client (a Python, PHP, Ruby or Perl script nobody here wrote the library of)
// against a running Tripod server, playing the person in the middle: the script prints {"authorize_url"}
// after getting a request token, the test opens that URL, signs in through the real pages, presses Allow
// and types the PIN back on the script's stdin; the script then prints its result as one JSON line.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { authorizeInBrowser } from '../server/fixtures/test-server.ts';

// Spaces, '+', '*', '~', "'", '%', '&', '=' and non-ASCII text: every character encoders disagree on.
export const AWKWARD_STATUS = "Hello world + 1 * 2 ~ 'quoted' 100% & a=b — żółw 🐢 日本語 %20 +%2B";

/** A client library nobody here wrote: Debian's interpreter that has it, and our script written with it. */
export interface ForeignClient {
  library: string;
  command: string;
  script: string;
}

const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

// Debian's interpreters (.ci/run installs them and the libraries), never a pyenv or rbenv one on PATH.
export const REQUESTS_OAUTHLIB: ForeignClient = {
  library: 'python3-requests-oauthlib',
  command: '/usr/bin/python3',
  script: script('requests_oauthlib_pin_client.py'),
};
export const PECL_OAUTH: ForeignClient = {
  library: 'php-oauth (PECL OAuth)',
  command: '/usr/bin/php',
  script: script('pecl_oauth_pin_client.php'),
};
export const RUBY_OAUTH: ForeignClient = {
  library: 'ruby-oauth',
  command: '/usr/bin/ruby',
  script: script('ruby_oauth_pin_client.rb'),
};
export const NET_OAUTH: ForeignClient = {
  library: 'libnet-oauth-perl (Net::OAuth)',
  command: '/usr/bin/perl',
  script: script('net_oauth_pin_client.pl'),
};

/**
 * Where a flow runs: a Tripod server, the app the script signs as and the person who signs in on its
 * pages (authorizeInBrowser's alice if none is named). A TestServer is one; so is a served
 * `tripod-server` (served-tripod.ts).
 */
export interface PinFlowTarget {
  base: string;
  pinApp: { consumerKey: string; consumerSecret: string };
  user?: { username: string; password: string };
}

/** The person a complete flow must name: who signed in. */
export interface FlowPerson {
  user: { id: string; username: string };
}

/** What every client script prints last (fields it cannot fill are absent). */
export interface PinClientResult {
  error?: string;
  access?: { user_id: string; screen_name: string };
  has_token?: boolean;
  me_status?: number;
  me?: { screen_name: string; id_str: string };
  access_level?: string;
  update_status?: number;
  update?: { text: string };
}

/**
 * Runs the client's `script BASE CONFIG_JSON` (CONFIG_JSON: the app's key and secret, the awkward status
 * and `options`), completes the PIN flow in the pages and returns the script's result line.
 */
export async function runPinClient(
  server: PinFlowTarget,
  client: ForeignClient,
  options: Record<string, unknown> = {},
): Promise<PinClientResult> {
  const config = JSON.stringify({
    key: server.pinApp.consumerKey,
    secret: server.pinApp.consumerSecret,
    status: AWKWARD_STATUS,
    ...options,
  });
  const child = spawn(client.command, [client.script, server.base, config], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await iterator.next();
    if (done) throw new Error(`the client stopped early: ${stderr}`);
    return JSON.parse(value as string);
  };

  const first = await next();
  assert.equal(first.error, undefined, String(first.error));
  assert.equal(first.oauth_callback_confirmed, 'true');
  const authorizeUrl = new URL(String(first.authorize_url));
  assert.equal(`${authorizeUrl.origin}${authorizeUrl.pathname}`, `${server.base}/oauth/authorize`);
  const outcome = await authorizeInBrowser(
    server.base,
    authorizeUrl.searchParams.get('oauth_token')!,
    server.user,
  );
  assert.match(outcome.pin ?? '', /^\d{7}$/, outcome.html);
  child.stdin.end(`${outcome.pin}\n`);

  const result = (await next()) as PinClientResult;
  assert.equal(await exited, result.error ? 1 : 0, stderr);
  return result;
}

/** The assertions every complete flow must pass: the user, a read-write token, GET and POST answered. */
export function assertCompleteFlow(server: FlowPerson, result: PinClientResult): void {
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(result.access, { user_id: server.user.id, screen_name: server.user.username });
  assert.equal(result.has_token, true);
  assert.equal(result.me_status, 200, JSON.stringify(result.me));
  assert.equal(result.me?.screen_name, server.user.username);
  assert.equal(result.access_level, 'read-write');
  assert.equal(result.update_status, 200, JSON.stringify(result.update));
  assert.equal(result.update?.text, AWKWARD_STATUS, 'the status comes back exactly as sent');
}

// Drives a foreign PIN-flow client (a Python or PHP script nobody here wrote the library of) against a
// running Tripod server, playing the person in the middle: the script prints {"authorize_url"} after
// getting a request token, the test opens that URL, signs in through the real pages, presses Allow and
// types the PIN back on the script's stdin; the script then prints its result as one JSON line.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { authorizeInBrowser, type TestServer } from '../server/fixtures/test-server.ts';

// Spaces, '+', '*', '~', "'", '%', '&', '=' and non-ASCII text: every character encoders disagree on.
export const AWKWARD_STATUS = "Hello world + 1 * 2 ~ 'quoted' 100% & a=b — żółw 🐢 日本語 %20 +%2B";

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
 * Runs `command args… BASE CONFIG_JSON` (CONFIG_JSON: the app's key and secret, the awkward status and
 * `options`), completes the PIN flow in the pages and returns the script's result line.
 */
export async function runPinClient(
  server: Pick<TestServer, 'base'> & { pinApp: { consumerKey: string; consumerSecret: string } },
  command: string,
  args: readonly string[],
  options: Record<string, unknown> = {},
): Promise<PinClientResult> {
  const config = JSON.stringify({
    key: server.pinApp.consumerKey,
    secret: server.pinApp.consumerSecret,
    status: AWKWARD_STATUS,
    ...options,
  });
  const child = spawn(command, [...args, server.base, config], { stdio: ['pipe', 'pipe', 'pipe'] });
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
  const outcome = await authorizeInBrowser(server.base, authorizeUrl.searchParams.get('oauth_token')!);
  assert.match(outcome.pin ?? '', /^\d{7}$/, outcome.html);
  child.stdin.end(`${outcome.pin}\n`);

  const result = (await next()) as PinClientResult;
  assert.equal(await exited, result.error ? 1 : 0, stderr);
  return result;
}

/** The assertions every complete flow must pass: the user, a read-write token, GET and POST answered. */
export function assertCompleteFlow(server: TestServer, result: PinClientResult): void {
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(result.access, { user_id: server.user.id, screen_name: 'alice' });
  assert.equal(result.has_token, true);
  assert.equal(result.me_status, 200, JSON.stringify(result.me));
  assert.equal(result.me?.screen_name, 'alice');
  assert.equal(result.access_level, 'read-write');
  assert.equal(result.update_status, 200, JSON.stringify(result.update));
  assert.equal(result.update?.text, AWKWARD_STATUS, 'the status comes back exactly as sent');
}

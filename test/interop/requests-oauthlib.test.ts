// Interoperability: Debian's python3-requests-oauthlib (OAuth1Session), a client nobody on this team wrote,
// completes the PIN flow against a running Tripod server. The test plays the person: it opens the authorize
// URL the client printed, signs in through the real pages and types the PIN back into the client.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { authorizeInBrowser, startTestServer, type TestServer } from '../server/fixtures/test-server.ts';

// Debian's Python, which has python3-requests-oauthlib (.ci/run installs it); not a pyenv one on PATH.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./requests_oauthlib_pin_client.py', import.meta.url));

// Spaces, '+', '*', '~', "'", '%', '&', '=' and non-ASCII text: every character encoders disagree on.
const STATUS = "Hello world + 1 * 2 ~ 'quoted' 100% & a=b — żółw 🐢 日本語 %20 +%2B";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

interface ClientResult {
  error?: string;
  access?: { user_id: string; screen_name: string };
  has_token?: boolean;
  me_status?: number;
  me?: { screen_name: string; id_str: string };
  access_level?: string;
  update_status?: number;
  update?: { text: string };
}

async function runClient(
  options: { signature_method?: string; signature_type?: string } = {},
): Promise<ClientResult> {
  const config = JSON.stringify({
    key: server.pinApp.consumerKey,
    secret: server.pinApp.consumerSecret,
    status: STATUS,
    ...options,
  });
  const child = spawn(PYTHON, [SCRIPT, server.base, config], { stdio: ['pipe', 'pipe', 'pipe'] });
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

  const result = (await next()) as ClientResult;
  assert.equal(await exited, result.error ? 1 : 0, stderr);
  return result;
}

describe('python3-requests-oauthlib against Tripod', () => {
  test('OAuth1Session: oob request token, PIN from the pages, access token, GET and a POST with awkward text', async () => {
    const result = await runClient();
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(result.access, { user_id: server.user.id, screen_name: 'alice' });
    assert.equal(result.has_token, true);
    assert.equal(result.me_status, 200);
    assert.equal(result.me?.screen_name, 'alice');
    assert.equal(result.access_level, 'read-write');
    assert.equal(result.update_status, 200, JSON.stringify(result.update));
    assert.equal(result.update?.text, STATUS, 'the status comes back exactly as sent');
  });

  test('the same flow with HMAC-SHA256 and the OAuth parameters in the query string', async () => {
    const result = await runClient({ signature_method: 'HMAC-SHA256', signature_type: 'QUERY' });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.me_status, 200);
    assert.equal(result.update?.text, STATUS);
  });
});

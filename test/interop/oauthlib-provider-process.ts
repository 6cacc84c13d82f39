// Starts test/interop/oauthlib-provider.py (Debian's python3-oauthlib) on 127.0.0.1:0 and returns its
// URL once it prints "listening …". Killed by stop() — only the process started here.

import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface OAuthlibClient {
  key: string;
  secret: string;
  rsa_public_key?: string;
}

export interface OAuthlibProvider {
  url: string;
  stop(): Promise<void>;
}

const script = join(dirname(fileURLToPath(import.meta.url)), 'oauthlib-provider.py');

export async function startOAuthlibProvider(config: {
  clients: OAuthlibClient[];
  user?: { user_id: string; screen_name: string };
}): Promise<OAuthlibProvider> {
  const child: ChildProcess = spawn('/usr/bin/python3', [script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`oauthlib provider did not start: ${stderr}`)), 15_000);
    lines.on('line', (line) => {
      const match = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`oauthlib provider exited (${code}): ${stderr}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The person's part of the flow, done by an HTTP client: open the consent page, press #allow, read #oauth_pin. */
export async function approveOnOAuthlibPage(
  authorizeUrl: string,
): Promise<{ pin?: string; location?: string }> {
  const page = await (await fetch(authorizeUrl)).text();
  const token = /name=oauth_token value="([^"]+)"/.exec(page)?.[1];
  if (token === undefined) throw new Error(`no consent form in ${page}`);
  const action = new URL('/oauth/authorize', authorizeUrl);
  const response = await fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ oauth_token: token, decision: 'allow' }),
    redirect: 'manual',
  });
  if (response.status === 302) return { location: response.headers.get('location')! };
  const pin = /id="oauth_pin">(\d+)</.exec(await response.text())?.[1];
  if (pin === undefined) throw new Error('no #oauth_pin on the PIN page');
  return { pin };
}

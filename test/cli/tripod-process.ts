// Runs the real `bin/tripod.js` as a user would, in a child process with TRIPOD_CONFIG_DIR in a temp
// directory, and starts the real `bin/tripod-server.js` (app add --json, user add, serve --port 0).
// Also a small page walker that does a person's part on Tripod's pages through the compatibility
// surface of DESIGN.md §3: #username/#password, the CSRF field, #allow/#deny, #oauth_pin.

import {
  type ChildProcess,
  type ChildProcessWithoutNullStreams,
  execFile,
  execFileSync,
  spawn,
} from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../e2e/fixtures/tripod-server-process.ts';
import { oneForTheFile } from '../fixtures/for-the-file.ts';

export const TRIPOD = fileURLToPath(new URL('../../bin/tripod.js', import.meta.url));
const TRIPOD_SERVER = fileURLToPath(new URL('../../bin/tripod-server.js', import.meta.url));

const temporary: string[] = [];
export function tempDir(prefix = 'tripod-cli-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * One server for a whole test file (startTripodServer, serveTripodForClients…): started before the file's
 * tests; after them, stopped, and the temp dirs the file made removed (oneForTheFile).
 */
export function serverForTheFile<T extends { stop(): Promise<void> }>(start: () => Promise<T>): T {
  return oneForTheFile(start, async (server) => {
    await server.stop();
    removeTempDirs();
  });
}

/** The environment of a clean user: no CI, no display, no TRIPOD_* or XDG_* from the developer's shell. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('TRIPOD_') || k.startsWith('XDG_') || k === 'CI' || k === 'DISPLAY' || k === 'BROWSER')
      continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** A program on a pseudo-terminal (util-linux `script`), so its stdin is a TTY and it prompts as at a person's. */
export interface OnTerminal {
  child: ChildProcessWithoutNullStreams;
  /** Waits for a pattern in what appeared since the last match. */
  next(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<number>;
  screen(): string;
}

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Runs `script` (one of TRIPOD, TRIPOD_SERVER) with `args` on a pseudo-terminal. */
export function onTerminal(script: string, args: readonly string[], env: NodeJS.ProcessEnv): OnTerminal {
  const command = [process.execPath, script, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], { env });
  let screen = '';
  let cursor = 0;
  child.stdout.on('data', (chunk) => {
    screen += chunk;
  });
  const next = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`never saw ${pattern} after: ${screen.slice(cursor)}`)),
        timeoutMs,
      );
      const check = () => {
        const match = pattern.exec(screen.slice(cursor));
        if (match) {
          clearTimeout(timer);
          child.stdout.off('data', check);
          cursor += match.index + match[0].length;
          resolve(match);
        }
      };
      child.stdout.on('data', check);
      check();
    });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return { child, next, exited, screen: () => screen };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runTripod(
  args: string[],
  env: Record<string, string | undefined>,
  stdin?: string,
  cwd?: string,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [TRIPOD, ...args],
      { env: cleanEnv(env), cwd },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

/** A running `tripod` whose stderr can be awaited line by line and whose stdin can be written later. */
export interface InteractiveTripod {
  child: ChildProcessWithoutNullStreams;
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  done: Promise<RunResult>;
}

export function startTripod(args: string[], env: Record<string, string | undefined>): InteractiveTripod {
  const child = spawn(process.execPath, [TRIPOD, ...args], { env: cleanEnv(env) });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  const done = new Promise<RunResult>((resolve) => {
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
  return {
    child,
    done,
    waitForStderr(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`stderr never matched ${pattern}: ${stderr}`)),
          timeoutMs,
        );
        const check = () => {
          const match = pattern.exec(stderr);
          if (match) {
            clearTimeout(timer);
            resolve(match);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** `tripod authorize` for one of the server's apps, with the flags DESIGN.md §3 names. */
export function authorizeArgs(
  server: Pick<TripodServer, 'url'>,
  app: TripodServer['pinApp'],
  extra: string[] = [],
): string[] {
  return [
    'authorize',
    '--site',
    server.url,
    '--consumer-key',
    app.consumer_key,
    '--consumer-secret',
    app.consumer_secret,
    ...extra,
  ];
}

/** An HTTPS server on 127.0.0.1 with a throw-away self-signed certificate (made with openssl). */
export async function startSelfSignedServer(): Promise<{ server: TlsServer; url: string }> {
  const dir = tempDir('tripod-tls-');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=127.0.0.1'],
      ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    ],
    { stdio: 'ignore' },
  );
  const server = createTlsServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (_req, res) => res.end('{}'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Where a tripod-server keeps its data, as its flags: `['--data', DIR]` (SQLite), or the shared stores'
 * flags (`--database-url`, `--redis-url`). Every command takes them.
 */
export type StoreFlags = readonly string[];

/** One `tripod-server` command (not `serve`) on the given stores. */
export function runServerCli(
  args: readonly string[],
  store: StoreFlags,
  env: Record<string, string | undefined> = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TRIPOD_SERVER, ...args, ...store],
      { env: cleanEnv(env) },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

export interface ServerApp {
  consumer_key: string;
  consumer_secret: string;
}

/** `tripod-server app add … --json` on the given stores. */
export async function addServerApp(store: StoreFlags, args: readonly string[]): Promise<ServerApp> {
  const result = await runServerCli(['app', 'add', ...args, '--json'], store);
  if (result.code !== 0) throw new Error(`app add failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ServerApp;
}

/** `tripod-server user add` on the given stores. */
export async function addServerUser(store: StoreFlags, username: string, password: string): Promise<void> {
  const added = await runServerCli(['user', 'add', username, '--password', password], store);
  if (added.code !== 0) throw new Error(`user add failed: ${added.stderr}`);
}

/** A running `tripod-server serve` child process (`stopServers` in `after` stops any a failed test left). */
export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote on stderr so far (its JSON log). */
  stderr(): string;
  /** SIGTERM, resolved when the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: nothing is flushed or closed), resolved when the process is gone. */
  kill(): Promise<void>;
}

/** Starts `tripod-server serve` on the given stores (any free port unless told), once it prints its URL. */
export async function serveTripod(
  store: StoreFlags,
  options: { args?: readonly string[]; env?: Record<string, string>; port?: number } = {},
): Promise<ServeProcess> {
  const { url, child, stderr } = await serve(
    ['--port', String(options.port ?? 0), ...store, ...(options.args ?? [])],
    options.env,
  );
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };
  return { url, child, stderr, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
}

export interface TripodServer {
  url: string;
  data: string;
  pinApp: ServerApp;
  loopbackApp: ServerApp;
  user: { username: string; password: string };
  stop(): Promise<void>;
}

/** Starts the real Tripod server the way an operator does, with a PIN-only app, a loopback app and a user. */
export async function startTripodServer(): Promise<TripodServer> {
  const data = tempDir('tripod-server-data-');
  const store = ['--data', data];
  const pinApp = await addServerApp(store, ['--name', 'tripod CLI test']);
  const loopbackApp = await addServerApp(store, [
    '--name',
    'tripod loopback test',
    '--callback',
    'http://127.0.0.1/callback',
  ]);
  const user = { username: 'carol', password: 'carol-password-1' };
  await addServerUser(store, user.username, user.password);
  const server = await serveTripod(store);
  return { url: server.url, data, pinApp, loopbackApp, user, stop: server.stop };
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return match?.[1]?.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'");
}

/**
 * A person's part of the flow on Tripod's pages, with a cookie jar: open the authorize URL, fill
 * #username/#password when the page asks, keep every hidden field (the CSRF token among them), press
 * #allow or #deny. Returns the PIN from #oauth_pin, or where the browser was redirected.
 */
export async function decideOnTripodPages(
  authorizeUrl: string,
  person: { username: string; password: string },
  decision: 'allow' | 'deny' = 'allow',
): Promise<{ pin?: string; location?: string; html: string }> {
  const cookies = new Map<string, string>();
  const visit = async (url: string, form?: URLSearchParams) => {
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers,
      body: form,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return {
      status: response.status,
      location: response.headers.get('location'),
      html: await response.text(),
    };
  };
  let page = await visit(authorizeUrl);
  for (let hops = 0; page.status >= 300 && page.status < 400 && page.location && hops < 5; hops++) {
    page = await visit(new URL(page.location, authorizeUrl).href);
  }
  const formTag = /<form\b[^>]*>/.exec(page.html)?.[0];
  if (formTag === undefined)
    throw new Error(`no decision form on the authorize page (${page.status}): ${page.html.slice(0, 300)}`);
  if (!page.html.includes('id="allow"') || !page.html.includes('id="deny"'))
    throw new Error('no #allow/#deny buttons');
  const form = new URLSearchParams();
  for (const input of page.html.match(/<input\b[^>]*>/g) ?? []) {
    const name = attribute(input, 'name');
    if (name === undefined) continue;
    if (attribute(input, 'id') === 'username') form.set(name, person.username);
    else if (attribute(input, 'id') === 'password') form.set(name, person.password);
    else if (attribute(input, 'type') === 'hidden') form.set(name, attribute(input, 'value') ?? '');
  }
  const button = new RegExp(`<button\\b[^>]*\\bid="${decision}"[^>]*>`).exec(page.html)?.[0] ?? '';
  form.set(attribute(button, 'name') ?? 'decision', attribute(button, 'value') ?? decision);
  const action = new URL(attribute(formTag, 'action') ?? authorizeUrl, authorizeUrl).href;
  let answer = await visit(action, form);
  // A redirect to the PIN page is followed; a redirect elsewhere (the app's callback) is the result.
  const origin = new URL(authorizeUrl).origin;
  for (let hops = 0; answer.status >= 300 && answer.status < 400 && answer.location && hops < 5; hops++) {
    const next = new URL(answer.location, action);
    if (next.origin !== origin) return { location: next.href, html: answer.html };
    answer = await visit(next.href);
  }
  const pin = /<(\w+)\b[^>]*\bid="oauth_pin"[^>]*>\s*([^<]*?)\s*<\/\1>/.exec(answer.html)?.[2];
  return pin === undefined ? { html: answer.html } : { pin, html: answer.html };
}

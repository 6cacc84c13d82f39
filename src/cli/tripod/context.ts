// The one configuration object of a `tripod` run (DESIGN.md §4): built once from flags and the
// environment, passed down. Nothing below cli/ reads process.env; the profile directory, whether a
// browser may be opened and where output goes are decided here.

import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import envPaths from 'env-paths';
import { ProfileStore } from '../../client/profile-store.ts';

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
}

export interface CliContext {
  io: CliIO;
  /** Where profiles.json lives: --config-dir > TRIPOD_CONFIG_DIR > $XDG_CONFIG_HOME/tripod > the OS default. */
  configDir: string;
  store: ProfileStore;
  debug: boolean;
  /** -v: request and response headers on stderr, as curl -v shows them (secrets masked). */
  verbose: boolean;
  /** CI=true (or any CI value but "false"/"0"): never open a browser, never prompt on a TTY. */
  ci: boolean;
  /** A graphical session where opening a browser makes sense. */
  display: boolean;
  /** Lines for people (stderr). */
  note(line: string): void;
  /** Result lines (stdout). */
  print(line: string): void;
  /** --debug lines (stderr), only when --debug is on. */
  trace(line: string): void;
  /** HTTP exchange lines (stderr): with --debug as debug lines, with -v as curl prints them. */
  wire(line: string): void;
}

export function configDirectory(flag: string | undefined, env: Record<string, string | undefined>): string {
  if (flag) return flag;
  if (env.TRIPOD_CONFIG_DIR) return env.TRIPOD_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'tripod');
  return envPaths('tripod', { suffix: '' }).config;
}

export function createContext(
  io: CliIO,
  options: { configDir?: string | undefined; debug?: boolean | undefined; verbose?: boolean | undefined },
): CliContext {
  const configDir = configDirectory(options.configDir, io.env);
  const ci = io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false' && io.env.CI !== '0';
  const display =
    io.platform === 'darwin' ||
    io.platform === 'win32' ||
    Boolean(io.env.DISPLAY) ||
    Boolean(io.env.WAYLAND_DISPLAY) ||
    Boolean(io.env.BROWSER);
  const note = (line: string) => io.stderr.write(`${line}\n`);
  const trace = (line: string) => {
    if (options.debug) io.stderr.write(`[debug] ${line}\n`);
  };
  return {
    io,
    configDir,
    store: new ProfileStore(configDir, { onRepair: (message) => note(`tripod: warning: ${message}`) }),
    debug: options.debug ?? false,
    verbose: options.verbose ?? false,
    ci,
    display,
    note,
    print: (line) => io.stdout.write(`${line}\n`),
    trace,
    wire: (line) => {
      if (options.debug) trace(line);
      else if (options.verbose) note(line);
    },
  };
}

/** Exit codes: 0 success, 1 failure, 2 usage, 4 HTTP 4xx, 5 HTTP 5xx (as xh does). */
export const ExitCode = { ok: 0, failure: 1, usage: 2, http4xx: 4, http5xx: 5 } as const;

export function exitCodeForStatus(status: number): number {
  if (status >= 500) return ExitCode.http5xx;
  if (status >= 400) return ExitCode.http4xx;
  return ExitCode.ok;
}

/** A failure the CLI reports in one line with its exit code (no stack trace). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.failure) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

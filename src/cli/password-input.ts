// Where `tripod-server user add` and `user passwd` get a password without it landing in shell history:
// typed at a terminal with no echo (npm's `read`, asked twice), or the first line of stdin with
// --password-stdin (scripts: `printf %s "$PW" | tripod-server user passwd NAME --password-stdin`).
// The --password flag and TRIPOD_PASSWORD stay for `user add`, as before.

import { createInterface } from 'node:readline';
import { read } from 'read';

export class PasswordInputError extends Error {
  override name = 'PasswordInputError';
}

async function firstLineOfStdin(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** The password from stdin (--password-stdin) or typed twice at the terminal, without echo. */
export async function readNewPassword(options: { fromStdin: boolean; who: string }): Promise<string> {
  if (options.fromStdin) {
    const password = await firstLineOfStdin();
    if (password === '') throw new PasswordInputError('--password-stdin: stdin held no password');
    return password;
  }
  if (!process.stdin.isTTY) {
    throw new PasswordInputError(
      'no terminal to type the password at: pipe it in with --password-stdin (or give --password)',
    );
  }
  const ask = (prompt: string) =>
    read({ prompt, silent: true, replace: '', input: process.stdin, output: process.stderr });
  const password = await ask(`New password for ${options.who}: `);
  if (password === '') throw new PasswordInputError('no password typed: nothing changed');
  if ((await ask('Type it again: ')) !== password) {
    throw new PasswordInputError('the two passwords differ: nothing changed');
  }
  return password;
}

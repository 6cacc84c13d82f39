// Where `request` and `sign` write their result: stdout, or the file of curl's `-o FILE` ("-" is stdout).
// The file is opened (without truncating it) before anything is sent, so an unwritable path fails
// before a POST has happened; it is emptied at the first write, and a run that fails before writing
// leaves an existing file as it was and creates none. `-o json` meant "print JSON" before -o took
// curl's meaning; such a run still writes the file (as curl would) and says where the old behaviour went.

import { closeSync, existsSync, ftruncateSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { type CliContext, CliError } from './context.ts';

export interface CommandOutput {
  write(chunk: string | Uint8Array): void;
  /** A terminal gets a final newline after a body that lacks one; a file gets the bytes as they came. */
  readonly isTTY: boolean;
  /** `completed` false: the command failed before its output was whole (nothing is left behind). */
  close(completed: boolean): void;
}

export function openCommandOutput(context: CliContext, file: string | undefined): CommandOutput {
  const { stdout } = context.io;
  if (file === undefined || file === '-') {
    return { write: (chunk) => stdout.write(chunk), isTTY: stdout.isTTY === true, close: () => {} };
  }
  const existed = existsSync(file);
  let fd: number;
  try {
    fd = openSync(file, 'a', 0o644);
  } catch (error) {
    throw new CliError(`Cannot write -o ${file}: ${(error as Error).message}`);
  }
  let started = false;
  const start = () => {
    if (!started) ftruncateSync(fd, 0);
    started = true;
  };
  return {
    write: (chunk) => {
      start();
      writeFileSync(fd, chunk);
    },
    isTTY: false,
    close: (completed) => {
      if (completed) start();
      closeSync(fd);
      if (!started && !existed) rmSync(file, { force: true });
      if (completed && file === 'json') {
        context.note(
          `tripod: wrote the output to the file ./${file}: -o FILE writes to a file now, as in curl. For one JSON document on stdout, use --format json.`,
        );
      }
    },
  };
}

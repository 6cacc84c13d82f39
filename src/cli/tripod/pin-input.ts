// Reads the PIN the provider showed: from the terminal with a prompt on stderr, or — when stdin is not
// a terminal (scripts, tests, CI) — the first line of stdin, without a prompt to answer.

import { createInterface } from 'node:readline';
import type { CliContext } from './context.ts';
import { CliError } from './context.ts';

export async function readPin(context: CliContext, timeoutMs: number): Promise<string> {
  const { stdin, stderr } = context.io;
  const interactive = stdin.isTTY === true;
  if (interactive) stderr.write('Enter the PIN: ');
  const lines = createInterface({ input: stdin, terminal: false });
  try {
    const pin = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line);
      });
      lines.once('close', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    const value = pin?.trim() ?? '';
    if (value === '') {
      throw new CliError(
        pin === undefined ? 'No PIN was given (stdin closed or timed out).' : 'The PIN was empty.',
      );
    }
    return value;
  } finally {
    lines.close();
  }
}

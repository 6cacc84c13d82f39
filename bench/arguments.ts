// The benchmark scripts' command lines, read by Node's parseArgs. On its own, parseArgs throws at any
// option it does not know — `--help` among them — and the script died with a stack trace that named no
// option it does know. Here `--help` prints the script's opening comment (what it measures, then its usage
// line, which every script keeps there) and exits 0; an unknown or malformed option prints what was wrong and
// the usage line, and exits 2. The comment is the one description of a script: nothing to keep in step.
// An option whose default is a number must be given a number: `--duration abc` became NaN seconds, and
// the run failed minutes later, deep in wrk or a division, instead of at once.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** The leading `//` comment of `file`, without its slashes. */
export function openingComment(file: string): string {
  const lines: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  return lines.join('\n');
}

/** The usage lines of an opening comment: the indented command and its continuation lines. */
export function usageLines(comment: string): string {
  const lines = comment.split('\n');
  const first = lines.findIndex((line) => /^ {2}(npm run|node) /.test(line));
  if (first === -1) return '';
  let end = first + 1;
  while (end < lines.length && /^ {3,}\S/.test(lines[end] as string)) end++;
  return lines.slice(first, end).join('\n');
}

/** process.argv read as `config` says; `--help` and wrong options answered as above (the process ends). */
export function benchArguments<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  const script = process.argv[1] as string;
  if (process.argv.slice(2).includes('--help')) {
    console.log(openingComment(script));
    process.exit(0);
  }
  try {
    const parsed = parseArgs(config);
    for (const [name, option] of Object.entries(config.options ?? {})) {
      const value = (parsed.values as Record<string, unknown>)[name];
      if (NUMBER.test(String(option.default)) && typeof value === 'string' && !NUMBER.test(value)) {
        throw new Error(`--${name} takes a number (such as its default, ${option.default}), not "${value}"`);
      }
    }
    return parsed;
  } catch (error) {
    console.error(`${basename(script)}: ${(error as Error).message}`);
    const usage = usageLines(openingComment(script));
    console.error(`usage:\n${usage}\n(--help says what each option does)`);
    process.exit(2);
  }
}

const NUMBER = /^\d+(\.\d+)?$/;

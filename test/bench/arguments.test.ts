// The benchmark scripts' command lines (bench/arguments.ts): --help prints what a script measures and
// how to call it, a wrong option a sentence and the usage line, never a stack trace; and every script
// that reads its options this way keeps a usage line in its opening comment for those answers to show.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openingComment, usageLines } from '../../bench/arguments.ts';

const bench = fileURLToPath(new URL('../../bench/', import.meta.url));
const script = join(bench, 'micro/oldest-first.ts');

function run(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('--help prints the opening comment, usage line included, and exits 0', () => {
  const result = run('--help');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^Dropping the oldest entry of a full window/);
  assert.match(result.stdout, /node bench\/micro\/oldest-first\.ts \[--entries 10000\]/);
  // The comment and nothing else: the script ended before measuring anything.
  assert.equal(result.stdout, `${openingComment(script)}\n`);
});

test('an unknown option is named, the usage shown, exit 2, no stack trace', () => {
  const result = run('--bogus');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /oldest-first\.ts: Unknown option '--bogus'/);
  assert.match(result.stderr, /usage:\n {2}node bench\/micro\/oldest-first\.ts/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('an option missing its value is named, exit 2', () => {
  const result = run('--entries');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /Option '--entries <value>' argument missing/);
});

test('usageLines takes the command and its continuation lines, nothing after', () => {
  const comment = [
    'What it does.',
    '',
    '  npm run bench -- [--duration 10]',
    '                   [--only ID]',
    '--only: which scenarios.',
  ].join('\n');
  assert.equal(usageLines(comment), '  npm run bench -- [--duration 10]\n                   [--only ID]');
  assert.equal(usageLines('No usage here.'), '');
});

test('every script that reads its options through benchArguments has a usage line', () => {
  const scripts: string[] = [];
  for (const entry of readdirSync(bench, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts') || entry === 'arguments.ts') continue;
    const file = join(bench, entry);
    if (readFileSync(file, 'utf8').includes('benchArguments(')) scripts.push(entry);
  }
  assert.ok(scripts.length >= 10, `found ${scripts.join(', ')}`);
  for (const entry of scripts) {
    assert.notEqual(usageLines(openingComment(join(bench, entry))), '', `${entry} has no usage line`);
  }
});

test('an option whose default is a number refuses anything else, exit 2', () => {
  const result = run('--entries', 'ten');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--entries takes a number \(such as its default, 10000\), not "ten"/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

// The --protect setting (DESIGN.md §3): PREFIX=UPSTREAM, repeatable as a flag, comma-separated in
// TRIPOD_PROTECT, validated at start with a sentence naming the setting and what is wrong.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, resolveServerConfig } from '../../src/server/config.ts';
import { run } from '../e2e/fixtures/tripod-server-process.ts';

const rules = (config: ReturnType<typeof resolveServerConfig>) =>
  (config.protect ?? []).map((r) => [r.prefix, r.upstream.origin]);

describe('--protect PREFIX=UPSTREAM', () => {
  test('unset by default; TRIPOD_PROTECT takes a comma-separated list; / protects everything', () => {
    assert.equal(resolveServerConfig({}).protect, null);
    const config = resolveServerConfig({
      env: { TRIPOD_PROTECT: '/api/=http://127.0.0.1:8000, /=https://upstream.example' },
    });
    assert.deepEqual(rules(config), [
      ['/api', 'http://127.0.0.1:8000'],
      ['', 'https://upstream.example'],
    ]);
  });

  test('each flag given is one rule (the CLI collects repeated flags)', async () => {
    const result = await run([
      'config',
      '--json',
      '--protect',
      '/a=http://127.0.0.1:1',
      '--protect',
      '/b/c=http://127.0.0.1:2',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).protect, {
      value: '/a=http://127.0.0.1:1,/b/c=http://127.0.0.1:2',
      source: 'flag',
    });
  });

  for (const [value, why] of [
    ['api=http://127.0.0.1:1', /PREFIX a path such as \/api/],
    ['/api/:id=http://127.0.0.1:1', /PREFIX a path such as \/api/],
    ['/api/*=http://127.0.0.1:1', /PREFIX a path such as \/api/],
    ['/api/../admin=http://127.0.0.1:1', /PREFIX a path such as \/api/],
    ['/api', /PREFIX a path such as \/api/],
    ['/api=http://127.0.0.1:1/base', /upstream origin .*no path/],
    ['/api=ftp://files.example', /upstream origin/],
    ['/api=http://user:pw@127.0.0.1:1', /no path, query or credentials/],
    ['/api=http://127.0.0.1:1,/api/=http://127.0.0.1:2', /names the prefix \/api\/ twice/],
  ] as const) {
    test(`${value} is refused at start`, () => {
      assert.throws(
        () => resolveServerConfig({ env: { TRIPOD_PROTECT: value } }),
        (error: unknown) =>
          error instanceof ConfigError &&
          /^--protect \(TRIPOD_PROTECT\) /.test(error.message) &&
          why.test(error.message),
      );
    });
  }
});

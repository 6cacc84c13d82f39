// The server's modules leave Node's bundled undici unloaded (src/server/node-http.ts): an ES module import of
// node:http reads its WebSocket getter, which loads undici (745 KB of source) into a server that never uses
// it. Each check runs in a fresh Node process, where nothing else has loaded it yet.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

/** Whether a fresh process has loaded undici after importing `specifiers` (resolved from this file). */
function loadsUndici(specifiers: readonly string[]): boolean {
  const urls = specifiers.map((s) => new URL(s, import.meta.url).href);
  const script = `for (const url of ${JSON.stringify(urls)}) await import(url);
console.log(process.moduleLoadList.some((name) => name.includes('undici')));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim()) as boolean;
}

test('an ES module import of node:http loads undici (what the check below would catch)', () => {
  assert.equal(loadsUndici(['data:text/javascript,import "node:http";']), true);
});

test("tripod-server's command, the server and the framework integrations do not load undici", () => {
  assert.equal(
    loadsUndici([
      '../../src/cli/tripod-server.ts',
      '../../src/server/index.ts',
      '../../src/integrations/fastify.ts',
      '../../src/integrations/express.ts',
      '../../src/integrations/fetch.ts',
    ]),
    false,
  );
});

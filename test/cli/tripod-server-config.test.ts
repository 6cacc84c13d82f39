// One configuration registry, seen from the command line: `tripod-server config` shows every setting with
// where its value came from, every command takes the store settings and --config, and `npm start` lets
// TRIPOD_* variables work as the README's table says (a flag in the start script would beat them).

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/tripod-server.js');
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-config-cli-'));
  dirs.push(dir);
  return dir;
}

function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRIPOD_')) env[k] = v;
  return { ...env, ...extra };
}

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: envWith(env) }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('tripod-server configuration on the command line', () => {
  test('config prints every setting with its value and source: flag, environment, config file, default', async () => {
    const dir = tempDir();
    const file = join(dir, 'tripod.json');
    writeFileSync(file, JSON.stringify({ 'pin-length': 9, port: 4000 }));
    const { code, stdout } = await run(['config', '--config', file, '--port', '5000', '--json'], {
      TRIPOD_SESSION_TTL: '3600',
    });
    assert.equal(code, 0);
    const shown = JSON.parse(stdout) as Record<string, { value: string; source: string }>;
    assert.deepEqual(shown.port, { value: '5000', source: 'flag' });
    assert.deepEqual(shown.pinLength, { value: '9', source: 'config file' });
    assert.deepEqual(shown.sessionTtlSeconds, { value: '3600', source: 'environment' });
    assert.deepEqual(shown.logLevel, { value: 'info', source: 'default' });
    const text = await run(['config'], { TRIPOD_CONFIG: file });
    assert.match(text.stdout, /^--pin-length\s+9\s+\(config file\)$/m);
  });

  test('a bad value anywhere stops every command with one sentence naming the setting', async () => {
    const serve = await run(['serve', '--pin-length', '3']);
    assert.equal(serve.code, 1);
    assert.equal(
      serve.stderr,
      "tripod-server: --pin-length (TRIPOD_PIN_LENGTH) must be a whole number from 6 to 10, got '3'\n",
    );
    const list = await run(['app', 'list'], { TRIPOD_DATA: ' ' });
    assert.equal(list.code, 1);
    assert.match(list.stderr, /^tripod-server: --data \(TRIPOD_DATA\) must be a directory, got ' '\n$/);
  });

  test('every command takes the store settings from a flag, the environment or a config file', async () => {
    const dir = tempDir();
    const file = join(dir, 'tripod.json');
    writeFileSync(file, JSON.stringify({ data: join(dir, 'from-file') }));
    const added = await run(['app', 'add', '--name', 'From file', '--json', '--config', file]);
    assert.equal(added.code, 0, added.stderr);
    assert.ok(existsSync(join(dir, 'from-file', 'tripod.db')));
    const listed = await run(['app', 'list', '--json'], { TRIPOD_DATA: join(dir, 'from-file') });
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { name: string }[]).map((a) => a.name),
      ['From file'],
    );
    const user = await run([
      'user',
      'add',
      'ann',
      '--password',
      'long enough pw',
      '--data',
      join(dir, 'flag'),
    ]);
    assert.equal(user.code, 0, user.stderr);
    assert.ok(existsSync(join(dir, 'flag', 'tripod.db')));
  });

  test('npm start honours TRIPOD_DATA and TRIPOD_PORT (the start script passes no flag that beats them)', async () => {
    const dir = tempDir();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: envWith({ TRIPOD_DATA: dir, TRIPOD_PORT: '0', TRIPOD_LOG_LEVEL: 'silent' }),
      detached: true,
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner: ${stdout}`)), 20_000);
        child.stdout.on('data', () => {
          if (/Data: .*\n/.test(stdout)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${stdout}`)));
      });
    } finally {
      // npm runs the server in a child of its own: stop the whole group.
      process.kill(-(child.pid as number), 'SIGTERM');
    }
    assert.match(stdout, new RegExp(`Data: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/tripod\\.db`));
    assert.doesNotMatch(stdout, /listening on http:\/\/127\.0\.0\.1:3000\b/);
  });

  test('a port already in use is named with the flag that picks another', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const { code, stderr } = await run(['serve', '--port', String(port), '--data', tempDir()]);
      assert.equal(code, 1);
      assert.equal(
        stderr,
        `tripod-server: port ${port} on 127.0.0.1 is already in use: stop what is using it, or choose another port with --port (TRIPOD_PORT)\n`,
      );
    } finally {
      blocker.close();
    }
  });
});

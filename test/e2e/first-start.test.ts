// A newcomer's first start, on a machine whose system Node is older than Tripod needs (Node 20 in
// /usr/bin here, as on the Debian machines Tripod runs on): the README's `npm ci && npm start` work as they
// stand in a fresh clone, because npm scripts run on the Node 24 that `npm ci` installs (devDependency
// "node"); and running the sources directly on the old Node gets one sentence saying what to do.

import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The system Node of such a machine.
const OLD_NODE = '/usr/bin/node';
const oldNodeVersion = execFileSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).trim();

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** This environment with the old Node first on PATH, and nothing of the npm or test run that started us. */
function newcomerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|NODE_|TRIPOD_)/i.test(name)) env[name] = value;
  }
  return { ...env, PATH: `${dirname(OLD_NODE)}:${process.env.PATH}`, ...extra };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe(`a machine whose system Node is ${oldNodeVersion}`, () => {
  test('the system Node is older than Tripod needs (else this file proves nothing)', () => {
    assert.ok(Number(/^v(\d+)/.exec(oldNodeVersion)?.[1]) < 22, oldNodeVersion);
  });

  test("the README's `npm ci && npm start` in a fresh clone serve, and print the banner", {
    timeout: 300_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tripod-first-start-'));
    dirs.push(dir);
    const clone = join(dir, 'tripod');
    execFileSync('git', ['clone', '--quiet', ROOT, clone]);
    // npm ci exactly as the README says; from npm's cache, as far as it has the packages.
    const env = newcomerEnv({
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    });
    const ci = await run('npm', ['ci'], clone, env);
    assert.equal(ci.code, 0, `npm ci failed:\n${ci.stdout}\n${ci.stderr}`);

    // npm start, on any free port (TRIPOD_PORT), stopped once the banner is out.
    const start = spawn('npm', ['start'], { cwd: clone, env: { ...env, TRIPOD_PORT: '0' }, detached: true });
    let stdout = '';
    let stderr = '';
    start.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => start.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        start.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk;
          const match = /Tripod is listening on (http:\/\/\S+)/.exec(stdout);
          // The banner is printed in one write; its Data line means it is all there.
          if (match && /Data: .*\n/.test(stdout)) resolve(match[1]!);
        });
        exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${stdout}\n${stderr}`)));
      });
      assert.match(stdout, /First run: created a demo user and a PIN-only demo app/);
      assert.doesNotMatch(stderr, /ERR_UNKNOWN_FILE_EXTENSION/);
      const front = await fetch(`${url}/oauth/request_token`, { method: 'POST' });
      assert.equal(front.status, 400, 'the server answers');
    } finally {
      // npm, its shell and the server: the process group this test started.
      if (start.exitCode === null) process.kill(-start.pid!, 'SIGTERM');
      await exited;
    }
  });

  for (const command of ['tripod-server', 'tripod']) {
    test(`bin/${command}.js run directly on it says in one sentence which Node is needed and how to get it`, async () => {
      const result = await run(OLD_NODE, [join(ROOT, 'bin', `${command}.js`), '--help'], ROOT, newcomerEnv());
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(
        lines[0]!,
        new RegExp(
          `^${command}: Tripod needs Node\\.js 22\\.18 or newer but this is Node\\.js ${oldNodeVersion.slice(1).replaceAll('.', '\\.')}, `,
        ),
      );
      assert.match(lines[0]!, /npm start/);
      assert.match(lines[0]!, /nvm install/);
      assert.doesNotMatch(result.stderr, /ERR_UNKNOWN_FILE_EXTENSION|at .*:\d+:\d+/);
    });
  }
});

// The operator's side of secrets at rest, through the real `tripod-server`: `secrets new-key` makes a key
// line, every command takes the key file, `secrets rotate` moves everything to the newest key so the old
// one can go, `config` masks inline keys, and `serve` without a key says loudly that secrets are stored
// unencrypted (one log line and the banner) — and says nothing of the sort with one.

import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { run, serve, stop, stopServers } from '../e2e/fixtures/tripod-server-process.ts';

const dirs: string[] = [];
after(() => {
  stopServers();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-secrets-cli-'));
  dirs.push(dir);
  return dir;
}

async function newKey(id: string): Promise<string> {
  const made = await run(['secrets', 'new-key']);
  assert.equal(made.code, 0, made.stderr);
  return made.stdout.trim().replace(/^[^:]+/, id);
}

describe('tripod-server secrets', () => {
  test('new-key prints a fresh ID:BASE64 line of a 256-bit key each time', async () => {
    const [a, b] = await Promise.all([run(['secrets', 'new-key']), run(['secrets', 'new-key'])]);
    for (const made of [a, b]) {
      assert.equal(made.code, 0, made.stderr);
      const [id, key] = made.stdout.trim().split(':');
      assert.match(id ?? '', /^k\d{14}$/);
      assert.equal(Buffer.from(key ?? '', 'base64').length, 32);
    }
    assert.notEqual(a.stdout, b.stdout);
  });

  test('an app added under a key needs it to be read; rotate to a new key, remove the old one, the secret is the same', async () => {
    const dir = tempDir();
    const keys = join(dir, 'keys');
    writeFileSync(keys, `# Tripod's operator keys, newest last\n${await newKey('first')}\n`);
    const data = ['--data', join(dir, 'data')];
    const added = await run(['app', 'add', '--name', 'Sealed', '--json', ...data, '--secret-key-file', keys]);
    assert.equal(added.code, 0, added.stderr);
    const secret = (JSON.parse(added.stdout) as { consumer_secret: string }).consumer_secret;

    const keyless = await run(['app', 'list', '--show-secrets', ...data]);
    assert.equal(keyless.code, 1);
    assert.match(
      keyless.stderr,
      /^tripod-server: .*encrypted under the operator key "first".*--secret-key-file/,
    );
    assert.equal(keyless.stderr.trim().split('\n').length, 1);

    appendFileSync(keys, `${await newKey('second')}\n`);
    const rotated = await run(['secrets', 'rotate', ...data], { TRIPOD_SECRET_KEY_FILE: keys });
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(
      rotated.stdout,
      /^Rotated to operator key second: \d+ data key\(s\) re-wrapped, 1 secret\(s\) re-encrypted/,
    );

    // Only the new key now, given inline this time.
    const second = readFileSync(keys, 'utf8').trim().split('\n').at(-1) as string;
    const listed = await run(['app', 'list', '--show-secrets', '--json', ...data], {
      TRIPOD_SECRET_KEY: second,
    });
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal((JSON.parse(listed.stdout) as { consumer_secret: string }[])[0]?.consumer_secret, secret);

    const config = await run(['config', '--json'], { TRIPOD_SECRET_KEY: second });
    const shown = JSON.parse(config.stdout) as Record<string, { value: string; source: string }>;
    assert.deepEqual(shown.secretKey, { value: '********', source: 'environment' });
    assert.ok(!config.stdout.includes(second.split(':')[1] as string));
  });

  test('rotate without a key, or with a broken key file, stops with one sentence', async () => {
    const dir = tempDir();
    const data = ['--data', join(dir, 'data')];
    const none = await run(['secrets', 'rotate', ...data]);
    assert.equal(none.code, 1);
    assert.match(
      none.stderr,
      /^tripod-server: no secret key is configured: make one with `tripod-server secrets new-key >> FILE`/,
    );
    const broken = join(dir, 'broken');
    writeFileSync(broken, 'k1:c2hvcnQ=\n');
    const short = await run(['secrets', 'rotate', ...data, '--secret-key-file', broken]);
    assert.equal(short.code, 1);
    assert.match(short.stderr, /line 1: the key k1 must be 32 random bytes in base64/);
    assert.ok(!short.stderr.includes('c2hvcnQ='), 'the key is never repeated');
  });

  test('serve without a key says so in one log line and in the banner; with a key it does not', async () => {
    const dir = tempDir();
    const plain = await serve(['--port', '0', '--data', join(dir, 'plain')]);
    assert.match(plain.stdout(), /^WARNING: secrets are stored UNENCRYPTED .*--secret-key-file/m);
    // Signalled the moment its banner is read, the server still stops gracefully and writes its log.
    assert.equal(await stop(plain.child), 0, 'a graceful exit, not the default end of a SIGTERM');
    const warnings = plain
      .stderr()
      .split('\n')
      .filter((line) => line.includes('"secrets.unencrypted"'));
    assert.equal(warnings.length, 1, plain.stderr());
    assert.equal((JSON.parse(warnings[0] as string) as { level: number }).level, 40, 'a warning');

    const keys = join(dir, 'keys');
    writeFileSync(keys, `${await newKey('k1')}\n`);
    const sealed = await serve(['--port', '0', '--data', join(dir, 'sealed')], {
      TRIPOD_SECRET_KEY_FILE: keys,
    });
    assert.doesNotMatch(sealed.stdout(), /UNENCRYPTED/);
    assert.equal(await stop(sealed.child), 0);
    assert.doesNotMatch(sealed.stderr(), /secrets\.unencrypted/);
  });
});

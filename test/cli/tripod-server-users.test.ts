// `tripod-server user …` as an operator runs it: the real bin/tripod-server.js in a child process on a
// SQLite data directory. At a real terminal (a pseudo-terminal from util-linux `script`) `user add` and
// `user passwd` ask for the password twice without echoing it; scripts pipe it with --password-stdin;
// list, disable (sessions ended, grants revoked), enable, reset (a one-time link) and delete (only with
// --yes, grants revoked) change what the stores hold.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hashResetToken } from '../../src/server/accounts.ts';
import { verifyPassword } from '../../src/server/passwords.ts';
import { openStores } from '../../src/stores/open-stores.ts';
import type { TripodStores } from '../../src/stores/types.ts';
import { cleanEnv, onTerminal, removeTempDirs, runServerCli, tempDir } from './tripod-process.ts';

const TRIPOD_SERVER = fileURLToPath(new URL('../../bin/tripod-server.js', import.meta.url));

after(() => removeTempDirs());

async function withStores<T>(dir: string, look: (stores: TripodStores) => Promise<T>): Promise<T> {
  const stores = await openStores({ dataDir: dir });
  try {
    return await look(stores);
  } finally {
    await stores.close();
  }
}

/** tripod-server on a pseudo-terminal. */
const onServerTerminal = (args: readonly string[]) =>
  onTerminal(TRIPOD_SERVER, args, cleanEnv({ TERM: 'dumb' }));

describe('tripod-server user at a terminal', () => {
  it('user add asks for the password twice without echoing it; passwd refuses two different ones', async () => {
    const dir = tempDir();
    const add = onServerTerminal(['user', 'add', 'pat', '--data', dir]);
    try {
      await add.next(/New password for pat: /);
      add.child.stdin.write('typed in secret 1\r');
      await add.next(/Type it again: /);
      add.child.stdin.write('typed in secret 1\r');
      await add.next(/Created user pat/);
      assert.equal(await add.exited, 0, add.screen());
      assert.ok(!add.screen().includes('typed in secret'), `the password was echoed: ${add.screen()}`);
    } finally {
      if (add.child.exitCode === null) add.child.kill();
    }
    const hash = await withStores(
      dir,
      async (stores) => (await stores.users.getByUsername('pat'))!.passwordHash,
    );
    assert.ok(await verifyPassword(hash, 'typed in secret 1'));

    const passwd = onServerTerminal(['user', 'passwd', 'pat', '--data', dir]);
    try {
      await passwd.next(/New password for pat: /);
      passwd.child.stdin.write('another secret 2\r');
      await passwd.next(/Type it again: /);
      passwd.child.stdin.write('a different one 3\r');
      await passwd.next(/the two passwords differ: nothing changed/);
      assert.equal(await passwd.exited, 1);
    } finally {
      if (passwd.child.exitCode === null) passwd.child.kill();
    }
    await withStores(dir, async (stores) =>
      assert.equal((await stores.users.getByUsername('pat'))!.passwordHash, hash, 'unchanged'),
    );
  });
});

describe('tripod-server user in scripts', () => {
  const dir = tempDir();
  const store = ['--data', dir];

  it('user add and passwd read --password-stdin; without a terminal or the flag they say how', async () => {
    const noTerminal = await runServerCli(['user', 'add', 'quinn'], store);
    assert.equal(noTerminal.code, 1);
    assert.match(noTerminal.stderr, /--password-stdin/);

    const added = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        [TRIPOD_SERVER, 'user', 'add', 'quinn', '--password-stdin', '--email', 'q@example.org', ...store],
        {
          env: cleanEnv(),
        },
      );
      child.stdin.end('from stdin 123\n');
      child.on('close', (code) => resolve(code ?? 1));
    });
    assert.equal(added, 0);
    const quinn = await withStores(dir, async (stores) => {
      const user = (await stores.users.getByUsername('quinn'))!;
      assert.equal(user.email, 'q@example.org');
      assert.ok(await verifyPassword(user.passwordHash, 'from stdin 123'));
      const now = Date.now();
      await stores.sessions.create({
        idHash: 'quinn-session',
        userId: user.id,
        createdAt: now,
        expiresAt: now + 60_000,
        stash: null,
        lastSeenAt: now,
        userAgent: null,
        address: null,
      });
      return user;
    });

    const changed = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [TRIPOD_SERVER, 'user', 'passwd', 'QUINN', '--password-stdin', ...store],
        {
          env: cleanEnv(),
        },
      );
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stdin.end('changed by script 456\n');
      child.on('close', (code) => resolve({ code: code ?? 1, stdout }));
    });
    assert.equal(changed.code, 0);
    assert.match(changed.stdout, /Changed the password of quinn/);
    await withStores(dir, async (stores) => {
      assert.ok(
        await verifyPassword((await stores.users.getById(quinn.id))!.passwordHash, 'changed by script 456'),
      );
      assert.equal(await stores.sessions.get('quinn-session', Date.now()), null, 'signed out');
    });
  });

  it('list, disable (grants revoked), enable, reset (a one-time link, stored hashed) and delete (only with --yes)', async () => {
    await runServerCli(['user', 'add', 'rosa', '--password', 'rosa password'], store);
    const rosa = await withStores(dir, async (stores) => {
      const user = (await stores.users.getByUsername('rosa'))!;
      await stores.accessTokens.create({
        token: 'rosa-token',
        secret: 's',
        consumerKey: 'some-app',
        userId: user.id,
        accessLevel: 'read',
        createdAt: Date.now(),
        revokedAt: null,
      });
      return user;
    });

    const listed = await runServerCli(['user', 'list', '--json'], store);
    assert.equal(listed.code, 0);
    const rows = JSON.parse(listed.stdout) as { username: string; status: string }[];
    assert.deepEqual(
      rows.map((r) => [r.username, r.status]),
      [
        ['quinn', 'active'],
        ['rosa', 'active'],
      ],
    );
    assert.match(
      (await runServerCli(['user', 'list', '--search', 'os'], store)).stdout,
      /^rosa\s+user\s+active/,
    );

    assert.equal((await runServerCli(['user', 'disable', 'rosa'], store)).code, 0);
    await withStores(dir, async (stores) => {
      assert.equal((await stores.users.getById(rosa.id))!.disabled, true);
      assert.notEqual((await stores.accessTokens.get('rosa-token'))!.revokedAt, null, 'grant revoked');
    });
    assert.match(
      (await runServerCli(['user', 'reset', 'rosa'], store)).stderr,
      /disabled: enable them first/,
    );
    assert.equal((await runServerCli(['user', 'enable', 'rosa'], store)).code, 0);

    const reset = await runServerCli(
      ['user', 'reset', 'rosa', '--public-url', 'https://tripod.example/auth'],
      store,
    );
    assert.equal(reset.code, 0, reset.stderr);
    const token = /^https:\/\/tripod\.example\/auth\/reset-password\/([\w-]{40,})\n$/.exec(reset.stdout)?.[1];
    assert.ok(token, reset.stdout);
    assert.match(reset.stderr, /works once, for 60 minutes/);
    await withStores(dir, async (stores) => {
      const stored = await stores.passwordResets.get(hashResetToken(token), Date.now());
      assert.equal(stored?.userId, rosa.id, 'only the hash is stored');
      assert.equal(await stores.passwordResets.get(token, Date.now()), null);
    });

    const refused = await runServerCli(['user', 'delete', 'rosa'], store);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot be undone.*--yes/);
    assert.equal((await runServerCli(['user', 'delete', 'rosa', '--yes'], store)).code, 0);
    await withStores(dir, async (stores) => {
      assert.equal(await stores.users.getById(rosa.id), null);
      assert.equal(await stores.passwordResets.get(hashResetToken(token), Date.now()), null);
    });
    const unknown = await runServerCli(['user', 'disable', 'rosa'], store);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no user named 'rosa'/);
  });
});

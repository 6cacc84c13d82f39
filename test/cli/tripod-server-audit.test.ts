// `tripod-server audit` (issue 11), the real command on the embedded SQLite file and on PostgreSQL: the
// operator's own actions (user add, app add) are in the trail, and events are filtered by user (name or
// id), app, time (a date or a duration ago) and type, as a table or JSON lines; bad filters are one line
// on stderr, exit 1.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openStores, type StoreSettings } from '../../src/stores/open-stores.ts';
import { createTestDatabase } from '../stores/fixtures/services.ts';
import { removeTempDirs, runServerCli, type StoreFlags, tempDir } from './tripod-process.ts';

const database = await createTestDatabase('audit_cli');
after(async () => {
  removeTempDirs();
  await database.drop();
});

const DAY = 86_400_000;

const cases: { name: string; flags: () => StoreFlags; settings: (flags: StoreFlags) => StoreSettings }[] = [
  {
    name: 'SQLite',
    flags: () => ['--data', tempDir()],
    settings: (flags) => ({ dataDir: flags[1] }),
  },
  {
    name: 'PostgreSQL',
    flags: () => ['--database-url', database.url],
    settings: () => ({ databaseUrl: database.url }),
  },
];

for (const store of cases) {
  describe(`tripod-server audit on ${store.name}`, () => {
    test('shows the operator actions and the events asked for, as a table or JSON lines', async () => {
      const flags = store.flags();
      assert.equal((await runServerCli(['user', 'add', 'alice', '--password', 'pw-alice-1'], flags)).code, 0);
      const added = await runServerCli(['app', 'add', '--name', 'Audited', '--json'], flags);
      assert.equal(added.code, 0, added.stderr);
      const key = (JSON.parse(added.stdout) as { consumer_key: string; consumer_secret: string })
        .consumer_key;
      const secret = (JSON.parse(added.stdout) as { consumer_secret: string }).consumer_secret;

      const now = Date.now();
      const stores = await openStores(store.settings(flags));
      const alice = (await stores.users.getByUsername('alice'))!;
      try {
        const at = (
          ago: number,
          type: string,
          consumerKey: string | null,
          userId: string | null = alice.id,
        ) =>
          stores.audit.append({
            at: now - ago,
            type,
            userId,
            consumerKey,
            address: '198.51.100.4',
            detail: {},
          });
        await at(3 * DAY, 'sign_in.failed', null);
        await at(2 * 3_600_000, 'authorization.granted', key);
        await at(20 * 60_000, 'sign_in.succeeded', null);
        await at(10 * 60_000, 'signature.failures', 'another-app', null);
      } finally {
        await stores.close();
      }

      const json = async (args: string[]) => {
        const result = await runServerCli(['audit', '--json', ...args], flags);
        assert.equal(result.code, 0, result.stderr);
        return result.stdout
          .trim()
          .split('\n')
          .filter((line) => line !== '')
          .map(
            (line) =>
              JSON.parse(line) as { type: string; user_id: string | null; consumer_key: string | null },
          );
      };
      const types = async (args: string[]) => (await json(args)).map((e) => e.type);

      // Newest first; the command line's own actions are there (no address: they came from a shell).
      const all = await json([]);
      assert.deepEqual(
        all.map((e) => e.type),
        [
          'operator.app_added',
          'operator.user_added',
          'signature.failures',
          'sign_in.succeeded',
          'authorization.granted',
          'sign_in.failed',
        ],
      );
      assert.deepEqual(
        all.find((e) => e.type === 'operator.user_added'),
        {
          ...all.find((e) => e.type === 'operator.user_added'),
          user_id: alice.id,
          address: null,
          detail: { via: 'cli', operator: false },
        },
      );
      assert.ok(!JSON.stringify(all).includes(secret), 'no consumer secret in the trail');

      assert.deepEqual(await types(['--user', 'alice', '--since', '24h']), [
        'operator.user_added',
        'sign_in.succeeded',
        'authorization.granted',
      ]);
      assert.deepEqual(await types(['--user', alice.id, '--type', 'sign_in.*']), [
        'sign_in.succeeded',
        'sign_in.failed',
      ]);
      assert.deepEqual(await types(['--app', key]), ['operator.app_added', 'authorization.granted']);
      assert.deepEqual(await types(['--user', 'ALICE', '--app', key, '--type', 'authorization.granted']), [
        'authorization.granted',
      ]);
      assert.deepEqual(await types(['--since', new Date(now - 15 * 60_000).toISOString()]), [
        'operator.app_added',
        'operator.user_added',
        'signature.failures',
      ]);
      assert.equal((await types(['--since', new Date(now - 4 * DAY).toISOString().slice(0, 10)])).length, 6);
      assert.deepEqual(await types(['--limit', '1']), ['operator.app_added']);
      assert.deepEqual(await types(['--user', 'nobody']), []);

      const table = await runServerCli(['audit', '--user', 'alice', '--type', 'sign_in.succeeded'], flags);
      assert.equal(table.code, 0, table.stderr);
      const lines = table.stdout.trim().split('\n');
      assert.match(lines[0]!, /^TIME\s+TYPE\s+USER\s+APP\s+ADDRESS\s+DETAIL$/);
      assert.match(lines[1]!, /^\d{4}-\d{2}-\d{2}T\S+Z\s+sign_in\.succeeded\s+alice\s+-\s+198\.51\.100\.4$/);
      assert.equal(lines.length, 2);
      const none = await runServerCli(['audit', '--type', 'nothing.here'], flags);
      assert.equal(none.stdout, 'No audit events match.\n');
    });
  });
}

describe('tripod-server audit refuses bad filters with one line', () => {
  for (const [args, message] of [
    [['--since', 'yesterday'], /--since must be a date \(2026-11-30\).*got 'yesterday'/],
    [['--limit', '0'], /--limit must be a whole number from 1 to 10000, got '0'/],
    [['--limit', 'many'], /--limit must be a whole number/],
  ] as const) {
    test(args.join(' '), async () => {
      const result = await runServerCli(['audit', ...args], ['--data', tempDir()]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    });
  }
});

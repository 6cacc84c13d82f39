import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { percentEncode } from '../../src/core/encoding.ts';
import {
  createMemoryRejectionLog,
  openSqliteRejectionLog,
  REJECTIONS_KEPT,
  type RejectedRequest,
  type RejectionLog,
} from '../../src/server/portal/rejection-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'tripod-rejections-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function entry(n: number, extra: Partial<RejectedRequest> = {}): RejectedRequest {
  return {
    at: 1_700_000_000_000 + n,
    method: 'POST',
    url: 'https://tripod.example/oauth/request_token',
    problem: 'signature_invalid',
    status: 401,
    code: 32,
    advice: 'Check the base string.',
    parameters: [
      ['oauth_consumer_key', 'key'],
      ['oauth_nonce', `n${n}`],
    ],
    baseString: `POST&https%3A%2F%2Ftripod.example%2Foauth%2Frequest_token&oauth_nonce%3Dn${n}`,
    ...extra,
  };
}

const implementations: [string, () => Promise<RejectionLog>][] = [
  ['memory', async () => createMemoryRejectionLog()],
  ['sqlite', () => openSqliteRejectionLog(join(dir, `log-${Math.random()}.db`))],
];

for (const [name, open] of implementations) {
  describe(`${name} rejection log`, () => {
    it(`keeps the newest ${REJECTIONS_KEPT} rejections of each app, newest first`, async () => {
      const log = await open();
      for (let n = 0; n < REJECTIONS_KEPT + 5; n++) await log.record('app-a', entry(n));
      await log.record('app-b', entry(100));
      const listed = await log.list('app-a');
      assert.equal(listed.length, REJECTIONS_KEPT);
      assert.equal(listed[0]!.parameters[1]![1], `n${REJECTIONS_KEPT + 4}`);
      assert.equal(listed.at(-1)!.parameters[1]![1], 'n5');
      assert.equal((await log.list('app-b')).length, 1);
      assert.deepEqual(await log.list('nobody'), []);
      assert.equal((await log.list('app-a', 3)).length, 3);
      await log.forget('app-a');
      assert.deepEqual(await log.list('app-a'), []);
      assert.equal((await log.list('app-b')).length, 1);
      await log.close();
    });

    it('never stores an xAuth password, in the parameters, the URL or the base string', async () => {
      const log = await open();
      const password = 'hunter2 & more=secret%';
      const doubleEncoded = percentEncode(`x_auth_password=${percentEncode(password)}`);
      await log.record(
        'app-x',
        entry(1, {
          url: `https://tripod.example/oauth/access_token?x_auth_password=${encodeURIComponent(password)}`,
          parameters: [
            ['x_auth_mode', 'client_auth'],
            ['x_auth_password', password],
            ['x_auth_username', 'alice'],
          ],
          baseString: `POST&https%3A%2F%2Ftripod.example%2Foauth%2Faccess_token&x_auth_mode%3Dclient_auth%26${doubleEncoded}%26x_auth_username%3Dalice`,
        }),
      );
      const [stored] = await log.list('app-x');
      const all = JSON.stringify(stored);
      assert.ok(!all.includes('hunter2'), all);
      assert.deepEqual(stored!.parameters[1], ['x_auth_password', '[redacted]']);
      assert.match(stored!.baseString!, /x_auth_password%3D%255Bredacted%255D%26x_auth_username%3Dalice$/);
      await log.close();
    });
  });
}

describe('sqlite rejection log', () => {
  it('survives a restart (same file, new connection)', async () => {
    const file = join(dir, 'restart.db');
    const first = await openSqliteRejectionLog(file);
    await first.record('app-r', entry(7));
    await first.close();
    const second = await openSqliteRejectionLog(file);
    assert.equal((await second.list('app-r'))[0]!.problem, 'signature_invalid');
    await second.close();
  });
});

// Every integration against tripod-server on the embedded default: one SQLite file (TRIPOD_DATA) shared by
// the server, the examples, nginx's Tripod and the middleware in this process.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAgainstTripodServer } from './fixtures/against-tripod-server.ts';

describeAgainstTripodServer('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-integrations-'));
  return {
    env: { TRIPOD_DATA: dir },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

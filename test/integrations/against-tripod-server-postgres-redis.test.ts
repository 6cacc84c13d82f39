// Every integration against tripod-server on PostgreSQL + Redis: a database and a Redis key prefix of this
// file's own, shared by the server, the examples and the middleware in this process.

import {
  createTestDatabase,
  deleteRedisKeys,
  REDIS_URL,
  uniqueKeyPrefix,
} from '../stores/fixtures/services.ts';
import { describeAgainstTripodServer } from './fixtures/against-tripod-server.ts';

describeAgainstTripodServer('PostgreSQL + Redis', async () => {
  const database = await createTestDatabase('integrations');
  const prefix = uniqueKeyPrefix('integrations');
  return {
    env: {
      TRIPOD_DATABASE_URL: database.url,
      TRIPOD_REDIS_URL: REDIS_URL,
      TRIPOD_REDIS_KEY_PREFIX: prefix,
      TRIPOD_DATA: '/dev/null/no-data-directory-needed',
    },
    async cleanup() {
      await database.drop();
      await deleteRedisKeys(prefix);
    },
  };
});

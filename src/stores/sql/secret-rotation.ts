// `tripod-server secrets rotate`: after the operator adds a key at the end of the key file (operator-keys.ts),
// a new data key is made under it (unless the newest one already is: a second run, or a first key), every
// other data key is re-wrapped under it, then every secret column (clear values included) is re-sealed
// under the newest data key, a batch of rows per transaction. Each step is a
// compare-and-set on the old stored value, so a run interrupted anywhere leaves every row readable (each
// carries its data key's id) and a second run carries on where the first stopped. Old data keys stay, each
// re-wrapped: an instance still running with one in memory may write a row under it, and that row must
// stay readable; a later run re-seals it. After a run, the older operator keys can leave the key file.

import { randomBytes } from 'node:crypto';
import type { SecretRotation } from '../types.ts';
import {
  type Envelope,
  type RowSecrets,
  SecretKeyError,
  sealedPrefix,
  wrapDataKey,
  wrappedUnder,
} from './envelope.ts';
import { secretContext } from './rows.ts';
import type { Statements } from './sql-stores.ts';
import type { SqlExecutor, Statement } from './statements.ts';

const DEFAULT_BATCH = 500;

interface SecretColumn {
  column: Parameters<typeof secretContext>[0];
  toReseal: Statement<{ row_key: string; secret: string }>;
  reseal: Statement<unknown>;
}

export async function rotateSecrets(
  {
    statements: s,
    executor,
    envelope,
  }: { statements: Statements; executor: SqlExecutor; envelope: Envelope },
  options: { batchSize?: number; onBatch?: (resealed: number) => void } = {},
): Promise<SecretRotation> {
  const operatorKeys = envelope.operatorKeys;
  const newest = operatorKeys?.at(-1);
  if (!operatorKeys || !newest) {
    throw new SecretKeyError(
      'no secret key is configured: give the key file with --secret-key-file (TRIPOD_SECRET_KEY_FILE) first',
    );
  }
  const batchSize = Math.max(1, Math.trunc(options.batchSize ?? DEFAULT_BATCH));

  // 1. A new data key under the newest operator key, unless the newest one already is (a second run).
  await envelope.refresh();
  const current = (await s.dataKeyList.all({})).filter((r) => r.purpose === 'seal').at(-1);
  if (!current || wrappedUnder(current.wrapped) !== newest.id) {
    await envelope.insertDataKey({ id: randomBytes(8).toString('hex'), purpose: 'seal' }, Date.now());
    await envelope.refresh();
  }
  const dataKey = envelope.currentDataKeyId as string;

  // 2. Every other data key (and the verifier key) re-wrapped under the newest operator key.
  let dataKeysRewrapped = 0;
  for (const row of await s.dataKeyList.all({})) {
    if (wrappedUnder(row.wrapped) === newest.id) continue;
    const key = row.purpose === 'verifier' ? envelope.verifierKey : envelope.dataKey(row.id);
    if (!key) throw new SecretKeyError(`the data key ${row.id} could not be loaded`);
    const wrapped = wrapDataKey(row, key, operatorKeys);
    dataKeysRewrapped += await s.dataKeyRewrap.run({ id: row.id, wrapped, previous: row.wrapped });
  }

  // 3. Every secret re-sealed under it, in batches.
  const columns: SecretColumn[] = [
    { column: 'consumers.secret', toReseal: s.consumerSecretsToReseal, reseal: s.consumerSecretReseal },
    {
      column: 'request_tokens.secret',
      toReseal: s.requestTokenSecretsToReseal,
      reseal: s.requestTokenSecretReseal,
    },
    {
      column: 'access_tokens.secret',
      toReseal: s.accessTokenSecretsToReseal,
      reseal: s.accessTokenSecretReseal,
    },
  ];
  let rowsResealed = 0;
  let batches = 0;
  for (const { column, toReseal, reseal } of columns) {
    for (;;) {
      const batch = await toReseal.all({ current_prefix: `${sealedPrefix(dataKey)}%`, limit: batchSize });
      if (batch.length === 0) break;
      // A row sealed meanwhile under a data key another instance just made: reload the keys, build again.
      const runs = await envelope.reading(async () =>
        batch.map(({ row_key, secret }) => {
          const context = secretContext(column, row_key);
          return {
            statement: reseal,
            values: { row_key, previous: secret, secret: resealed(envelope, secret, context) },
          };
        }),
      );
      const changed = await executor.transaction(runs);
      const count = changed.reduce((sum, n) => sum + n, 0);
      rowsResealed += count;
      batches++;
      options.onBatch?.(count);
      // Every row of the batch changed under us (a busy database): stop here; a second run finishes.
      if (count === 0) break;
    }
  }
  return { operatorKey: newest.id, dataKey, dataKeysRewrapped, rowsResealed, batches };
}

function resealed(secrets: RowSecrets, stored: string, context: string): string {
  return secrets.seal(secrets.open(stored, context), context);
}

// Secrets at rest (issue 11): envelope encryption of the secret columns of the SQL stores. Each secret is
// sealed with AES-256-GCM under a DATA key; data keys live in the `data_keys` table, each wrapped (AES-256-GCM
// again) under one of the operator's keys (operator-keys.ts), which never reach the database. A copy of the
// database files — or of a backup, or of the WAL — is useless without the operator's key file.
//
// A sealed value is `enc1.DATAKEYID.IV.CIPHERTEXT+TAG` (base64url parts), so several data keys (and, above
// them, several operator keys) coexist and rotation can proceed row by row. The associated data is the
// column and the row's key (`consumers.secret:KEY`): a sealed value copied into another row does not open.
// A value without the prefix is a secret stored in clear before a key was configured: still readable, and
// sealed by the next write or by `tripod-server secrets rotate`. (Secrets Tripod generates are base64url
// and never contain a dot, so no clear secret can be mistaken for a sealed one.)
//
// The same table holds the key of the verifiers' keyed hash (provider/verifier-digest.ts), wrapped like a
// data key: with an operator key, a copy of the database cannot even brute-force a 7-digit PIN from its hash.
// Without one it is stored in clear, and the server says loudly at start that secrets are unencrypted.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { OperatorKey } from '../operator-keys.ts';
import type { DataKeysTable } from '../schema.ts';
import type { Statement } from './statements.ts';

const SEALED = 'enc1';
const CLEAR = 'clear';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** The one row of purpose `verifier`: the key of the verifiers' keyed hash. */
const VERIFIER_KEY_ID = 'verifier';

/** What rows.ts needs to write and read a secret column: `context` binds the value to its row. */
export interface RowSecrets {
  seal(value: string, context: string): string;
  open(stored: string, context: string): string;
}

/** Raised when the database holds what the configured keys cannot open: one line an operator can act on. */
export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

/** A value sealed under a data key this process has not loaded yet (another instance made it). */
class UnknownDataKey extends Error {
  override name = 'UnknownDataKey';
}

export interface EnvelopeStatements {
  dataKeyList: Statement<DataKeysTable>;
  dataKeyInsert: Statement<unknown>;
}

function gcmSeal(key: Buffer, plain: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return `${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** Throws (GCM's authentication) when the key, the associated data or a single bit is wrong. */
function gcmOpen(key: Buffer, ivText: string, sealedText: string, aad: string): Buffer {
  const iv = Buffer.from(ivText, 'base64url');
  const sealed = Buffer.from(sealedText, 'base64url');
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) throw new Error('malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
}

const wrapContext = (row: Pick<DataKeysTable, 'id' | 'purpose'>) =>
  `tripod data key ${row.purpose} ${row.id}`;

/** A data key as stored: wrapped under the newest operator key, or in clear when there is none. */
export function wrapDataKey(
  row: Pick<DataKeysTable, 'id' | 'purpose'>,
  key: Buffer,
  operatorKeys: readonly OperatorKey[] | null,
): string {
  const newest = operatorKeys?.at(-1);
  if (!newest) return `${CLEAR}.${key.toString('base64url')}`;
  return `${newest.id}.${gcmSeal(newest.key, key, wrapContext(row))}`;
}

/** The operator key id a stored data key is wrapped under, or null when it is in clear. */
export function wrappedUnder(wrapped: string): string | null {
  const id = wrapped.slice(0, wrapped.indexOf('.'));
  return id === CLEAR ? null : id;
}

function unwrapDataKey(row: DataKeysTable, operatorKeys: readonly OperatorKey[] | null): Buffer {
  const [under = '', iv = '', sealed = ''] = row.wrapped.split('.');
  if (under === CLEAR) return Buffer.from(iv, 'base64url');
  const operatorKey = operatorKeys?.find((k) => k.id === under);
  if (!operatorKey) {
    throw new SecretKeyError(
      operatorKeys === null
        ? `the database holds secrets encrypted under the operator key "${under}", and no secret key is configured: give the key file with --secret-key-file (TRIPOD_SECRET_KEY_FILE)`
        : `the data key ${row.id} is wrapped under the operator key "${under}", which the key file does not hold (it has ${operatorKeys.map((k) => k.id).join(', ')}): keep "${under}" in the file until \`tripod-server secrets rotate\` has run`,
    );
  }
  try {
    return gcmOpen(operatorKey.key, iv, sealed, wrapContext(row));
  } catch {
    throw new SecretKeyError(
      `the operator key "${under}" of the key file does not open the data key ${row.id}: it is not the key that wrapped it`,
    );
  }
}

/** The prefix of every value sealed under the data key `id` (for `LIKE`; ids are lowercase hex). */
export const sealedPrefix = (id: string) => `${SEALED}.${id}.`;

export class Envelope implements RowSecrets {
  readonly #statements: EnvelopeStatements;
  readonly #operatorKeys: readonly OperatorKey[] | null;
  #dataKeys = new Map<string, Buffer>();
  #current: { id: string; key: Buffer } | null = null;
  #verifierKey: Buffer = Buffer.alloc(0);

  private constructor(statements: EnvelopeStatements, operatorKeys: readonly OperatorKey[] | null) {
    this.#statements = statements;
    this.#operatorKeys = operatorKeys;
  }

  /**
   * Loads the data keys (making the verifier key, and with an operator key the first data key, when there
   * is none yet); throws SecretKeyError when the configured keys cannot open what the database holds.
   */
  static async open(
    statements: EnvelopeStatements,
    operatorKeys: readonly OperatorKey[] | null,
    now: number,
  ): Promise<Envelope> {
    const envelope = new Envelope(statements, operatorKeys && operatorKeys.length > 0 ? operatorKeys : null);
    let rows = await statements.dataKeyList.all({});
    const missing: Pick<DataKeysTable, 'id' | 'purpose'>[] = [];
    if (!rows.some((r) => r.purpose === 'verifier'))
      missing.push({ id: VERIFIER_KEY_ID, purpose: 'verifier' });
    if (envelope.#operatorKeys && !rows.some((r) => r.purpose === 'seal')) {
      missing.push({ id: randomBytes(8).toString('hex'), purpose: 'seal' });
    }
    if (missing.length > 0) {
      // Instances starting together on one database: the verifier key's fixed id makes one of them win.
      for (const row of missing) await envelope.insertDataKey(row, now);
      rows = await statements.dataKeyList.all({});
    }
    envelope.#load(rows);
    return envelope;
  }

  /** Stores a new data key wrapped under the newest operator key. */
  async insertDataKey(row: Pick<DataKeysTable, 'id' | 'purpose'>, now: number): Promise<void> {
    const wrapped = wrapDataKey(row, randomBytes(KEY_BYTES), this.#operatorKeys);
    await this.#statements.dataKeyInsert.run({ ...row, wrapped, created_at: now });
  }

  #load(rows: readonly DataKeysTable[]): void {
    const keys = new Map<string, Buffer>();
    let current: { id: string; key: Buffer } | null = null;
    for (const row of rows) {
      const key = unwrapDataKey(row, this.#operatorKeys);
      if (row.purpose === 'verifier') this.#verifierKey = key;
      if (row.purpose !== 'seal') continue;
      keys.set(row.id, key);
      current = { id: row.id, key }; // rows come oldest first: the last one is the newest
    }
    this.#dataKeys = keys;
    this.#current = this.#operatorKeys ? current : null;
  }

  /** Reloads the data keys (another instance or `secrets rotate` added one). */
  async refresh(): Promise<void> {
    this.#load(await this.#statements.dataKeyList.all({}));
  }

  /** Runs a read; if it met a value sealed under a data key made since, reloads the keys and runs it again. */
  async reading<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof UnknownDataKey)) throw error;
      await this.refresh();
      return read();
    }
  }

  /** Whether secrets written now are sealed (an operator key is configured). */
  get encrypting(): boolean {
    return this.#current !== null;
  }

  /** The data key new values are sealed under; null without an operator key. */
  get currentDataKeyId(): string | null {
    return this.#current?.id ?? null;
  }

  get operatorKeys(): readonly OperatorKey[] | null {
    return this.#operatorKeys;
  }

  /** A sealing data key by id (for re-wrapping), or undefined when none is loaded. */
  dataKey(id: string): Buffer | undefined {
    return this.#dataKeys.get(id);
  }

  /** The key of the verifiers' keyed hash (HMAC-SHA-256), shared by every instance of this database. */
  get verifierKey(): Buffer {
    return this.#verifierKey;
  }

  seal(value: string, context: string): string {
    if (this.#current === null) return value;
    return `${SEALED}.${this.#current.id}.${gcmSeal(this.#current.key, Buffer.from(value, 'utf8'), context)}`;
  }

  open(stored: string, context: string): string {
    if (!stored.startsWith(`${SEALED}.`)) return stored;
    const [, id = '', iv = '', sealed = ''] = stored.split('.');
    const key = this.#dataKeys.get(id);
    if (!key) throw new UnknownDataKey(`no data key ${id}`);
    try {
      return gcmOpen(key, iv, sealed, context).toString('utf8');
    } catch {
      // A value moved from another row (its associated data differs), or altered: never a wrong secret.
      throw new SecretKeyError(`the stored secret of ${context} does not open under its data key ${id}`);
    }
  }
}

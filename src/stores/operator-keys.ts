// The operator's keys for secrets at rest: the keys that wrap the data keys (envelope encryption, see
// sql/envelope.ts). Given as text, one key a line, `ID:BASE64` with a 256-bit key, oldest first: the LAST
// line is the newest key, the one new data keys are wrapped under and `tripod-server secrets rotate`
// re-wraps every data key under. Several lines coexist so a key can be replaced without a stop: add the
// new one at the end, restart, rotate, then remove the old one. Blank lines and `#` comments are allowed.

import { randomBytes } from 'node:crypto';

export interface OperatorKey {
  /** Written beside everything it wraps, so the right key is found whatever the file's order. */
  readonly id: string;
  /** 32 bytes (AES-256). */
  readonly key: Buffer;
}

export class OperatorKeyError extends Error {
  override name = 'OperatorKeyError';
}

// No dot: ids are part of the dotted wrapped format (sql/envelope.ts).
const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/;
const KEY_BYTES = 32;

/** Parses the key file's text; `source` names it in errors (never a key's value). Newest key last. */
export function parseOperatorKeys(text: string, source: string): OperatorKey[] {
  const keys: OperatorKey[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source} line ${index + 1}`;
    const colon = line.indexOf(':');
    const id = line.slice(0, colon);
    const encoded = line.slice(colon + 1).trim();
    if (colon === -1 || !KEY_ID.test(id)) {
      throw new OperatorKeyError(
        `${where} must be ID:BASE64 with ID made of letters, digits, _ and - (make a key line with: tripod-server secrets new-key)`,
      );
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) {
      throw new OperatorKeyError(
        `${where}: the key ${id} must be ${KEY_BYTES} random bytes in base64 (make one with: tripod-server secrets new-key)`,
      );
    }
    if (keys.some((k) => k.id === id)) throw new OperatorKeyError(`${where}: the key id ${id} is used twice`);
    keys.push({ id, key });
  });
  if (keys.length === 0) {
    throw new OperatorKeyError(`${source} holds no key (make one with: tripod-server secrets new-key)`);
  }
  return keys;
}

/** A fresh key line for the key file: an id from the date and a 256-bit key from the system's CSPRNG. */
export function newOperatorKeyLine(now: Date = new Date()): string {
  const id = `k${now.toISOString().slice(0, 19).replace(/\D/g, '')}`;
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

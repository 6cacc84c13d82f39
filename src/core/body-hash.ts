// OAuth Request Body Hash (draft-eaton-oauth-bodyhash-00): for requests whose body is not
// application/x-www-form-urlencoded, the body is not a parameter source, so consumers sign a hash
// of it as `oauth_body_hash` instead. The hash algorithm follows the signature method.

import { hash } from 'node:crypto';
import type { SignatureMethodName } from './signature.ts';

const ALGORITHM: Record<SignatureMethodName, 'sha1' | 'sha256' | 'sha512'> = {
  'HMAC-SHA1': 'sha1',
  'RSA-SHA1': 'sha1',
  PLAINTEXT: 'sha1',
  'HMAC-SHA256': 'sha256',
  'RSA-SHA256': 'sha256',
  'HMAC-SHA512': 'sha512',
};

/** base64(hash(raw body bytes)); an empty or absent body hashes the empty string. */
export function bodyHash(body: string | Uint8Array, method: SignatureMethodName): string {
  return hash(ALGORITHM[method], body, 'base64');
}

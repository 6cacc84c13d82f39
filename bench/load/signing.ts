// Pre-signing: every request of a run gets its own Authorization header — its own nonce and a timestamp
// taken just before the run — signed with Tripod's core before the clock starts and written one per line
// for the wrk script.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Parameter } from '../../src/core/encoding.ts';
import type { SignatureMethodName } from '../../src/core/signature.ts';
import { signRequest } from '../../src/core/signing.ts';

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  /** Absent for request_token (consumer only). */
  token?: string | undefined;
  tokenSecret?: string | undefined;
}

export interface SigningPlan {
  method: string;
  /** The full URL the server verifies against. */
  url: string;
  signatureMethod: SignatureMethodName;
  /** Per request i: its credentials and extra protocol parameters (oauth_callback, oauth_verifier). */
  request(i: number): { credentials: Credentials; extraOAuthParams?: Parameter[] };
  /** Turns a good header into a refused one (a wrong signature). */
  spoil?: (authorization: string) => string;
}

/**
 * 24 alphanumeric characters (oauthlib's default nonce check wants 20–30): a random prefix for this batch
 * and a counter, so no two requests of any run share a nonce.
 */
function nonces(): (i: number) => string {
  const prefix = randomBytes(4).toString('hex');
  return (i) => `${prefix}${String(i).padStart(16, '0')}`;
}

/** Signs `count` requests and writes their headers to `file`, one per line. */
export async function writeSignedHeaders(file: string, plan: SigningPlan, count: number): Promise<void> {
  const out = createWriteStream(file);
  const nonce = nonces();
  const timestamp = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i++) {
    const { credentials, extraOAuthParams } = plan.request(i);
    const signed = signRequest({
      method: plan.method,
      url: plan.url,
      consumerKey: credentials.consumerKey,
      consumerSecret: credentials.consumerSecret,
      token: credentials.token,
      tokenSecret: credentials.tokenSecret,
      signatureMethod: plan.signatureMethod,
      nonce: nonce(i),
      timestamp,
      extraOAuthParams,
    });
    const line = `${plan.spoil ? plan.spoil(signed.authorization) : signed.authorization}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

/** Credentials nobody registered, in the shape of real ones. */
export function randomCredentials(): Required<Credentials> {
  const text = () => randomBytes(18).toString('base64url').replace(/[-_]/g, 'x');
  return { consumerKey: text(), consumerSecret: text(), token: text(), tokenSecret: text() };
}

// What a consumer signs with: its own credentials (RFC 5849 §1.1 "client credentials"), optionally a
// token (temporary or token credentials), and how it signs.

import type { KeyObject } from 'node:crypto';
import type { SignatureMethodName } from '../core/signature.ts';

export interface ConsumerCredentials {
  consumerKey: string;
  /** Unused by the RSA methods (the private key signs), but still sent nowhere. */
  consumerSecret: string;
  signatureMethod?: SignatureMethodName | undefined;
  /** PEM private key (or KeyObject) for RSA-SHA1 / RSA-SHA256. */
  privateKey?: string | KeyObject | undefined;
  /** Sent as `realm` in the Authorization header, never signed (NetSuite wants the account id here). */
  realm?: string | undefined;
}

export interface TokenCredentials {
  token: string;
  tokenSecret: string;
}

export type SigningCredentials = ConsumerCredentials & Partial<TokenCredentials>;

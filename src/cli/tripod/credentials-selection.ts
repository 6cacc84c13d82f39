// Which credentials a command signs with: twurl's order (clients.md §1.1) — explicit
// --consumer-key/--consumer-secret (with --access-token/--token-secret, or none for a consumer-only
// "two-legged" request) win; otherwise the stored profile chosen by --site/--user, else the current one.

import { readFileSync } from 'node:fs';
import type { SigningCredentials } from '../../client/credentials.ts';
import type { StoredProfile } from '../../client/profile-store.ts';
import { siteKey } from '../../client/profile-store.ts';
import { isSignatureMethod, type SignatureMethodName } from '../../core/signature.ts';
import { type CliContext, CliError, ExitCode } from './context.ts';
import { parseHttpUrl } from './site-url.ts';

export interface CredentialFlags {
  site?: string | undefined;
  user?: string | undefined;
  consumerKey?: string | undefined;
  consumerSecret?: string | undefined;
  accessToken?: string | undefined;
  tokenSecret?: string | undefined;
  signatureMethod?: string | undefined;
  privateKey?: string | undefined;
  realm?: string | undefined;
}

export interface SelectedCredentials {
  credentials: SigningCredentials;
  profile: StoredProfile | undefined;
  /** Base for PATH arguments. */
  apiBase: string | undefined;
  headers: [string, string][];
}

export function parseSignatureMethod(value: string | undefined): SignatureMethodName | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (!isSignatureMethod(upper)) {
    throw new CliError(
      `Unknown signature method ${value}: use HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, RSA-SHA1, RSA-SHA256 or PLAINTEXT.`,
      ExitCode.usage,
    );
  }
  return upper;
}

export function readPrivateKey(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the private key ${path}: ${(error as Error).message}`);
  }
}

/** With credentials on the command line, a path still resolves against the current profile's site. */
function currentApiBase(context: CliContext): string | undefined {
  try {
    return context.store.resolve({}).apiBase;
  } catch {
    return undefined;
  }
}

export function selectCredentials(context: CliContext, flags: CredentialFlags): SelectedCredentials {
  const method = parseSignatureMethod(flags.signatureMethod);
  if (flags.consumerKey !== undefined || flags.consumerSecret !== undefined) {
    if (flags.consumerKey === undefined || flags.consumerSecret === undefined) {
      throw new CliError('--consumer-key and --consumer-secret go together.', ExitCode.usage);
    }
    if ((flags.accessToken === undefined) !== (flags.tokenSecret === undefined)) {
      throw new CliError('--access-token and --token-secret go together.', ExitCode.usage);
    }
    return {
      credentials: {
        consumerKey: flags.consumerKey,
        consumerSecret: flags.consumerSecret,
        token: flags.accessToken,
        tokenSecret: flags.tokenSecret,
        signatureMethod: method,
        privateKey: readPrivateKey(flags.privateKey),
        realm: flags.realm,
      },
      profile: undefined,
      // Nothing to look up by host here: the site is where the request goes, so it needs its scheme.
      apiBase:
        flags.site === undefined ? currentApiBase(context) : siteKey(parseHttpUrl(flags.site, '--site').href),
      headers: [],
    };
  }
  let profile: StoredProfile;
  try {
    profile = context.store.resolve({ site: flags.site, account: flags.user });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  return {
    credentials: {
      consumerKey: profile.consumerKey,
      consumerSecret: profile.consumerSecret,
      token: profile.token,
      tokenSecret: profile.tokenSecret,
      signatureMethod: method ?? profile.signatureMethod,
      privateKey: readPrivateKey(flags.privateKey ?? profile.privateKeyFile),
      realm: flags.realm ?? profile.realm,
    },
    profile,
    apiBase: profile.apiBase,
    headers: profile.headers ?? [],
  };
}

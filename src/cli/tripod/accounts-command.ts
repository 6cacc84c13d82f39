// `tripod accounts`, `tripod use`, `tripod logout`: the profile store seen from the command line.
// Secrets are never printed unless --show-secrets is given.

import { OAuthConsumer } from '../../client/pin-flow.ts';
import type { StoredProfile } from '../../client/profile-store.ts';
import { signatureTrace } from '../../client/signature-trace.ts';
import { cliFetch } from './cli-fetch.ts';
import { type CliContext, CliError } from './context.ts';
import { readPrivateKey } from './credentials-selection.ts';

function publicView(profile: StoredProfile, isDefault: boolean, showSecrets: boolean) {
  return {
    name: profile.name,
    default: isDefault,
    provider: profile.provider,
    userId: profile.userId ?? null,
    screenName: profile.screenName ?? null,
    consumerKey: profile.consumerKey,
    signatureMethod: profile.signatureMethod,
    apiBase: profile.apiBase,
    createdAt: profile.createdAt,
    ...(showSecrets
      ? { consumerSecret: profile.consumerSecret, token: profile.token, tokenSecret: profile.tokenSecret }
      : {}),
  };
}

export function runAccounts(context: CliContext, flags: { json?: boolean; showSecrets?: boolean }): number {
  const sites = context.store.list();
  if (flags.json) {
    context.print(
      JSON.stringify({
        profileFile: context.store.file,
        sites: sites.map((site) => ({
          site: site.site,
          current: site.current,
          defaultAccount: site.defaultAccount ?? null,
          accounts: site.accounts.map((a) =>
            publicView(a, a.name === site.defaultAccount, flags.showSecrets ?? false),
          ),
        })),
      }),
    );
    return 0;
  }
  if (sites.length === 0) {
    context.note('No accounts yet: run `tripod authorize --site URL --consumer-key K --consumer-secret S`.');
    return 0;
  }
  for (const site of sites) {
    context.print(`${site.site}${site.current ? '  (current site)' : ''}`);
    for (const account of site.accounts) {
      const marker = account.name === site.defaultAccount ? '*' : ' ';
      const who = account.userId !== undefined ? `, user_id ${account.userId}` : '';
      context.print(
        `  ${marker} ${account.name}  (${account.provider}, consumer key ${account.consumerKey}, ${account.signatureMethod}${who})`,
      );
      if (flags.showSecrets) {
        context.print(`      consumer secret ${account.consumerSecret}`);
        context.print(`      token ${account.token}  token secret ${account.tokenSecret}`);
      }
    }
  }
  context.note(`(* = the site's default account; profiles in ${context.store.file})`);
  return 0;
}

export function runUse(
  context: CliContext,
  account: string | undefined,
  flags: { site?: string | undefined; json?: boolean },
): number {
  if (account === undefined && flags.site === undefined)
    throw new CliError('Name an account, a --site, or both.', 2);
  let profile: StoredProfile;
  try {
    profile = context.store.use({ site: flags.site, account });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (flags.json) context.print(JSON.stringify({ site: profile.site, account: profile.name }));
  else context.print(`Now using ${profile.name} on ${profile.site}.`);
  return 0;
}

export async function runLogout(
  context: CliContext,
  account: string | undefined,
  flags: { site?: string | undefined; invalidate?: boolean; json?: boolean },
): Promise<number> {
  let profile: StoredProfile;
  try {
    profile = context.store.resolve({ site: flags.site, account });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  let invalidated: boolean | 'failed' = false;
  let failure: string | undefined;
  if (flags.invalidate !== false && profile.endpoints.invalidateTokenUrl !== undefined) {
    const consumer = new OAuthConsumer({
      consumerKey: profile.consumerKey,
      consumerSecret: profile.consumerSecret,
      signatureMethod: profile.signatureMethod,
      privateKey: readPrivateKey(profile.privateKeyFile),
      realm: profile.realm,
      endpoints: profile.endpoints,
      headers: profile.headers,
      fetch: cliFetch(context),
      onSigned: (signed, credentials) => {
        for (const line of context.debug ? signatureTrace(credentials, signed) : []) context.trace(line);
      },
    });
    try {
      invalidated = await consumer.invalidate(profile);
    } catch (error) {
      invalidated = 'failed';
      failure = (error as Error).message;
    }
  }
  context.store.remove(profile);
  if (flags.json) {
    context.print(
      JSON.stringify({
        site: profile.site,
        account: profile.name,
        removed: true,
        invalidated,
        error: failure ?? null,
      }),
    );
    return 0;
  }
  if (invalidated === true) context.note(`Revoked the token at ${profile.endpoints.invalidateTokenUrl}.`);
  else if (invalidated === 'failed') context.note(`tripod: warning: could not revoke the token: ${failure}`);
  else if (flags.invalidate !== false)
    context.note(`${profile.provider} has no token-revocation endpoint; revoke the app in its settings.`);
  context.print(`Removed ${profile.name} from ${profile.site}.`);
  return 0;
}

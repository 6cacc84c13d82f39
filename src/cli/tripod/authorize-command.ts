// `tripod authorize`: the PIN flow by default (oauth_callback=oob, the authorize URL on stderr, the PIN
// read from the terminal or stdin), or --loopback (a 127.0.0.1 callback catches the verifier). The
// result is stored as a profile named after the account (screen_name, else user_id, else --name).

import { OAuthResponseError } from '../../client/errors.ts';
import { startLoopbackCallback } from '../../client/loopback-callback.ts';
import { OAuthConsumer, type OAuthEndpoints } from '../../client/pin-flow.ts';
import { type StoredProfile, siteKey } from '../../client/profile-store.ts';
import { findPreset, PROVIDER_PRESETS } from '../../client/provider-presets.ts';
import { signatureTrace } from '../../client/signature-trace.ts';
import type { SignatureMethodName } from '../../core/signature.ts';
import { openBrowser, shouldOpenBrowser } from './browser.ts';
import { type CliContext, CliError, ExitCode, exitCodeForStatus } from './context.ts';
import { parseSignatureMethod, readPrivateKey } from './credentials-selection.ts';
import { readPin } from './pin-input.ts';

export interface AuthorizeFlags {
  site?: string | undefined;
  provider?: string | undefined;
  consumerKey?: string | undefined;
  consumerSecret?: string | undefined;
  requestTokenUrl?: string | undefined;
  authorizeUrl?: string | undefined;
  accessTokenUrl?: string | undefined;
  invalidateTokenUrl?: string | undefined;
  signatureMethod?: string | undefined;
  privateKey?: string | undefined;
  realm?: string | undefined;
  loopback?: boolean | undefined;
  loopbackPort?: string | undefined;
  browser?: boolean | undefined;
  forceLogin?: boolean | undefined;
  screenName?: string | undefined;
  langpref?: string | undefined;
  interactivity?: string | undefined;
  accessType?: string | undefined;
  authParam: string[];
  name?: string | undefined;
  default?: boolean | undefined;
  timeout?: string | undefined;
  json?: boolean | undefined;
}

function pairs(values: string[], flag: string): [string, string][] {
  return values.map((value) => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new CliError(`${flag} takes name=value, not ${value}.`, ExitCode.usage);
    return [value.slice(0, eq), value.slice(eq + 1)];
  });
}

export async function runAuthorize(context: CliContext, flags: AuthorizeFlags): Promise<number> {
  const preset = findPreset(flags.provider ?? 'tripod');
  if (preset === undefined) {
    throw new CliError(
      `Unknown provider ${flags.provider}: one of ${PROVIDER_PRESETS.map((p) => p.id).join(', ')} (or --site with your own endpoint URLs).`,
      ExitCode.usage,
    );
  }
  const siteFlag = flags.site ?? preset.site;
  if (siteFlag === undefined) throw new CliError(`--site is required for ${preset.title}.`, ExitCode.usage);
  const site = siteKey(siteFlag);
  if (flags.consumerKey === undefined || flags.consumerSecret === undefined) {
    throw new CliError('--consumer-key and --consumer-secret are required.', ExitCode.usage);
  }
  const fromPreset = preset.endpoints(site);
  const endpoints: OAuthEndpoints = {
    requestTokenUrl: flags.requestTokenUrl ?? fromPreset.requestTokenUrl,
    authorizeUrl: flags.authorizeUrl ?? fromPreset.authorizeUrl,
    accessTokenUrl: flags.accessTokenUrl ?? fromPreset.accessTokenUrl,
    invalidateTokenUrl: flags.invalidateTokenUrl ?? fromPreset.invalidateTokenUrl,
  };
  const signatureMethod: SignatureMethodName =
    parseSignatureMethod(flags.signatureMethod) ?? preset.signatureMethod ?? 'HMAC-SHA1';
  const privateKey = readPrivateKey(flags.privateKey);
  if (signatureMethod.startsWith('RSA-') && privateKey === undefined) {
    throw new CliError(`${signatureMethod} needs --private-key FILE (a PEM private key).`, ExitCode.usage);
  }
  const headers = [...(preset.headers ?? [])];
  const consumer = new OAuthConsumer({
    consumerKey: flags.consumerKey,
    consumerSecret: flags.consumerSecret,
    signatureMethod,
    privateKey,
    realm: flags.realm,
    endpoints,
    headers,
    onSigned: (signed, credentials) => {
      if (!context.debug) return;
      for (const line of signatureTrace(credentials, signed)) context.trace(line);
    },
  });

  let loopbackMode = flags.loopback === true;
  if (!loopbackMode && !preset.supportsOob) {
    context.note(`${preset.title} shows no PIN for oauth_callback=oob; using a loopback callback instead.`);
    loopbackMode = true;
  }
  const timeoutMs = (flags.timeout === undefined ? 300 : Number(flags.timeout)) * 1000;
  const loopback = loopbackMode
    ? await startLoopbackCallback({
        port: flags.loopbackPort ? Number(flags.loopbackPort) : 0,
        timeoutMs,
        callbackHost: preset.loopbackHost,
      })
    : undefined;

  try {
    if (flags.accessType !== undefined && flags.accessType !== 'read' && flags.accessType !== 'write') {
      throw new CliError('--access-type takes read or write.', ExitCode.usage);
    }
    const requestToken = await consumer.requestToken({
      callback: loopback?.callbackUrl ?? 'oob',
      accessType: flags.accessType,
    });
    if (!requestToken.callbackConfirmed) {
      context.note(
        'tripod: warning: the provider did not confirm the callback (oauth_callback_confirmed): a pre-1.0a provider?',
      );
    }
    const authParams = [...(preset.defaultAuthorizeParams ?? [])].filter(
      ([name]) => !flags.authParam.some((p) => p.startsWith(`${name}=`)),
    );
    authParams.push(...pairs(flags.authParam, '--auth-param'));
    const url = consumer.authorizeUrl(requestToken, {
      forceLogin: flags.forceLogin,
      screenName: flags.screenName,
      langpref: flags.langpref,
      interactivity: flags.interactivity as 'minimal' | 'confirm_user' | undefined,
      params: authParams,
    });
    context.note('Open this URL in a browser and authorize the app:');
    context.note('');
    context.note(`  ${url}`);
    context.note('');
    if (shouldOpenBrowser(context, flags.browser !== false)) openBrowser(context, url);

    let verifier: string;
    if (loopback !== undefined) {
      context.note(`Waiting for the provider to redirect to ${loopback.callbackUrl} …`);
      verifier = (await loopback.waitForVerifier(requestToken.token)).oauthVerifier;
    } else {
      context.note('Then enter the PIN it shows.');
      verifier = await readPin(context, timeoutMs);
    }

    const access = await consumer.accessToken(requestToken, verifier);
    const name = flags.name ?? access.screenName ?? access.userId ?? `account-${access.token.slice(0, 8)}`;
    const profile: StoredProfile = {
      name,
      site,
      provider: flags.requestTokenUrl || flags.authorizeUrl || flags.accessTokenUrl ? 'custom' : preset.id,
      apiBase: preset.apiBase?.(site) ?? site,
      consumerKey: flags.consumerKey,
      consumerSecret: flags.consumerSecret,
      token: access.token,
      tokenSecret: access.tokenSecret,
      userId: access.userId,
      screenName: access.screenName,
      signatureMethod,
      privateKeyFile: flags.privateKey,
      realm: flags.realm,
      endpoints,
      verifyCredentialsUrl: preset.verifyCredentialsUrl?.(site),
      headers: headers.length > 0 ? headers : undefined,
      createdAt: new Date().toISOString(),
    };
    context.store.save(profile, { makeDefault: flags.default !== false });
    if (flags.json) {
      context.print(
        JSON.stringify({
          site,
          account: name,
          userId: access.userId ?? null,
          screenName: access.screenName ?? null,
          provider: profile.provider,
          consumerKey: profile.consumerKey,
          signatureMethod,
          default: flags.default !== false,
          profileFile: context.store.file,
        }),
      );
    } else {
      context.print(`Authorized ${name} on ${site}.`);
      context.note(
        `Saved to ${context.store.file}${flags.default !== false ? ` as the default account; try: tripod request ${profile.verifyCredentialsUrl ? new URL(profile.verifyCredentialsUrl).pathname : '/'}` : ''}`,
      );
    }
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof OAuthResponseError) {
      throw new CliError(`authorization failed: ${error.message}`, exitCodeForStatus(error.status));
    }
    throw error;
  } finally {
    await loopback?.close();
  }
}

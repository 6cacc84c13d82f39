// `tripod authorize`: the PIN flow by default (oauth_callback=oob, the authorize URL on stderr, the PIN
// read from the terminal or stdin, asked again until the provider accepts one or its tries run out), or
// --loopback (a 127.0.0.1 callback catches the verifier). Either waits as long as the request token
// lives — the provider's oauth_expires_in when it sends one, else until stopped — unless --timeout says
// otherwise. The result is stored as a profile named after the account (screen_name, else user_id,
// else --name).

import { explainProviderError, OAuthResponseError } from '../../client/errors.ts';
import { type LoopbackCallback, startLoopbackCallback } from '../../client/loopback-callback.ts';
import { OAuthConsumer, type OAuthEndpoints } from '../../client/pin-flow.ts';
import { type StoredProfile, siteKey } from '../../client/profile-store.ts';
import { findPreset, PROVIDER_PRESETS } from '../../client/provider-presets.ts';
import { signatureTrace } from '../../client/signature-trace.ts';
import type { SignatureMethodName } from '../../core/signature.ts';
import { openBrowser, shouldOpenBrowser } from './browser.ts';
import { cliFetch } from './cli-fetch.ts';
import { type CliContext, CliError, ExitCode, exitCodeForStatus } from './context.ts';
import { parseSignatureMethod, readPrivateKey } from './credentials-selection.ts';
import { promptForPin } from './pin-prompt.ts';
import { parseHttpUrl } from './site-url.ts';

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

function positiveSeconds(value: string, flag: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CliError(`${flag} takes a number of seconds, not ${value}.`, ExitCode.usage);
  }
  return seconds;
}

function loopbackPort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--loopback-port takes a port number (1–65535), not ${value}.`, ExitCode.usage);
  }
  return port;
}

/** How long to wait for the PIN or the callback: --timeout, else the request token's lifetime if told. */
export function waitLimitMs(
  flags: AuthorizeFlags,
  tokenResponse: Record<string, string>,
): number | undefined {
  if (flags.timeout !== undefined) return positiveSeconds(flags.timeout, '--timeout') * 1000;
  const expiresIn = Number(tokenResponse.oauth_expires_in);
  return Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : undefined;
}

async function listenForCallback(
  port: number,
  callbackHost: '127.0.0.1' | 'localhost' | undefined,
): Promise<LoopbackCallback> {
  try {
    // The wait's limit is set per wait, once the request token (and its lifetime) is known.
    return await startLoopbackCallback({ port, timeoutMs: Number.POSITIVE_INFINITY, callbackHost });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError(
        `Port ${port} on 127.0.0.1 is already in use, so the loopback callback cannot listen there: pick another with --loopback-port N, or leave --loopback-port out for a free one.`,
      );
    }
    if (code === 'EACCES') {
      throw new CliError(
        `Port ${port} needs privileges to listen on: pick one above 1023 with --loopback-port N, or leave --loopback-port out for a free one.`,
      );
    }
    throw error;
  }
}

/** The CLI's own advice where the provider's speaks protocol and the person typed a flag. */
function adviceForFlags(error: OAuthResponseError, loopbackAsked: boolean): string | undefined {
  if (error.twitterCode !== 417) return undefined;
  return loopbackAsked
    ? 'this app has no registered callback URL, so it only takes PINs: drop --loopback and type the PIN the page shows, or register http://127.0.0.1/callback as a callback URL of the app'
    : 'this app has no registered callback URL, and this provider shows no PIN: register http://127.0.0.1/callback as a callback URL of the app';
}

export async function runAuthorize(context: CliContext, flags: AuthorizeFlags): Promise<number> {
  const preset = findPreset(flags.provider ?? 'tripod');
  if (preset === undefined) {
    throw new CliError(
      `Unknown provider ${flags.provider}: one of ${PROVIDER_PRESETS.map((p) => p.id).join(', ')} (or --site with your own endpoint URLs).`,
      ExitCode.usage,
    );
  }
  if (flags.site !== undefined) parseHttpUrl(flags.site, '--site');
  const siteFlag = flags.site ?? preset.site;
  if (siteFlag === undefined) throw new CliError(`--site is required for ${preset.title}.`, ExitCode.usage);
  const site = siteKey(siteFlag);
  if (flags.consumerKey === undefined || flags.consumerSecret === undefined) {
    throw new CliError('--consumer-key and --consumer-secret are required.', ExitCode.usage);
  }
  const customEndpoints = [flags.requestTokenUrl, flags.authorizeUrl, flags.accessTokenUrl];
  for (const [value, flag] of [
    [flags.requestTokenUrl, '--request-token-url'],
    [flags.authorizeUrl, '--authorize-url'],
    [flags.accessTokenUrl, '--access-token-url'],
    [flags.invalidateTokenUrl, '--invalidate-token-url'],
  ] as const) {
    if (value !== undefined) parseHttpUrl(value, flag);
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
  if (flags.accessType !== undefined && flags.accessType !== 'read' && flags.accessType !== 'write') {
    throw new CliError('--access-type takes read or write.', ExitCode.usage);
  }
  if (flags.timeout !== undefined) positiveSeconds(flags.timeout, '--timeout');
  const headers = [...(preset.headers ?? [])];
  const consumer = new OAuthConsumer({
    consumerKey: flags.consumerKey,
    consumerSecret: flags.consumerSecret,
    signatureMethod,
    privateKey,
    realm: flags.realm,
    endpoints,
    headers,
    fetch: cliFetch(context),
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
  const loopback = loopbackMode
    ? await listenForCallback(loopbackPort(flags.loopbackPort), preset.loopbackHost)
    : undefined;

  try {
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

    const limitMs = waitLimitMs(flags, requestToken.response);
    let access: Awaited<ReturnType<OAuthConsumer['accessToken']>>;
    if (loopback !== undefined) {
      context.note(`Waiting for the provider to redirect to ${loopback.callbackUrl} …`);
      const { oauthVerifier } = await loopback.waitForVerifier(requestToken.token, {
        timeoutMs: limitMs ?? Number.POSITIVE_INFINITY,
      });
      access = await consumer.accessToken(requestToken, oauthVerifier);
    } else {
      context.note('Then enter the PIN it shows.');
      access = await promptForPin(
        context,
        {
          digits: preset.pinIsDigits === true && customEndpoints.every((u) => u === undefined),
          timeoutMs: limitMs,
        },
        (pin) => consumer.accessToken(requestToken, pin),
      );
    }

    const name = flags.name ?? access.screenName ?? access.userId ?? `account-${access.token.slice(0, 8)}`;
    const profile: StoredProfile = {
      name,
      site,
      provider: customEndpoints.some((u) => u !== undefined) ? 'custom' : preset.id,
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
      const advice = adviceForFlags(error, flags.loopback === true);
      throw new CliError(
        `authorization failed: ${advice === undefined ? error.message : explainProviderError({ ...error, advice })}`,
        exitCodeForStatus(error.status),
      );
    }
    throw error;
  } finally {
    await loopback?.close();
  }
}

// `tripod doctor`: the checks that explain most "Could not authenticate you" reports before anyone
// reads a base string — the local clock against the provider's Date header (a skew beyond the
// provider's window, 300–600 s for oauthlib/OKAPI/X, breaks every signature), the profile store's
// permissions, the profile itself, TLS, and one signed call where the provider has a "who am I" URL.

import { connect } from 'node:tls';
import { explainProviderError, parseProviderError } from '../../client/errors.ts';
import { createOAuthFetch } from '../../client/oauth-fetch.ts';
import type { StoredProfile } from '../../client/profile-store.ts';
import { siteKey } from '../../client/profile-store.ts';
import { signatureTrace } from '../../client/signature-trace.ts';
import { cliFetch } from './cli-fetch.ts';
import type { CliContext } from './context.ts';
import { readPrivateKey } from './credentials-selection.ts';
import { parseHttpUrl } from './site-url.ts';

type Status = 'ok' | 'warn' | 'fail';
interface Check {
  name: string;
  status: Status;
  detail: string;
}

async function clockCheck(context: CliContext, url: string, now: () => number): Promise<Check> {
  const before = now();
  let response: Response;
  try {
    response = await cliFetch(context, { timeoutMs: 15_000 })(url, { method: 'HEAD', redirect: 'manual' });
  } catch (error) {
    return { name: 'reach', status: 'fail', detail: (error as Error).message };
  }
  const after = now();
  const date = response.headers.get('date');
  if (date === null)
    return { name: 'clock', status: 'warn', detail: `${url} sent no Date header to compare with` };
  // The Date header has one-second resolution: compare with the middle of the round trip.
  const skew = (Date.parse(date) - (before + after) / 2) / 1000;
  const abs = Math.abs(skew);
  const direction = skew > 0 ? 'behind' : 'ahead of';
  const detail =
    abs < 2
      ? `in step with ${new URL(url).host} (${skew.toFixed(1)} s)`
      : `${abs.toFixed(0)} s ${direction} ${new URL(url).host}`;
  if (abs < 60) return { name: 'clock', status: 'ok', detail };
  return {
    name: 'clock',
    status: abs < 300 ? 'warn' : 'fail',
    detail: `${detail}: fix the system clock (NTP) or pass --timestamp-offset ${Math.round(skew)} to tripod request`,
  };
}

function tlsCheck(url: URL): Promise<Check> {
  if (url.protocol !== 'https:') {
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return Promise.resolve({
      name: 'tls',
      status: loopback ? 'ok' : 'warn',
      detail: loopback
        ? 'plain HTTP on loopback (fine for local testing)'
        : 'plain HTTP: tokens and verifiers travel unencrypted; use https',
    });
  }
  return new Promise((resolve) => {
    const socket = connect(
      { host: url.hostname, port: Number(url.port || 443), servername: url.hostname, timeout: 15_000 },
      () => {
        const cert = socket.getPeerCertificate();
        const days = Math.floor((Date.parse(cert.valid_to) - Date.now()) / 86_400_000);
        resolve({
          name: 'tls',
          status: days < 14 ? 'warn' : 'ok',
          detail: `${socket.getProtocol()}, certificate for ${cert.subject?.CN ?? url.hostname} verified, expires in ${days} days`,
        });
        socket.end();
      },
    );
    socket.on('error', (error) => resolve({ name: 'tls', status: 'fail', detail: error.message }));
    socket.on('timeout', () => {
      socket.destroy();
      resolve({ name: 'tls', status: 'fail', detail: 'TLS handshake timed out' });
    });
  });
}

async function credentialsCheck(context: CliContext, profile: StoredProfile): Promise<Check> {
  if (profile.verifyCredentialsUrl === undefined) {
    return {
      name: 'credentials',
      status: 'warn',
      detail: `no "who am I" URL known for ${profile.provider}; not tested`,
    };
  }
  const signedFetch = createOAuthFetch(
    { ...profile, privateKey: readPrivateKey(profile.privateKeyFile) },
    {
      fetch: cliFetch(context),
      onSigned: (signed, credentials) => {
        for (const line of context.debug ? signatureTrace(credentials, signed) : []) context.trace(line);
      },
    },
  );
  try {
    const response = await signedFetch(profile.verifyCredentialsUrl, { headers: profile.headers });
    const body = await response.text();
    if (response.ok)
      return {
        name: 'credentials',
        status: 'ok',
        detail: `signed GET ${profile.verifyCredentialsUrl} → ${response.status}`,
      };
    const details = parseProviderError({
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body,
      method: 'GET',
      url: profile.verifyCredentialsUrl,
    });
    return { name: 'credentials', status: 'fail', detail: explainProviderError(details) };
  } catch (error) {
    return { name: 'credentials', status: 'fail', detail: (error as Error).message };
  }
}

export async function runDoctor(
  context: CliContext,
  flags: { site?: string | undefined; user?: string | undefined; json?: boolean },
): Promise<number> {
  const checks: Check[] = [];
  const modes = context.store.modes();
  const mode = (m: number | undefined) => (m === undefined ? 'absent' : m.toString(8));
  const badModes =
    (modes.dir !== undefined && (modes.dir & 0o077) !== 0) ||
    (modes.file !== undefined && (modes.file & 0o077) !== 0);
  let profile: StoredProfile | undefined;
  try {
    profile = context.store.resolve({ site: flags.site, account: flags.user });
    checks.push({
      name: 'store',
      status: badModes ? 'warn' : 'ok',
      detail: `${context.store.file} (directory ${mode(modes.dir)}, file ${mode(modes.file)}${badModes ? ', repaired to 700/600' : ''})`,
    });
    checks.push({
      name: 'profile',
      status: 'ok',
      detail: `${profile.name} on ${profile.site} (${profile.provider}, ${profile.signatureMethod}, consumer key ${profile.consumerKey})`,
    });
  } catch (error) {
    checks.push({ name: 'store', status: 'ok', detail: `${context.store.file} (file ${mode(modes.file)})` });
    checks.push({ name: 'profile', status: flags.site ? 'warn' : 'fail', detail: (error as Error).message });
  }
  const target =
    profile?.endpoints.requestTokenUrl ??
    (flags.site ? siteKey(parseHttpUrl(flags.site, '--site').href) : undefined);
  if (target !== undefined) {
    const clock = await clockCheck(context, target, Date.now);
    checks.push(clock);
    if (clock.name !== 'reach') checks.push(await tlsCheck(new URL(target)));
  }
  if (profile !== undefined) checks.push(await credentialsCheck(context, profile));

  const failed = checks.some((c) => c.status === 'fail');
  if (flags.json) context.print(JSON.stringify({ ok: !failed, checks }));
  else for (const c of checks) context.print(`${c.status.padEnd(4)}  ${c.name.padEnd(11)} ${c.detail}`);
  return failed ? 1 : 0;
}

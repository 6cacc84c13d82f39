// What `--debug` prints: the signature base string, the normalized parameters one per line, and which
// secrets were used — masked to their length and a short fingerprint, so two runs (or a client and a
// server log) can be compared without the secrets ever being printed. HTTP traces show headers with
// oauth_signature and any other credential redacted (twurl's -t prints them raw; clients.md §5).

import { createHash } from 'node:crypto';
import type { SigningCredentials } from './credentials.ts';
import type { SignedHttpRequest } from './sign-request.ts';

/** "43 chars, sha256:1f0c9a2b" — enough to tell secrets apart, useless for recovering one. */
export function maskSecret(secret: string | undefined): string {
  if (secret === undefined || secret === '') return '(empty)';
  const fingerprint = createHash('sha256').update(secret).digest('hex').slice(0, 8);
  return `${secret.length} chars, sha256:${fingerprint}`;
}

const REDACT_IN_AUTHORIZATION = /(oauth_signature|oauth_token_secret|oauth_verifier)="[^"]*"/g;

/** The Authorization header with the signature (and anything secret) replaced. */
export function redactAuthorization(value: string): string {
  return value.replace(REDACT_IN_AUTHORIZATION, '$1="[redacted]"');
}

/** A URL with query-placed credentials replaced. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:oauth_signature|oauth_token_secret|oauth_verifier)=)[^&#]*/g, '$1[redacted]');
}

export function signatureTrace(credentials: SigningCredentials, signed: SignedHttpRequest): string[] {
  const method = signed.signed.oauthParams.find(([n]) => n === 'oauth_signature_method')?.[1] ?? '?';
  const lines = [
    `signature method: ${method} (placement: ${signed.placement})`,
    `request: ${signed.method} ${redactUrl(signed.url)}`,
    'normalized parameters:',
    ...signed.normalizedParameters.split('&').map((pair) => `  ${pair}`),
    'signature base string:',
    `  ${signed.signed.baseString}`,
  ];
  if (method.startsWith('RSA-')) {
    lines.push('signed with: the RSA private key (consumer and token secrets unused)');
  } else {
    lines.push(
      `signing key: consumer secret (${maskSecret(credentials.consumerSecret)}) & token secret (${maskSecret(credentials.tokenSecret)})`,
    );
  }
  lines.push('oauth_signature: [redacted]');
  return lines;
}

/** Request/response headers for the trace; credentials and cookies are redacted. */
export function headerTrace(prefix: '>' | '<', headers: Iterable<readonly [string, string]>): string[] {
  const out: string[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    let shown = value;
    if (lower === 'authorization') shown = redactAuthorization(value);
    else if (lower === 'cookie' || lower === 'set-cookie') shown = '[redacted]';
    out.push(`${prefix} ${name}: ${shown}`);
  }
  return out;
}

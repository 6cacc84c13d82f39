// What the signature debugger may keep of a refused request: the entry with every secret value replaced
// and every field cut to a few KB, applied by the recorder before anything reaches the store (src/stores
// keeps the entries: RejectionLog). Consumer and token secrets never enter an entry; what a client sends
// that is a secret — a PIN (oauth_verifier), an xAuth password, and a PLAINTEXT signature, which IS
// `consumer_secret&token_secret` — is replaced here. An HMAC or RSA signature is kept: it reveals no secret
// and a developer compares it.

import type { Parameter } from '../../core/encoding.ts';
import type { RejectedRequest } from '../../stores/types.ts';
import { isSecretParameter, REDACTED } from '../secret-parameters.ts';

/** Longest URL, parameter value and base string kept; beyond, cut and marked. */
export const URL_KEPT = 2048;
export const VALUE_KEPT = 512;
export const BASE_STRING_KEPT = 4096;
/** At most this many parameters are kept; the rest are summarised in one row. */
export const PARAMETERS_KEPT = 40;

const TRUNCATED = '…[truncated]';

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}${TRUNCATED}`;
}

// The debugger shows oauth_token (the developer's own users' tokens identify which grant failed); every
// other secret parameter of the shared list is blanked, and oauth_signature only when it is PLAINTEXT.
function isRedacted(name: string, plaintext: boolean): boolean {
  if (name === 'oauth_token') return false;
  if (name === 'oauth_signature') return plaintext;
  return isSecretParameter(name);
}

// In the base string each value is percent-encoded twice, so '&' between parameters is %26 and never
// occurs inside a value: a secret's value runs from `name%3D` to the next %26.
export function redactBaseString(baseString: string, secretNames: readonly string[]): string {
  let text = baseString;
  for (const name of secretNames) {
    const encodedName = encodeURIComponent(encodeURIComponent(name));
    text = text.replace(
      new RegExp(`(${encodedName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}%3D).*?(?=%26|$)`, 'g'),
      '$1%255Bredacted%255D',
    );
  }
  return text;
}

function redactUrl(url: string, secretNames: readonly string[]): string {
  if (secretNames.length === 0) return url;
  try {
    const parsed = new URL(url);
    for (const name of secretNames)
      if (parsed.searchParams.has(name)) parsed.searchParams.set(name, REDACTED);
    return parsed.toString();
  } catch {
    return url.split('?', 1)[0]!;
  }
}

/** The entry with every secret value replaced and every field cut to its limit. */
export function redactRejectedRequest(entry: RejectedRequest): RejectedRequest {
  const plaintext = entry.parameters.some(
    ([name, value]) => name === 'oauth_signature_method' && value === 'PLAINTEXT',
  );
  const secretNames = [
    ...new Set(entry.parameters.map(([name]) => name).filter((name) => isRedacted(name, plaintext))),
  ];
  const parameters: Parameter[] = entry.parameters
    .slice(0, PARAMETERS_KEPT)
    .map(([name, value]) => [
      cut(name, VALUE_KEPT),
      isRedacted(name, plaintext) ? REDACTED : cut(value, VALUE_KEPT),
    ]);
  if (entry.parameters.length > PARAMETERS_KEPT) {
    parameters.push(['…', `${entry.parameters.length - PARAMETERS_KEPT} more parameters not kept`]);
  }
  return {
    ...entry,
    url: cut(redactUrl(entry.url, secretNames), URL_KEPT),
    parameters,
    baseString:
      entry.baseString === null
        ? null
        : cut(redactBaseString(entry.baseString, secretNames), BASE_STRING_KEPT),
  };
}

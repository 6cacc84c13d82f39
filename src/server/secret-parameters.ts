// Request parameters whose values are secrets, and the one way to blank them out of text that is about to
// be kept (log lines; anything else that records requests should use the same list). A PIN in a query
// string, a signature in an Authorization header or a password in a form body must never be readable in
// what the server keeps: a leaked PIN still works until it is exchanged, and a PLAINTEXT signature *is*
// the consumer and token secrets.

/** The protocol's secret parameters (RFC 5849 and xAuth), by name. */
export const SECRET_PARAMETERS: readonly string[] = [
  'oauth_verifier',
  'oauth_signature',
  'oauth_token',
  'oauth_token_secret',
  'x_auth_password',
  'password',
];

// Any other field that names itself a password or a secret (sign-up forms, consumer_secret…).
const SECRET_NAME = /password|secret/i;

export function isSecretParameter(name: string): boolean {
  return SECRET_PARAMETERS.includes(name) || SECRET_NAME.test(name);
}

export const REDACTED = '[redacted]';

// `name=value` as it appears in a query string, a form body (`&`-separated) and an Authorization header
// (`name="value"`, comma-separated), also inside an error message quoting any of them. The value ends at
// whatever can end it in any of the three; ending it too late only blanks more.
const PAIR = /([A-Za-z0-9_.~%+-]+)=("?)([^&\s"#]*)/g;

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}

/** `text` with the value of every secret parameter replaced by [redacted] (names may be percent-encoded). */
export function redactSecretParameters(text: string): string {
  if (!text.includes('=')) return text;
  return text.replace(PAIR, (pair, name: string, quote: string) =>
    isSecretParameter(decodedName(name)) ? `${name}=${quote}${REDACTED}` : pair,
  );
}

// Every sentence the people-facing pages show, in one place so that a later issue can translate them
// (langpref) without touching templates or routes. Templates receive this object as `it.text`; values with
// an {app} or {user} slot are filled by `fill()` and still escaped by the template engine.

export const pageText = {
  productName: 'Tripod',
  authorizeTitle: 'Authorize {app} to use your account?',
  accessRead: 'This app will be able to read your account information.',
  accessReadWrite: 'This app will be able to read your account information and post on your behalf.',
  accessLabelRead: 'Read only',
  accessLabelReadWrite: 'Read and write',
  accessHeading: 'Access requested',
  websiteLabel: 'Website',
  signInHeading: 'Sign in to continue',
  signedInAs: 'Signed in as {user}.',
  notYou: 'Not you? Sign in as someone else',
  usernameLabel: 'Username',
  passwordLabel: 'Password',
  allowButton: 'Authorize app',
  denyButton: 'Cancel',
  wrongCredentials: 'The username or password is not correct.',
  signInRequired: 'Enter your username and password to authorize this app.',
  pinTitle: 'You authorized {app}',
  pinIntro: 'Here is your PIN:',
  pinInstruction: 'Return to {app} and enter this PIN',
  pinExpiry: 'The PIN works once and only for a few minutes.',
  deniedTitle: 'Access denied',
  deniedBody: 'You did not authorize {app}. It has no access to your account. You can close this page.',
  tokenUnknownTitle: 'This authorization link is not valid',
  tokenUnknownBody:
    'The link does not carry a request token this server issued. Return to the app and start the sign-in again.',
  tokenMissingTitle: 'This authorization link is incomplete',
  tokenMissingBody: 'The link has no oauth_token parameter. Return to the app and start the sign-in again.',
  tokenExpiredTitle: 'This authorization request has expired',
  tokenExpiredBody:
    'Authorization requests are only valid for a few minutes. Return to the app and start again.',
  tokenUsedTitle: 'This authorization request was already used',
  tokenUsedBody: 'Each request can be authorized once. Return to the app and start again if you need to.',
  tokenDeniedTitle: 'This authorization request was cancelled',
  tokenDeniedBody:
    'Access was denied for this request. Return to the app and start again if you changed your mind.',
  tokenBurnedTitle: 'This authorization request is no longer valid',
  tokenBurnedBody: 'Too many wrong PINs were entered for it. Return to the app and start again.',
  formExpiredTitle: 'This form has expired',
  formExpiredBody:
    'The page was open too long or came from another site, so it was not sent. Go back, reload the page and try again.',
  tooManyAttemptsTitle: 'Too many sign-in attempts',
  tooManyAttemptsBody: 'Wait a minute, then go back and try again.',
  notFoundTitle: 'Page not found',
  notFoundBody: 'There is nothing at this address.',
  badRequestTitle: 'This request could not be understood',
  badRequestBody: 'Go back to the app and start again.',
  serverErrorTitle: 'Something went wrong',
  serverErrorBody: 'The server could not complete the request. Try again in a moment.',
} as const;

export type PageText = typeof pageText;

/** Replaces `{name}` slots; the result is plain text (the template escapes it). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => values[name] ?? slot);
}

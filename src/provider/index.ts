// The provider's public API: the protocol (Provider), its settings, the request token state machine,
// the injected clock and randomness, and the store interfaces that src/stores/ implements.

export { appendToCallback, callbackMatches, OOB, parseCallback } from './callback-policy.ts';
export { systemClock } from './clock.ts';
export {
  ALL_SIGNATURE_METHODS,
  buildProviderConfig,
  DEFAULT_PROVIDER_CONFIG,
  type ProviderConfig,
  ProviderConfigError,
  type ProviderSetting,
  providerSettings,
  providerSettingsMarkdown,
} from './defaults.ts';
export {
  type ApproveResult,
  type AuthorizationRequest,
  type DenyResult,
  type IssuedAccessToken,
  type IssuedRequestToken,
  Provider,
  type ProviderEvent,
  type ProviderLog,
  type ProviderOptions,
  type VerifiedRequest,
  type VerifyOptions,
} from './provider.ts';
export { publicRequestUrl, type ReceivedUrl } from './public-url.ts';
export {
  createRandomSource,
  generatePin,
  generateToken,
  SECRET_BYTES,
  TOKEN_BYTES,
} from './random-source.ts';
export {
  authorize,
  deny,
  exchange,
  IllegalTransition,
  REQUEST_TOKEN_UNUSABLE_MESSAGES,
  type RequestTokenStatus,
  RequestTokenUnusable,
  type RequestTokenUnusableReason,
  rejectVerifier,
  requestTokenStatus,
  unusableForDecision,
} from './request-token-state.ts';
export type * from './types.ts';
export {
  type AccessRule,
  type Identity,
  type VerifiableRequest,
  type Verification,
  Verifier,
  type VerifierOptions,
} from './verifier.ts';

// The consumer SDK (Node). The signing part alone, for browsers, Deno and Bun, is ./web.ts.
export type { ConsumerCredentials, SigningCredentials, TokenCredentials } from './credentials.ts';
export {
  AuthorizationDeniedError,
  CallbackTimeoutError,
  explainProviderError,
  OAuthResponseError,
  type ProviderErrorDetails,
  parseProviderError,
  TokenMissingError,
} from './errors.ts';
export {
  type LoopbackCallback,
  type LoopbackCallbackOptions,
  startLoopbackCallback,
} from './loopback-callback.ts';
export {
  fixedNonceSource,
  type NonceSource,
  randomNonce,
  systemNonceSource,
} from './nonce-and-timestamp.ts';
export { createOAuthFetch, type FetchFunction, type OAuthFetchOptions } from './oauth-fetch.ts';
export {
  type AccessToken,
  type AuthorizeUrlOptions,
  buildAuthorizeUrl,
  OAuthConsumer,
  type OAuthConsumerOptions,
  type OAuthEndpoints,
  parseAuthorizationResponse,
  parseTokenResponse,
  type RequestToken,
} from './pin-flow.ts';
export {
  canonicalUrl,
  type HttpRequestToSign,
  type RequestBody,
  type SignaturePlacement,
  type SignedHttpRequest,
  type SignOptions,
  signHttpRequest,
} from './sign-request.ts';

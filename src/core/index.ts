// RFC 5849 core: pure functions, no I/O, no clock, no randomness (DESIGN.md §1).
export { baseStringUri, signatureBaseString } from './base-string.ts';
export { bodyHash } from './body-hash.ts';
export {
  formatFormEncoded,
  type Parameter,
  parseFormEncoded,
  percentDecode,
  percentEncode,
} from './encoding.ts';
export {
  type AuthorizationHeader,
  type CollectedParameters,
  collectRequestParameters,
  formatAuthorizationHeader,
  isFormContentType,
  normalizeParameters,
  parseAuthorizationHeader,
  type RequestParts,
} from './parameters.ts';
export * from './problems.ts';
export {
  constantTimeEqual,
  digestEqual,
  isSignatureMethod,
  SIGNATURE_METHODS,
  type SignatureMethodName,
  type SigningSecrets,
  sign,
  signingKey,
  type VerificationSecrets,
  verifySignature,
} from './signature.ts';
export { type SignedRequest, type SignRequestInput, signRequest } from './signing.ts';

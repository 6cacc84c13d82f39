// Issue 10's typical requests for the core/ micro-benchmarks: Twitter's worked example ("Creating a
// signature": a POST with a form body and one query parameter, seven protocol parameters in the header) and
// a GET with two query parameters, both signed with that example's credentials. One definition for
// core-verification.ts, its lower bound and its valgrind runner, so that all three measure the same requests.

import { formatFormEncoded, type Parameter } from '../../src/core/encoding.ts';
import { signRequest } from '../../src/core/signing.ts';
import { twitterCreatingASignature as TYPICAL } from '../../test/core/vectors.ts';

export { TYPICAL };

export interface TypicalRequest {
  name: string;
  method: 'POST' | 'GET';
  url: string;
  form: Parameter[];
  /** The form as sent (application/x-www-form-urlencoded), or null for none. */
  body: string | null;
}

const POST_FORM: Parameter[] = [['status', 'Hello Ladies + Gentlemen, a signed OAuth request!']];

export const TYPICAL_REQUESTS: readonly TypicalRequest[] = [
  {
    name: 'POST form (Twitter example)',
    method: 'POST',
    url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
    form: POST_FORM,
    body: formatFormEncoded(POST_FORM),
  },
  {
    name: 'GET, 2 query params',
    method: 'GET',
    url: 'https://api.twitter.com/1.1/statuses/home_timeline.json?count=20&since_id=1318622958',
    form: [],
    body: null,
  },
];

/** What `signRequest` takes to sign `request` with the example's credentials. */
export function typicalSignInput(request: TypicalRequest, method: 'HMAC-SHA1' | 'HMAC-SHA256') {
  return {
    method: request.method,
    url: request.url,
    consumerKey: TYPICAL.consumerKey,
    consumerSecret: TYPICAL.consumerSecret,
    token: TYPICAL.token,
    tokenSecret: TYPICAL.tokenSecret,
    nonce: TYPICAL.nonce,
    timestamp: TYPICAL.timestamp,
    signatureMethod: method,
    body: request.form.length > 0 ? { form: request.form } : undefined,
  };
}

export function signTypical(request: TypicalRequest, method: 'HMAC-SHA1' | 'HMAC-SHA256') {
  return signRequest(typicalSignInput(request, method));
}

// Interoperability: Debian's php-oauth (PECL OAuth) completes the PIN flow against a running Tripod server
// with each of its three transports — the Authorization header, the query string (URI) and a form body
// (FORM). FORM puts the oauth_* parameters in an application/x-www-form-urlencoded body on every method,
// GET included: RFC 5849 §3.5.2 and §3.4.1.3.1 put no condition on the method, so neither does Tripod.

import { describe, test } from 'node:test';
import { testServerForTheFile } from '../server/fixtures/test-server.ts';
import { assertCompleteFlow, PECL_OAUTH, runPinClient } from './pin-client-process.ts';

const server = testServerForTheFile();

describe('PECL OAuth (php-oauth) against Tripod', () => {
  for (const [authType, where] of [
    ['authorization', 'the Authorization header'],
    ['uri', 'the query string'],
    ['form', 'a form body, on the GET too'],
  ] as const) {
    test(`OAUTH_AUTH_TYPE_${authType.toUpperCase()}: PIN flow, GET and POST with the OAuth parameters in ${where}`, async () => {
      assertCompleteFlow(server, await runPinClient(server, PECL_OAUTH, { auth_type: authType }));
    });
  }
});

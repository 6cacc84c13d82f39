// Interoperability: Debian's python3-requests-oauthlib (OAuth1Session), a client nobody on this team wrote,
// completes the PIN flow against a running Tripod server. The test plays the person: it opens the authorize
// URL the client printed, signs in through the real pages and types the PIN back into the client.

import { describe, test } from 'node:test';
import { testServerForTheFile } from '../server/fixtures/test-server.ts';
import { assertCompleteFlow, REQUESTS_OAUTHLIB, runPinClient } from './pin-client-process.ts';

const server = testServerForTheFile();

describe('python3-requests-oauthlib against Tripod', () => {
  test('OAuth1Session: oob request token, PIN from the pages, access token, GET and a POST with awkward text', async () => {
    assertCompleteFlow(server, await runPinClient(server, REQUESTS_OAUTHLIB));
  });

  test('the same flow with HMAC-SHA256 and the OAuth parameters in the query string', async () => {
    const result = await runPinClient(server, REQUESTS_OAUTHLIB, {
      signature_method: 'HMAC-SHA256',
      signature_type: 'QUERY',
    });
    assertCompleteFlow(server, result);
  });
});

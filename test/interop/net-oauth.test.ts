// Interoperability: Debian's libnet-oauth-perl (Net::OAuth's OAuth 1.0a request classes:
// RequestTokenRequest with callback oob, AccessTokenRequest with the PIN as verifier,
// ProtectedResourceRequest) over libwww-perl completes the PIN flow against the real tripod-server with
// its default settings, with the OAuth parameters in the Authorization header, in form bodies (the GET in
// its query) or in the query string of every request, POSTs included; with HMAC-SHA1, and RSA-SHA1 for
// an app registered with `app add --rsa-public-key`. The GET carries the awkward text in its query too.
//
// Net::OAuth gets one thing wrong: parameters written into `request_url` are read back through
// URI::QueryParam as UTF-8 bytes, which its encode() takes for characters and percent-encodes as UTF-8 a
// second time, where RFC 5849 §3.6 encodes the text's UTF-8 once. Non-ASCII values are then signed
// otherwise than sent with the Authorization header (401 signature_invalid, shown below), and sent as
// signed, double-encoded, by to_url. Workaround: give them as text in `extra_params` (the script does).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverForTheFile } from '../cli/tripod-process.ts';
import { assertCompleteFlow, NET_OAUTH, type PinClientResult, runPinClient } from './pin-client-process.ts';
import { asRsaClient, serveTripodForClients } from './served-tripod.ts';

const server = serverForTheFile(serveTripodForClients);

describe('Net::OAuth (Perl) against tripod-server', () => {
  for (const [form, where] of [
    ['header', 'the Authorization header (to_authorization_header)'],
    ['body', 'form bodies (to_post_body), the GET’s in its query string (to_url)'],
    ['query', 'the query string of every request, POSTs included (to_url)'],
  ] as const) {
    test(`HMAC-SHA1: PIN flow, a GET and a POST with awkward text, the OAuth parameters in ${where}`, async () => {
      assertCompleteFlow(server, await runPinClient(server, NET_OAUTH, { form }));
    });
  }

  test('a non-ASCII parameter written into request_url is signed double-encoded: refused with the Authorization header', async () => {
    const result: PinClientResult & {
      get_query_in_url?: { status: number; body: { oauth_problem: string } };
    } = await runPinClient(server, NET_OAUTH, { form: 'header', also_query_in_url: true });
    assertCompleteFlow(server, result);
    assert.equal(result.get_query_in_url?.status, 401);
    assert.equal(result.get_query_in_url?.body.oauth_problem, 'signature_invalid');
  });

  test('RSA-SHA1 with the key registered by app add --rsa-public-key: PIN flow, GET and POST', async () => {
    const rsa = asRsaClient(server);
    assertCompleteFlow(server, await runPinClient(rsa.target, NET_OAUTH, { form: 'header', ...rsa.options }));
  });
});

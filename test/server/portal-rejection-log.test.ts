// What the signature debugger may keep: no secret reaches the store. (Keeping and capping the entries is
// the stores' job, proven by the store contract on every implementation.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentEncode } from '../../src/core/encoding.ts';
import { redactRejectedRequest } from '../../src/server/portal/rejection-log.ts';
import type { RejectedRequest } from '../../src/stores/types.ts';

function entry(extra: Partial<RejectedRequest> = {}): RejectedRequest {
  return {
    at: 1_700_000_000_000,
    method: 'POST',
    url: 'https://tripod.example/oauth/request_token',
    problem: 'signature_invalid',
    status: 401,
    code: 32,
    advice: 'Check the base string.',
    parameters: [
      ['oauth_consumer_key', 'key'],
      ['oauth_nonce', 'n1'],
    ],
    baseString: 'POST&https%3A%2F%2Ftripod.example%2Foauth%2Frequest_token&oauth_nonce%3Dn1',
    ...extra,
  };
}

describe('rejected request redaction', () => {
  it('never keeps an xAuth password, in the parameters, the URL or the base string', () => {
    const password = 'hunter2 & more=secret%';
    const doubleEncoded = percentEncode(`x_auth_password=${percentEncode(password)}`);
    const stored = redactRejectedRequest(
      entry({
        url: `https://tripod.example/oauth/access_token?x_auth_password=${encodeURIComponent(password)}`,
        parameters: [
          ['x_auth_mode', 'client_auth'],
          ['x_auth_password', password],
          ['x_auth_username', 'alice'],
        ],
        baseString: `POST&https%3A%2F%2Ftripod.example%2Foauth%2Faccess_token&x_auth_mode%3Dclient_auth%26${doubleEncoded}%26x_auth_username%3Dalice`,
      }),
    );
    const all = JSON.stringify(stored);
    assert.ok(!all.includes('hunter2'), all);
    assert.deepEqual(stored.parameters[1], ['x_auth_password', '[redacted]']);
    assert.match(stored.baseString!, /x_auth_password%3D%255Bredacted%255D%26x_auth_username%3Dalice$/);
  });

  it('leaves an entry without secrets as it was', () => {
    assert.deepEqual(redactRejectedRequest(entry()), entry());
  });
});

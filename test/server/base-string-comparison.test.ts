// The signature debugger's comparison on its own: for each classic signing mistake, the finding names it
// and the mark starts where the two base strings first differ. Base strings are made by Tripod's core (the
// server's) and by hand or by the oauth-1.0a package (the mistakes).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signatureBaseString } from '../../src/core/base-string.ts';
import type { Parameter } from '../../src/core/encoding.ts';
import { compareWithServer } from '../../src/server/portal/base-string-comparison.ts';
import type { RejectedRequest } from '../../src/stores/types.ts';

const URL_ = 'http://127.0.0.1:3000/1.1/statuses/update.json';
const PARAMS: Parameter[] = [
  ['oauth_consumer_key', 'key'],
  ['oauth_nonce', 'abc'],
  ['oauth_timestamp', '1700000000'],
  ['status', 'a/b c'],
];

function entry(params = PARAMS, url = URL_): RejectedRequest {
  return {
    at: 1,
    method: 'POST',
    url,
    problem: 'signature_invalid',
    status: 401,
    code: 32,
    advice: '',
    parameters: params,
    baseString: signatureBaseString('POST', url, params),
  };
}

function findings(paste: string, from = entry()) {
  const result = compareWithServer(paste, from);
  assert.ok(result.readable, 'readable');
  return result;
}

describe('comparing a pasted base string with the server’s', () => {
  const server = entry().baseString!;

  it('says when they are the same (the key is what differs)', () => {
    assert.deepEqual(findings(server).findings, [{ kind: 'identical' }]);
  });

  it('names "/" left unencoded in a value and marks the value', () => {
    const mine = server.replace('a%252Fb', 'a%2Fb');
    const result = findings(mine);
    assert.equal(result.findings[0]!.kind, 'encoding');
    assert.equal((result.findings[0] as { reason: string }).reason, 'notEncoded');
    assert.equal((result.findings[0] as { character: string }).character, '/');
    assert.ok(result.server.before.endsWith('status%3Da'), result.server.before);
    assert.equal(result.server.marked, '%252Fb%2520c');
  });

  it('names lower-case hex', () => {
    const result = findings(server.replace('%252F', '%252f'));
    assert.equal((result.findings[0] as { reason: string }).reason, 'lowercaseHex');
  });

  it('names a value encoded twice', () => {
    const result = findings(server.replace('a%252Fb', 'a%25252Fb'));
    assert.deepEqual(
      result.findings.map((f) => [f.kind, (f as { reason?: string }).reason]),
      [['encoding', 'encodedTwice']],
    );
  });

  it('names the order when the same parameters are not sorted', () => {
    const [method, uri] = server.split('&');
    const shuffled = `${method}&${uri}&oauth_nonce%3Dabc%26oauth_consumer_key%3Dkey%26oauth_timestamp%3D1700000000%26status%3Da%252Fb%2520c`;
    assert.deepEqual(findings(shuffled).findings, [
      { kind: 'order', name: 'oauth_nonce', previous: 'oauth_consumer_key' },
    ]);
  });

  it('names a missing and an extra parameter, and a different value', () => {
    const mine = signatureBaseString('POST', URL_, [
      ['oauth_consumer_key', 'key'],
      ['oauth_nonce', 'abd'],
      ['oauth_version', '1.0'],
      ['status', 'a/b c'],
    ]);
    assert.deepEqual(findings(mine).findings, [
      { kind: 'value', name: 'oauth_nonce', yours: 'abd', server: 'abc' },
      { kind: 'missing', name: 'oauth_timestamp', value: '1700000000' },
      { kind: 'extra', name: 'oauth_version', value: '1.0' },
    ]);
  });

  it('names the URL’s query, its scheme and its port', () => {
    const withQuery = server.replace('update.json', 'update.json%3Fx%3D1');
    assert.equal((findings(withQuery).findings[0] as { reason: string }).reason, 'query');
    const https = server.replace('http%3A', 'https%3A');
    assert.equal((findings(https).findings[0] as { reason: string }).reason, 'scheme');
    const port = server.replace('3000', '3001');
    assert.equal((findings(port).findings[0] as { reason: string }).reason, 'port');
  });

  it('reads an Authorization header and a parameter list as well as a base string', () => {
    const header =
      'Authorization: OAuth oauth_consumer_key="key", oauth_nonce="abc", oauth_timestamp="1700000001", oauth_signature="x"';
    const result = findings(header);
    assert.equal(result.kind, 'header');
    assert.deepEqual(result.findings, [
      { kind: 'value', name: 'oauth_timestamp', yours: '1700000001', server: '1700000000' },
    ]);
    const list = 'oauth_consumer_key=key\noauth_nonce=abc\noauth_timestamp=1700000000\nstatus=a/b+c';
    const listed = findings(list);
    assert.equal(listed.kind, 'parameters');
    assert.deepEqual(listed.findings, [
      { kind: 'plusForSpace', name: 'status', yours: 'a/b+c', server: 'a/b c' },
    ]);
  });

  it('reads nothing else, and never throws on malformed escapes', () => {
    assert.deepEqual(compareWithServer('just words', entry()), { readable: false });
    assert.deepEqual(compareWithServer('', entry()), { readable: false });
    assert.ok(compareWithServer(`${server}%E0%A4%A`, entry()).readable);
    assert.deepEqual(compareWithServer(server, { ...entry(), baseString: null }), { readable: false });
  });

  it('does not count a secret the server blanked as a difference', () => {
    const params: Parameter[] = [...PARAMS, ['oauth_verifier', '[redacted]']];
    const blanked = entry(params);
    const mine = signatureBaseString('POST', URL_, [...PARAMS, ['oauth_verifier', '1234567']]);
    assert.deepEqual(findings(mine, blanked).findings, [{ kind: 'identical' }]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainProviderError, parseProviderError } from '../../src/client/errors.ts';

const base = { method: 'POST', url: 'https://api.example/oauth/request_token' };

describe('provider errors are parsed into fields, whatever shape the provider used', () => {
  it('Twitter’s JSON {"errors":[{code,message}]} plus Tripod’s oauth_problem and advice', () => {
    const d = parseProviderError({
      ...base,
      status: 401,
      statusText: 'Unauthorized',
      headers: { 'Content-Type': 'application/json' },
      body: '{"errors":[{"code":32,"message":"Could not authenticate you."}],"oauth_problem":"signature_invalid","advice":"Check the secrets."}',
    });
    assert.equal(d.twitterCode, 32);
    assert.equal(d.providerMessage, 'Could not authenticate you.');
    assert.equal(d.oauthProblem, 'signature_invalid');
    assert.equal(d.advice, 'Check the secrets.');
    assert.equal(
      explainProviderError(d),
      'HTTP 401 Unauthorized, code 32, oauth_problem=signature_invalid: Could not authenticate you. — Check the secrets.',
    );
  });

  it('a form-encoded Problem Reporting body (oauth_problem, oauth_acceptable_timestamps)', () => {
    const d = parseProviderError({
      ...base,
      status: 401,
      headers: {},
      body: 'oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600',
    });
    assert.equal(d.oauthProblem, 'timestamp_refused');
    assert.equal(d.problemParameters.oauth_acceptable_timestamps, '1700000000-1700000600');
    assert.match(d.advice!, /tripod doctor.*1700000000-1700000600/);
  });

  it('oauthlib’s error=…&error_description=… body', () => {
    const d = parseProviderError({
      ...base,
      status: 400,
      headers: {},
      body: 'error=invalid_request&error_description=Missing+mandatory+OAuth+parameters.',
    });
    assert.equal(d.providerMessage, 'Missing mandatory OAuth parameters.');
    assert.equal(d.oauthProblem, undefined);
  });

  it('the WWW-Authenticate: OAuth … oauth_problem="…" header when the body says nothing', () => {
    const d = parseProviderError({
      ...base,
      status: 401,
      headers: new Headers({ 'www-authenticate': 'OAuth realm="Photos", oauth_problem="token_rejected"' }),
      body: '',
    });
    assert.equal(d.oauthProblem, 'token_rejected');
    assert.match(d.advice!, /re-run `tripod authorize`/);
  });

  it('Twitter codes without oauth_problem still get advice (89: invalid or expired token)', () => {
    const d = parseProviderError({
      ...base,
      status: 401,
      headers: {},
      body: '{"errors":[{"code":89,"message":"Invalid or expired token."}]}',
    });
    assert.match(explainProviderError(d), /^HTTP 401, code 89: Invalid or expired token\. — .*authorize/);
  });

  it('an HTML error page is not quoted as the message', () => {
    const d = parseProviderError({
      ...base,
      status: 502,
      headers: {},
      body: '<html><body>Bad gateway</body></html>',
    });
    assert.equal(d.providerMessage, undefined);
    assert.equal(explainProviderError(d), 'HTTP 502');
  });
});

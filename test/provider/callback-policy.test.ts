import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OAuthProblem } from '../../src/core/problems.ts';
import { appendToCallback, callbackMatches, parseCallback } from '../../src/provider/callback-policy.ts';
import { rfcCallbackWithQuery } from '../core/vectors.ts';

const matches = (requested: string, registered: string[]) => callbackMatches(new URL(requested), registered);

describe('oauth_callback policy', () => {
  test("'oob' is the PIN flow, case-sensitively (RFC 5849 §2.1)", () => {
    assert.equal(parseCallback('oob'), 'oob');
    assert.throws(() => parseCallback('OOB'), OAuthProblem);
  });

  test('a URL or custom scheme parses; garbage, dangerous schemes and fragments are 400', () => {
    assert.ok(parseCallback('https://app.example/cb') instanceof URL);
    assert.ok(parseCallback('myapp://callback') instanceof URL);
    for (const bad of [
      'not a url',
      '/relative/path',
      'javascript:alert(1)',
      'data:text/html,x',
      'https://a.example/cb#frag',
    ]) {
      assert.throws(
        () => parseCallback(bad),
        (e: unknown) => e instanceof OAuthProblem && e.status === 400 && e.problem === 'parameter_rejected',
        bad,
      );
    }
  });

  test('a callback longer than 2048 characters is 400 (it is stored and echoed in a Location header)', () => {
    const base = 'https://app.example/cb?q=';
    assert.ok(parseCallback(base + 'x'.repeat(2048 - base.length)) instanceof URL);
    assert.throws(
      () => parseCallback(base + 'x'.repeat(2049 - base.length)),
      (e: unknown) => e instanceof OAuthProblem && e.status === 400,
    );
  });

  test('matches on scheme, host, port and path; the query may differ', () => {
    const registered = ['https://app.example/oauth/cb?from=registration'];
    assert.ok(matches('https://app.example/oauth/cb', registered));
    assert.ok(matches('https://app.example/oauth/cb?state=xyz', registered));
    assert.ok(
      matches('https://APP.example:443/oauth/cb', registered),
      'host case and default port normalised',
    );
    assert.ok(!matches('http://app.example/oauth/cb', registered), 'scheme');
    assert.ok(!matches('https://evil.example/oauth/cb', registered), 'host');
    assert.ok(!matches('https://app.example.evil.example/oauth/cb', registered), 'host suffix');
    assert.ok(!matches('https://app.example:8443/oauth/cb', registered), 'port');
    assert.ok(!matches('https://app.example/oauth/cb/extra', registered), 'path');
    assert.ok(!matches('https://app.example/oauth', registered), 'path prefix');
    assert.ok(!matches('https://user@app.example/oauth/cb', registered), 'userinfo');
  });

  test("with query 'exact' the query must equal the registered one as well, in canonical form", () => {
    const registered = ['https://app.example/oauth/cb?from=registration', 'https://app.example/plain'];
    const exact = (requested: string) => callbackMatches(new URL(requested), registered, 'exact');
    assert.ok(exact('https://app.example/oauth/cb?from=registration'));
    assert.ok(exact('https://APP.example:443/oauth/cb?from=registration'), 'canonical form compared');
    assert.ok(exact('https://app.example/plain'));
    assert.ok(!exact('https://app.example/plain?next=https://evil.example/'), 'a query added');
    assert.ok(!exact('https://app.example/oauth/cb'), 'the query dropped');
    assert.ok(!exact('https://app.example/oauth/cb?from=registration&next=x'), 'a parameter added');
    assert.ok(!exact('https://app.example/oauth/cb?from=elsewhere'), 'a value changed');
  });

  test('a registered loopback URL on 127.0.0.1 or [::1] matches any port (RFC 8252 §7.3)', () => {
    assert.ok(matches('http://127.0.0.1:53682/cb', ['http://127.0.0.1/cb']));
    assert.ok(matches('http://127.0.0.1:1/cb', ['http://127.0.0.1:8000/cb']));
    assert.ok(matches('http://[::1]:40000/cb', ['http://[::1]/cb']));
    assert.ok(!matches('http://127.0.0.1:53682/other', ['http://127.0.0.1/cb']), 'path still matters');
    assert.ok(!matches('http://localhost:53682/cb', ['http://127.0.0.1/cb']), 'localhost is not the literal');
    assert.ok(!matches('http://[::1]:53682/cb', ['http://127.0.0.1/cb']), 'the address family must match');
    assert.ok(
      !matches('https://app.example:8443/cb', ['https://app.example/cb']),
      'only loopback is port-free',
    );
  });

  test('custom schemes match exactly', () => {
    assert.ok(matches('myapp://callback', ['myapp://callback']));
    assert.ok(matches('myapp://callback?x=1', ['myapp://callback']));
    assert.ok(!matches('otherapp://callback', ['myapp://callback']));
    assert.ok(!matches('myapp://callback2', ['myapp://callback']));
  });

  test('unparseable registered entries are skipped, not fatal', () => {
    assert.ok(matches('https://a.example/cb', ['::garbage::', 'https://a.example/cb']));
  });

  test("appending keeps the callback's own query byte for byte (RFC 5849 §2.2)", () => {
    assert.equal(
      appendToCallback('https://a.example/cb', [
        ['oauth_token', 't'],
        ['oauth_verifier', 'v'],
      ]),
      'https://a.example/cb?oauth_token=t&oauth_verifier=v',
    );
    assert.equal(
      appendToCallback('https://a.example/cb?x=a%20b+c&y', [['oauth_token', 't']]),
      'https://a.example/cb?x=a%20b+c&y&oauth_token=t',
    );
    assert.equal(
      appendToCallback('https://a.example/cb?', [['oauth_token', 't']]),
      'https://a.example/cb?oauth_token=t',
    );
    assert.equal(appendToCallback('myapp://callback', [['a', 'b c&d']]), 'myapp://callback?a=b%20c%26d');
  });
});

describe('RFC 5849 §2.2 worked example', () => {
  test('a callback with a query keeps it and gets oauth_token and oauth_verifier appended at its end', () => {
    const { callback, token, verifier, redirect } = rfcCallbackWithQuery;
    assert.equal(
      appendToCallback(callback, [
        ['oauth_token', token],
        ['oauth_verifier', verifier],
      ]),
      redirect,
    );
  });
});

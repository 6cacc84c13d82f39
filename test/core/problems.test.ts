import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  couldNotAuthenticate,
  OAuthProblem,
  parameterAbsent,
  problemAnswer,
  problemBody,
  wwwAuthenticate,
} from '../../src/core/problems.ts';

describe('problem rendering', () => {
  it("renders Twitter's JSON shape with oauth_problem, advice and the Problem Reporting extras", () => {
    const body = problemBody(parameterAbsent(['oauth_callback'], 'Send oob.'));
    assert.deepEqual(body, {
      errors: [{ code: 215, message: 'Bad authentication data.' }],
      oauth_problem: 'parameter_absent',
      advice: 'Send oob.',
      oauth_parameters_absent: 'oauth_callback',
    });
  });

  it('gives the generic 401 code 32 and keeps its detail out of the body', () => {
    const p = couldNotAuthenticate({ reason: 'consumer_unknown' });
    assert.equal(p.status, 401);
    assert.equal(p.code, 32);
    assert.equal(p.message, 'Could not authenticate you.');
    assert.ok(!JSON.stringify(problemBody(p)).includes('consumer_unknown'));
  });

  it('writes the realm as a quoted string, as Twitter does, and percent-encodes the extras', () => {
    const p = new OAuthProblem({
      problem: 'timestamp_refused',
      status: 401,
      code: 135,
      advice: 'Fix your clock.',
      extra: { oauth_acceptable_timestamps: '100-700' },
    });
    assert.equal(
      wwwAuthenticate('https://api.example.com', p),
      'OAuth realm="https://api.example.com", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="100-700"',
    );
    assert.equal(wwwAuthenticate('a"b\\c', p).split(',')[0], 'OAuth realm="a\\"b\\\\c"');
  });

  it('captures no stack trace (a refusal is an answer, and anyone can make the server build one) and leaves the limit as it was', () => {
    const limit = Error.stackTraceLimit;
    const p = couldNotAuthenticate();
    assert.ok(p instanceof Error);
    assert.doesNotMatch(p.stack ?? '', /\n\s+at /);
    assert.equal(Error.stackTraceLimit, limit);
    assert.match(new Error('a bug').stack ?? '', /\n\s+at /);
  });
});

describe('problemAnswer renders a problem the same way every time (the kept renderings)', () => {
  // The straightforward rendering, kept as the oracle for the remembered one.
  const straightforward = (realm: string, p: OAuthProblem) => {
    const headers: Record<string, string> = {
      ...p.headers,
      'content-type': 'application/json; charset=utf-8',
    };
    if (p.status === 401) headers['www-authenticate'] = wwwAuthenticate(realm, p);
    if (p.retryAfterSeconds !== null) headers['retry-after'] = String(p.retryAfterSeconds);
    return { status: p.status, headers, body: JSON.stringify(problemBody(p)) };
  };
  const problems = fc.record({
    problem: fc.constantFrom(
      'signature_invalid',
      'nonce_used',
      'parameter_absent',
      'token_rejected' as const,
    ),
    status: fc.constantFrom(400, 401, 403, 429 as const),
    code: fc.constantFrom(32, 89, 135, 215),
    advice: fc.constantFrom('Check the signature.', 'Wait.', 'Send it again.'),
    message: fc.option(fc.constantFrom('Could not authenticate you.', 'Other.'), { nil: undefined }),
    extra: fc.option(fc.dictionary(fc.constantFrom('oauth_acceptable_timestamps', 'x'), fc.string()), {
      nil: undefined,
    }),
  });

  it('gives what the straightforward rendering gives, for any sequence of problems and realms', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('https://a.example', 'https://b.example'), problems)),
        (cases) => {
          for (const [realm, init] of cases) {
            const p = new OAuthProblem(init as ConstructorParameters<typeof OAuthProblem>[0]);
            const answer = problemAnswer(realm, p);
            assert.deepEqual(answer, straightforward(realm, p));
            // Each answer's headers are its own: a caller may add to them.
            answer.headers['cache-control'] = 'no-store';
            assert.equal(problemAnswer(realm, p).headers['cache-control'], undefined);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

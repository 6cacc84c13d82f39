import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  couldNotAuthenticate,
  OAuthProblem,
  parameterAbsent,
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

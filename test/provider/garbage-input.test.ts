// Whatever arrives, the provider answers with an OAuthProblem (a 4xx) or a result — never a TypeError
// that the server would turn into a 500. Property tests over garbage and over correctly signed
// requests carrying garbage parameters.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { OAuthProblem } from '../../src/core/problems.ts';
import { RequestTokenUnusable } from '../../src/provider/request-token-state.ts';
import type { OAuthRequest } from '../../src/provider/types.ts';
import { ALICE, APPS, accessTokenFor, approvedPinToken, createWorld, SITE } from './fixtures/world.ts';

const PROTOCOL_NAMES = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_callback',
  'oauth_verifier',
  'oauth_body_hash',
  'x_auth_mode',
  'x_auth_username',
  'x_auth_password',
  'x_auth_access_type',
  'realm',
];

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    'oob',
    'HMAC-SHA1',
    'PLAINTEXT',
    'RSA-SHA1',
    '1.0',
    '%',
    '%zz',
    '%E2%82',
    '+',
    '"',
    '\\',
    APPS.pin.key,
  ),
);

const headerValue = fc.oneof(
  text,
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...PROTOCOL_NAMES), text), text), { maxLength: 8 })
    .map((pairs) => `OAuth ${pairs.map(([k, v]) => `${k}="${encodeURIComponent(v)}"`).join(', ')}`),
  fc
    .array(fc.tuple(fc.constantFrom(...PROTOCOL_NAMES), text), { maxLength: 8 })
    .map((pairs) => `OAuth ${pairs.map(([k, v]) => `${k}="${v}"`).join(',')}`),
);

const garbageRequest: fc.Arbitrary<OAuthRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'get'),
  url: fc.oneof(
    text.map((q) => `${SITE}/1.1/x?${q}`),
    fc
      .array(fc.tuple(fc.constantFrom(...PROTOCOL_NAMES), text), { maxLength: 6 })
      .map((pairs) => `${SITE}/oauth/x?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`),
  ),
  headers: fc.record(
    {
      authorization: fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })),
      'content-type': fc.constantFrom(
        'application/x-www-form-urlencoded',
        'application/json',
        'text/plain; charset=x',
      ),
    },
    { requiredKeys: [] },
  ),
  body: fc.oneof(fc.constant(null), text, fc.uint8Array({ maxLength: 40 })),
});

function onlyProblems(error: unknown): true {
  assert.ok(error instanceof OAuthProblem, `expected an OAuthProblem, got ${String(error)}`);
  assert.ok(error.status >= 400 && error.status < 500);
  return true;
}

async function settle(action: Promise<unknown>): Promise<void> {
  try {
    await action;
  } catch (error) {
    onlyProblems(error);
  }
}

describe('garbage in, a 4xx out', () => {
  test('unsigned garbage to every signed endpoint only ever yields OAuthProblems', async () => {
    const w = await createWorld();
    await fc.assert(
      fc.asyncProperty(garbageRequest, async (req) => {
        await settle(w.provider.issueRequestToken(req));
        await settle(w.provider.exchangeAccessToken(req));
        await settle(w.provider.invalidateToken(req));
        await settle(w.provider.verifyProtectedRequest(req, { access: 'write', allowTwoLegged: true }));
        await settle(w.provider.verifyProtectedRequest(req, { access: 'read' }));
      }),
      { numRuns: 400 },
    );
  });

  test('correctly signed requests carrying garbage parameter values only ever yield results or OAuthProblems', async () => {
    const w = await createWorld();
    const at = await accessTokenFor(w);
    const rt = await approvedPinToken(w);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...PROTOCOL_NAMES.filter((n) => !n.startsWith('oauth_s'))), text), {
          maxLength: 4,
        }),
        fc.array(fc.tuple(text, text), { maxLength: 3 }),
        fc.constantFrom(...(['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT'] as const)),
        async (oauth, form, signatureMethod) => {
          const unique = [...new Map(oauth.filter(([n]) => n !== 'realm')).entries()];
          const extras = unique.filter(
            ([n]) => !['oauth_token', 'oauth_version', 'oauth_body_hash'].includes(n),
          );
          const common = {
            consumer: APPS.web,
            oauth: extras,
            form: form.length > 0 ? form : undefined,
            signatureMethod,
          };
          await settle(w.provider.issueRequestToken(w.sign({ path: '/oauth/request_token', ...common })));
          await settle(
            w.provider.exchangeAccessToken(
              w.sign({
                path: '/oauth/access_token',
                ...common,
                consumer: APPS.pin,
                token: rt.token,
                tokenSecret: rt.secret,
              }),
            ),
          );
          await settle(
            w.provider.exchangeAccessToken(
              w.sign({ path: '/oauth/access_token', ...common, consumer: APPS.xauth }),
            ),
          );
          await settle(
            w.provider.verifyProtectedRequest(
              w.sign({
                path: '/1.1/x',
                ...common,
                consumer: APPS.pin,
                token: at.token,
                tokenSecret: at.secret,
              }),
              { access: 'write' },
            ),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the authorize decisions answer any token string with RequestTokenUnusable, never a crash', async () => {
    const w = await createWorld();
    await fc.assert(
      fc.asyncProperty(text, async (token) => {
        for (const action of [
          () => w.provider.describeAuthorization(token),
          () => w.provider.approve(token, ALICE.id),
          () => w.provider.deny(token),
        ]) {
          await assert.rejects(action(), RequestTokenUnusable);
        }
      }),
      { numRuns: 200 },
    );
  });
});

// The callback matrix of issue 11, kept in the suite: what an adversarial review tried against a running
// server to turn the authorize step into an open redirector — look-alike hosts, userinfo, trailing dots,
// encoded slashes and backslashes, dot segments, homographs, other ports and custom schemes — is refused at
// request_token, with Twitter's code 415 ("Callback URL not approved", HTTP 403) when it is a URL at all
// and 400 when it is not one. With `--callback-query exact`, a query the app did not register (`?next=https://evil…`) is too.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRandomSource } from '../../src/provider/random-source.ts';
import { registerApp } from '../../src/server/registration.ts';
import { startTestServer, type TestServer } from './fixtures/test-server.ts';

const REGISTERED = ['https://good.example/cb', 'https://good.example/return?from=tripod', 'myapp://cb'];

/** Each look-alike, and Twitter's code that refuses it: 415 not approved, 400 not a URL one may use. */
const LOOK_ALIKES: readonly (readonly [string, string, 400 | 415])[] = [
  ['host suffix', 'https://good.example.evil.example/cb', 415],
  ['host prefix', 'https://evilgood.example/cb', 415],
  ['host as a path', 'https://evil.example/good.example/cb', 415],
  ['a dot dropped', 'https://goodexample/cb', 415],
  ['a hyphen for the dot', 'https://good-example/cb', 415],
  ['userinfo naming the good host', 'https://good.example@evil.example/cb', 415],
  ['userinfo with the port', 'https://good.example:443@evil.example/cb', 415],
  ['userinfo on the good host', 'https://evil@good.example/cb', 415],
  ['trailing dot', 'https://good.example./cb', 415],
  ['encoded slash in userinfo', 'https://good.example%2F@evil.example/cb', 415],
  ['encoded slash in the host', 'https://good.example%2Fevil.example/cb', 400],
  ['encoded slashes in the path', 'https://good.example/cb%2F..%2F..%2Fevil', 415],
  ['backslash', 'https://good.example\\@evil.example/cb', 415],
  ['dot segments', 'https://good.example/cb/../evil', 415],
  ['encoded dot segments', 'https://good.example/cb/%2e%2e/evil', 415],
  ['Cyrillic o (homograph)', 'https://g\u043e\u043ed.example/cb', 415],
  ['Cyrillic a (homograph)', 'https://good.ex\u0430mple/cb', 415],
  ['fullwidth dot', 'https://good\uff0eexample.evil/cb', 415],
  ['another port', 'https://good.example:8443/cb', 415],
  ['http for https', 'http://good.example/cb', 415],
  ['another custom scheme', 'evilapp://cb', 415],
  ['custom scheme, another host', 'myapp://cb.evil', 415],
  ['custom scheme, another path', 'myapp://cb/extra', 415],
  ['javascript', 'javascript://good.example/cb', 400],
  ['data', 'data:text/html,<script>alert(1)</script>', 400],
];

describe('oauth_callback look-alikes are refused at request_token', () => {
  for (const callbackQuery of ['any', 'exact'] as const) {
    describe(`with --callback-query ${callbackQuery}`, () => {
      let server: TestServer;
      let app: { consumerKey: string; consumerSecret: string };
      before(async () => {
        server = await startTestServer({ settings: { callbackQuery } });
        const registered = await registerApp(
          server.stores,
          { name: 'Good', callbackUrls: REGISTERED },
          { clock: server.clock, random: createRandomSource() },
        );
        app = { consumerKey: registered.key, consumerSecret: registered.secret };
      });
      after(() => server.close());

      test('the registered callbacks themselves are accepted', async () => {
        for (const callback of REGISTERED) {
          const answer = await server.client.requestToken(app, callback);
          assert.equal(answer.status, 200, `${callback}: ${answer.text}`);
        }
      });

      for (const [what, callback, status] of LOOK_ALIKES) {
        test(`${what}: ${callback} → ${status}`, async () => {
          const answer = await server.client.requestToken(app, callback);
          assert.equal(answer.status, status === 415 ? 403 : 400, answer.text);
          const body = answer.json() as { errors: { code: number }[] };
          assert.equal(body.errors[0]!.code, status === 415 ? 415 : 215);
        });
      }

      const extraQuery = 'https://good.example/cb?next=https://evil.example/';
      test(`a query the app did not register (${extraQuery}): ${callbackQuery === 'exact' ? 'refused with 415' : 'accepted, as by default'}`, async () => {
        const answer = await server.client.requestToken(app, extraQuery);
        assert.equal(answer.status, callbackQuery === 'exact' ? 403 : 200, answer.text);
        if (callbackQuery === 'exact') assert.match(answer.text, /"code":415.*port, path and query/);
        const otherQuery = await server.client.requestToken(
          app,
          'https://good.example/return?from=elsewhere',
        );
        assert.equal(otherQuery.status, callbackQuery === 'exact' ? 403 : 200, otherQuery.text);
      });
    });
  }
});

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createOAuthFetch } from '../../src/client/oauth-fetch.ts';
import { buildAuthorizeUrl, parseTokenResponse } from '../../src/client/pin-flow.ts';
import { signatureBaseString } from '../../src/core/base-string.ts';
import { collectRequestParameters } from '../../src/core/parameters.ts';
import { verifySignature } from '../../src/core/signature.ts';

const credentials = { consumerKey: 'ck', consumerSecret: 'cs', token: 'tk', tokenSecret: 'ts' };
let base = '';
const seen: { url: string; verified: boolean; body: string; contentType: string | undefined }[] = [];

function verify(req: IncomingMessage, body: string): boolean {
  const url = `${base}${req.url}`;
  const collected = collectRequestParameters({
    url,
    authorization: req.headers.authorization,
    contentType: req.headers['content-type'],
    body,
  });
  const method = collected.protocol.get('oauth_signature_method') as 'HMAC-SHA1';
  return verifySignature(
    method,
    signatureBaseString(req.method!, url, collected.params),
    collected.signature ?? '',
    {
      consumerSecret: 'cs',
      tokenSecret: 'ts',
    },
  );
}

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    seen.push({ url: req.url!, verified: verify(req, body), body, contentType: req.headers['content-type'] });
    if (req.url === '/moved') res.writeHead(302, { location: '/target?x=1' }).end();
    else if (req.url === '/elsewhere') res.writeHead(302, { location: 'http://example.invalid/x' }).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

describe('createOAuthFetch', () => {
  it('signs a GET with a query, and the server verifies it', async () => {
    seen.length = 0;
    const response = await createOAuthFetch(credentials)(`${base}/a?q=${encodeURIComponent('café & co!')}`);
    assert.equal(response.status, 200);
    assert.equal(seen[0]!.verified, true);
  });

  it('treats a string body with a form Content-Type as form parameters (signed, not hashed)', async () => {
    seen.length = 0;
    await createOAuthFetch(credentials)(`${base}/f`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'status=Hello+Ladies+%2B+Gentlemen',
    });
    assert.equal(seen[0]!.verified, true);
    assert.equal(seen[0]!.body, 'status=Hello%20Ladies%20%2B%20Gentlemen');
  });

  it('sends a JSON body untouched with oauth_body_hash', async () => {
    seen.length = 0;
    await createOAuthFetch(credentials)(`${base}/j`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":"b=c&d"}',
    });
    assert.equal(seen[0]!.verified, true);
    assert.equal(seen[0]!.body, '{"a":"b=c&d"}');
    assert.equal(seen[0]!.contentType, 'application/json');
  });

  it('follows a same-origin redirect with a fresh signature for the new URL', async () => {
    seen.length = 0;
    const response = await createOAuthFetch(credentials)(`${base}/moved`);
    assert.equal(response.status, 200);
    assert.deepEqual(
      seen.map((s) => [s.url, s.verified]),
      [
        ['/moved', true],
        ['/target?x=1', true],
      ],
    );
  });

  it('does not follow a redirect to another origin: credentials sign only for the host named', async () => {
    const response = await createOAuthFetch(credentials)(`${base}/elsewhere`);
    assert.equal(response.status, 302);
  });

  it('accepts a Request object', async () => {
    seen.length = 0;
    await createOAuthFetch(credentials)(new Request(`${base}/r`, { method: 'DELETE' }));
    assert.equal(seen[0]!.verified, true);
  });
});

describe('PIN-flow helpers', () => {
  it('parses form-encoded and JSON token responses, keeping extra fields', () => {
    assert.deepEqual(
      parseTokenResponse('oauth_token=a&oauth_token_secret=b&user_id=6253282&screen_name=twitterapi'),
      {
        oauth_token: 'a',
        oauth_token_secret: 'b',
        user_id: '6253282',
        screen_name: 'twitterapi',
      },
    );
    assert.deepEqual(parseTokenResponse('{"oauth_token":"a","oauth_token_secret":"b","n":1}'), {
      oauth_token: 'a',
      oauth_token_secret: 'b',
      n: '1',
    });
  });

  it('builds the authorize URL with force_login, screen_name, langpref and extras, and no secrets', () => {
    const url = buildAuthorizeUrl('https://api.x.com/oauth/authorize', 'tok en', {
      forceLogin: true,
      screenName: 'jack',
      langpref: ['pl', 'en'],
      params: [['perms', 'write']],
    });
    assert.equal(
      url,
      'https://api.x.com/oauth/authorize?oauth_token=tok+en&force_login=true&screen_name=jack&langpref=pl%7Cen&perms=write',
    );
  });
});

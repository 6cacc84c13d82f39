// `tripod sign`: the Authorization header or a curl command for a request, nothing sent. With a fixed
// nonce and timestamp it reproduces Twitter's published "Creating a signature" example.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { twitterCreatingASignature as tw } from '../core/vectors.ts';
import { removeTempDirs, runTripod, tempDir } from './tripod-process.ts';

after(removeTempDirs);

const twitter = [
  '-c',
  tw.consumerKey,
  '-s',
  tw.consumerSecret,
  '-a',
  tw.token,
  '-S',
  tw.tokenSecret,
  '--nonce',
  tw.nonce,
  '--timestamp',
  tw.timestamp,
  '-d',
  `status=${tw.status}`,
  tw.url,
];

describe('tripod sign', () => {
  const env = () => ({ TRIPOD_CONFIG_DIR: tempDir() });

  it('prints the Authorization header of Twitter’s worked example (-d without -X is a POST)', async () => {
    const result = await runTripod(['sign', ...twitter], env());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Authorization: OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", /);
    assert.ok(result.stdout.includes(`oauth_signature="${tw.headerSignature}"`));
  });

  it('--debug shows Twitter’s published base string on stderr', async () => {
    const result = await runTripod(['--debug', 'sign', ...twitter], env());
    assert.ok(result.stderr.includes(`[debug]   ${tw.baseString}\n`));
    assert.ok(!result.stderr.includes(tw.consumerSecret));
  });

  it('--curl prints a ready curl command with the signed header and the body', async () => {
    const result = await runTripod(['sign', '--curl', ...twitter], env());
    assert.equal(
      result.stdout,
      `curl -X POST '${tw.url}' -H 'Content-Type: application/x-www-form-urlencoded' -H 'Authorization: OAuth oauth_consumer_key="${tw.consumerKey}", oauth_signature_method="HMAC-SHA1", oauth_timestamp="${tw.timestamp}", oauth_nonce="${tw.nonce}", oauth_token="${tw.token}", oauth_version="1.0", oauth_signature="${tw.headerSignature}"' --data-raw 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21'\n`,
    );
  });

  it('--auth-in query prints the signed URL; -o json gives the whole request', async () => {
    const query = await runTripod(
      ['sign', '--auth-in', 'query', '-X', 'GET', ...twitter.slice(0, -3), tw.url],
      env(),
    );
    assert.match(
      query.stdout,
      /^https:\/\/api\.twitter\.com\/1\.1\/statuses\/update\.json\?include_entities=true&oauth_consumer_key=/,
    );
    const json = JSON.parse((await runTripod(['sign', '--format', 'json', ...twitter], env())).stdout) as {
      method: string;
      baseString: string;
    };
    assert.equal(json.method, 'POST');
    assert.equal(json.baseString, tw.baseString);
  });

  it('--json BODY signs a JSON body with oauth_body_hash and sends it as application/json', async () => {
    const result = await runTripod(
      [
        'sign',
        '--format',
        'json',
        '-c',
        'ck',
        '-s',
        'cs',
        '--json',
        '{"text":"hi"}',
        'https://api.x.com/2/tweets',
      ],
      env(),
    );
    const json = JSON.parse(result.stdout) as {
      method: string;
      headers: Record<string, string>;
      body: string;
      oauthParams: Record<string, string>;
    };
    assert.equal(json.method, 'POST');
    assert.equal(json.headers['Content-Type'], 'application/json');
    assert.equal(json.body, '{"text":"hi"}');
    // printf '{"text":"hi"}' | openssl dgst -sha1 -binary | base64
    assert.equal(json.oauthParams.oauth_body_hash, 'YgRdlM1Ic2ullXqVDM9TDjRe/Bo=');
  });

  it('-H without a colon is a usage error that suggests --host (curl’s -H is a header, twurl’s was the host)', async () => {
    const result = await runTripod(['sign', '-c', 'a', '-s', 'b', '-H', 'api.x.com', '/1.1/x.json'], env());
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Did you mean --host api\.x\.com\?/);
  });

  it('twurl’s -A is accepted for headers', async () => {
    const json = JSON.parse(
      (
        await runTripod(
          ['sign', '--format', 'json', '-c', 'a', '-s', 'b', '-A', 'X-Thing: 1', 'https://a.example/x'],
          env(),
        )
      ).stdout,
    ) as { headers: Record<string, string> };
    assert.equal(json.headers['X-Thing'], '1');
  });
});

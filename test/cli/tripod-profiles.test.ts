// Profiles like twurl's accounts: import from ~/.twurlrc, several sites and users, defaults, `use`,
// `logout`, the 0600 file repaired on read, TRIPOD_CONFIG_DIR / XDG_CONFIG_HOME moving the store, and
// --json output that is JSON alone on stdout.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseTwurlrc } from '../../src/cli/tripod/twurlrc.ts';
import { removeTempDirs, runTripod, tempDir } from './tripod-process.ts';

after(removeTempDirs);

// The shape twurl writes (Ruby Psych), with two apps for jack and a quoted secret.
const TWURLRC = `---
profiles:
  jack:
    AbCdEf123:
      username: jack
      consumer_key: AbCdEf123
      consumer_secret: "s3cr3t: with colon"
      token: 12-tokentoken
      secret: tokensecret
    ZyX987:
      username: jack
      consumer_key: ZyX987
      consumer_secret: other
      token: 12-other
      secret: 'it''s'
  jill:
    AbCdEf123:
      username: jill
      consumer_key: AbCdEf123
      consumer_secret: "s3cr3t: with colon"
      token: 34-jill
      secret: jillsecret
configuration:
  default_profile:
  - jack
  - AbCdEf123
aliases:
  h: /1.1/statuses/home_timeline.json
`;

interface AccountsJson {
  profileFile: string;
  sites: {
    site: string;
    current: boolean;
    defaultAccount: string;
    accounts: {
      name: string;
      default: boolean;
      consumerKey: string;
      consumerSecret?: string;
      tokenSecret?: string;
    }[];
  }[];
}

async function importSample() {
  const dir = tempDir();
  const rc = join(dir, '.twurlrc');
  writeFileSync(rc, TWURLRC);
  const env = { TRIPOD_CONFIG_DIR: join(dir, 'config'), HOME: dir };
  const imported = await runTripod(['import-twurlrc'], env);
  return { dir, env, imported };
}

describe('the twurlrc reader', () => {
  it('reads nested mappings, sequences and quoted scalars as twurl writes them', () => {
    const parsed = parseTwurlrc(TWURLRC) as Record<
      string,
      Record<string, Record<string, Record<string, string>>>
    >;
    assert.equal(parsed.profiles!.jack!.AbCdEf123!.consumer_secret, 's3cr3t: with colon');
    assert.equal(parsed.profiles!.jack!.ZyX987!.secret, "it's");
    assert.deepEqual((parsed.configuration as unknown as Record<string, string[]>).default_profile, [
      'jack',
      'AbCdEf123',
    ]);
  });
});

describe('tripod profiles', () => {
  it('import-twurlrc brings in every user and app from ~/.twurlrc, with twurl’s default', async () => {
    const { env, imported } = await importSample();
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Imported jack \(consumer key AbCdEf123\), default/);
    assert.match(imported.stdout, /Imported jack@ZyX987/);
    assert.match(imported.stderr, /Not imported .*aliases/);
    const accounts = JSON.parse((await runTripod(['accounts', '--json'], env)).stdout) as AccountsJson;
    assert.equal(accounts.sites.length, 1);
    const site = accounts.sites[0]!;
    assert.equal(site.site, 'https://api.twitter.com');
    assert.equal(site.defaultAccount, 'jack');
    assert.deepEqual(site.accounts.map((a) => a.name).sort(), ['jack', 'jack@ZyX987', 'jill']);
    assert.ok(!JSON.stringify(accounts).includes('s3cr3t'), 'no secrets unless asked');
  });

  it('accounts prints people’s output by default and secrets only with --show-secrets', async () => {
    const { env } = await importSample();
    const plain = await runTripod(['accounts'], env);
    assert.match(
      plain.stdout,
      /^https:\/\/api\.twitter\.com {2}\(current site\)\n {2}\* jack {2}\(x, consumer key AbCdEf123, HMAC-SHA1\)/,
    );
    assert.ok(!plain.stdout.includes('tokensecret'));
    const shown = JSON.parse(
      (await runTripod(['accounts', '--json', '--show-secrets'], env)).stdout,
    ) as AccountsJson;
    assert.equal(shown.sites[0]!.accounts.find((a) => a.name === 'jill')!.tokenSecret, 'jillsecret');
  });

  it('use switches the default account; a signed request then uses it', async () => {
    const { env } = await importSample();
    const used = await runTripod(['use', 'jill'], env);
    assert.equal(used.code, 0, used.stderr);
    assert.equal(used.stdout, 'Now using jill on https://api.twitter.com.\n');
    const signed = await runTripod(['sign', '--format', 'json', '/1.1/account/verify_credentials.json'], env);
    const json = JSON.parse(signed.stdout) as { url: string; oauthParams: Record<string, string> };
    assert.equal(json.oauthParams.oauth_token, '34-jill');
    assert.equal(json.url, 'https://api.twitter.com/1.1/account/verify_credentials.json');
    const unknown = await runTripod(['use', 'nobody'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No account nobody/);
  });

  it('logout --no-invalidate deletes the profile locally and the next account becomes the default', async () => {
    const { env } = await importSample();
    const out = await runTripod(['logout', 'jack', '--no-invalidate', '--json'], env);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), {
      site: 'https://api.twitter.com',
      account: 'jack',
      removed: true,
      invalidated: false,
      error: null,
    });
    const accounts = JSON.parse((await runTripod(['accounts', '--json'], env)).stdout) as AccountsJson;
    assert.ok(!accounts.sites[0]!.accounts.some((a) => a.name === 'jack'));
    assert.notEqual(accounts.sites[0]!.defaultAccount, 'jack');
  });

  it('the profile file is created 0600 in a 0700 directory, and a loosened mode is repaired on the next read', async () => {
    const { env } = await importSample();
    const file = join(env.TRIPOD_CONFIG_DIR, 'profiles.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(env.TRIPOD_CONFIG_DIR).mode & 0o777, 0o700);
    chmodSync(file, 0o644);
    chmodSync(env.TRIPOD_CONFIG_DIR, 0o755);
    const listed = await runTripod(['accounts', '--json'], env);
    assert.equal(listed.code, 0);
    JSON.parse(listed.stdout); // stdout stays JSON alone; the warning goes to stderr
    assert.match(listed.stderr, /profiles\.json was mode 644 \(readable by others\); set to 600/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(env.TRIPOD_CONFIG_DIR).mode & 0o777, 0o700);
  });

  it('XDG_CONFIG_HOME moves the store to $XDG_CONFIG_HOME/tripod when TRIPOD_CONFIG_DIR is unset', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.twurlrc'), TWURLRC);
    const env = { XDG_CONFIG_HOME: join(dir, 'xdg'), HOME: dir };
    assert.equal((await runTripod(['import-twurlrc', '--json'], env)).code, 0);
    const file = join(dir, 'xdg', 'tripod', 'profiles.json');
    assert.ok(existsSync(file));
    assert.match(readFileSync(file, 'utf8'), /"currentSite": "https:\/\/api\.twitter\.com"/);
  });

  it('without a profile, request explains how to get one', async () => {
    const result = await runTripod(['request', '/1.1/account/verify_credentials.json'], {
      TRIPOD_CONFIG_DIR: tempDir(),
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^tripod: No profile yet: run `tripod authorize/);
  });
});

// The server configuration: flags beat environment variables, which beat the defaults; bad values fail at
// start-up with one sentence naming the flag and the variable.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { withSettingsTable } from '../../scripts/readme-settings.ts';
import {
  ConfigError,
  effectiveConfiguration,
  isPublicHttps,
  providerConfigOf,
  readConfigFile,
  realmOf,
  resolveServerConfig,
  resolveStoreConfig,
  SETTINGS,
  settingsMarkdown,
} from '../../src/server/config.ts';

describe('server configuration', () => {
  test('defaults: port 3000 on 127.0.0.1, ./data, 7-digit PINs, 5 attempts, no public URL, no TLS', () => {
    const config = resolveServerConfig();
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, './data');
    assert.equal(config.publicUrl, null);
    assert.equal(config.tls, null);
    assert.equal(config.pinLength, 7);
    assert.equal(config.pinMaxAttempts, 5);
    assert.equal(config.allowPlaintextOverHttp, false);
    assert.equal(config.requestTokenTtlSeconds, 900);
    assert.equal(config.timestampWindowSeconds, 300);
    assert.equal(config.logLevel, 'info');
  });

  test('flags beat TRIPOD_* environment variables, which beat defaults', () => {
    const env = { TRIPOD_PORT: '4000', TRIPOD_HOST: '0.0.0.0', TRIPOD_DATA: '/srv/tripod' };
    const config = resolveServerConfig({ flags: { port: '5000' }, env });
    assert.equal(config.port, 5000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, '/srv/tripod');
  });

  test('every setting has a flag and a TRIPOD_ environment variable', () => {
    for (const [name, spec] of Object.entries(SETTINGS)) {
      assert.match(spec.flag, /^--[a-z-]+$/, name);
      assert.match(spec.env, /^TRIPOD_[A-Z_]+$/, name);
      assert.ok(spec.doc.length > 0, name);
    }
  });

  test('a public URL keeps its path prefix without a trailing slash and decides https cookies', () => {
    const config = resolveServerConfig({ env: { TRIPOD_PUBLIC_URL: 'https://auth.example/tripod/' } });
    assert.equal(config.publicUrl?.href, 'https://auth.example/tripod');
    assert.equal(isPublicHttps(config), true);
    assert.equal(realmOf(config), 'https://auth.example');
    assert.equal(isPublicHttps(resolveServerConfig()), false);
  });

  test('TLS needs both a certificate and a key', () => {
    assert.throws(() => resolveServerConfig({ flags: { tlsCert: 'cert.pem' } }), ConfigError);
    const config = resolveServerConfig({ flags: { tlsCert: 'cert.pem', tlsKey: 'key.pem' } });
    assert.deepEqual(config.tls, { certFile: 'cert.pem', keyFile: 'key.pem' });
    assert.equal(isPublicHttps(config), true);
  });

  test('metrics go to a port of their own only when one is given; a host alone is refused', () => {
    assert.equal(resolveServerConfig().metricsPort, null);
    const config = resolveServerConfig({ flags: { metricsPort: '9101', metricsHost: '0.0.0.0' } });
    assert.deepEqual([config.metricsPort, config.metricsHost], [9101, '0.0.0.0']);
    assert.throws(
      () => resolveServerConfig({ flags: { metricsHost: '0.0.0.0' } }),
      /--metrics-host \(TRIPOD_METRICS_HOST\) needs --metrics-port/,
    );
  });

  test('audit webhooks: URLs repeated or comma-separated, a secret required, masked and never echoed', () => {
    const secret = 'whsec-0123456789abcdef';
    const config = resolveServerConfig({
      flags: { auditWebhooks: ['https://siem.example/a, https://siem.example/b', 'https://siem.example/a'] },
      env: { TRIPOD_AUDIT_WEBHOOK_SECRET: secret },
    });
    assert.deepEqual(config.auditWebhooks, ['https://siem.example/a', 'https://siem.example/b']);
    assert.equal(resolveServerConfig().auditWebhooks, null);
    assert.throws(
      () => resolveServerConfig({ flags: { auditWebhooks: 'https://siem.example/a' } }),
      /--audit-webhook \(TRIPOD_AUDIT_WEBHOOK\) needs --audit-webhook-secret/,
    );
    for (const url of ['ftp://siem.example/', 'https://user:pw@siem.example/', 'not a url']) {
      assert.throws(
        () => resolveServerConfig({ flags: { auditWebhooks: url, auditWebhookSecret: secret } }),
        /--audit-webhook \(TRIPOD_AUDIT_WEBHOOK\) must be http\(s\) URLs without credentials/,
      );
    }
    assert.throws(
      () => resolveServerConfig({ flags: { auditWebhookSecret: 'short-secret' } }),
      (error: Error) =>
        /must be at least 16 characters without spaces, got 12 characters/.test(error.message) &&
        !error.message.includes('short-secret'),
    );
    const shown = effectiveConfiguration({ flags: { auditWebhookSecret: secret } });
    assert.equal(shown.find((s) => s.name === 'auditWebhookSecret')?.value, '********');
  });

  test('bad values are refused with a sentence naming the flag and the variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ port: 'eighty' }, /--port \(TRIPOD_PORT\) must be a whole number/],
      [{ port: '70000' }, /--port/],
      [{ pinLength: '5' }, /--pin-length \(TRIPOD_PIN_LENGTH\)/],
      [{ pinLength: '11' }, /--pin-length/],
      [{ publicUrl: 'not a url' }, /--public-url \(TRIPOD_PUBLIC_URL\) must be an absolute URL/],
      [{ publicUrl: 'ftp://x.example' }, /http or https/],
      [{ publicUrl: 'https://x.example/?a=1' }, /query/],
      [{ logLevel: 'loud' }, /--log-level/],
      [{ allowPlaintextOverHttp: 'maybe' }, /true or false/],
    ];
    for (const [flags, message] of cases) {
      assert.throws(
        () => resolveServerConfig({ flags }),
        (error: Error) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        },
      );
    }
  });

  test('slow clients have deadlines by default: request, headers, keep-alive, and a connection cap', () => {
    const config = resolveServerConfig();
    assert.deepEqual(
      [config.requestTimeoutSeconds, config.headersTimeoutSeconds, config.keepAliveTimeoutSeconds],
      [30, 10, 5],
    );
    assert.equal(config.maxConnections, 900);
    const env = { TRIPOD_REQUEST_TIMEOUT: '5', TRIPOD_HEADERS_TIMEOUT: '6' };
    assert.throws(
      () => resolveServerConfig({ env }),
      (e: unknown) =>
        e instanceof ConfigError && /--headers-timeout .*must not exceed --request-timeout/.test(e.message),
    );
    assert.throws(
      () => resolveServerConfig({ flags: { requestTimeoutSeconds: '0' } }),
      ConfigError,
      '0 is never',
    );
  });

  test('boolean switches accept true/false/1/0 from the environment', () => {
    assert.equal(
      resolveServerConfig({ env: { TRIPOD_ALLOW_PLAINTEXT_OVER_HTTP: '1' } }).allowPlaintextOverHttp,
      true,
    );
    assert.equal(
      resolveServerConfig({ flags: { allowPlaintextOverHttp: true } }).allowPlaintextOverHttp,
      true,
    );
  });

  test('--trust-proxy names the proxies by address; true (the old switch) means loopback, a hop count is refused', () => {
    const trusted = (raw: unknown) => resolveServerConfig({ flags: { trustProxy: raw } }).trustProxy;
    assert.equal(resolveServerConfig().trustProxy, null, 'no proxy is trusted by default');
    assert.deepEqual(trusted('10.0.0.5, 10.1.0.0/16,::1,loopback'), [
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
      'loopback',
    ]);
    assert.deepEqual(trusted(true), ['loopback'], 'the bare flag, as commander passes it');
    assert.deepEqual(resolveServerConfig({ env: { TRIPOD_TRUST_PROXY: 'true' } }).trustProxy, ['loopback']);
    assert.deepEqual(resolveServerConfig({ env: { TRIPOD_TRUST_PROXY: 'false' } }).trustProxy, []);
    assert.deepEqual(resolveServerConfig({ file: { 'trust-proxy': ['192.168.1.1'] } }).trustProxy, [
      '192.168.1.1',
    ]);
    assert.throws(
      () => trusted('1'),
      (e: unknown) =>
        e instanceof ConfigError && /--trust-proxy .*hop count cannot tell a proxy/.test(e.message),
    );
    for (const bad of ['10.0.0.300', '10.0.0.0/33', 'proxy.example', '']) {
      assert.throws(() => trusted(bad), ConfigError, bad);
    }
  });

  test('the data directory alone resolves without the other settings', () => {
    assert.equal(
      resolveStoreConfig({ env: { TRIPOD_DATA: '/var/lib/tripod', TRIPOD_PORT: 'bad' } }).dataDir,
      '/var/lib/tripod',
    );
    assert.equal(resolveStoreConfig({ flags: { dataDir: 'x' }, env: { TRIPOD_DATA: 'y' } }).dataDir, 'x');
    assert.equal(resolveStoreConfig().dataDir, './data');
  });

  test('a config file is below the environment and above the defaults, keyed by flag name', () => {
    const file = { port: 8080, 'pin-length': '8', 'signature-methods': ['HMAC-SHA256'], host: '0.0.0.0' };
    const config = resolveServerConfig({ file, env: { TRIPOD_PORT: '9090' }, flags: { host: '::1' } });
    assert.equal(config.port, 9090);
    assert.equal(config.pinLength, 8);
    assert.deepEqual([...config.signatureMethods], ['HMAC-SHA256']);
    assert.equal(config.host, '::1');
    const shown = effectiveConfiguration({ file, env: { TRIPOD_PORT: '9090' }, flags: { host: '::1' } });
    const sourceOf = (flag: string) => shown.find((s) => s.flag === flag)?.source;
    assert.equal(sourceOf('--port'), 'environment');
    assert.equal(sourceOf('--pin-length'), 'config file');
    assert.equal(sourceOf('--host'), 'flag');
    assert.equal(sourceOf('--log-level'), 'default');
  });

  test('a config file with an unknown key, bad JSON or a bad value is refused naming the problem', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tripod-config-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    assert.throws(() => readConfigFile(write('a.json', '{"pin_length": 8}')), /unknown setting "pin_length"/);
    assert.throws(() => readConfigFile(write('b.json', '{"port": ')), /not valid JSON/);
    assert.throws(() => readConfigFile(write('c.json', '[1]')), /one JSON object/);
    assert.throws(() => readConfigFile(join(dir, 'missing.json')), /cannot read the config file/);
    assert.throws(
      () => resolveServerConfig({ file: readConfigFile(write('d.json', '{"pin-length": 12}')) }),
      /--pin-length \(TRIPOD_PIN_LENGTH\) in the config file \(key "pin-length"\) must be a whole number from 6 to 10, got 12/,
    );
  });

  test('every provider setting can be set from the CLI and reaches the provider unchanged', () => {
    const config = resolveServerConfig({
      flags: { nonceMaxLength: '32', signatureMethods: 'HMAC-SHA1, HMAC-SHA256', pinMaxAttempts: '3' },
    });
    const provider = providerConfigOf(config);
    assert.equal(provider.nonceMaxLength, 32);
    assert.deepEqual([...(provider.signatureMethods ?? [])], ['HMAC-SHA1', 'HMAC-SHA256']);
    assert.equal(provider.pinMaxAttempts, 3);
    assert.equal(provider.realm, 'Tripod');
    assert.throws(
      () => resolveServerConfig({ flags: { signatureMethods: 'HMAC-MD5' } }),
      /--signature-methods \(TRIPOD_SIGNATURE_METHODS\) must list only .*'HMAC-MD5' is not one/,
    );
  });

  test("README.md's settings table is the one generated from the registry (npm run docs:settings)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.equal(readme, withSettingsTable(readme), 'README.md drifted: run npm run docs:settings');
    for (const spec of Object.values(SETTINGS)) assert.ok(settingsMarkdown().includes(`\`${spec.flag}\``));
  });
});

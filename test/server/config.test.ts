// The server configuration: flags beat environment variables, which beat the defaults; bad values fail at
// start-up with one sentence naming the flag and the variable.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ConfigError,
  isPublicHttps,
  realmOf,
  resolveDataDir,
  resolveServerConfig,
  SETTINGS,
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

  test('boolean switches accept true/false/1/0 from the environment', () => {
    assert.equal(
      resolveServerConfig({ env: { TRIPOD_ALLOW_PLAINTEXT_OVER_HTTP: '1' } }).allowPlaintextOverHttp,
      true,
    );
    assert.equal(resolveServerConfig({ env: { TRIPOD_TRUST_PROXY: 'false' } }).trustProxy, false);
    assert.equal(
      resolveServerConfig({ flags: { allowPlaintextOverHttp: true } }).allowPlaintextOverHttp,
      true,
    );
  });

  test('the data directory alone resolves without the other settings', () => {
    assert.equal(
      resolveDataDir({ env: { TRIPOD_DATA: '/var/lib/tripod', TRIPOD_PORT: 'bad' } }),
      '/var/lib/tripod',
    );
    assert.equal(resolveDataDir({ flags: { dataDir: 'x' }, env: { TRIPOD_DATA: 'y' } }), 'x');
    assert.equal(resolveDataDir(), './data');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildProviderConfig,
  DEFAULT_PROVIDER_CONFIG,
  ProviderConfigError,
  providerSettings,
  providerSettingsMarkdown,
} from '../../src/provider/defaults.ts';

describe('provider settings', () => {
  test('the defaults are those of issue 2: 15-minute request tokens, 7-digit PINs, 5 tries, ±300 s', () => {
    const config = buildProviderConfig();
    assert.equal(config.requestTokenTtlSeconds, 900);
    assert.equal(config.pinLength, 7);
    assert.equal(config.pinMaxAttempts, 5);
    assert.equal(config.timestampWindowSeconds, 300);
    assert.equal(config.nonceMaxLength, 64);
    assert.equal(config.allowPlaintextOverHttp, false);
    assert.equal(config.realm, 'Tripod');
    assert.deepEqual(
      [...config.signatureMethods],
      ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'PLAINTEXT'],
    );
    assert.deepEqual(config, DEFAULT_PROVIDER_CONFIG);
  });

  test('every setting is documented, and the development-only one says so', () => {
    for (const setting of providerSettings) assert.ok(setting.doc.length > 20, setting.name);
    assert.deepEqual(
      providerSettings.filter((s) => s.developmentOnly).map((s) => s.name),
      ['allowPlaintextOverHttp'],
    );
  });

  test('the settings render as a Markdown table for the configuration docs, one row each', () => {
    const table = providerSettingsMarkdown().split('\n');
    assert.equal(table.length, 2 + providerSettings.length);
    assert.ok(
      table.includes(
        `| \`pinLength\` | \`7\` | ${providerSettings.find((s) => s.name === 'pinLength')?.doc} (a whole number from 6 to 10) |`,
      ),
    );
    assert.match(
      providerSettingsMarkdown(),
      /\| `allowPlaintextOverHttp` \| `false` \| \*\*Development only\.\*\*/,
    );
  });

  test('partial input overrides only what it names; undefined values keep the default', () => {
    const config = buildProviderConfig({ pinLength: 8, realm: undefined });
    assert.equal(config.pinLength, 8);
    assert.equal(config.realm, 'Tripod');
    assert.equal(config.pinMaxAttempts, 5);
  });

  test('a built configuration is frozen and can be built again unchanged', () => {
    const config = buildProviderConfig({ pinLength: 10 });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.signatureMethods));
    assert.deepEqual(buildProviderConfig(config), config);
  });

  test('PIN length must be 6 to 10 digits', () => {
    assert.equal(buildProviderConfig({ pinLength: 6 }).pinLength, 6);
    assert.equal(buildProviderConfig({ pinLength: 10 }).pinLength, 10);
    for (const pinLength of [5, 11, 7.5, Number.NaN]) {
      assert.throws(
        () => buildProviderConfig({ pinLength }),
        /pinLength must be a whole number from 6 to 10/,
      );
    }
  });

  test('every bad value is reported at once, by name', () => {
    try {
      buildProviderConfig({
        requestTokenTtlSeconds: 0,
        pinMaxAttempts: 0,
        timestampWindowSeconds: -1,
        nonceMaxLength: 4,
        allowPlaintextOverHttp: 'yes' as unknown as boolean,
        realm: 'has "quotes"',
        signatureMethods: ['HMAC-MD5' as 'HMAC-SHA1'],
        pinLenght: 7,
      } as never);
      assert.fail('expected a ProviderConfigError');
    } catch (error) {
      assert.ok(error instanceof ProviderConfigError);
      const text = error.problems.join('\n');
      for (const name of [
        'requestTokenTtlSeconds',
        'pinMaxAttempts',
        'timestampWindowSeconds',
        'nonceMaxLength',
        'allowPlaintextOverHttp',
        'realm',
        'HMAC-MD5',
        'unknown setting "pinLenght"',
      ]) {
        assert.match(text, new RegExp(name.replace(/[()]/g, '\\$&')));
      }
      assert.equal(error.problems.length, 8);
    }
  });

  test('an empty list of signature methods is refused', () => {
    assert.throws(
      () => buildProviderConfig({ signatureMethods: [] }),
      /signatureMethods must be a non-empty list of HMAC-SHA1/,
    );
  });
});

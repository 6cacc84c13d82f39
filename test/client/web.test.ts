import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { signRequestWeb, webBodyHash, webNonce } from '../../src/client/web.ts';
import { bodyHash } from '../../src/core/body-hash.ts';
import { SIGNATURE_METHODS } from '../../src/core/signature.ts';
import { signRequest } from '../../src/core/signing.ts';
import { rfcPhotos, twitterCreatingASignature as tw, twitterSignInput } from '../core/vectors.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module web.ts reaches through static imports (type-only imports are erased, so skipped). */
function importGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/^import (?!type )[^;]*?from '([^']+)';/gms)) {
    const specifier = match[1]!;
    if (specifier.startsWith('.')) importGraph(resolve(dirname(file), specifier), seen);
    else seen.add(specifier);
  }
  return seen;
}

describe('the WebCrypto entry point (browsers, Deno, Bun)', () => {
  it('imports nothing from Node, directly or through core', () => {
    const graph = [...importGraph(resolve(here, '../../src/client/web.ts'))];
    assert.deepEqual(
      graph.filter((m) => !m.startsWith('/')),
      [],
    );
    assert.ok(graph.some((m) => m.endsWith('core/base-string.ts')));
  });

  it('reproduces Twitter’s published signature', async () => {
    const signed = await signRequestWeb(twitterSignInput);
    assert.equal(signed.baseString, tw.baseString);
    assert.equal(signed.signature, tw.signature);
  });

  it('reproduces RFC 5849 §1.2’s temporary-credentials signature with realm', async () => {
    const i = rfcPhotos.initiate;
    const signed = await signRequestWeb({
      method: 'POST',
      url: i.url,
      consumerKey: rfcPhotos.consumerKey,
      consumerSecret: rfcPhotos.consumerSecret,
      nonce: i.nonce,
      timestamp: i.timestamp,
      extraOAuthParams: [['oauth_callback', i.callback]],
      realm: i.realm,
      version: false,
    });
    assert.equal(signed.signature, i.signature);
  });

  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  for (const method of SIGNATURE_METHODS) {
    it(`${method}: same Authorization header as core's node:crypto signRequest, JSON body hash included`, async () => {
      const input = {
        method: 'POST',
        url: 'https://api.example/1/x?q=%E2%9C%93%20ok',
        consumerKey: 'ck',
        consumerSecret: 'c&s',
        token: 'tk',
        tokenSecret: 't s',
        signatureMethod: method,
        privateKey,
        nonce: 'abc',
        timestamp: 1700000000,
        realm: 'R',
        body: { raw: '{"text":"hé"}' },
      };
      const node = signRequest(input);
      const web = await signRequestWeb(input);
      assert.equal(web.authorization, node.authorization);
    });
  }

  it('body hashes match core’s for every algorithm', async () => {
    for (const method of SIGNATURE_METHODS)
      assert.equal(await webBodyHash('x', method), bodyHash('x', method));
  });

  it('nonces are 24 unbiased alphanumerics', () => {
    assert.match(webNonce(), /^[A-Za-z0-9]{24}$/);
    assert.notEqual(webNonce(), webNonce());
  });
});

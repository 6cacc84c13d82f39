// "fetch failed" is never the whole answer: a site typed without a scheme is refused with the URL that
// was probably meant, and an unreachable provider is named with the reason — nothing listening, a host
// name that does not resolve, TLS spoken to a plain-HTTP port, a certificate that is not trusted.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withLikelyScheme } from '../../src/cli/tripod/site-url.ts';
import { removeTempDirs, runTripod, startSelfSignedServer, tempDir } from './tripod-process.ts';

const plain = createServer((_req, res) => res.end('{}'));
let plainHost = '';
let tlsServer: TlsServer | undefined;
let tlsUrl = '';
let closedHost = '';

before(async () => {
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainHost = `127.0.0.1:${(plain.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedHost = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  ({ server: tlsServer, url: tlsUrl } = await startSelfSignedServer());
});
after(() => {
  plain.close();
  tlsServer?.close();
  removeTempDirs();
});

const env = () => ({ TRIPOD_CONFIG_DIR: tempDir() });
const app = ['--consumer-key', 'ck', '--consumer-secret', 'cs'];
const signer = ['-c', 'ck', '-s', 'cs'];

describe('tripod names what it cannot reach, and why', () => {
  it('--site without a scheme is refused with the URL meant: http:// on this machine, https:// elsewhere', async () => {
    const local = await runTripod(['authorize', '--site', plainHost, ...app], env());
    assert.equal(local.code, 2);
    assert.match(
      local.stderr,
      new RegExp(`^tripod: --site ${plainHost} has no scheme: did you mean --site http://${plainHost}\\?`),
    );
    const request = await runTripod(['request', ...signer, '--site', 'localhost:3000', '/x'], env());
    assert.equal(request.code, 2);
    assert.match(request.stderr, /did you mean --site http:\/\/localhost:3000\?/);
    assert.equal(withLikelyScheme('api.x.com/1.1'), 'https://api.x.com/1.1');
    assert.equal(withLikelyScheme('[::1]:8080'), 'http://[::1]:8080');
  });

  it('a port nobody listens on: "nothing is listening on HOST:PORT — is tripod-server running?"', async () => {
    const result = await runTripod(['authorize', '--site', `http://${closedHost}`, ...app], env());
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim().split('\n').at(-1),
      `tripod: Cannot reach http://${closedHost}/oauth/request_token: nothing is listening on ${closedHost} (ECONNREFUSED) — is tripod-server running, on this port? It prints the URL it listens on; \`tripod-server serve --port N\` picks the port`,
    );
    assert.doesNotMatch(result.stderr, /fetch failed/);
  });

  it('-o FILE is left as it was when nothing could be fetched: no empty file is created', async () => {
    const out = join(tempDir(), 'out.json');
    const result = await runTripod(['request', ...signer, '-o', out, `http://${closedHost}/x`], env());
    assert.equal(result.code, 1);
    assert.match(result.stderr, /nothing is listening/);
    assert.equal(existsSync(out), false);
  });

  it('a host name that does not resolve is named as such', async () => {
    const result = await runTripod(['request', ...signer, 'https://tripod-test.invalid/x'], env());
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^tripod: Cannot reach https:\/\/tripod-test\.invalid\/x: the host name tripod-test\.invalid (does not resolve \(ENOTFOUND\)|could not be looked up \(EAI_AGAIN\))/,
    );
  });

  it('https:// to a plain-HTTP port suggests http://', async () => {
    const result = await runTripod(['request', ...signer, `https://${plainHost}/x`], env());
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `the TLS handshake with ${plainHost} failed \\(ERR_SSL_\\w+\\) — it seems to speak plain HTTP: try http://${plainHost}`,
      ),
    );
  });

  it('a self-signed certificate is reported as not trusted (TLS is verified, never skipped)', async () => {
    const result = await runTripod(['request', ...signer, `${tlsUrl}/x`], env());
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /the TLS certificate of 127\.0\.0\.1:\d+ is not trusted: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\) — .*NODE_EXTRA_CA_CERTS/,
    );
  });

  it('a path typed without its leading slash or scheme gets the URL it probably meant', async () => {
    const result = await runTripod(['request', ...signer, 'api.x.com/1.1/account/settings.json'], env());
    assert.equal(result.code, 2);
    assert.match(result.stderr, /did you mean https:\/\/api\.x\.com\/1\.1\/account\/settings\.json\?/);
  });
});

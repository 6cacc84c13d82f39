// `tripod doctor` against servers that are wrong on purpose: a clock an hour off, a self-signed TLS
// certificate, nothing listening.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { removeTempDirs, runTripod, startSelfSignedServer, tempDir } from './tripod-process.ts';

const skewed = createServer((_req, res) => {
  // An hour ahead of the local clock.
  res.writeHead(200, { date: new Date(Date.now() + 3_600_000).toUTCString() }).end();
});
let skewedUrl = '';
let tlsServer: TlsServer | undefined;
let tlsUrl = '';

before(async () => {
  await new Promise<void>((resolve) => skewed.listen(0, '127.0.0.1', resolve));
  skewedUrl = `http://127.0.0.1:${(skewed.address() as AddressInfo).port}`;
  ({ server: tlsServer, url: tlsUrl } = await startSelfSignedServer());
});
after(() => {
  skewed.close();
  tlsServer?.close();
  removeTempDirs();
});

interface DoctorJson {
  ok: boolean;
  checks: { name: string; status: string; detail: string }[];
}

describe('tripod doctor', () => {
  it('finds a clock an hour off the provider’s Date header and suggests --timestamp-offset', async () => {
    const result = await runTripod(['doctor', '--site', skewedUrl, '--json'], {
      TRIPOD_CONFIG_DIR: tempDir(),
    });
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as DoctorJson;
    assert.equal(report.ok, false);
    const clock = report.checks.find((c) => c.name === 'clock')!;
    assert.equal(clock.status, 'fail');
    assert.match(clock.detail, /^(3599|360\d) s behind 127\.0\.0\.1:\d+: .*--timestamp-offset (3599|360\d)/);
  });

  it('reports a certificate that does not verify (TLS is verified, never skipped)', async () => {
    const result = await runTripod(['doctor', '--site', tlsUrl], { TRIPOD_CONFIG_DIR: tempDir() });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^fail\s+(reach|tls)\s+.*self[- ]signed certificate/m);
  });

  it('reports a provider it cannot reach', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runTripod(['doctor', '--site', url], { TRIPOD_CONFIG_DIR: tempDir() });
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /^fail\s+reach\s+Cannot reach http:\/\/127\.0\.0\.1:\d+\S*: nothing is listening on 127\.0\.0\.1:\d+ \(ECONNREFUSED\) — is tripod-server running/m,
    );
  });
});

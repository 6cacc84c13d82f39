// `serve --tls-cert --tls-key`: Tripod serves HTTPS itself; clients sign https:// URLs, and the page cookies
// are Secure. The certificate is a throw-away self-signed one made with openssl for this test.

import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';

const BIN = fileURLToPath(new URL('../../bin/tripod-server.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tripod-tls-'));
let child: ChildProcess;
let url: string;
let ca: Buffer;
let app: { consumer_key: string; consumer_secret: string };

function httpsCall(target: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(target, { method: options.method ?? 'GET', headers: options.headers, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  ca = readFileSync(join(dir, 'cert.pem'));
  const env = { ...process.env, TRIPOD_DATA: join(dir, 'data') };
  app = JSON.parse(
    execFileSync(process.execPath, [BIN, 'app', 'add', '--name', 'TLS', '--json'], { env, encoding: 'utf8' }),
  );
  execFileSync(process.execPath, [BIN, 'user', 'add', 'tess', '--password', 'tess-password'], { env });
  child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')],
    { env },
  );
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
});

after(() => {
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('serve with a certificate and key answers HTTPS, verifies https:// signatures and sets Secure cookies', async () => {
  assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const client = new OAuthTestClient(url);
  const signed = client.sign({
    method: 'POST',
    url: '/oauth/request_token',
    credentials: { consumerKey: app.consumer_key, consumerSecret: app.consumer_secret },
    oauth: [['oauth_callback', 'oob']],
  });
  const issued = await httpsCall(signed.url, { method: 'POST', headers: signed.headers });
  assert.equal(issued.status, 200, issued.body);
  const token = new URLSearchParams(issued.body).get('oauth_token');

  const page = await httpsCall(`${url}/oauth/authorize?oauth_token=${token}`);
  assert.equal(page.status, 200);
  const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
  assert.ok(cookies.length > 0);
  for (const cookie of cookies) assert.match(cookie, /;\s*Secure/i, cookie);
  assert.match(String(page.headers['strict-transport-security']), /max-age=/);
});

// Graceful shutdown of a real `tripod-server serve`: on SIGTERM it stops accepting connections, lets the
// request in flight finish (and closes its connection after the answer), closes the stores and exits 0;
// a request still unfinished when --shutdown-timeout runs out is cut, and the exit is still clean.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { run, serve, stopServers } from '../e2e/fixtures/tripod-server-process.ts';
import { OAuthTestClient } from '../server/fixtures/oauth-client.ts';
import { openSocket } from '../server/fixtures/raw-http.ts';

const dirs: string[] = [];
after(() => {
  stopServers();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function servedApp(extra: string[] = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tripod-shutdown-'));
  dirs.push(dataDir);
  const added = await run(['app', 'add', '--name', 'Shutdown App', '--json', '--data', dataDir]);
  assert.equal(added.code, 0, added.stderr);
  const app = JSON.parse(added.stdout) as { consumer_key: string; consumer_secret: string };
  const server = await serve(['--port', '0', '--data', dataDir, '--log-level', 'debug', ...extra]);
  let log = '';
  server.child.stderr!.on('data', (chunk) => {
    log += chunk;
  });
  const exit = new Promise<number | null>((resolve) => server.child.once('close', resolve));
  return {
    ...server,
    port: Number(new URL(server.url).port),
    credentials: { consumerKey: app.consumer_key, consumerSecret: app.consumer_secret },
    log: () => log,
    exit,
  };
}

/** A connection and everything it receives; `closed` resolves when the server closes it. */
async function connect(site: string) {
  const socket = await openSocket(site);
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk;
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed };
}

/** At debug, a request is logged once its headers are in (before its body): from then on it is in flight. */
const requestStarted = (log: string) => /"msg":"incoming request"/.test(log);

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 800 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(condition(), what);
}

describe('graceful shutdown', () => {
  test('SIGTERM: the request in flight completes, new connections are refused, the process exits 0', async () => {
    const server = await servedApp();
    // A signed request_token whose body is still arriving when the signal comes.
    const signed = new OAuthTestClient(server.url).sign({
      method: 'POST',
      url: '/oauth/request_token',
      credentials: server.credentials,
      oauth: [['oauth_callback', 'oob']],
      form: [['note', 'sent in two parts']],
    });
    const body = Buffer.from(signed.body as string);
    const head = [
      'POST /oauth/request_token HTTP/1.1',
      `Host: 127.0.0.1:${server.port}`,
      `Authorization: ${signed.headers.authorization}`,
      'Content-Type: application/x-www-form-urlencoded',
      `Content-Length: ${body.length}`,
      '',
      '',
    ].join('\r\n');
    const inFlight = await connect(server.url);
    inFlight.socket.write(head);
    inFlight.socket.write(body.subarray(0, 5));
    await until(() => requestStarted(server.log()), 'the server has begun the request');

    server.child.kill('SIGTERM');
    await until(() => /shutting down/.test(server.log()), 'the server took the signal');
    await assert.rejects(connect(server.url), /ECONNREFUSED/, 'no new connection is accepted');
    assert.equal(server.child.exitCode, null, 'still waiting for the request in flight');

    inFlight.socket.write(body.subarray(5));
    await inFlight.closed;
    const [status, ...headers] = inFlight.received().split('\r\n\r\n')[0]!.split('\r\n');
    assert.equal(status, 'HTTP/1.1 200 OK');
    assert.ok(headers.includes('connection: close'), headers.join('\n'));
    assert.match(inFlight.received(), /oauth_token=[^&]+&oauth_token_secret=/);
    assert.equal(await server.exit, 0);
    assert.match(server.log(), /"msg":"shut down"/);
  });

  test('a request unfinished when --shutdown-timeout runs out is cut, and the process still exits 0', async () => {
    const server = await servedApp(['--shutdown-timeout', '1']);
    const stuck = await connect(server.url);
    stuck.socket.write(
      `POST /oauth/request_token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly part`,
    );
    await until(() => requestStarted(server.log()), 'the server has begun the request');
    server.child.kill('SIGTERM');
    await stuck.closed;
    assert.equal(stuck.received(), '', 'cut without an answer');
    assert.equal(await server.exit, 0);
    assert.match(server.log(), /requests still in flight were cut short/);
  });
});

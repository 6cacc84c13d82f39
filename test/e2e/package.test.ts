// The package as people install it: `npm pack` (prepack builds dist/ with type declarations) gives a
// tarball that installs into a fresh project with no TypeScript, where every entry point of DESIGN.md §3
// imports from plain .mjs and a signed request is verified through tripod/fetch — on Node 24 and on Node 22
// (the oldest line engines allows) — and the CLIs work through npx.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// .ci/run installs Node 22 here; a developer's machine gets it once into the temporary directory.
const CI_NODE22 = '/opt/node22/node_modules/node/bin/node';
const CACHED_NODE22 = join(tmpdir(), 'tripod-test-node22');

const ENTRY_POINTS = [
  'tripod/core',
  'tripod/provider',
  'tripod/stores',
  'tripod/client',
  'tripod/client/web',
  'tripod/fastify',
  'tripod/express',
  'tripod/fetch',
  'tripod/server',
];

// Imports every entry point, then verifies one signed request with tripod/fetch on memory stores.
const CONSUMER = `
import * as core from 'tripod/core';
const modules = {};
for (const name of ${JSON.stringify(ENTRY_POINTS)}) modules[name] = Object.keys(await import(name)).sort();
const { createMemoryStores } = await import('tripod/stores');
const { verifyFetchRequest, Verifier } = await import('tripod/fetch');
const stores = createMemoryStores();
await stores.users.create({ id: 'u1', username: 'alice', passwordHash: 'x', isOperator: false, disabled: false, createdAt: 0 });
await stores.consumers.create({ key: 'ck', secret: 'cs', name: 'App', description: '', website: '', ownerUserId: null,
  callbackUrls: [], accessLevel: 'read-write', xauth: false, rsaPublicKey: null, disabled: false, createdAt: 0 });
await stores.accessTokens.create({ token: 'at', secret: 'ts', consumerKey: 'ck', userId: 'u1', accessLevel: 'read-write',
  createdAt: 0, revokedAt: null });
const url = 'https://api.example/hello?x=1';
const signed = core.signRequest({ method: 'GET', url, consumerKey: 'ck', consumerSecret: 'cs', token: 'at',
  tokenSecret: 'ts', nonce: 'n1', timestamp: Math.floor(Date.now() / 1000) });
const result = await verifyFetchRequest(new Verifier({ stores }), new Request(url, { headers: { authorization: signed.authorization } }));
console.log(JSON.stringify({ node: process.version, modules, identity: result.ok ? result.identity : null }));
`;

// Each step has a deadline of its own, so a step that hangs is named with what it printed so far instead of
// the whole setup running into the test's timeout.
const STEP_DEADLINE_MS = 240_000;

function exec(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      command,
      args,
      { ...options, maxBuffer: 16 * 1024 * 1024, timeout: STEP_DEADLINE_MS },
      (error, stdout, stderr) => {
        const killed = (error as { killed?: boolean } | null)?.killed === true;
        const note = killed
          ? `\n${command} ${args.join(' ')} did not end within ${STEP_DEADLINE_MS / 1000} s`
          : '';
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr: stderr + note,
        });
      },
    );
  });
}

/**
 * This environment without what npm and the test runner set, and with `node` first on PATH. The machine's
 * certificate authorities stay: where the registry is reached through a proxy with its own CA, npm trusts
 * it through NODE_EXTRA_CA_CERTS (or a `cafile` in a global npmrc that a Node other than the system's
 * does not read). Dropping it with the rest of NODE_* made every registry request fail with
 * SELF_SIGNED_CERT_IN_CHAIN, retried for minutes: what looked like a stalled install on 2026-11-30.
 */
function envWithNode(node: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'NODE_EXTRA_CA_CERTS' || !/^(npm_|NODE_|TRIPOD_)/i.test(name)) env[name] = value;
  }
  return {
    ...env,
    PATH: `${dirname(node)}:${process.env.PATH}`,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    // A registry request that stalls is dropped after 30 s and tried again (npm's own default waits five
    // minutes, past the step's deadline): one stalled download made this setup fail twice on 2026-11-30.
    npm_config_fetch_timeout: '30000',
    npm_config_fetch_retries: '4',
    npm_config_fetch_retry_mintimeout: '2000',
    npm_config_fetch_retry_maxtimeout: '10000',
  };
}

async function node22(): Promise<string> {
  if (existsSync(CI_NODE22)) return CI_NODE22;
  const cached = join(CACHED_NODE22, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(cached)) {
    const installed = await exec('npm', ['install', '--prefix', CACHED_NODE22, 'node@22'], { cwd: ROOT });
    assert.equal(installed.code, 0, installed.stderr);
  }
  return cached;
}

const dirs: string[] = [];
let project: string;
let runtimes: { name: string; node: string }[];

before(
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tripod-package-'));
    dirs.push(dir);
    const packed = await exec('npm', ['pack', '--pack-destination', dir], {
      cwd: ROOT,
      env: envWithNode(process.execPath),
    });
    assert.equal(packed.code, 0, packed.stderr);
    const tarball = join(dir, packed.stdout.trim().split('\n').at(-1) as string);
    project = join(dir, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true,"type":"module"}\n');
    writeFileSync(join(project, 'consumer.mjs'), CONSUMER);
    // express is tripod/express's (optional) peer dependency: an Express app has it already.
    const installed = await exec('npm', ['install', '--prefer-offline', tarball, 'express@5'], {
      cwd: project,
      env: envWithNode(process.execPath),
    });
    assert.equal(installed.code, 0, installed.stderr);
    runtimes = [
      { name: 'Node 24', node: process.execPath },
      { name: 'Node 22', node: await node22() },
    ];
  },
  { timeout: 600_000 },
);
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball, installed into a fresh project', () => {
  test('ships the build with declarations, the bins and the README, and no sources or tests', async () => {
    const listed = await exec('npm', ['ls', '--all', '--parseable'], { cwd: project });
    assert.match(listed.stdout, /node_modules\/tripod\n/);
    const installed = join(project, 'node_modules', 'tripod');
    for (const file of [
      'dist/integrations/fastify.js',
      'dist/integrations/fastify.d.ts',
      'dist/server/views/oauth/pin.eta',
      'dist/server/static/tripod.css',
      'bin/tripod-server.js',
      'README.md',
    ]) {
      assert.ok(existsSync(join(installed, file)), file);
    }
    for (const absent of ['src', 'test', 'examples']) assert.ok(!existsSync(join(installed, absent)), absent);
  });

  for (const index of [0, 1]) {
    test(`every entry point imports from plain .mjs and tripod/fetch verifies a request (${index === 0 ? 'Node 24' : 'Node 22'})`, async () => {
      const { name, node } = runtimes[index] as { name: string; node: string };
      const ran = await exec(node, ['consumer.mjs'], { cwd: project, env: envWithNode(node) });
      assert.equal(ran.code, 0, `${name}: ${ran.stderr}`);
      const result = JSON.parse(ran.stdout);
      assert.match(result.node, index === 0 ? /^v24\./ : /^v22\./);
      for (const entry of ENTRY_POINTS)
        assert.ok(result.modules[entry].length > 0, `${entry} exports something`);
      assert.ok(result.modules['tripod/fastify'].includes('default'));
      assert.ok(result.modules['tripod/express'].includes('oauth'));
      assert.ok(result.modules['tripod/server'].includes('tripodServer'));
      assert.deepEqual(result.identity, {
        userId: 'u1',
        screenName: 'alice',
        consumerKey: 'ck',
        accessLevel: 'read-write',
      });
    });

    test(`npx tripod-server and npx tripod work from the installed package (${index === 0 ? 'Node 24' : 'Node 22'})`, async () => {
      const { node } = runtimes[index] as { name: string; node: string };
      const npx = (...args: string[]) => exec('npx', args, { cwd: project, env: envWithNode(node) });
      const data = join(project, `data-${index}`);
      const added = await npx('tripod-server', 'app', 'add', '--name', 'Packed', '--json', '--data', data);
      assert.equal(added.code, 0, added.stderr);
      assert.match(JSON.parse(added.stdout).consumer_key, /^\S{16,}$/);
      const user = await npx(
        'tripod-server',
        'user',
        'add',
        'bob',
        '--password',
        'long enough pw',
        '--data',
        data,
      );
      assert.equal(user.code, 0, user.stderr);
      const help = await npx('tripod', '--help');
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /authorize/);
    });
  }
});

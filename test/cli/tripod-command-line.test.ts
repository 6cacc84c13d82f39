// The command line forgives what curl and twurl users type: bare `tripod` shows the help, a misspelt
// command gets "did you mean", --debug works after any command name, -o FILE writes a file as in curl
// (--format json is the JSON document), -v shows the headers with secrets masked, and every --help has
// examples that parse with the real command definitions.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Command } from 'commander';
import { withDefaultCommand } from '../../src/cli/tripod/default-command.ts';
import { HELP_EXAMPLES } from '../../src/cli/tripod/help-examples.ts';
import { buildProgram } from '../../src/cli/tripod.ts';
import { removeTempDirs, runTripod, tempDir } from './tripod-process.ts';

const BODY = '{"screen_name":"carol"}';
const api = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=cookie-secret' });
  res.end(req.url === '/echo-auth' ? String(req.headers.authorization) : BODY);
});
let base = '';
before(async () => {
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
after(() => {
  api.close();
  removeTempDirs();
});

const env = () => ({ TRIPOD_CONFIG_DIR: tempDir() });
const credentials = ['-c', 'ck', '-s', 'consumer-secret-x', '-a', 'tok', '-S', 'token-secret-y'];

function quietIO() {
  return {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {},
    platform: 'linux' as const,
  };
}

/** Splits an example the way a shell would (single quotes only: that is all the examples use). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe('tripod command line', () => {
  it('bare `tripod` prints the help with examples, not "missing required argument"', async () => {
    const result = await runTripod([], env());
    assert.equal(result.code, 2);
    assert.doesNotMatch(result.stderr, /missing required argument/);
    assert.match(result.stderr, /^Usage: tripod /);
    assert.match(result.stderr, /\nCommands:\n {2}authorize /);
    assert.match(result.stderr, /\nExamples:\n {2}\$ tripod authorize --site /);
  });

  it('a misspelt command gets "did you mean", and nothing is sent', async () => {
    const result = await runTripod(['doctorr'], env());
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command 'doctorr'\n\(Did you mean doctor\?\)/);
  });

  it('a PATH or URL without a command is still `tripod request`, as in twurl', async () => {
    const result = await runTripod([...credentials, `${base}/me`], env());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, BODY);
    const debugFirst = await runTripod(['--debug', ...credentials, `${base}/me`], env());
    assert.equal(debugFirst.code, 0, debugFirst.stderr);
    assert.match(debugFirst.stderr, /\[debug\] signature base string:/);
  });

  it('every command takes --debug and --config-dir after its name too', async () => {
    const program = buildProgram(quietIO(), () => {});
    for (const command of program.commands) {
      const longs = command.options.map((o) => o.long);
      assert.ok(longs.includes('--debug'), `${command.name()} --debug`);
      assert.ok(longs.includes('--config-dir'), `${command.name()} --config-dir`);
    }
    const result = await runTripod(['request', '--debug', ...credentials, `${base}/me`], env());
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /\[debug\] signature base string:\n\[debug\] {3}GET&http%3A%2F%2F127\.0\.0\.1/,
    );
    const accounts = await runTripod(['accounts', '--debug'], env());
    assert.equal(accounts.code, 0, accounts.stderr);
  });

  it('-o FILE writes the body to FILE and nothing to stdout, as curl does', async () => {
    const dir = tempDir();
    const result = await runTripod(
      ['request', ...credentials, '-o', join(dir, 'out.json'), `${base}/me`],
      env(),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(readFileSync(join(dir, 'out.json'), 'utf8'), BODY);
  });

  it('-o json (the old spelling of the JSON output) writes ./json and says where the JSON document went', async () => {
    const dir = tempDir();
    const result = await runTripod(['request', ...credentials, '-o', 'json', `${base}/me`], env(), '', dir);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(join(dir, 'json'), 'utf8'), BODY);
    assert.match(result.stderr, /-o FILE writes to a file now, as in curl\. .*use --format json/);
  });

  it('--format json prints status, headers and the parsed body as one JSON document', async () => {
    const result = await runTripod(['request', ...credentials, '--format', 'json', `${base}/me`], env());
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as {
      status: number;
      headers: Record<string, string>;
      body: unknown;
    };
    assert.equal(json.status, 200);
    assert.equal(json.headers['content-type'], 'application/json');
    assert.deepEqual(json.body, { screen_name: 'carol' });
    const wrong = await runTripod(['request', ...credentials, '--format', 'yaml', `${base}/me`], env());
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--format takes json, not yaml/);
  });

  it('-v shows request and response headers on stderr with the signature and cookies masked, no secrets', async () => {
    const result = await runTripod(['request', '-v', ...credentials, `${base}/echo-auth`], env());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^> GET http:\/\/127\.0\.0\.1:\d+\/echo-auth$/m);
    assert.match(result.stderr, /^> Authorization: OAuth .*oauth_signature="\[redacted\]"$/m);
    assert.match(result.stderr, /^< 200 OK$/m);
    assert.match(result.stderr, /^< set-cookie: \[redacted\]$/m);
    assert.doesNotMatch(
      result.stderr,
      /\[debug\]|base string/,
      '-v is headers only, --debug is the signature',
    );
    const sentSignature = /oauth_signature="([^"]+)"/.exec(result.stdout)?.[1];
    assert.ok(sentSignature, 'the server saw a real signature');
    for (const secret of ['consumer-secret-x', 'token-secret-y', 'cookie-secret', sentSignature]) {
      assert.ok(!result.stderr.includes(secret), `${secret} is not on stderr`);
    }
  });

  it('every --help has examples, and every example parses with the real options', async () => {
    const program = buildProgram(quietIO(), () => {});
    for (const command of [program, ...program.commands]) {
      const name = command === program ? 'tripod' : command.name();
      if (name === 'help') continue;
      assert.ok((HELP_EXAMPLES[name] ?? []).length > 0, `${name} has examples`);
      let help = '';
      command.configureOutput({ writeOut: (s) => (help += s) });
      command.outputHelp();
      assert.match(help, /\nExamples:\n {2}\$ tripod /, `${name} --help shows them`);
    }
    for (const [name, lines] of Object.entries(HELP_EXAMPLES)) {
      for (const line of lines) {
        const io = quietIO();
        let errors = '';
        const fresh = buildProgram(io, () => {});
        fresh.configureOutput({ writeErr: (s) => (errors += s) });
        let ran: string | undefined;
        for (const command of fresh.commands as Command[]) {
          command.action(() => {
            ran = command.name();
          });
        }
        await fresh.parseAsync(withDefaultCommand(fresh, shellWords(line).slice(1)), { from: 'user' });
        assert.equal(errors, '', line);
        if (name !== 'tripod') assert.equal(ran, name, line);
      }
    }
  });
});

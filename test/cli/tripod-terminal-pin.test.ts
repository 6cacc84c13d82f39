// The PIN typed at a real terminal: `tripod authorize` runs under a pseudo-terminal (util-linux
// `script`), so stdin is a TTY and tripod prompts "Enter the PIN: " before reading it.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  cleanEnv,
  decideOnTripodPages,
  removeTempDirs,
  startTripodServer,
  TRIPOD,
  type TripodServer,
  tempDir,
} from './tripod-process.ts';

let server: TripodServer;
before(async () => {
  server = await startTripodServer();
});
after(async () => {
  await server.stop();
  removeTempDirs();
});

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

describe('tripod authorize at a terminal', () => {
  it('prompts for the PIN on the TTY and accepts the digits typed there', async () => {
    const command = [
      process.execPath,
      TRIPOD,
      'authorize',
      '--site',
      server.url,
      '--consumer-key',
      server.pinApp.consumer_key,
      '--consumer-secret',
      server.pinApp.consumer_secret,
    ]
      .map(quote)
      .join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      env: cleanEnv({ TRIPOD_CONFIG_DIR: tempDir(), TERM: 'dumb' }),
    });
    let screen = '';
    const seen = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`never saw ${pattern}: ${screen}`)), 15_000);
        const check = () => {
          const match = pattern.exec(screen);
          if (match) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            resolve(match);
          }
        };
        child.stdout.on('data', (chunk) => {
          screen += chunk;
          check();
        });
        check();
      });
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    try {
      const [, url] = await seen(/(http\S+\/oauth\/authorize\?oauth_token=[^\s]+)/);
      await seen(/Enter the PIN: /);
      const { pin } = await decideOnTripodPages(url!, server.user);
      child.stdin.write(`${pin}\r`);
      await seen(/Authorized carol on /);
      assert.equal(await exited, 0, screen);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });
});

// The PIN typed at a real terminal: `tripod authorize` runs under a pseudo-terminal (util-linux
// `script`), so stdin is a TTY and tripod prompts "Enter the PIN: " before reading each try. A person's
// slips — a wrong PIN, an empty line, letters — are asked for again; only the wrong PIN costs a try.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authorizeArgs,
  cleanEnv,
  decideOnTripodPages,
  onTerminal,
  serverForTheFile,
  startTripodServer,
  TRIPOD,
  tempDir,
} from './tripod-process.ts';

const server = serverForTheFile(startTripodServer);

/** `tripod authorize` on a pseudo-terminal. */
const authorizeOnTerminal = () =>
  onTerminal(
    TRIPOD,
    authorizeArgs(server, server.pinApp),
    cleanEnv({ TRIPOD_CONFIG_DIR: tempDir(), TERM: 'dumb' }),
  );

describe('tripod authorize at a terminal', () => {
  it('asks again after a wrong PIN, an empty line and letters, then accepts the right PIN typed with a space', async () => {
    const terminal = authorizeOnTerminal();
    try {
      const [, url] = await terminal.next(/(http\S+\/oauth\/authorize\?oauth_token=[^\s]+)/);
      await terminal.next(/Enter the PIN: /);
      const { pin } = await decideOnTripodPages(url!, server.user);
      assert.match(pin ?? '', /^\d{7}$/);
      const wrong = pin === '1234567' ? '7654321' : '1234567';

      terminal.child.stdin.write(`${wrong}\r`);
      await terminal.next(/That PIN is wrong: 4 tries left\./);
      await terminal.next(/Enter the PIN: /);

      terminal.child.stdin.write('\r');
      await terminal.next(/Type the PIN the page shows/);
      await terminal.next(/Enter the PIN: /);

      terminal.child.stdin.write('abc\r');
      await terminal.next(/"abc" is not a PIN: .*Nothing was sent/);
      await terminal.next(/Enter the PIN: /);

      // The letters and the empty line were not sent: the next wrong PIN is only the second one.
      terminal.child.stdin.write(`${wrong}\r`);
      await terminal.next(/That PIN is wrong: 3 tries left\./);
      await terminal.next(/Enter the PIN: /);

      // Spaces between digits are how a page groups them; the provider accepts them.
      terminal.child.stdin.write(`${pin!.slice(0, 3)} ${pin!.slice(3)}\r`);
      await terminal.next(/Authorized carol on /);
      assert.equal(await terminal.exited, 0, terminal.screen());
    } finally {
      if (terminal.child.exitCode === null) terminal.child.kill();
    }
  });
});

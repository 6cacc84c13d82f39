// Opens the authorize URL in a browser only where that makes sense: a graphical session ($DISPLAY,
// Wayland, macOS, Windows, or $BROWSER set), not CI, and not --no-browser. The URL is always printed
// too, so a headless or SSH session just copies it.

import { spawn } from 'node:child_process';
import type { CliContext } from './context.ts';

export function shouldOpenBrowser(context: CliContext, requested: boolean): boolean {
  return requested && context.display && !context.ci;
}

export function openBrowser(context: CliContext, url: string): void {
  const { env, platform } = context.io;
  const [command, args] = env.BROWSER
    ? [env.BROWSER, [url]]
    : platform === 'darwin'
      ? ['open', [url]]
      : platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replaceAll('&', '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => context.note('tripod: could not open a browser; open the URL above yourself.'));
    child.unref();
  } catch {
    context.note('tripod: could not open a browser; open the URL above yourself.');
  }
}

// Where a command will send requests must be a full http(s) URL. A site typed without a scheme
// ("127.0.0.1:3000") used to become https://…, and a plain-HTTP server then failed with a bare "fetch
// failed"; now it is refused with the URL the person most likely meant: http:// for this machine (a
// local tripod-server has no TLS), https:// for anything else.

import { isIP } from 'node:net';
import { CliError, ExitCode } from './context.ts';

const SCHEME = /^[a-z][a-z\d+.-]*:\/\//i;

function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'));
}

/** The URL a person most likely meant by a scheme-less "host[:port][/path]". */
export function withLikelyScheme(value: string): string {
  const host = /^(\[[^\]]*\]|[^/:?#]*)/.exec(value)?.[1] ?? '';
  return `${isLoopbackHost(host) ? 'http' : 'https'}://${value}`;
}

/** Parses `--flag value` as an http(s) URL, or refuses it with a sentence saying what to type instead. */
export function parseHttpUrl(value: string, flag: string): URL {
  if (!SCHEME.test(value)) {
    const likely = withLikelyScheme(value);
    throw new CliError(
      `${flag} ${value} has no scheme: did you mean ${flag} ${likely}?${likely.startsWith('http:') ? ' (a local tripod-server speaks plain http)' : ''}`,
      ExitCode.usage,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${flag} ${value} is not a URL.`, ExitCode.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${flag} takes an http:// or https:// URL, not ${url.protocol}//….`, ExitCode.usage);
  }
  return url;
}

// The one fetch every `tripod` command sends with (request, authorize's token calls, logout, doctor):
// it shows the exchange on stderr for -v and --debug (curl's "> request" / "< response" lines, with the
// signature, secrets and cookies masked by the same redaction --debug uses), gives up after a time
// limit, and turns a network failure into a CliError that says what could not be reached and why.

import type { FetchFunction } from '../../client/oauth-fetch.ts';
import { headerTrace, redactUrl } from '../../client/signature-trace.ts';
import { explainConnectionFailure } from './connection-failure.ts';
import { type CliContext, CliError } from './context.ts';

function requestHeaders(init: RequestInit | undefined): [string, string][] {
  const given = init?.headers;
  // Arrays keep the casing the signer wrote ("Authorization"); other shapes come back lower-cased.
  if (Array.isArray(given)) return given.map(([name, value]) => [String(name), String(value)]);
  const out: [string, string][] = [];
  new Headers(given).forEach((value, name) => {
    out.push([name, value]);
  });
  return out;
}

export function cliFetch(
  context: CliContext,
  options: { timeoutMs?: number | undefined } = {},
): FetchFunction {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    context.wire(`> ${method} ${redactUrl(url)}`);
    for (const line of headerTrace('>', requestHeaders(init))) context.wire(line);
    const deadline = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline,
      });
    } catch (error) {
      throw new CliError(
        `Cannot reach ${redactUrl(url)}: ${explainConnectionFailure(error, url, timeoutMs / 1000)}`,
      );
    }
    context.wire(`< ${response.status} ${response.statusText}`);
    const received: [string, string][] = [];
    response.headers.forEach((value, name) => {
      received.push([name, value]);
    });
    for (const line of headerTrace('<', received)) context.wire(line);
    return response;
  };
}

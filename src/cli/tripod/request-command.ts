// `tripod request` (twurl's default command) and `tripod sign` (twurl#1's "pretend mode"): build one
// request from curl/twurl-style flags, sign it with the selected credentials, then send it and print
// the response — or print the Authorization header / a curl command without sending anything. As in
// curl, -o FILE writes what would go to stdout into FILE; --format json replaces it with one JSON
// document (what -o json did before -o took curl's meaning).

import { explainProviderError, parseProviderError } from '../../client/errors.ts';
import { fixedNonceSource, systemNonceSource } from '../../client/nonce-and-timestamp.ts';
import { type RequestBody, type SignaturePlacement, signHttpRequest } from '../../client/sign-request.ts';
import { signatureTrace } from '../../client/signature-trace.ts';
import type { Parameter } from '../../core/encoding.ts';
import { isFormContentType } from '../../core/parameters.ts';
import { cliFetch } from './cli-fetch.ts';
import { openCommandOutput } from './command-output.ts';
import { type CliContext, CliError, ExitCode, exitCodeForStatus } from './context.ts';
import { type CredentialFlags, selectCredentials } from './credentials-selection.ts';
import { withLikelyScheme } from './site-url.ts';

export interface RequestFlags extends CredentialFlags {
  requestMethod?: string | undefined;
  data: string[];
  rawData?: string | undefined;
  json?: string | undefined;
  header: string[];
  host?: string | undefined;
  include?: boolean | undefined;
  authIn?: string | undefined;
  bodyHash?: boolean | undefined;
  oauthVersion?: boolean | undefined;
  timestampOffset?: string | undefined;
  nonce?: string | undefined;
  timestamp?: string | undefined;
  /** -o FILE: where stdout's output goes instead ("-" is stdout). */
  output?: string | undefined;
  format?: string | undefined;
  curl?: boolean | undefined;
  timeout?: string | undefined;
}

function parseHeader(value: string): [string, string] {
  const colon = value.indexOf(':');
  if (colon <= 0) {
    throw new CliError(
      `-H takes a header, "Name: value" (as in curl): got "${value}". Did you mean --host ${value}?`,
      ExitCode.usage,
    );
  }
  return [value.slice(0, colon).trim(), value.slice(colon + 1).trim()];
}

function resolveUrl(target: string, host: string | undefined, apiBase: string | undefined): string {
  if (/^https?:\/\//i.test(target)) return target;
  if (!target.startsWith('/')) {
    throw new CliError(
      `${target} is neither a full URL nor a path starting with "/"${target.includes('/') ? `: did you mean ${withLikelyScheme(target)}?` : '.'}`,
      ExitCode.usage,
    );
  }
  // twurl's -H/--host took a bare host and meant https; a bare loopback host means a local server (http).
  const base = host !== undefined ? (/^https?:\/\//i.test(host) ? host : withLikelyScheme(host)) : apiBase;
  if (base === undefined) throw new CliError('A path needs --host or a stored profile.', ExitCode.usage);
  return `${base.replace(/\/+$/, '')}${target}`;
}

function parsePlacement(value: string | undefined): SignaturePlacement {
  if (value === undefined || value === 'header') return 'header';
  if (value === 'query' || value === 'body') return value;
  throw new CliError(`--auth-in takes header, query or body, not ${value}.`, ExitCode.usage);
}

export function buildSignedRequest(context: CliContext, target: string, flags: RequestFlags) {
  const given = flags.header.map(parseHeader);
  const selected = selectCredentials(context, flags);
  const url = resolveUrl(target, flags.host, selected.apiBase);
  const headers: [string, string][] = [...selected.headers];
  for (const [name, v] of given) {
    const existing = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (existing !== -1) headers.splice(existing, 1);
    headers.push([name, v]);
  }
  const contentType = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  const bodies = [flags.data.length > 0, flags.rawData !== undefined, flags.json !== undefined].filter(
    Boolean,
  );
  if (bodies.length > 1) throw new CliError('Use one of -d, --raw-data and --json.', ExitCode.usage);

  let body: RequestBody | undefined;
  if (flags.json !== undefined) {
    try {
      JSON.parse(flags.json);
    } catch (error) {
      throw new CliError(`--json is not valid JSON: ${(error as Error).message}`, ExitCode.usage);
    }
    // Sent byte for byte as given, so what the body hash covers is what the user wrote.
    body = { raw: flags.json, contentType: contentType ?? 'application/json' };
  } else if (flags.rawData !== undefined) {
    body = { raw: flags.rawData, contentType: contentType ?? 'application/octet-stream' };
  } else if (flags.data.length > 0) {
    if (contentType !== undefined && !isFormContentType(contentType)) {
      // twurl: -d with a non-form Content-Type (e.g. JSON) is sent verbatim.
      body = { raw: flags.data.join('&'), contentType };
    } else {
      // Each -d is one name=value pair, split at the first "=" and taken literally: "&", "=" and "+"
      // inside a value stay in it (twurl #77, #157 mangled exactly those).
      const form: Parameter[] = flags.data.map((pair) => {
        const eq = pair.indexOf('=');
        return eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
      });
      body = { form };
    }
  }
  const method = (flags.requestMethod ?? (body !== undefined ? 'POST' : 'GET')).toUpperCase();
  const offset = flags.timestampOffset === undefined ? 0 : Number(flags.timestampOffset);
  if (!Number.isFinite(offset)) throw new CliError('--timestamp-offset takes seconds.', ExitCode.usage);
  const random = systemNonceSource({ timestampOffset: offset });
  const nonceSource =
    flags.nonce !== undefined || flags.timestamp !== undefined
      ? fixedNonceSource(
          flags.nonce ?? random.nonce(),
          flags.timestamp !== undefined ? Number(flags.timestamp) : random.timestamp(),
        )
      : random;
  let signed: ReturnType<typeof signHttpRequest>;
  try {
    signed = signHttpRequest(
      selected.credentials,
      { method, url, headers, body },
      {
        placement: parsePlacement(flags.authIn),
        bodyHash: flags.bodyHash === false ? 'never' : 'auto',
        version: flags.oauthVersion !== false,
        nonceSource,
      },
    );
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError((error as Error).message, ExitCode.usage);
  }
  if (context.debug) {
    context.trace(
      `credentials: ${selected.profile ? `profile ${selected.profile.name} on ${selected.profile.site}` : 'from the command line'}`,
    );
    for (const line of signatureTrace(selected.credentials, signed)) context.trace(line);
  }
  return { signed, selected };
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function outputFormat(flags: RequestFlags): 'json' | undefined {
  if (flags.format === undefined) return undefined;
  if (flags.format === 'json') return 'json';
  throw new CliError(`--format takes json, not ${flags.format}.`, ExitCode.usage);
}

export function runSign(context: CliContext, target: string, flags: RequestFlags): number {
  const format = outputFormat(flags);
  const { signed } = buildSignedRequest(context, target, flags);
  const out = openCommandOutput(context, flags.output);
  const print = (line: string) => out.write(`${line}\n`);
  try {
    if (format === 'json') {
      print(
        JSON.stringify({
          method: signed.method,
          url: signed.url,
          headers: Object.fromEntries(signed.headers),
          body: typeof signed.body === 'string' ? signed.body : undefined,
          baseString: signed.signed.baseString,
          oauthParams: Object.fromEntries(signed.signed.oauthParams),
        }),
      );
    } else if (flags.curl) {
      const parts = ['curl'];
      if (signed.method !== 'GET') parts.push('-X', signed.method);
      parts.push(shellQuote(signed.url));
      for (const [name, value] of signed.headers) parts.push('-H', shellQuote(`${name}: ${value}`));
      if (typeof signed.body === 'string') parts.push('--data-raw', shellQuote(signed.body));
      print(parts.join(' '));
    } else if (signed.placement === 'header') {
      print(`Authorization: ${signed.headers.find(([n]) => n === 'Authorization')![1]}`);
    } else if (signed.placement === 'query') {
      print(signed.url);
    } else {
      print(String(signed.body));
    }
  } catch (error) {
    out.close(false);
    throw error;
  }
  out.close(true);
  return ExitCode.ok;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 60_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CliError(`--timeout takes a number of seconds, not ${value}.`, ExitCode.usage);
  }
  return seconds * 1000;
}

export async function runRequest(context: CliContext, target: string, flags: RequestFlags): Promise<number> {
  const format = outputFormat(flags);
  const timeoutMs = parseTimeout(flags.timeout);
  const { signed } = buildSignedRequest(context, target, flags);
  const out = openCommandOutput(context, flags.output);
  let response: Response;
  let bytes: Uint8Array;
  try {
    response = await cliFetch(context, { timeoutMs })(signed.url, {
      method: signed.method,
      headers: signed.headers,
      body: signed.body as BodyInit | undefined,
      redirect: 'manual',
    });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    out.close(false);
    throw error;
  }
  const text = new TextDecoder().decode(bytes);

  if (format === 'json') {
    let parsedBody: unknown = text;
    try {
      parsedBody = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    out.write(
      `${JSON.stringify({ status: response.status, statusText: response.statusText, headers, body: parsedBody })}\n`,
    );
  } else {
    if (flags.include) {
      out.write(`HTTP/1.1 ${response.status} ${response.statusText}\n`);
      response.headers.forEach((value, name) => {
        out.write(`${name}: ${value}\n`);
      });
      out.write('\n');
    }
    out.write(bytes);
    if (out.isTTY && text.length > 0 && !text.endsWith('\n')) out.write('\n');
  }
  out.close(true);
  if (!response.ok && !(response.status >= 300 && response.status < 400)) {
    const details = parseProviderError({
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body: text,
      method: signed.method,
      url: signed.url,
    });
    context.note(`tripod: ${explainProviderError(details)}`);
    return exitCodeForStatus(response.status);
  }
  return ExitCode.ok;
}

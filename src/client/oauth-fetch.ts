// A fetch-compatible function that signs every request it sends (and every redirect it follows:
// a signature covers one URL, so a followed redirect is signed again with a fresh nonce, as
// requests-oauthlib's rebuild_auth does; redirects to another origin are returned, not followed,
// so credentials never sign requests for a host the caller did not name).

import { parseFormEncoded } from '../core/encoding.ts';
import { isFormContentType } from '../core/parameters.ts';
import type { SigningCredentials } from './credentials.ts';
import {
  type RequestBody,
  type SignedHttpRequest,
  type SignOptions,
  signHttpRequest,
} from './sign-request.ts';

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface OAuthFetchOptions extends SignOptions {
  /** The fetch to send with (default: globalThis.fetch). */
  fetch?: FetchFunction | undefined;
  /** Called with every signed request before it is sent (for --debug traces), with the credentials used. */
  onSigned?: ((request: SignedHttpRequest, credentials: SigningCredentials) => void) | undefined;
  maxRedirects?: number | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

async function requestBody(request: Request): Promise<RequestBody | undefined> {
  if (request.body === null) return undefined;
  const bytes = new Uint8Array(await request.arrayBuffer());
  const contentType = request.headers.get('content-type') ?? undefined;
  if (isFormContentType(contentType)) {
    try {
      return { form: parseFormEncoded(utf8.decode(bytes)) };
    } catch {
      // not a valid form after all: send it as it is, covered by the body hash
    }
  }
  return { raw: bytes, contentType: contentType ?? 'application/octet-stream' };
}

/** Returns a `fetch` that signs with `credentials`. */
export function createOAuthFetch(
  credentials: SigningCredentials,
  options: OAuthFetchOptions = {},
): FetchFunction {
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const maxRedirects = options.maxRedirects ?? 5;

  return async (input, init) => {
    const original = new Request(input, init);
    let method = original.method;
    let url = original.url;
    let body = await requestBody(original);
    const headers: [string, string][] = [];
    original.headers.forEach((value, name) => {
      // Request adds a content-type for string bodies; signHttpRequest sets its own.
      if (name !== 'authorization') headers.push([name, value]);
    });
    const multipart = original.headers.get('content-type')?.toLowerCase().startsWith('multipart/') ?? false;

    for (let hop = 0; ; hop++) {
      const signed = signHttpRequest(
        credentials,
        { method, url, headers, body },
        // A multipart body is neither signed nor hashed (RFC 5849 §3.4.1.3.1; oauthlib refuses to).
        multipart ? { ...options, bodyHash: 'never' } : options,
      );
      options.onSigned?.(signed, credentials);
      const response = await send(signed.url, {
        method: signed.method,
        headers: signed.headers,
        body: signed.body as BodyInit | undefined,
        redirect: 'manual',
        signal: original.signal,
      });
      if (original.redirect !== 'follow' || !REDIRECTS.has(response.status) || hop >= maxRedirects)
        return response;
      const location = response.headers.get('location');
      if (location === null) return response;
      const next = new URL(location, url);
      if (next.origin !== new URL(url).origin) return response;
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
      }
      url = next.href;
    }
  };
}

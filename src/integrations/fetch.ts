// `tripod/fetch`: verification for fetch-style handlers (a `Request` in; Hono, Bun, Deno, workers, srvx):
// the identity (user id, screen name, consumer key, access level — never a secret) and the headers to add
// to the answer, or a ready `Response` with Tripod's problem (status, WWW-Authenticate, JSON body). The
// body is read from a clone, so the handler can still read it.
//
// The URL signed is the request's own, unless a public URL is configured (behind a proxy that changes it)
// or `trustProxy` says that a proxy in front sets X-Forwarded-Proto and X-Forwarded-Host (fetch handlers
// do not see the peer's address, so trusting those headers is the deployment's decision).

import { bodyTooLarge } from '../core/problems.ts';
import type { RequiredAccess } from '../provider/types.ts';
import { type Identity, requiredAccessOf, type Verifier } from '../provider/verifier.ts';

export type { Identity } from '../provider/verifier.ts';
export { Verifier } from '../provider/verifier.ts';
export { OpenedVerifier, type OpenVerifierOptions, openVerifier } from './open-verifier.ts';

export interface FetchOAuthOptions {
  /** What the route needs; default by method (GET, HEAD, OPTIONS read; others write). */
  access?: RequiredAccess;
  /** Also accept requests signed by the consumer alone. Default false. */
  twoLegged?: boolean;
  /** Take scheme and host from X-Forwarded-Proto and X-Forwarded-Host (the last of each). Default false. */
  trustProxy?: boolean;
  /** Largest body read for verification, in bytes; default 1 MiB. */
  bodyLimit?: number;
}

export type FetchVerification =
  | { ok: true; identity: Identity; headers: Record<string, string> }
  | { ok: false; response: Response };

function lastOf(value: string | null): string | undefined {
  if (value === null) return undefined;
  return value.split(',').at(-1)?.trim();
}

/** Headers as the verifier reads them: lower-case names (as fetch gives them), repeated ones joined. */
function headersOf(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

/** The body's bytes (null when none), or null with `tooLarge` when it goes past the limit. */
async function readBody(
  request: Request,
  limit: number,
): Promise<{ body: Uint8Array | null; tooLarge: boolean }> {
  if (request.body === null) return { body: null, tooLarge: false };
  if (Number(request.headers.get('content-length') ?? 0) > limit) return { body: null, tooLarge: true };
  const reader = (request.clone().body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      // Not awaited: a tee branch's cancel settles only once the other branch (the handler's) is done too.
      reader.cancel().catch(() => {});
      return { body: null, tooLarge: true };
    }
    chunks.push(value);
  }
  return { body: length === 0 ? null : Buffer.concat(chunks), tooLarge: false };
}

/** Verifies a fetch `Request`: `if (!result.ok) return result.response`. */
export async function verifyFetchRequest(
  verifier: Verifier,
  request: Request,
  options: FetchOAuthOptions = {},
): Promise<FetchVerification> {
  const refuse = (answer: { status: number; headers: Record<string, string>; body: string }) => ({
    ok: false as const,
    response: new Response(answer.body, { status: answer.status, headers: answer.headers }),
  });
  const { body, tooLarge } = await readBody(request, options.bodyLimit ?? 1024 * 1024);
  if (tooLarge) return refuse(verifier.refusal(bodyTooLarge()));
  const url = new URL(request.url);
  const forwarded = options.trustProxy === true;
  const verification = await verifier.verify(
    {
      method: request.method,
      url: {
        scheme: (forwarded && lastOf(request.headers.get('x-forwarded-proto'))) || url.protocol.slice(0, -1),
        host: (forwarded && lastOf(request.headers.get('x-forwarded-host'))) || url.host,
        path: `${url.pathname}${url.search}`,
      },
      headers: headersOf(request),
      body,
    },
    { access: options.access ?? requiredAccessOf(request.method), twoLegged: options.twoLegged === true },
  );
  if (!verification.ok) return refuse(verification);
  return { ok: true, identity: verification.identity, headers: verification.headers };
}

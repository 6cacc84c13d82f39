// The loopback redirect of RFC 8252 §7.3, for OAuth 1.0a: listen on 127.0.0.1 on a free port, send
// http://127.0.0.1:PORT/callback as oauth_callback, and capture the oauth_verifier (or the denial) the
// provider's redirect brings back. The browser gets a small page saying it may be closed. Only the
// expected request token is accepted (a stale tab from an earlier attempt gets a 400 and the wait goes
// on), and the wait ends cleanly on timeout or abort: the server is closed in every case.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthorizationDeniedError, CallbackTimeoutError } from './errors.ts';

export interface LoopbackCallbackOptions {
  /** 0 (default) picks a free port. */
  port?: number | undefined;
  path?: string | undefined;
  /** How long waitForVerifier waits (default 300 000); Infinity: until `signal` aborts. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /**
   * The host written in the callback URL. "127.0.0.1" (default, RFC 8252 §7.3 prefers the literal);
   * "localhost" for providers that only allow http://localhost:* (NetSuite), in which case ::1 is
   * listened on too, since a browser may resolve localhost to either.
   */
  callbackHost?: '127.0.0.1' | 'localhost' | undefined;
}

export interface LoopbackCallback {
  /** The oauth_callback to send with the request-token request. */
  callbackUrl: string;
  /**
   * Resolves with the verifier once the browser comes back with `oauthToken`; rejects with
   * AuthorizationDeniedError on a denial, CallbackTimeoutError on timeout. Closes the server either way.
   * `timeoutMs` here overrides the listener's (known only once the request token is, e.g. its lifetime).
   */
  waitForVerifier(
    oauthToken: string,
    options?: { timeoutMs?: number | undefined },
  ): Promise<{ oauthToken: string; oauthVerifier: string }>;
  close(): Promise<void>;
}

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto"><h1>${title}</h1><p>${text}</p></body></html>`;
}

function answer(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    connection: 'close',
  });
  res.end(page(title, text));
}

export async function startLoopbackCallback(
  options: LoopbackCallbackOptions = {},
): Promise<LoopbackCallback> {
  const path = options.path ?? '/callback';
  const timeoutMs = options.timeoutMs ?? 300_000;
  let expected: string | undefined;
  let settle: ((outcome: { oauthToken: string; oauthVerifier: string } | Error) => void) | undefined;
  const early: URL[] = [];

  const handle = (res: ServerResponse, url: URL) => {
    const token = url.searchParams.get('oauth_token') ?? url.searchParams.get('denied') ?? undefined;
    if (expected !== undefined && token !== expected) {
      answer(
        res,
        400,
        'Not this authorization',
        'This link belongs to another authorization attempt. Go back to the terminal.',
      );
      return;
    }
    const verifier = url.searchParams.get('oauth_verifier');
    if (
      url.searchParams.has('denied') ||
      url.searchParams.get('error') === 'access_denied' ||
      verifier === null
    ) {
      answer(res, 200, 'Authorization denied', 'You denied access. You may close this window.');
      settle?.(new AuthorizationDeniedError(token));
      return;
    }
    answer(res, 200, 'Authorization complete', 'You may close this window and return to the terminal.');
    settle?.({ oauthToken: token ?? '', oauthVerifier: verifier });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== path) {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
        .end('Not found\n');
      return;
    }
    if (settle === undefined) {
      // The browser beat waitForVerifier(): keep the redirect and answer once we know the token.
      early.push(url);
      answer(res, 200, 'Authorization received', 'You may close this window and return to the terminal.');
      return;
    }
    handle(res, url);
  };
  const listen = (server: Server, port: number, host: string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  const servers = [createServer(onRequest)];
  await listen(servers[0]!, options.port ?? 0, '127.0.0.1');
  const { port } = servers[0]!.address() as AddressInfo;
  const callbackHost = options.callbackHost ?? '127.0.0.1';
  if (callbackHost === 'localhost') {
    const v6 = createServer(onRequest);
    // Best effort: a machine without IPv6 loopback still has 127.0.0.1.
    if (
      await listen(v6, port, '::1').then(
        () => true,
        () => false,
      )
    )
      servers.push(v6);
  }
  const close = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    ).then(() => undefined);

  return {
    callbackUrl: `http://${callbackHost}:${port}${path}`,
    close,
    waitForVerifier(oauthToken, waitOptions = {}) {
      expected = oauthToken;
      const limitMs = waitOptions.timeoutMs ?? timeoutMs;
      return new Promise((resolve, reject) => {
        // An infinite limit waits until the signal aborts (setTimeout would read Infinity as 1 ms).
        const timer = Number.isFinite(limitMs)
          ? setTimeout(() => finish(new CallbackTimeoutError(limitMs)), limitMs)
          : undefined;
        const onAbort = () => finish(new Error('The wait for the loopback callback was aborted.'));
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const finish = (outcome: { oauthToken: string; oauthVerifier: string } | Error) => {
          settle = () => {};
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          void close().then(() => (outcome instanceof Error ? reject(outcome) : resolve(outcome)));
        };
        settle = finish;
        for (const url of early.splice(0)) {
          const token = url.searchParams.get('oauth_token') ?? url.searchParams.get('denied');
          if (token !== oauthToken) continue;
          const verifier = url.searchParams.get('oauth_verifier');
          if (
            url.searchParams.has('denied') ||
            url.searchParams.get('error') === 'access_denied' ||
            verifier === null
          )
            finish(new AuthorizationDeniedError(token ?? undefined));
          else finish({ oauthToken: token, oauthVerifier: verifier });
          return;
        }
      });
    },
  };
}

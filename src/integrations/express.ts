// `tripod/express`: middleware for Express 5 (a peer dependency) that verifies Tripod-signed requests and
// sets `req.oauth` (user id, screen name, consumer key, access level — never a secret), or answers with
// Tripod's problem (status, WWW-Authenticate, JSON body).
//
// The signature covers a form body's parameters (and oauth_body_hash any other body), so the middleware
// needs the body's bytes. Body parsers read the request stream once; pass `verify: keepRawBody` to each
// of them (express.urlencoded, json, text, raw) so the bytes are kept beside what they parse, and mount
// them before `oauth()`. A body no parser read is read by `oauth()` itself (req.body is left as it was).
// A body some parser read without keepRawBody cannot be verified: that is a mistake in the app, reported
// to its error handler with the sentence to fix it.

import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { RequiredAccess } from '../provider/types.ts';
import { type Identity, requiredAccessOf, type Verifier } from '../provider/verifier.ts';

export type { Identity } from '../provider/verifier.ts';
export { Verifier } from '../provider/verifier.ts';
export { OpenedVerifier, type OpenVerifierOptions, openVerifier } from './open-verifier.ts';

declare global {
  namespace Express {
    interface Request {
      /** Who signed the request, once `oauth()` verified it. */
      oauth?: Identity;
      /** The body's bytes as received, kept by `keepRawBody` or by `oauth()`. */
      rawBody?: Buffer;
    }
  }
}

export interface ExpressOAuthOptions {
  /** What the route needs; default by method (GET, HEAD, OPTIONS read; others write). */
  access?: RequiredAccess;
  /** Also accept requests signed by the consumer alone. Default false. */
  twoLegged?: boolean;
  /** Largest body `oauth()` reads itself (bytes or a size such as '1mb'); default 1 MiB. */
  bodyLimit?: number | string;
}

/** The `verify` option of Express's body parsers: keeps the bytes they read at `req.rawBody`. */
export function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as Request).rawBody = buffer;
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
}

const BODY_ALREADY_READ =
  'tripod/express: a body parser read this request body before oauth() without keeping it, so its signature cannot be checked. Pass { verify: keepRawBody } (from tripod/express) to express.urlencoded(), express.json(), express.text() and express.raw().';

/** Middleware verifying the request, e.g. `app.post('/echo', oauth(verifier, { access: 'write' }), handler)`. */
export function oauth(verifier: Verifier, options: ExpressOAuthOptions = {}): RequestHandler {
  const readBody = express.raw({
    type: () => true,
    limit: options.bodyLimit ?? 1024 * 1024,
    verify: keepRawBody,
  });

  const verify = async (req: Request, res: Response, next: NextFunction) => {
    const verification = await verifier.verify(
      {
        method: req.method,
        url: { scheme: req.protocol, host: req.host, path: req.originalUrl },
        headers: req.headers,
        body: req.rawBody ?? null,
      },
      { access: options.access ?? requiredAccessOf(req.method), twoLegged: options.twoLegged === true },
    );
    if (!verification.ok) {
      res.status(verification.status).set(verification.headers).send(verification.body);
      return;
    }
    res.set(verification.headers);
    req.oauth = verification.identity;
    next();
  };

  return (req, res, next) => {
    const run = () => verify(req, res, next).catch(next);
    if (req.rawBody !== undefined || !hasBody(req)) return void run();
    const parsed: unknown = req.body;
    readBody(req, res, (error?: unknown) => {
      if (error) return next(error);
      req.body = parsed;
      if (req.rawBody === undefined) return next(new Error(BODY_ALREADY_READ));
      void run();
    });
  };
}

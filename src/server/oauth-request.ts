// From a Fastify request to the provider's OAuthRequest. The URL handed to the provider is the PUBLIC URL
// the client signed (RFC 5849 §3.4.1.2): the configured public URL plus the request's path and query, or,
// with none configured, the scheme and Host as Fastify reports them — a trusted proxy's X-Forwarded-Proto
// and X-Forwarded-Host included, as the trust-proxy setting decides (provider/public-url.ts).

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { publicRequestUrl as composePublicUrl, type ReceivedUrl } from '../provider/public-url.ts';
import type { OAuthRequest } from '../provider/types.ts';
import type { ServerConfig } from './config.ts';

/** The URL a Fastify request arrived at, as Fastify sees it (trusted proxies' headers included). */
export function receivedUrl(request: FastifyRequest): ReceivedUrl {
  return { scheme: request.protocol, host: request.host, path: request.url };
}

/** The public URL of this request, query included. Throws parameter_rejected (400) for a bad Host. */
export function publicRequestUrl(request: FastifyRequest, config: ServerConfig): string {
  return composePublicUrl(config.publicUrl, receivedUrl(request));
}

/**
 * The base of links in pages: the public URL's path prefix (pages are served below it), without a trailing
 * slash — a URL object cannot drop the `/` of an origin-only URL such as https://tripod.example.
 */
export function publicBasePath(config: ServerConfig): string {
  return config.publicUrl ? config.publicUrl.pathname.replace(/\/+$/, '') : '';
}

/** The raw body as the provider takes it: form bodies as text, others as bytes, none as null. */
export function rawBodyOf(request: FastifyRequest): string | Uint8Array | null {
  const body = request.body;
  return typeof body === 'string' || body instanceof Uint8Array ? body : null;
}

export function toOAuthRequest(request: FastifyRequest, config: ServerConfig): OAuthRequest {
  return {
    method: request.method,
    url: publicRequestUrl(request, config),
    headers: request.headers,
    body: rawBodyOf(request),
  };
}

/**
 * Every body of this (encapsulated) context read as raw bytes, whatever its content type: the provider
 * reads form parameters from them and checks oauth_body_hash over them, and the proxy forwards them as
 * they came.
 */
export function acceptRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

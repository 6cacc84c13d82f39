// From a Fastify request to the provider's OAuthRequest. The URL handed to the provider is the PUBLIC URL
// the client signed (RFC 5849 §3.4.1.2): the configured public URL plus the request's path and query, or,
// with none configured, this listener's scheme plus the Host header the client sent.

import type { FastifyRequest } from 'fastify';
import { parameterRejected } from '../core/problems.ts';
import type { OAuthRequest } from '../provider/types.ts';
import type { ServerConfig } from './config.ts';

// Host header: a DNS name, IPv4 or bracketed IPv6 literal, optional port. Anything else is refused rather
// than pasted into a URL.
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The public URL of this request, query included. Throws parameter_rejected (400) for a bad Host. */
export function publicRequestUrl(request: FastifyRequest, config: ServerConfig): string {
  const path = request.url.startsWith('/') ? request.url : `/${request.url}`;
  if (config.publicUrl) return `${config.publicUrl.origin}${publicBasePath(config)}${path}`;
  const host = request.headers.host;
  if (typeof host !== 'string' || !HOST_HEADER.test(host)) {
    throw parameterRejected([], 'The request has no valid Host header, so its URL cannot be verified.');
  }
  return `${config.tls ? 'https' : 'http'}://${host}${path}`;
}

/**
 * The base of links in pages: the public URL's path prefix (pages are served below it), without a trailing
 * slash — a URL object cannot drop the `/` of an origin-only URL such as https://tripod.example.
 */
export function publicBasePath(config: ServerConfig): string {
  return config.publicUrl ? config.publicUrl.pathname.replace(/\/+$/, '') : '';
}

export function toOAuthRequest(request: FastifyRequest, config: ServerConfig): OAuthRequest {
  const body = request.body;
  return {
    method: request.method,
    url: publicRequestUrl(request, config),
    headers: request.headers,
    body: typeof body === 'string' || body instanceof Uint8Array ? body : null,
  };
}

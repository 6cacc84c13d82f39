// The URL a client signed (RFC 5849 §3.4.1.2: scheme, host, port, path and query as the client sent them
// to the server it believes it talks to). Behind a proxy the server cannot see that URL itself: it is
// either configured (the public URL, whose path prefix a proxy may strip) or taken from the request's
// scheme and Host as the HTTP framework reports them, which is where a trusted proxy's X-Forwarded-Proto
// and X-Forwarded-Host come in (the framework decides whom to trust). Everything that verifies a signed
// request (Tripod's endpoints, the middleware, the proxy, /oauth/verify) builds it here.

import { parameterRejected } from '../core/problems.ts';

/** A request's URL as the server received it: the scheme and Host the framework reports, path and query. */
export interface ReceivedUrl {
  /** `http` or `https` (a trusted proxy's X-Forwarded-Proto where the framework honours it). */
  scheme: string;
  /** The Host header (or a trusted proxy's X-Forwarded-Host), port included. */
  host: string | undefined;
  /** Path and query exactly as requested, e.g. `/1.1/statuses/update.json?include_entities=1`. */
  path: string;
}

// Host header: a DNS name, IPv4 or bracketed IPv6 literal, optional port. Anything else is refused rather
// than pasted into a URL.
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The public URL of a request, query included: `publicUrl` (origin and path prefix) plus the path, or,
 * with none configured, the received scheme and host. Throws parameter_rejected (400) for a bad Host or
 * scheme, so that nothing a client sends is pasted into a URL unchecked.
 */
export function publicRequestUrl(publicUrl: URL | null, received: ReceivedUrl): string {
  const path = received.path.startsWith('/') ? received.path : `/${received.path}`;
  if (publicUrl) return `${publicUrl.origin}${publicUrl.pathname.replace(/\/+$/, '')}${path}`;
  const { scheme, host } = received;
  if (scheme !== 'http' && scheme !== 'https') {
    throw parameterRejected(
      [],
      'The request came through a proxy that named no usable scheme (http or https).',
    );
  }
  if (typeof host !== 'string' || !HOST_HEADER.test(host)) {
    throw parameterRejected([], 'The request has no valid Host header, so its URL cannot be verified.');
  }
  return `${scheme}://${host}${path}`;
}

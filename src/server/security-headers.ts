// Security headers, computed once at start. Pages (HTML) get helmet's full set with Tripod's CSP; every
// other answer (protocol, API, static files, redirects) gets what a JSON API needs by OWASP's REST
// guidance: nosniff, a CSP that forbids everything and any framing, and HSTS on public HTTPS. The values
// never change per request, so none is rebuilt per request: @fastify/helmet ran helmet's whole middleware
// chain (re-parsing the CSP directives) on every answer, ≈ 5 % of a verified request.

import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

const PAGE_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  // One same-origin script file (static/portal.js: copy buttons, the PIN's countdown, the live mode
  // statement); never inline script or eval. No form-action: browsers apply it to the redirect that
  // follows the consent form, which goes to the app's callback.
  scriptSrc: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

const HSTS = 'max-age=31536000; includeSubDomains';

/** The headers helmet's middleware sets with these options, read once from a response that records them. */
function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

export interface SecurityHeaders {
  /** For an HTML page. */
  page: Readonly<Record<string, string>>;
  /** For every other answer. */
  other: Readonly<Record<string, string>>;
}

/** `https`: the public URL is https (HSTS is sent only then). */
export function securityHeaders(https: boolean): SecurityHeaders {
  const page = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  const other: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
  if (https) other['strict-transport-security'] = HSTS;
  return { page: Object.freeze(page), other: Object.freeze(other) };
}

// Turns fetch's "fetch failed" into a sentence a person can act on: what could not be reached (the host
// and port they typed) and why — nothing listening, a host name that does not resolve, TLS spoken to a
// plain-HTTP port, an untrusted certificate, no answer in time. undici keeps the reason in `cause`
// (a Node system error with `code`, or an OpenSSL error), sometimes nested once more.

interface Cause {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
}

function rootCause(error: unknown): Cause {
  let current = error as Cause;
  for (let depth = 0; depth < 4 && current?.cause !== undefined && current.cause !== null; depth++) {
    current = current.cause as Cause;
  }
  return current ?? {};
}

function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

/** Why `url` could not be reached, in one sentence (without the URL itself). */
export function explainConnectionFailure(
  error: unknown,
  target: string | URL,
  timeoutSeconds?: number,
): string {
  const url = new URL(target);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const where = `${url.hostname}:${port}`;
  if ((error as Cause)?.name === 'TimeoutError') {
    return `no answer from ${where} within ${timeoutSeconds ?? '?'} s (--timeout sets the limit)`;
  }
  const cause = rootCause(error);
  const code = cause.code ?? '';
  const detail = cause.message ?? String(error);
  if (code === 'ECONNREFUSED') {
    return isLoopback(url)
      ? `nothing is listening on ${where} (ECONNREFUSED) — is tripod-server running, on this port? It prints the URL it listens on; \`tripod-server serve --port N\` picks the port`
      : `${where} refused the connection (ECONNREFUSED) — is the port right, and is the server up?`;
  }
  if (code === 'ENOTFOUND') {
    return `the host name ${url.hostname} does not resolve (ENOTFOUND) — check its spelling`;
  }
  if (code === 'EAI_AGAIN') {
    return `the host name ${url.hostname} could not be looked up (EAI_AGAIN) — is this machine online, with DNS?`;
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `${where} did not accept a connection in time (${code}) — a firewall, or the wrong address?`;
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return `there is no route to ${where} (${code}) — check the address and the network`;
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return `${where} closed the connection before answering (${code})${url.protocol === 'http:' ? ' — does it want https://?' : ''}`;
  }
  if (code.startsWith('ERR_SSL_') && url.protocol === 'https:') {
    return `the TLS handshake with ${where} failed (${code}) — it seems to speak plain HTTP: try http://${url.host}`;
  }
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    // Node's own text goes on to suggest --use-system-ca; both ways of trusting a CA are said once, here.
    return `the TLS certificate of ${where} is not trusted: ${detail.split(';')[0]} (${code}) — if it comes from your own CA, point NODE_EXTRA_CA_CERTS at the CA's PEM file, or run with NODE_OPTIONS=--use-system-ca if the CA is in the system's store`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the TLS certificate of ${where} is not valid for it: ${detail} (${code})`;
  }
  if (detail === 'bad port') {
    return `fetch refuses port ${port} (one of the ports the Fetch standard blocks): use another port`;
  }
  return code === '' ? detail : `${detail} (${code})`;
}

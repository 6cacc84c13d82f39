// Whether the peer at the other end of a connection is a proxy the operator trusts, by the same rule
// Fastify applies to X-Forwarded-* for the `trustProxy` option (true: every peer; a list of addresses or
// ranges: those; a hop count: no immediate peer can be vouched for). Needed where Fastify's own decision
// is not reachable yet: the request id is chosen before the request object exists.

import proxyAddr from '@fastify/proxy-addr';
import type { FastifyServerOptions } from 'fastify';

// Fastify accepts a hop count too, though its types leave it out.
export type TrustProxy = FastifyServerOptions['trustProxy'] | number;

export function trustsPeer(trustProxy: TrustProxy): (address: string | undefined) => boolean {
  if (trustProxy === true) return (address) => address !== undefined;
  if (!trustProxy || typeof trustProxy === 'number') return () => false;
  if (typeof trustProxy === 'function') return (address) => address !== undefined && trustProxy(address, 0);
  const trusted = proxyAddr.compile(
    typeof trustProxy === 'string' ? trustProxy.split(',').map((entry) => entry.trim()) : trustProxy,
  );
  return (address) => address !== undefined && trusted(address, 0);
}

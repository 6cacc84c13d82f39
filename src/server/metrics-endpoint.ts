// Where Prometheus scrapes: GET /metrics on the main port, or, when the operator gives --metrics-port, on
// a listener of its own (and then not on the main port), which a firewall can keep to the monitoring
// network. The separate listener is a bare node:http server: it serves one path to one kind of client.

import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { TripodMetrics } from './metrics.ts';
import { createServer } from './node-http.ts';

export const METRICS_PATH = '/metrics';

export function metricsRoute(app: FastifyInstance, metrics: TripodMetrics): void {
  // Scraped every few seconds: not worth a log line each time.
  app.get(METRICS_PATH, { logLevel: 'warn' }, async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.exposition()),
  );
}

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

export async function listenForMetrics(
  metrics: TripodMetrics,
  where: { host: string; port: number },
): Promise<MetricsListener> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`Only GET ${METRICS_PATH} is served on this port.\n`);
      return;
    }
    metrics.exposition().then(
      (text) => {
        response.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`Metrics could not be collected: ${(error as Error).message}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${METRICS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

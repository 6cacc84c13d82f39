// The Prometheus metrics of one server (prom-client): requests by endpoint and status, oauth_problem
// counts, how long people take from request_token to access_token (oob or callback), store latency by
// operation and outages by service, the nonce store's size, and the process's own metrics.
//
// Each app has its own registry (tests build many apps in one process); the process metrics are about the
// process, so they are collected once into a registry every app's exposition shares. What every request
// touches (its route's counters, the store calls' timings) is bound to its labels once (bound-metrics.ts):
// a request costs two Map lookups and a few additions, and no label is hashed or built per request.

import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  prometheusContentType,
  Registry,
} from 'prom-client';
import type { ProviderEvent } from '../provider/index.ts';
import { StoreUnavailableError } from '../stores/errors.ts';
import { BoundCounter, BoundHistogram } from './bound-metrics.ts';
import { withTimeLimit } from './time-limit.ts';

/** The endpoint label of requests no route matched (their paths would make the label unbounded). */
export const UNMATCHED_ENDPOINT = 'unmatched';

// HTTP answers take milliseconds; a password check or a stalled store takes up to seconds.
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// One statement or Redis command: sub-millisecond on a local service, seconds when it times out.
const STORE_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
// A person reading a page, signing in and typing a PIN: seconds to the request token's 15 minutes.
const FLOW_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900];
const FLOW_MODES = new Set(['oob', 'callback']);
const ISSUE_ROUTES = new Set(['verifier', 'xauth']);
// A scrape must not hang on a store that stopped answering.
const NONCE_COUNT_TIMEOUT_MS = 1000;

let processRegistry: Registry | null = null;

function processMetrics(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface TripodMetricsOptions {
  /** Live nonces (counted when scraped). */
  nonceStoreSize(): Promise<number>;
}

/** Records one answer of a route: its method, status and time taken (ms; null: not measured). */
export type EndpointRecorder = (method: string, status: number, elapsedMs: number | null) => void;

/** Records one store call that started at `startedMs` (performance.now()), with its error if it failed. */
export type StoreOperationRecorder = (startedMs: number, error?: unknown) => void;

export class TripodMetrics {
  readonly contentType = prometheusContentType;
  readonly #registry = new Registry();
  readonly #requests: BoundCounter<'endpoint' | 'method' | 'status'>;
  readonly #requestSeconds: BoundHistogram<'endpoint' | 'method'>;
  readonly #problems: BoundCounter<'endpoint' | 'problem'>;
  readonly #problemCounters = new Map<string, Map<string, () => void>>();
  readonly #requestTokens: Counter<'mode'>;
  readonly #accessTokens: Counter<'via'>;
  readonly #flowSeconds: Histogram<'mode'>;
  readonly #storeSeconds: BoundHistogram<'operation'>;
  readonly #storeUnavailable: Counter<'service'>;
  readonly #logLinesDropped: Counter;

  constructor(options: TripodMetricsOptions) {
    const registers = [this.#registry];
    const registry = this.#registry;
    this.#requests = new BoundCounter({
      name: 'tripod_http_requests_total',
      help: 'HTTP requests answered, by route, method and status.',
      registry,
    });
    this.#requestSeconds = new BoundHistogram({
      name: 'tripod_http_request_duration_seconds',
      help: 'Time from receiving a request to the end of its answer, by route and method.',
      buckets: REQUEST_BUCKETS,
      registry,
    });
    this.#problems = new BoundCounter({
      name: 'tripod_oauth_problems_total',
      help: 'Requests refused, by route and oauth_problem (Problem Reporting extension).',
      registry,
    });
    this.#requestTokens = new Counter({
      name: 'tripod_request_tokens_issued_total',
      help: 'Request tokens issued, by mode (oob: PIN; callback: redirect).',
      labelNames: ['mode'],
      registers,
    });
    this.#accessTokens = new Counter({
      name: 'tripod_access_tokens_issued_total',
      help: 'Access tokens issued, by how (verifier: the three-legged flow; xauth).',
      labelNames: ['via'],
      registers,
    });
    this.#flowSeconds = new Histogram({
      name: 'tripod_flow_duration_seconds',
      help: 'Time from request_token issued to access_token exchanged, by mode (oob or callback).',
      labelNames: ['mode'],
      buckets: FLOW_BUCKETS,
      registers,
    });
    this.#storeSeconds = new BoundHistogram({
      name: 'tripod_store_operation_duration_seconds',
      help: 'Time taken by store calls below the verification cache, by operation (store.method), failures included.',
      buckets: STORE_BUCKETS,
      registry,
    });
    this.#storeUnavailable = new Counter({
      name: 'tripod_store_unavailable_total',
      help: 'Store calls that failed because PostgreSQL or Redis could not be reached, by service.',
      labelNames: ['service'],
      registers,
    });
    this.#logLinesDropped = new Counter({
      name: 'tripod_log_lines_dropped_total',
      help: 'Log lines dropped because stderr was not read fast enough (more than 16 MB of lines waiting).',
      registers,
    });
    new Gauge({
      name: 'tripod_nonce_store_size',
      help: 'Nonces kept (claimed within the timestamp window), counted when scraped.',
      registers,
      async collect() {
        // A store that is down keeps the last count; its outage shows in tripod_store_unavailable_total.
        try {
          this.set(await withTimeLimit(options.nonceStoreSize(), NONCE_COUNT_TIMEOUT_MS));
        } catch {}
      },
    });
  }

  /** A recorder for one route, its cells bound on first use of each method and status, and kept. */
  endpoint(url: string): EndpointRecorder {
    const byMethod = new Map<
      string,
      { seconds: (value: number) => void; byStatus: Map<number, () => void> }
    >();
    return (method, status, elapsedMs) => {
      let forMethod = byMethod.get(method);
      if (forMethod === undefined) {
        forMethod = { seconds: this.#requestSeconds.bind({ endpoint: url, method }), byStatus: new Map() };
        byMethod.set(method, forMethod);
      }
      let count = forMethod.byStatus.get(status);
      if (count === undefined) {
        count = this.#requests.bind({ endpoint: url, method, status: String(status) });
        forMethod.byStatus.set(status, count);
      }
      count();
      if (elapsedMs !== null) forMethod.seconds(elapsedMs / 1000);
    };
  }

  problem(endpoint: string, problem: string): void {
    // The counter bound to its labels once per pair (endpoints and problems are both few), as the request
    // counters are: prom-client's own labelled counter hashed the labels again on every refused request,
    // even bound (0.7 % of a refused request's time under load).
    let byProblem = this.#problemCounters.get(endpoint);
    if (byProblem === undefined) {
      byProblem = new Map();
      this.#problemCounters.set(endpoint, byProblem);
    }
    let count = byProblem.get(problem);
    if (count === undefined) {
      count = this.#problems.bind({ endpoint, problem });
      byProblem.set(problem, count);
    }
    count();
  }

  storeOperation(operation: string): StoreOperationRecorder {
    const seconds = this.#storeSeconds.bind({ operation });
    return (startedMs, error) => {
      seconds((performance.now() - startedMs) / 1000);
      if (error instanceof StoreUnavailableError) this.#storeUnavailable.labels(error.service).inc();
    };
  }

  /** Log lines the server's destination dropped (logger-options.ts, `logDestination`). */
  logLinesDropped(lines: number): void {
    this.#logLinesDropped.inc(lines);
  }

  /** The provider's events that are metrics too: tokens issued, and how long the flow took. */
  providerEvent(event: ProviderEvent): void {
    if (event.event === 'request_token.issued' && FLOW_MODES.has(event.callbackMode as string)) {
      this.#requestTokens.labels(event.callbackMode as string).inc();
    } else if (event.event === 'access_token.issued' && ISSUE_ROUTES.has(event.via as string)) {
      this.#accessTokens.labels(event.via as string).inc();
      if (FLOW_MODES.has(event.callbackMode as string) && typeof event.flowMs === 'number') {
        this.#flowSeconds.labels(event.callbackMode as string).observe(event.flowMs / 1000);
      }
    }
  }

  /** The text Prometheus scrapes: the process's metrics, then this server's. */
  async exposition(): Promise<string> {
    const [process, server] = await Promise.all([processMetrics().metrics(), this.#registry.metrics()]);
    return `${process}${server}`;
  }
}

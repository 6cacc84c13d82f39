// Counters and histograms for the request path, whose label values are known when a route or a store is
// set up. prom-client's labelled metrics validate and hash the label values on every observation (about a
// microsecond each, five times per signed request); here each label set is bound once to a cell, and an
// observation is an addition (and a bucket search). prom-client still collects and formats them: they are
// custom metrics of its registry (`registerMetric`, read through `get()`), exposed beside its own.

import type { Metric, Registry } from 'prom-client';

type Labels<L extends string> = Readonly<Record<L, string>>;

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

abstract class BoundMetric<L extends string, Cell> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  abstract readonly type: 'counter' | 'histogram';
  protected readonly cells = new Map<string, { labels: Labels<L>; cell: Cell }>();

  constructor(options: { name: string; help: string; registry: Registry }) {
    this.name = options.name;
    this.help = options.help;
    options.registry.registerMetric(this as unknown as Metric<string>);
  }

  /** The same cell for the same labels, however often it is bound. */
  protected cellOf(labels: Labels<L>, create: () => Cell): Cell {
    const key = JSON.stringify(labels);
    let entry = this.cells.get(key);
    if (entry === undefined) {
      entry = { labels, cell: create() };
      this.cells.set(key, entry);
    }
    return entry.cell;
  }

  protected abstract values(): MetricValue[];

  /** What prom-client's registry reads to format the metric. */
  async get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.values(),
    };
  }

  reset(): void {
    this.cells.clear();
  }
}

export class BoundCounter<L extends string> extends BoundMetric<L, { value: number }> {
  readonly type = 'counter';

  /** Returns the function that counts one for these labels. */
  bind(labels: Labels<L>): () => void {
    const cell = this.cellOf(labels, () => ({ value: 0 }));
    return () => {
      cell.value++;
    };
  }

  protected values(): MetricValue[] {
    return [...this.cells.values()].map(({ labels, cell }) => ({ labels: { ...labels }, value: cell.value }));
  }
}

interface HistogramCell {
  /** Observations per bucket (not cumulative); the last counts those above every bound. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

export class BoundHistogram<L extends string> extends BoundMetric<L, HistogramCell> {
  readonly type = 'histogram';
  readonly #bounds: readonly number[];

  constructor(options: { name: string; help: string; registry: Registry; buckets: readonly number[] }) {
    super(options);
    this.#bounds = [...options.buckets].sort((a, b) => a - b);
  }

  /** Returns the function that observes a value for these labels. */
  bind(labels: Labels<L>): (value: number) => void {
    const bounds = this.#bounds;
    const cell = this.cellOf(labels, () => ({
      buckets: new Float64Array(bounds.length + 1),
      sum: 0,
      count: 0,
    }));
    return (value) => {
      let bucket = 0;
      while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
      cell.buckets[bucket]!++;
      cell.sum += value;
      cell.count++;
    };
  }

  protected values(): MetricValue[] {
    const values: MetricValue[] = [];
    for (const { labels, cell } of this.cells.values()) {
      let cumulative = 0;
      this.#bounds.forEach((bound, i) => {
        cumulative += cell.buckets[i]!;
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { le: bound, ...labels },
          value: cumulative,
        });
      });
      values.push({
        metricName: `${this.name}_bucket`,
        labels: { le: '+Inf', ...labels },
        value: cell.count,
      });
      values.push({ metricName: `${this.name}_sum`, labels: { ...labels }, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...labels }, value: cell.count });
    }
    return values;
  }
}

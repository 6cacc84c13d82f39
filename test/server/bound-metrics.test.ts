// The request path's bound counters and histograms (src/server/bound-metrics.ts): what prom-client's
// registry formats from them — cumulative buckets, sum and count per label set, one cell however often a
// label set is bound.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { BoundCounter, BoundHistogram } from '../../src/server/bound-metrics.ts';
import { sample } from './fixtures/prometheus-text.ts';

describe('bound metrics', () => {
  test('a histogram keeps cumulative buckets, the sum and the count of each label set', async () => {
    const registry = new Registry();
    const histogram = new BoundHistogram<'route'>({
      name: 'test_seconds',
      help: 'test',
      registry,
      buckets: [0.1, 0.01, 1],
    });
    const fast = histogram.bind({ route: 'fast' });
    const again = histogram.bind({ route: 'fast' });
    const slow = histogram.bind({ route: 'slow' });
    for (const value of [0.005, 0.05, 0.5, 5]) fast(value);
    again(0.25);
    slow(2.5);
    const text = await registry.metrics();
    const at = (name: string, labels: Record<string, string>) => sample(text, name, labels);
    assert.equal(at('test_seconds_bucket', { route: 'fast', le: '0.01' }), 1);
    assert.equal(at('test_seconds_bucket', { route: 'fast', le: '0.1' }), 2);
    assert.equal(at('test_seconds_bucket', { route: 'fast', le: '1' }), 4, 'one cell for both bindings');
    assert.equal(at('test_seconds_bucket', { route: 'fast', le: '+Inf' }), 5);
    assert.equal(at('test_seconds_count', { route: 'fast' }), 5);
    assert.ok(Math.abs(at('test_seconds_sum', { route: 'fast' }) - 5.805) < 1e-9);
    assert.equal(at('test_seconds_count', { route: 'slow' }), 1);
    assert.equal(at('test_seconds_sum', { route: 'slow' }), 2.5);
    assert.equal(at('test_seconds_bucket', { route: 'slow', le: '1' }), 0);
  });

  test('a counter counts per label set, and reset empties it', async () => {
    const registry = new Registry();
    const counter = new BoundCounter<'status'>({ name: 'test_total', help: 'test', registry });
    const ok = counter.bind({ status: '200' });
    ok();
    ok();
    counter.bind({ status: '200' })();
    counter.bind({ status: '401' })();
    let text = await registry.metrics();
    assert.equal(sample(text, 'test_total', { status: '200' }), 3);
    assert.equal(sample(text, 'test_total', { status: '401' }), 1);
    counter.reset();
    text = await registry.metrics();
    assert.equal(sample(text, 'test_total', { status: '200' }), 0);
  });
});

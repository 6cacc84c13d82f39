// What a server publishes at /metrics (Prometheus' text format: Tripod's own metrics and the default Node
// ones), read from outside the process so that nothing of the reader's own counts: npm run bench prints
// V8's heap spaces after its load; the soak (soak.ts) follows the heap and the nonces kept through a
// million requests.

/** The text of `base`/metrics, or undefined for a server that does not publish it. */
export async function scrapeMetrics(base: string): Promise<string | undefined> {
  const response = await fetch(`${base}/metrics`).catch(() => null);
  return response?.ok ? response.text() : undefined;
}

/** The value of the unlabelled sample `name` in scraped `text`, or undefined. */
export function metricValue(text: string | undefined, name: string): number | undefined {
  const value = text && new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
  return value ? Number(value) : undefined;
}

const mb = (bytes: string | number) => (Number(bytes) / 1024 / 1024).toFixed(0);

/**
 * V8's heap spaces in scraped `text` as "space total/used MB, …" plus external memory; undefined for a
 * server without the default Node metrics.
 */
export function heapSpaces(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const spaces = new Map<string, { total?: string; used?: string }>();
  for (const [, kind, space, value] of text.matchAll(
    /^nodejs_heap_space_size_(total|used)_bytes\{space="(\w+)"\} (\S+)$/gm,
  )) {
    const entry = spaces.get(space as string) ?? {};
    entry[kind as 'total' | 'used'] = value as string;
    spaces.set(space as string, entry);
  }
  if (spaces.size === 0) return undefined;
  const external = metricValue(text, 'nodejs_external_memory_bytes');
  const parts = [...spaces]
    .filter(([, { total }]) => Number(total) >= 1024 * 1024)
    .map(([space, { total, used }]) => `${space} ${mb(total ?? '0')}/${mb(used ?? '0')}`);
  return `${parts.join(', ')}${external !== undefined ? `; external ${mb(external)}` : ''} (MB, total/used)`;
}

/** V8's whole heap in scraped `text`: its size (what it holds from the system) and use, in MB. */
export function heapTotals(text: string | undefined): { totalMb: number; usedMb: number } | undefined {
  const total = metricValue(text, 'nodejs_heap_size_total_bytes');
  const used = metricValue(text, 'nodejs_heap_size_used_bytes');
  if (total === undefined || used === undefined) return undefined;
  return { totalMb: Number(mb(total)), usedMb: Number(mb(used)) };
}

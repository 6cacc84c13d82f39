// A server's V8 heap as it publishes it: Prometheus' default Node metrics at /metrics (Tripod's), read
// from outside the process so that nothing of the reader's own counts. npm run bench prints the spaces
// after its load; the soak (soak.ts) follows the heap's size and use through a million requests.

/** The text of `base`/metrics, or undefined for a server that does not publish it. */
async function metricsText(base: string): Promise<string | undefined> {
  const response = await fetch(`${base}/metrics`).catch(() => null);
  return response?.ok ? response.text() : undefined;
}

const mb = (bytes: string | number) => (Number(bytes) / 1024 / 1024).toFixed(0);

/**
 * V8's heap spaces as "space total/used MB, …" plus external memory; undefined for a server without
 * the metrics.
 */
export async function heapSpaces(base: string): Promise<string | undefined> {
  const text = await metricsText(base);
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
  const external = /^nodejs_external_memory_bytes (\S+)$/m.exec(text)?.[1];
  const parts = [...spaces]
    .filter(([, { total }]) => Number(total) >= 1024 * 1024)
    .map(([space, { total, used }]) => `${space} ${mb(total ?? '0')}/${mb(used ?? '0')}`);
  return `${parts.join(', ')}${external ? `; external ${mb(external)}` : ''} (MB, total/used)`;
}

/** The whole heap's size (what V8 holds from the system) and use, in MB; undefined without the metrics. */
export async function heapTotals(base: string): Promise<{ totalMb: number; usedMb: number } | undefined> {
  const text = await metricsText(base);
  const total = text && /^nodejs_heap_size_total_bytes (\S+)$/m.exec(text)?.[1];
  const used = text && /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
  if (!total || !used) return undefined;
  return { totalMb: Number(mb(total)), usedMb: Number(mb(used)) };
}

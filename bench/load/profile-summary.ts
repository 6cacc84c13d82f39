// Reads a V8 .cpuprofile (node --cpu-prof) and tells where the busy time went: the functions with the most
// self time, and the same time summed by where the code lives (a package in node_modules, a folder of
// Tripod's src/, Node's internals, the garbage collector). Idle time is left out of every share.
//
//   node bench/load/profile-summary.ts FILE.cpuprofile [TOP] [SKIP_MS]

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds between consecutive samples (the first from the profile's start). */
  timeDeltas: number[];
}

function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'V8/native (program)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return `npm: ${modules[1]}`;
  // The build (dist/) mirrors src/: both are counted as src/.
  const src = /\/(?:src|dist)\/([^/]+)\//.exec(url);
  if (src) return `tripod: src/${src[1]}/`;
  // node:internal/crypto/hash → "node: internal/crypto"; node:_http_server → "node: _http_server".
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/').slice(0, 2).join('/')}`;
  if (url === '') return 'native (no script)';
  return url.replace(/^file:\/\//, '');
}

function where(url: string): string {
  const modules = /node_modules\/(.*)$/.exec(url);
  if (modules) return modules[1] as string;
  const repo = /\/(src|dist|bench|bin)\/(.*)$/.exec(url);
  if (repo) return `${repo[1]}/${repo[2]}`;
  return url.replace(/^file:\/\//, '');
}

export interface ProfileShares {
  busySamples: number;
  functions: { name: string; share: number }[];
  areas: { name: string; share: number }[];
}

/** `skipMs`: samples taken in the first milliseconds of the profile (start-up, before the load) are left out. */
export function summarizeProfile(file: string, top = 25, skipMs = 0): ProfileShares {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  let elapsedUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs < skipMs * 1000) continue;
    const node = byId.get(profile.samples[i] as number);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    busy++;
    const name = `${functionName || '(anonymous)'} ${url ? `${where(url)}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + 1);
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + 1);
  }
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, n]) => ({ name, share: n / busy }));
  return { busySamples: busy, functions: ranked(functions), areas: ranked(areas) };
}

export function profileMarkdown(shares: ProfileShares): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `Busy samples: ${shares.busySamples} (idle excluded).`,
    '',
    '| where the code lives | self time |',
    '|---|---:|',
  ];
  for (const a of shares.areas) lines.push(`| ${a.name} | ${pct(a.share)} |`);
  lines.push('', '| function (self time) | share |', '|---|---:|');
  for (const f of shares.functions) lines.push(`| \`${f.name}\` | ${pct(f.share)} |`);
  return lines.join('\n');
}

if (import.meta.main) {
  const [file, top, skipMs] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: node bench/load/profile-summary.ts FILE.cpuprofile [TOP] [SKIP_MS]');
    process.exit(2);
  }
  console.log(profileMarkdown(summarizeProfile(file, Number(top ?? 25), Number(skipMs ?? 0))));
}

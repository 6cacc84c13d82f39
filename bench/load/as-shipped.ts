// The code the load benchmark runs, as it runs in production: JavaScript. Tripod's server runs from its
// build (dist/, what the installed package's `tripod-server` runs: it ships no sources), and the bench's
// own Node servers (bare node:http, bare Fastify, Express + passport, the tripod/fastify host app) from
// their TypeScript with the types stripped ahead of time. Run as TypeScript, every process pays for Node's
// type stripper (a WebAssembly module, and memory that grows with the largest file it strips and is never
// given back): 16 MB of bare Fastify's RSS and 31 MB of Tripod's, idle (BENCHMARKS.md, 2026-12-02) — memory
// of the development setup, not of either server, which would blur issue 10's RSS ratios. What runs is the
// same code: stripping takes out only types, and tsc's build (target ES2023) keeps the sources' syntax.
//
// `--tripod-from sources` runs everything from the TypeScript as before (no build needed).

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI } from './tripod.ts';

export type CodeFrom = 'build' | 'sources';

export interface BenchCode {
  from: CodeFrom;
  /** The `tripod-server` script the measured Tripod servers run. */
  tripodCli: string;
  /** The file to run for one of the bench's servers (a path to its .ts under bench/load/servers/). */
  server(source: string): string;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVERS = fileURLToPath(new URL('./servers/', import.meta.url));
/** The bench's Node servers and what they import from beside them: every TypeScript module there. */
const serverFiles = () => readdirSync(SERVERS).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

export function isCodeFrom(value: unknown): value is CodeFrom {
  return value === 'build' || value === 'sources';
}

/**
 * Builds Tripod (`npm run build`, about 10 s) and writes the bench's servers as JavaScript into `workDir`
 * (beside a link to the checkout's node_modules, so that they find their packages); or, from sources, the
 * TypeScript files as they are.
 */
export function prepareBenchCode(from: CodeFrom, workDir: string): BenchCode {
  if (from === 'sources') return { from, tripodCli: CLI, server: (source) => source };
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const out = join(workDir, 'servers');
  mkdirSync(out, { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  for (const file of serverFiles()) {
    const javascript = stripTypeScriptTypes(readFileSync(join(SERVERS, file), 'utf8'), { mode: 'strip' });
    writeFileSync(join(out, file.replace(/\.ts$/, '.mjs')), javascript.replace(IMPORTED_TS, retarget));
  }
  const tripodCli = join(out, 'tripod-server.mjs');
  // bin/tripod-server.js as it runs in the installed package, where there is no src/ to prefer.
  writeFileSync(
    tripodCli,
    `const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli/tripod-server.js')).href)});
const code = await main(process.argv, process.env);
if (code !== 0) process.exitCode = code;
`,
  );
  return { from, tripodCli, server: (source) => join(out, basename(source).replace(/\.ts$/, '.mjs')) };
}

/** A quoted relative import of a .ts file. */
const IMPORTED_TS = /(['"])(\.{1,2}\/[^'"]+)\.ts\1/g;

/** Beside the servers: their .mjs; Tripod's src/X.ts: its build, dist/X.js. */
function retarget(_match: string, quote: string, path: string): string {
  if (path.startsWith('./') && !path.slice(2).includes('/')) return `${quote}${path}.mjs${quote}`;
  const inSources = /^(?:\.\.\/)+src\/(.+)$/.exec(path);
  if (inSources === null) throw new Error(`bench: a server imports ${path}.ts, which has no JavaScript here`);
  return `${quote}${pathToFileURL(join(ROOT, 'dist', `${inSources[1]}.js`)).href}${quote}`;
}

// The published build (`npm run build`, run by `npm pack` through prepack) is tsc's output plus the files
// the server reads beside its modules at run time: page templates (.eta), stylesheets and the one script.
// They keep their place relative to the modules, so `new URL('./views', import.meta.url)` finds them in
// dist/ as it does in src/.

import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCES = fileURLToPath(new URL('../src', import.meta.url));
const BUILD = fileURLToPath(new URL('../dist', import.meta.url));

/** Every file under src/ that tsc does not compile, as paths relative to src/. */
export function buildAssets(): string[] {
  return readdirSync(SOURCES, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.ts'))
    .map((entry) => relative(SOURCES, join(entry.parentPath, entry.name)))
    .sort();
}

if (import.meta.main) {
  for (const asset of buildAssets()) cpSync(join(SOURCES, asset), join(BUILD, asset));
}

// Which module a bin runs: the TypeScript source where it exists (the repository: `npm start` and the tests
// need no build), else the compiled one (the installed package ships dist/ and no src/). Plain JavaScript,
// so that any Node can run it before anything TypeScript is imported.

import { existsSync } from 'node:fs';

/** The URL of src/cli/NAME.ts, or of dist/cli/NAME.js where the sources are not there. */
export function cliModule(name) {
  const source = new URL(`../src/cli/${name}.ts`, import.meta.url);
  return existsSync(source) ? source.href : new URL(`../dist/cli/${name}.js`, import.meta.url).href;
}

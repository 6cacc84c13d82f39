// Tripod's commands run its TypeScript sources directly, which takes Node's type stripping (the version in
// package.json's engines). An older Node fails on the first .ts import with ERR_UNKNOWN_FILE_EXTENSION, which
// tells nobody what to do; this file is plain JavaScript any Node runs, so it can say it first, in one sentence.

import { readFileSync } from 'node:fs';

/** Exits with one sentence on stderr unless this Node meets package.json's `engines.node` (">=MAJOR.MINOR"). */
export function requireSupportedNode(command) {
  const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const [needMajor, needMinor] = /(\d+)\.(\d+)/.exec(engines.node).slice(1).map(Number);
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return;
  process.stderr.write(
    `${command}: Tripod needs Node.js ${needMajor}.${needMinor} or newer but this is Node.js ${process.versions.node}, so run it through npm (npm start, or npx ${command} …) which uses the Node 24 that npm ci installs, or install Node 24 yourself (nvm install reads .nvmrc).\n`,
  );
  process.exit(1);
}

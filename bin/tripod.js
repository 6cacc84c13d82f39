#!/usr/bin/env node
// The `tripod` consumer CLI: the TypeScript sources in the repository (Node >= 22.18; an older one is told
// so in one sentence first), the compiled build in dist/ in the installed package.
import { cliModule } from './cli-module.js';
import { requireSupportedNode } from './require-node.js';

requireSupportedNode('tripod');
const { main } = await import(cliModule('tripod'));

const code = await main(process.argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  platform: process.platform,
});
// stdin may still be open (a PIN prompt reads it): exit explicitly once output is flushed.
process.stdout.write('', () => process.exit(code));

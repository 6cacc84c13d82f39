#!/usr/bin/env node
// The `tripod` consumer CLI. Node (>= 22.18) runs the TypeScript sources directly; an older one is told so
// in one sentence before anything TypeScript is imported.
import { requireSupportedNode } from './require-node.js';

requireSupportedNode('tripod');
const { main } = await import('../src/cli/tripod.ts');

const code = await main(process.argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  platform: process.platform,
});
// stdin may still be open (a PIN prompt reads it): exit explicitly once output is flushed.
process.stdout.write('', () => process.exit(code));

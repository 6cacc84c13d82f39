#!/usr/bin/env node
// The operator CLI. Node >= 22.18 runs the TypeScript sources directly (type stripping); an older one is
// told so in one sentence before anything TypeScript is imported.
import { requireSupportedNode } from './require-node.js';

requireSupportedNode('tripod-server');
const { main } = await import('../src/cli/tripod-server.ts');
const code = await main(process.argv, process.env);
if (code !== 0) process.exitCode = code;

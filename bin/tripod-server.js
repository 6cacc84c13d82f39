#!/usr/bin/env node
import { cliModule } from './cli-module.js';
// The operator CLI. In the repository it runs the TypeScript sources directly (Node >= 22.18 strips the
// types; an older one is told so in one sentence first); in the installed package, which ships no sources,
// the compiled build in dist/.
import { requireSupportedNode } from './require-node.js';

requireSupportedNode('tripod-server');
const { main } = await import(cliModule('tripod-server'));
const code = await main(process.argv, process.env);
if (code !== 0) process.exitCode = code;

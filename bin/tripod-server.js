#!/usr/bin/env node
// The operator CLI. Node >= 22.18 runs the TypeScript sources directly (type stripping).
import { main } from '../src/cli/tripod-server.ts';

const code = await main(process.argv, process.env);
if (code !== 0) process.exitCode = code;
